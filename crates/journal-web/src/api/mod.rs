//! The JSON API under `/api/v1`. Each handler carries its `#[utoipa::path]`; `router()` lists
//! them once, and that list produces both the routes and the OpenAPI document.

pub mod accounts;
pub mod assessments;
pub mod bridge;
pub mod entries;
pub mod goals;
pub mod json;
pub mod moods;
pub mod packet;
pub mod prompts;
pub mod proposals;
pub mod reminder_delivery;
pub mod safety_plan;
pub mod schema;
pub mod status;
mod strict;
pub mod thought_records;
pub mod views;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Therapy Journal API",
        description = "A private journal for the time between therapy sessions. Journal text and health data are \
encrypted with keys derived from each user's password. Errors are `{\"error\":{\"code\",\"message\",\"field\"}}`; \
`field` (when present) names the input at fault, as a path like `distraction_people[0].name` or a query parameter. \
Request bodies are JSON objects; any other JSON value is 422 `invalid_body`. \
Cookie-authenticated unsafe requests need the `X-CSRF-Token` header from `GET /api/v1/session`; \
bearer-token requests do not.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&SecuritySchemes),
    // Tag names are published, so they stay as first released: `coping` holds the challenge log
    // and the safety plan (`thought_records.rs`, `safety_plan.rs`), `health` is `/healthz`
    // (`status.rs`).
    tags(
        (name = "accounts", description = "Sign-up, sign-in, sessions, API tokens, recovery and deletion"),
        (name = "journal", description = "Encrypted journal entries, search and autosaved drafts"),
        (name = "moods", description = "Mood check-ins, encrypted under each person's metrics key"),
        (name = "assessments", description = "PHQ-9, GAD-7 and WHO-5, scored as published; crisis resources"),
        (name = "prompts", description = "Today's prompts with their reasons, the library, your own prompts"),
        (name = "goals", description = "Self-care goals, check-ins and streaks, achievements, reminders, the weekly review"),
        (name = "bridge", description = "Linking with a therapist, per-item sharing, the caseload, comments, homework, the access log, summaries"),
        (name = "coping", description = "The challenge log (thought records) and the safety plan, encrypted"),
        (name = "health", description = "Liveness")
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme("session_cookie", session_cookie_scheme(crate::auth::cookie::SESSION));
    }
}

/// The cookie scheme for a server whose session cookie is `name`: the committed document names the
/// plain-HTTP cookie, and a server behind HTTPS serves its document with `__Host-tj_session`.
pub fn session_cookie_scheme(name: &str) -> utoipa::openapi::security::SecurityScheme {
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
    let description = format!(
        "The browser session cookie: `{}` over plain HTTP, `{}` when the server runs behind HTTPS. \
         Cookie callers send `X-CSRF-Token` (from `GET /api/v1/session`) on every change.",
        crate::auth::cookie::SESSION,
        crate::auth::cookie::SESSION_HTTPS
    );
    SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(name, &description)))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(status::healthz))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::recover))
        .routes(routes!(accounts::create_token, accounts::list_tokens))
        .routes(routes!(accounts::revoke_token))
        .routes(routes!(accounts::session))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::delete_account))
        .routes(routes!(accounts::get_preferences, accounts::put_preferences))
        .routes(routes!(accounts::export))
        .routes(routes!(accounts::export_fhir))
        .routes(routes!(accounts::import))
        .routes(routes!(entries::create_entry, entries::list_entries))
        .routes(routes!(entries::get_entry, entries::update_entry, entries::delete_entry))
        .routes(routes!(entries::search))
        .routes(routes!(entries::save_draft, entries::get_draft, entries::discard_draft))
        .routes(routes!(moods::check_in, moods::list))
        .routes(routes!(moods::update, moods::delete))
        .routes(routes!(moods::insights))
        .routes(routes!(assessments::instruments))
        .routes(routes!(assessments::get_schedule, assessments::put_schedule))
        .routes(routes!(assessments::due))
        .routes(routes!(assessments::submit, assessments::list))
        .routes(routes!(assessments::crisis_resources))
        .routes(routes!(prompts::today))
        .routes(routes!(prompts::list, prompts::create))
        .routes(routes!(prompts::delete))
        .routes(routes!(prompts::skip))
        .routes(routes!(prompts::pin, prompts::unpin))
        .routes(routes!(prompts::get_session, prompts::put_session))
        .routes(routes!(thought_records::create, thought_records::list))
        .routes(routes!(thought_records::thinking_traps))
        .routes(routes!(thought_records::get, thought_records::update, thought_records::delete))
        .routes(routes!(safety_plan::get_plan, safety_plan::put_plan))
        .routes(routes!(goals::create, goals::list))
        .routes(routes!(goals::suggestions))
        .routes(routes!(goals::get, goals::update, goals::delete))
        .routes(routes!(goals::status))
        .routes(routes!(goals::check_in, goals::checkins))
        .routes(routes!(goals::undo))
        .routes(routes!(goals::achievements))
        .routes(routes!(goals::get_reminders, goals::put_reminders))
        .routes(routes!(reminder_delivery::list_channels, reminder_delivery::create_channel))
        .routes(routes!(reminder_delivery::delete_channel))
        .routes(routes!(reminder_delivery::list_scheduled, reminder_delivery::create_scheduled))
        .routes(routes!(reminder_delivery::delete_scheduled))
        .routes(routes!(goals::rotate))
        .routes(routes!(goals::review, goals::save_review))
        .routes(routes!(bridge::create_invite))
        .routes(routes!(bridge::preview_invite))
        .routes(routes!(bridge::connect, bridge::connections))
        .routes(routes!(bridge::end_connection))
        .routes(routes!(bridge::set_sharing))
        .routes(routes!(bridge::share))
        .routes(routes!(bridge::unshare))
        .routes(routes!(bridge::clients))
        .routes(routes!(bridge::mark_alerts_seen))
        .routes(routes!(bridge::client_entries))
        .routes(routes!(bridge::client_entry))
        .routes(routes!(bridge::client_moods))
        .routes(routes!(bridge::client_assessments))
        .routes(routes!(bridge::therapist_comment, bridge::therapist_comments))
        .routes(routes!(bridge::own_comments, bridge::reply))
        .routes(routes!(bridge::assign, bridge::client_assignments))
        .routes(routes!(bridge::my_assignments))
        .routes(routes!(bridge::access_log))
        .routes(routes!(bridge::client_summary))
        .routes(routes!(bridge::my_summary))
        .routes(routes!(packet::client_packet))
        .routes(routes!(packet::my_packet))
        .routes(routes!(proposals::propose))
        .routes(routes!(proposals::current))
        .routes(routes!(proposals::accept))
        .routes(routes!(proposals::decline))
}

#[cfg(test)]
mod tests {
    /// The published contract: a change to any route or schema shows up here, in review.
    /// After an intended change, run with `TJ_UPDATE_SNAPSHOTS=1` and commit `openapi.json`.
    #[test]
    fn openapi_document_matches_the_committed_snapshot() {
        let doc = serde_json::to_string_pretty(&crate::openapi_document()).unwrap() + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        if std::env::var("TJ_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
            std::fs::write(path, &doc).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == doc,
            "the OpenAPI document changed; if intended, run `TJ_UPDATE_SNAPSHOTS=1 cargo test -p journal-web` and commit openapi.json"
        );
    }

    /// Client generators name their methods after `operationId`; utoipa falls back to the Rust
    /// function name, which repeats across modules (`list`, `get`, ...), so each route sets its own.
    #[test]
    fn every_operation_has_a_unique_camel_case_operation_id() {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                if !["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                    continue;
                }
                let route = format!("{} {path}", method.to_uppercase());
                let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{route} has no operationId"));
                assert!(
                    id.starts_with(|c: char| c.is_ascii_lowercase()) && id.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{route}: operationId {id:?} is not camelCase"
                );
                if let Some(other) = seen.insert(id.to_owned(), route.clone()) {
                    panic!("operationId {id:?} is used by both {other} and {route}");
                }
            }
        }
        assert!(seen.len() >= 90, "only {} operations found", seen.len());
    }

    /// Two `ToSchema` types with one name collapse into one schema; `GET /entries` once lost its
    /// cursor that way.
    #[test]
    fn the_entry_list_schema_keeps_its_cursor() {
        let doc = serde_json::to_value(crate::openapi_document()).unwrap();
        let schema = &doc["paths"]["/api/v1/entries"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"];
        let name = schema.as_str().unwrap().trim_start_matches("#/components/schemas/");
        let props = doc["components"]["schemas"][name]["properties"].as_object().unwrap();
        assert!(props.contains_key("next_cursor") && props.contains_key("damaged"), "{name}: {props:?}");
    }
}
