//! The pre-session packet, as the therapist reads it and as the client previews it: one template
//! for both, so the preview is exactly what the therapist will see.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::charts;
use super::form::PageQuery;
use super::page::{OrPage, PageError, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::bridge::packet::Packet;

pub struct EntryBlock {
    pub id: String,
    pub date: String,
    pub title: String,
    pub body_html: String,
}

fn blocks(list: &[journal_core::entries::Entry]) -> Vec<EntryBlock> {
    list.iter()
        .map(|e| EntryBlock {
            id: e.id.clone(),
            date: e.entry_date.clone(),
            title: e.content.display_title(),
            body_html: crate::markdown::render(&e.content.body),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "packet.html")]
struct PacketPage {
    shell: Shell,
    p: Packet,
    therapist_view: bool,
    /// This page's path, for the range form and the FHIR link.
    action: String,
    entries: Vec<EntryBlock>,
    thought_records: Vec<EntryBlock>,
    mood_chart: Option<String>,
}

#[derive(Deserialize)]
pub struct RangeParams {
    from: Option<String>,
    to: Option<String>,
}

fn page(p: Packet, therapist_view: bool, action: String, user: &PageUser) -> Response {
    let mood_chart = match (&p.mood_days, &p.summary.mood) {
        (Some(days), Some(m)) if !days.is_empty() => {
            let desc = match m.average {
                Some(a) => format!("{} check-ins, average {a:.1} out of 5", m.count),
                None => "No check-ins".to_owned(),
            };
            Some(charts::mood_over_time("packet-mood", "Mood in this period", &desc, days, p.span_days))
        }
        _ => None,
    };
    let title = if therapist_view {
        format!("Session packet: {}", p.summary.client_name)
    } else {
        format!("What {} sees before your session", p.summary.therapist_name)
    };
    render(&PacketPage {
        shell: Shell::for_user(&title, user),
        entries: blocks(&p.entries),
        thought_records: blocks(&p.thought_records),
        therapist_view,
        action,
        mood_chart,
        p,
    })
}

fn fhir_download(p: &Packet) -> Response {
    let body = journal_app::bridge::packet::fhir(p);
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/fhir+json"));
    let name = format!("attachment; filename=\"session-packet-{}.fhir.json\"", p.summary.to);
    if let Ok(v) = name.parse() {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

async fn therapist_packet(state: &AppState, user: &PageUser, id: &str, r: &RangeParams) -> Result<Packet, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&user.current, r.from.as_deref(), r.to.as_deref())?;
    journal_app::bridge::packet::for_therapist(state, &user.current, id, from, to).await.map_err(AppError::from)
}

async fn client_packet(state: &AppState, user: &PageUser, id: &str, r: &RangeParams) -> Result<Packet, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&user.current, r.from.as_deref(), r.to.as_deref())?;
    journal_app::bridge::packet::for_client(state, &user.current, id, from, to).await.map_err(AppError::from)
}

pub async fn therapist(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageQuery(r): PageQuery<RangeParams>,
) -> Result<Response, PageError> {
    let p = therapist_packet(&state, &user, &id, &r).await.or_page(user.theme)?;
    Ok(page(p, true, format!("/therapist/clients/{id}/packet"), &user))
}

pub async fn therapist_fhir(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageQuery(r): PageQuery<RangeParams>,
) -> Result<Response, PageError> {
    let p = therapist_packet(&state, &user, &id, &r).await.or_page(user.theme)?;
    Ok(fhir_download(&p))
}

pub async fn preview(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageQuery(r): PageQuery<RangeParams>,
) -> Result<Response, PageError> {
    let p = client_packet(&state, &user, &id, &r).await.or_page(user.theme)?;
    Ok(page(p, false, format!("/connections/{id}/packet"), &user))
}

pub async fn preview_fhir(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageQuery(r): PageQuery<RangeParams>,
) -> Result<Response, PageError> {
    let p = client_packet(&state, &user, &id, &r).await.or_page(user.theme)?;
    Ok(fhir_download(&p))
}
