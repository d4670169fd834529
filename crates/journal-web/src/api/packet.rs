//! The pre-session packet: `/api/v1/clients/{client_id}/packet` for the therapist and
//! `/api/v1/connections/{connection_id}/packet` for the client's preview of the same packet.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::bridge::{AssignmentView, assignment_view};
use crate::api::entries::EntryView;
use crate::api::json::ApiQuery;
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::bridge::packet::Packet;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PacketParams {
    /// `YYYY-MM-DD` (default: 13 days before `to`): the last session, usually.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PacketScoreView {
    /// `PHQ-9`, `GAD-7`, …
    pub instrument: String,
    /// `YYYY-MM-DD`, in the client's time zone.
    pub date: String,
    pub total: u8,
    pub severity: String,
    /// Points since the previous result of the same questionnaire (null for the first).
    pub delta: Option<i16>,
    pub previous_total: Option<u8>,
    /// `improved`, `worsened`, `unchanged`, or empty for the first result.
    pub direction: String,
    /// The change reaches the questionnaire's published reliable-change threshold.
    pub reliable: bool,
    /// That threshold, in points; null when the questionnaire has none, and then `reliable` is
    /// always false.
    pub reliable_threshold: Option<u8>,
    /// The change in words, as the page says it.
    pub change: String,
    /// PHQ-9 item 9 above 0.
    pub self_harm: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PacketMoodDay {
    /// `YYYY-MM-DD`
    pub date: String,
    /// Mean of that day's check-ins, 1 to 5.
    pub average: f64,
}

#[derive(Serialize, ToSchema)]
pub struct PacketMoodView {
    pub count: usize,
    pub average: Option<f64>,
    pub previous_average: Option<f64>,
    pub trend: String,
    /// One point per day with check-ins, oldest first: the mood line.
    pub days: Vec<PacketMoodDay>,
}

#[derive(Serialize, ToSchema)]
pub struct PacketView {
    pub client: String,
    pub therapist: String,
    pub from: String,
    pub to: String,
    /// Null when questionnaires aren't shared.
    pub scores: Option<Vec<PacketScoreView>>,
    /// Null when mood isn't shared.
    pub mood: Option<PacketMoodView>,
    /// Null when goals aren't shared.
    #[schema(value_type = Option<Vec<Object>>)]
    pub goals: Option<Vec<journal_app::bridge::GoalDigest>>,
    pub homework: Vec<AssignmentView>,
    /// Shared entries in the period, thought records apart.
    pub entries: Vec<EntryView>,
    pub thought_records: Vec<EntryView>,
}

fn view(p: Packet) -> PacketView {
    let from = p.summary.from;
    let mood = p.summary.mood.map(|m| PacketMoodView {
        count: m.count,
        average: m.average,
        previous_average: m.previous_average,
        trend: m.trend.to_owned(),
        days: p
            .mood_days
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(offset, average)| {
                let days: i64 = offset.parse().ok()?;
                let date = from.checked_add(jiff::Span::new().try_days(days).ok()?).ok()?;
                Some(PacketMoodDay { date: date.to_string(), average })
            })
            .collect(),
    });
    PacketView {
        client: p.summary.client_name,
        therapist: p.summary.therapist_name,
        from: p.summary.from.to_string(),
        to: p.summary.to.to_string(),
        scores: p.scores.map(|l| {
            l.into_iter()
                .map(|s| PacketScoreView {
                    change: s.change_words(),
                    instrument: s.instrument.to_owned(),
                    date: s.date,
                    total: s.total,
                    severity: s.severity,
                    delta: s.delta,
                    previous_total: s.previous_total,
                    direction: s.direction.to_owned(),
                    reliable: s.reliable,
                    reliable_threshold: s.threshold,
                    self_harm: s.self_harm,
                })
                .collect()
        }),
        mood,
        goals: p.summary.goals,
        homework: p.summary.homework.into_iter().map(assignment_view).collect(),
        entries: p.entries.into_iter().map(|e| EntryView::new(e, false)).collect(),
        thought_records: p.thought_records.into_iter().map(|e| EntryView::new(e, false)).collect(),
    }
}

/// The pre-session packet for one linked client (therapists): shared items only.
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/packet", operation_id = "getClientPacket", tag = "bridge",
    params(("client_id" = String, Path), PacketParams),
    responses((status = 200, body = PacketView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_packet(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
    ApiQuery(p): ApiQuery<PacketParams>,
) -> Result<Json<PacketView>, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&who, p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(view(journal_app::bridge::packet::for_therapist(&state, &who, &client_id, from, to).await?)))
}

/// Your preview of the packet one linked therapist sees (clients): exactly the same content.
#[utoipa::path(get, path = "/api/v1/connections/{connection_id}/packet", operation_id = "previewSessionPacket", tag = "bridge",
    params(("connection_id" = String, Path), PacketParams),
    responses((status = 200, body = PacketView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn my_packet(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(connection_id): Path<String>,
    ApiQuery(p): ApiQuery<PacketParams>,
) -> Result<Json<PacketView>, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&who, p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(view(journal_app::bridge::packet::for_client(&state, &who, &connection_id, from, to).await?)))
}
