//! Schedule proposals as pages: the therapist's form for one client, and the client's page to
//! accept or decline what was proposed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::assessments::schedule::Cadence;
use serde::Deserialize;

use super::form::PageForm;
use super::page::{error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::bridge::proposals::{self, Open, Proposal};

/// A proposal in words, for both sides.
fn describe(o: &Open) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((id, cadence)) = &o.proposal.schedule {
        let name =
            journal_core::assessments::InstrumentId::parse(id).map(|i| i.short_name()).unwrap_or("questionnaire");
        out.push(match cadence {
            Cadence::Session => format!("The {name} in the days before each session"),
            Cadence::Weeks { weeks: 1 } => format!("The {name} once a week"),
            Cadence::Weeks { weeks } => format!("The {name} once every {weeks} weeks"),
        });
    }
    if let Some(d) = &o.proposal.session_date {
        out.push(format!("Next session on {d}"));
    }
    out
}

#[derive(Template)]
#[template(path = "proposal_form.html")]
struct FormPage {
    shell: Shell,
    client_id: String,
    client_name: String,
    shares_questionnaires: bool,
    instruments: Vec<(&'static str, &'static str)>,
    last: Vec<String>,
    error: Option<AppError>,
}

async fn form_page(state: &AppState, user: &PageUser, client_id: &str, error: Option<AppError>) -> Response {
    let link = match journal_app::bridge::therapist_link_for(state, &user.current, client_id).await {
        Ok(l) => l,
        Err(e) => return error_page(e, user.theme),
    };
    let last = match proposals::latest_sent(state, &user.current, client_id).await.map_err(AppError::from) {
        Ok(o) => o.as_ref().map(describe).unwrap_or_default(),
        Err(e) => return error_page(e, user.theme),
    };
    let instruments =
        state.config.offered_instruments().into_iter().map(|i| (i.as_str(), i.instrument().title)).collect();
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&FormPage {
        shell: Shell::for_user("Propose a questionnaire schedule", user),
        client_id: client_id.to_owned(),
        client_name: link.client.display_name.clone(),
        shares_questionnaires: link.record.share_assessments,
        instruments,
        last,
        error,
    });
    // The form comes back with the problem named, under the error's own status.
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn form(State(state): State<AppState>, user: PageUser, Path(id): Path<String>) -> Response {
    form_page(&state, &user, &id, None).await
}

#[derive(Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    instrument: String,
    /// "" (no schedule), "session", or a number of weeks.
    #[serde(default)]
    every: String,
    #[serde(default)]
    session_date: String,
}

pub async fn propose(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<ProposalForm>,
) -> Response {
    let schedule = match (f.instrument.trim(), f.every.trim()) {
        (_, "") => None,
        (i, "session") => Some((i.to_owned(), Cadence::Session)),
        (i, n) => match n.parse::<u8>() {
            Ok(weeks) => Some((i.to_owned(), Cadence::Weeks { weeks })),
            Err(_) => {
                return form_page(
                    &state,
                    &user,
                    &id,
                    Some(AppError::invalid("every", "Choose how often from the list.")),
                )
                .await;
            }
        },
    };
    let p = Proposal { schedule, session_date: Some(f.session_date) };
    match proposals::propose(&state, &user.current, &id, &p).await.map_err(AppError::from) {
        Ok(_) => Redirect::to(&format!("/therapist/clients/{id}/schedule-proposal?sent=1")).into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            form_page(&state, &user, &id, Some(e)).await
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ClientPage {
    shell: Shell,
    connection_id: String,
    therapist_name: String,
    proposal: Option<(String, &'static str, Vec<String>)>,
}

pub async fn show(State(state): State<AppState>, user: PageUser, Path(id): Path<String>) -> Response {
    let link = match journal_app::bridge::client_link_for(&state, &user.current, &id).await {
        Ok(l) => l,
        Err(e) => return error_page(e, user.theme),
    };
    let proposal = match proposals::current(&state, &user.current, &id).await.map_err(AppError::from) {
        Ok(o) => o.map(|o| (o.id.clone(), o.status, describe(&o))),
        Err(e) => return error_page(e, user.theme),
    };
    render(&ClientPage {
        shell: Shell::for_user("What your therapist proposed", &user),
        connection_id: id,
        therapist_name: link.therapist.display_name,
        proposal,
    })
}

async fn answer(state: &AppState, user: &PageUser, id: &str, proposal: &str, accept: bool) -> Response {
    match proposals::answer(state, &user.current, id, proposal, accept).await.map_err(AppError::from) {
        Ok(_) => Redirect::to(&format!("/connections/{id}/schedule-proposal")).into_response(),
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn accept(State(state): State<AppState>, user: PageUser, Path((id, p)): Path<(String, String)>) -> Response {
    answer(&state, &user, &id, &p, true).await
}

pub async fn decline(State(state): State<AppState>, user: PageUser, Path((id, p)): Path<(String, String)>) -> Response {
    answer(&state, &user, &id, &p, false).await
}
