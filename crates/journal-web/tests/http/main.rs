//! The web layer through real HTTP against the real server, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_log;
mod accounts;
mod assessments;
mod blueprint;
mod bridge;
mod browser;
mod browser_packet;
mod caseload_alerts;
mod damaged;
mod free_text;
mod goal_start;
mod goals;
mod hardening;
mod input;
mod journal;
mod journal_pages;
mod moods;
mod outage;
mod packet;
mod pages;
mod phone;
mod portability;
mod prompts;
mod proposals;
mod reminder_delivery;
mod robustness;
mod safety_plan;
mod schedules;
mod short_forms;
mod sign_in;
mod thought_records;

use reqwest::Response;
use serde_json::Value;

/// Asserts the status and the JSON error shape, and returns the error code.
pub async fn error_code(res: Response, status: u16) -> String {
    assert_eq!(res.status(), status, "status");
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(ct.starts_with("application/json"), "content type {ct}");
    let body: Value = res.json().await.unwrap();
    let code = body["error"]["code"].as_str().expect("error.code").to_owned();
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "error.message");
    code
}
