//! The HTTP layer of Therapy Journal: a thin adapter between requests and `journal-core`.
//!
//! - `api/`: JSON handlers under `/api/v1`, each carrying its OpenAPI annotation, so the router
//!   and `/api/openapi.json` are built from the same list and cannot drift apart.
//! - `html/`: server-rendered pages (askama templates, static assets embedded in the binary).
//! - `auth/`: sessions and bearer tokens, CSRF, rate limits, the Argon2 worker limit.
//! - `error.rs`: one error type that becomes a JSON error or an error page.
//!
//! This crate never logs a request body, a token, a key or anything a user wrote.

pub mod access_log;
pub mod accounts;
pub mod achievements;
pub mod api;
pub mod assessments;
pub mod auth;
pub mod blueprint;
pub mod bridge;
pub mod config;
pub mod damaged;
pub mod error;
pub mod export;
pub mod goals;
pub mod headers;
pub mod html;
pub mod import;
pub mod journal;
pub mod markdown;
pub mod moods;
pub mod packet;
pub mod prompts;
pub mod proposals;
pub mod reminders;
pub mod review;
pub mod safety_plan;
pub mod schedules;
mod server;
pub mod summary;
pub mod thought_records;

pub use config::{Config, RateLimits};
pub use server::{AppState, build_router, openapi_document, serve};
