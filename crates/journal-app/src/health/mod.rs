//! Health data: mood check-ins, questionnaires, and the metrics key both are sealed under.

pub mod activities;
pub mod assessments;
pub mod metrics_key;
pub mod moods;
pub mod schedules;
