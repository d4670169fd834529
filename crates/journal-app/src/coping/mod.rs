//! Coping tools: thought records and the safety plan.

pub mod blueprint;
pub mod safety_plan;
pub mod thought_records;
