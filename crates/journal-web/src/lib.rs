//! The HTTP layer of Therapy Journal: a thin adapter between requests and the services of
//! `journal-app`, which it reaches only through the `App` in `AppState`.
//!
//! - `api/`: JSON handlers under `/api/v1`, each carrying its OpenAPI annotation, so the router
//!   and `/api/openapi.json` are built from the same list and cannot drift apart.
//! - `html/`: server-rendered pages (askama templates, static assets embedded in the binary).
//! - `auth/`: session cookies and bearer tokens, CSRF, the device cookie, the client's address.
//! - `error.rs`: one error type that becomes a JSON error or an error page; the only place a
//!   service's error gets an HTTP status.
//!
//! This crate never logs a request body, a token, a key or anything a user wrote.

pub mod api;
pub mod auth;
pub mod config;
pub mod delivery;
pub mod download;
pub mod error;
pub mod headers;
pub mod html;
pub mod markdown;
mod server;
mod state;

pub use config::{Config, RateLimits};
pub use server::{build_router, openapi_document, serve};
pub use state::AppState;
