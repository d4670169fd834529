//! Server-rendered pages. Every page works without JavaScript; `static/app.js` only adds small
//! comforts. Templates are askama (compile-time checked, HTML-escaped by default).

mod account_pages;
mod assessment_pages;
pub(crate) mod assets;
mod blueprint_pages;
mod bridge_pages;
mod charts;
mod dates;
mod form;
pub(crate) mod goal_pages;
mod import_pages;
mod insights_page;
pub mod journal_pages;
mod mood_pages;
pub(crate) mod mood_picker;
mod packet_pages;
pub(crate) mod page;
mod prompt_pages;
mod proposal_pages;
mod reminder_delivery_pages;
mod safety_plan_pages;
mod shell;
mod thought_record_pages;
mod toolbox_page;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::AppError;
use crate::state::AppState;

pub use form::PageForm;
pub use shell::{PageUser, Shell, presentation};

/// The sent-reminder pages (`reminder_delivery_pages.rs`).
pub fn reminder_delivery_routes() -> Router<AppState> {
    reminder_delivery_pages::routes()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(account_pages::home))
        .route("/register", get(account_pages::register_form).post(account_pages::register))
        .route("/login", get(account_pages::login_form).post(account_pages::login))
        .route("/logout", post(account_pages::logout))
        .route("/recover", get(account_pages::recover_form).post(account_pages::recover))
        .route("/settings", get(account_pages::settings))
        .route("/settings/profile", get(account_pages::profile))
        .route("/settings/security", get(account_pages::security))
        .route("/settings/devices", get(account_pages::devices))
        .route("/settings/password", post(account_pages::change_password))
        .route("/settings/tokens", post(account_pages::create_token))
        .route("/settings/tokens/{id}/revoke", post(account_pages::revoke_token))
        .route("/settings/sessions/end-others", post(account_pages::end_other_sessions))
        .route("/settings/theme", post(account_pages::set_theme))
        .route("/settings/time-zone", post(account_pages::set_time_zone))
        .route("/settings/preferences", post(account_pages::set_preferences))
        .route("/settings/app-name", post(account_pages::set_app_name))
        .route("/settings/delete", post(account_pages::delete_account))
        .route("/settings/data", get(import_pages::show))
        .route("/settings/export", post(account_pages::export))
        .route(
            "/settings/import",
            post(import_pages::upload)
                .layer(axum::extract::DefaultBodyLimit::max(journal_core::import::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/settings/import/confirm", post(import_pages::confirm))
        .route("/crisis", get(account_pages::crisis))
        .route("/more", get(account_pages::more))
        .route("/offline", get(account_pages::offline))
        .route("/journal", get(journal_pages::timeline))
        .route("/journal/new", get(journal_pages::new_form).post(journal_pages::create))
        .route("/journal/calendar", get(journal_pages::calendar))
        .route("/journal/on-this-day", get(journal_pages::on_this_day))
        .route("/journal/tags/{tag}", get(journal_pages::tag_page))
        .route("/journal/drafts/{key}/discard", post(journal_pages::discard_draft))
        .route("/journal/{id}", get(journal_pages::entry))
        .route("/journal/{id}/edit", get(journal_pages::edit_form).post(journal_pages::update))
        .route("/journal/{id}/delete", get(journal_pages::delete_confirm).post(journal_pages::delete))
        .route("/search", get(journal_pages::search))
        .route("/mood", get(mood_pages::show).post(mood_pages::check_in))
        .route("/mood/activities", post(mood_pages::add_activity))
        .route("/mood/activities/move", post(mood_pages::move_activity))
        .route("/mood/activities/remove", post(mood_pages::remove_activity))
        .route("/mood/{id}/edit", get(mood_pages::edit_form).post(mood_pages::update))
        .route("/mood/{id}/delete", get(mood_pages::delete_confirm).post(mood_pages::delete))
        .route("/insights", get(insights_page::show))
        .route("/assessments", get(assessment_pages::index))
        .route("/assessments/schedule", get(assessment_pages::schedule_redirect).post(assessment_pages::save_schedule))
        .route("/assessments/results/{id}", get(assessment_pages::result))
        .route("/assessments/results/{id}/support", get(assessment_pages::support))
        .route("/assessments/{instrument}", get(assessment_pages::form).post(assessment_pages::submit))
        .route("/prompts", get(prompt_pages::show).post(prompt_pages::create))
        .route("/prompts/session", post(prompt_pages::session))
        .route("/prompts/{id}/skip", post(prompt_pages::skip))
        .route("/prompts/{id}/pin", post(prompt_pages::pin))
        .route("/prompts/{id}/unpin", post(prompt_pages::unpin))
        .route("/prompts/{id}/delete", post(prompt_pages::delete))
        .route("/thought-records", get(thought_record_pages::records))
        .route("/thought-records/new", get(thought_record_pages::new_record).post(thought_record_pages::step))
        .route("/thought-records/{id}", get(thought_record_pages::record))
        .route(
            "/thought-records/{id}/edit",
            get(thought_record_pages::edit_record).post(thought_record_pages::step_edit),
        )
        .route("/thought-records/{id}/delete", post(thought_record_pages::delete_record))
        .route("/toolbox", get(toolbox_page::toolbox))
        .route("/blueprint", get(blueprint_pages::show).post(blueprint_pages::save))
        .route("/safety-plan", get(safety_plan_pages::safety_plan))
        .route("/safety-plan/edit", get(safety_plan_pages::edit_plan).post(safety_plan_pages::save_plan))
        .route("/goals", get(goal_pages::index))
        .route("/goals/adopt", post(goal_pages::adopt))
        .route("/goals/new", get(goal_pages::new_form).post(goal_pages::create))
        .route("/goals/{id}", get(goal_pages::show))
        .route("/goals/{id}/edit", get(goal_pages::edit_form).post(goal_pages::update))
        .route("/goals/{id}/check-in", post(goal_pages::check_in))
        .route("/goals/{id}/checkins/{checkin}/undo", post(goal_pages::undo))
        .route("/goals/{id}/status", post(goal_pages::set_status))
        .route("/goals/{id}/delete", post(goal_pages::delete))
        .route("/achievements", get(goal_pages::achievements))
        .route("/review", get(goal_pages::review).post(goal_pages::save_review))
        .route("/reminders", get(goal_pages::reminders).post(goal_pages::save_reminders))
        .route("/reminders/rotate", post(goal_pages::rotate))
        .route("/calendar/{file}", get(goal_pages::feed))
        .route("/journal/{id}/share", post(bridge_pages::share))
        .route("/journal/{id}/unshare", post(bridge_pages::unshare))
        .route("/journal/{id}/comments", post(bridge_pages::reply))
        .route("/connections", get(bridge_pages::connections))
        .route("/connections/invite", post(bridge_pages::invite))
        .route("/connections/preview", post(bridge_pages::preview))
        .route("/connections/confirm", post(bridge_pages::confirm))
        .route("/connections/{id}/sharing", post(bridge_pages::set_sharing))
        .route("/connections/{id}/end", post(bridge_pages::end))
        .route("/access-log", get(bridge_pages::access_log))
        .route("/therapist", get(bridge_pages::caseload))
        .route("/therapist/clients/{id}", get(bridge_pages::client))
        .route("/therapist/clients/{id}/assignments", post(bridge_pages::assign))
        .route("/therapist/clients/{id}/alerts/seen", post(bridge_pages::mark_alerts_seen))
        .route("/therapist/clients/{id}/entries/{entry}", get(bridge_pages::client_entry))
        .route("/therapist/clients/{id}/entries/{entry}/comments", post(bridge_pages::comment))
        .route("/summary", get(bridge_pages::summary))
        .route("/therapist/clients/{id}/packet", get(packet_pages::therapist))
        .route("/therapist/clients/{id}/packet/fhir", get(packet_pages::therapist_fhir))
        .route("/connections/{id}/packet", get(packet_pages::preview))
        .route("/connections/{id}/packet/fhir", get(packet_pages::preview_fhir))
        .route("/therapist/clients/{id}/schedule-proposal", get(proposal_pages::form).post(proposal_pages::propose))
        .route("/connections/{id}/schedule-proposal", get(proposal_pages::show))
        .route("/connections/{id}/schedule-proposal/{proposal}/accept", post(proposal_pages::accept))
        .route("/connections/{id}/schedule-proposal/{proposal}/decline", post(proposal_pages::decline))
        .merge(assets::router())
}

pub async fn not_found(uri: Uri, headers: axum::http::HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        return AppError::not_found().into_response();
    }
    let err = AppError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "The page may have moved, or the link may be incomplete. Your journal is safe.",
    );
    page::error_page(err, crate::auth::cookie::theme(&headers))
}
