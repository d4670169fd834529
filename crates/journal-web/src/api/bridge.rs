//! The therapist bridge: `/api/v1/invites`, `/connections`, entry shares, `/clients` (therapist),
//! comments, assignments, `/access-log` and summaries.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::bridge::Sharing;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::entries::EntryView;
use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::bridge::{self, Comment, Homework, Link};

#[derive(Serialize, ToSchema)]
pub struct InviteView {
    /// Give this to your client; it works once, for seven days.
    pub code: String,
    pub expires_at: String,
}

/// A single-use invite code for a client to link to you (therapists only).
#[utoipa::path(post, path = "/api/v1/invites", operation_id = "createInvite", tag = "bridge",
    responses((status = 201, body = InviteView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create_invite(
    State(state): State<AppState>,
    who: CurrentUser,
) -> Result<(StatusCode, Json<InviteView>), AppError> {
    let i = bridge::create_invite(&state, &who).await?;
    Ok((StatusCode::CREATED, Json(InviteView { code: i.code, expires_at: rfc3339(i.expires_at) })))
}

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitePreviewView {
    pub therapist: PersonView,
    /// Compare it with the one your therapist sees on their settings page.
    pub fingerprint: String,
}

/// Who an invite code is from, before you link (clients only).
#[utoipa::path(get, path = "/api/v1/invites/{code}", operation_id = "previewInvite", tag = "bridge", params(("code" = String, Path)),
    responses((status = 200, body = InvitePreviewView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn preview_invite(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<InvitePreviewView>, AppError> {
    let p = bridge::preview_invite(&state, &who, &code).await?;
    Ok(Json(InvitePreviewView {
        therapist: PersonView { id: p.therapist.id, name: p.therapist.display_name },
        fingerprint: p.fingerprint,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionView {
    pub id: String,
    pub therapist: PersonView,
    pub client: PersonView,
    pub created_at: String,
    /// Whether mood check-ins, questionnaires and goal progress are shared on this link.
    pub share_mood: bool,
    pub share_assessments: bool,
    pub share_goals: bool,
    /// The therapist's key fingerprint.
    pub fingerprint: String,
}

fn connection_view(l: &Link) -> ConnectionView {
    ConnectionView {
        id: l.record.id.clone(),
        therapist: PersonView { id: l.therapist.id.clone(), name: l.therapist.display_name.clone() },
        client: PersonView { id: l.client.id.clone(), name: l.client.display_name.clone() },
        created_at: rfc3339(l.record.created_at),
        share_mood: l.record.share_mood,
        share_assessments: l.record.share_assessments,
        share_goals: l.record.share_goals,
        fingerprint: journal_crypto::fingerprint(&l.therapist.public_key),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ConnectRequest {
    pub code: String,
}

/// Links you (a client) to the therapist who made the code. Nothing is shared until you choose.
#[utoipa::path(post, path = "/api/v1/connections", operation_id = "createConnection", tag = "bridge", request_body = ConnectRequest,
    responses((status = 201, body = ConnectionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn connect(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<ConnectRequest>,
) -> Result<(StatusCode, Json<ConnectionView>), AppError> {
    let c = bridge::accept_invite(&state, &who, &req.code).await?;
    let link =
        bridge::links(&state, &who).await?.into_iter().find(|l| l.record.id == c.id).ok_or_else(AppError::internal)?;
    Ok((StatusCode::CREATED, Json(connection_view(&link))))
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionList {
    pub items: Vec<ConnectionView>,
}

/// Your links: to your therapists, or (for a therapist) to your clients.
#[utoipa::path(get, path = "/api/v1/connections", operation_id = "listConnections", tag = "bridge",
    responses((status = 200, body = ConnectionList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn connections(State(state): State<AppState>, who: CurrentUser) -> Result<Json<ConnectionList>, AppError> {
    Ok(Json(ConnectionList { items: bridge::links(&state, &who).await?.iter().map(connection_view).collect() }))
}

/// Ends a link, from either side. Every share on it ends at once; the client's metrics key is
/// replaced.
#[utoipa::path(delete, path = "/api/v1/connections/{id}", operation_id = "endConnection", tag = "bridge", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn end_connection(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    bridge::end_link(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct SharingRequest {
    pub mood: bool,
    pub assessments: bool,
    /// Goal titles and progress (not check-in notes). Default off.
    #[serde(default)]
    pub goals: bool,
}

/// Chooses whether this therapist sees your mood check-ins, questionnaires and goal progress.
#[utoipa::path(put, path = "/api/v1/connections/{id}/metrics", operation_id = "updateConnectionSharing", tag = "bridge", params(("id" = String, Path)), request_body = SharingRequest,
    responses((status = 200, body = ConnectionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn set_sharing(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SharingRequest>,
) -> Result<Json<ConnectionView>, AppError> {
    let link = bridge::set_sharing(
        &state,
        &who,
        &id,
        Sharing { mood: req.mood, assessments: req.assessments, goals: req.goals },
    )
    .await?;
    Ok(Json(connection_view(&link)))
}

#[derive(Deserialize, ToSchema)]
pub struct ShareRequest {
    pub connection_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ShareView {
    pub entry_id: String,
    pub connection_id: String,
}

/// Shares one entry (or thought record) with one linked therapist.
#[utoipa::path(post, path = "/api/v1/entries/{id}/shares", operation_id = "shareEntry", tag = "bridge", params(("id" = String, Path)), request_body = ShareRequest,
    responses((status = 201, body = ShareView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn share(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ShareRequest>,
) -> Result<(StatusCode, Json<ShareView>), AppError> {
    bridge::share_entry(&state, &who, &id, &req.connection_id).await?;
    Ok((StatusCode::CREATED, Json(ShareView { entry_id: id, connection_id: req.connection_id })))
}

/// Stops sharing one entry with one therapist.
#[utoipa::path(delete, path = "/api/v1/entries/{id}/shares/{connection_id}", operation_id = "unshareEntry", tag = "bridge",
    params(("id" = String, Path), ("connection_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn unshare(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((id, connection_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    bridge::unshare_entry(&state, &who, &id, &connection_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ScoreView {
    pub instrument: String,
    pub total: u8,
    pub severity: String,
    pub delta: Option<i16>,
    pub reliable: bool,
    pub direction: String,
    pub date: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseloadView {
    pub client: PersonView,
    pub linked_at: String,
    pub shared_entries: usize,
    pub last_activity: Option<String>,
    /// Nothing shared for 14 days.
    pub inactive: bool,
    /// Average mood per day (`YYYY-MM-DD`, 1–5) over 30 days, when mood is shared.
    pub mood_30_days: Option<Vec<(String, f64)>>,
    /// Latest PHQ-9 and GAD-7, when questionnaires are shared.
    pub latest: Vec<ScoreView>,
    /// The day of a shared PHQ-9 in the last 30 days with item 9 above 0, if any.
    pub self_harm_flag: Option<String>,
    /// The newest shared result calling for attention that you have not marked seen: a reliable
    /// deterioration (PHQ-9 6 points up, GAD-7 4 up, WHO-5 10 down) or PHQ-9 item 9 newly above
    /// 0. Clients with one come first.
    pub alert: Option<AlertView>,
    pub share_mood: bool,
    pub share_assessments: bool,
    pub share_goals: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AlertView {
    /// `PHQ-9`, `GAD-7` or `WHO-5`
    pub instrument: String,
    /// `reliable_deterioration` or `self_harm_newly_positive`
    pub kind: String,
    pub reason: String,
    /// `YYYY-MM-DD` of the result that raised it.
    pub date: String,
    /// Alerts not yet seen, this one included.
    pub unseen: usize,
}

/// Marks a client's alerts seen (therapists only); the client stays in place until a newer
/// shared result raises another. 404 unless the client is linked and shares questionnaires.
#[utoipa::path(post, path = "/api/v1/clients/{client_id}/alerts/seen", operation_id = "markClientAlertsSeen", tag = "bridge", params(("client_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn mark_alerts_seen(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
) -> Result<StatusCode, AppError> {
    bridge::mark_alerts_seen(&state, &who, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your caseload (therapists only): each client with last activity, mood and scores, if shared.
#[utoipa::path(get, path = "/api/v1/clients", operation_id = "listClients", tag = "bridge",
    responses((status = 200, body = Vec<CaseloadView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn clients(State(state): State<AppState>, who: CurrentUser) -> Result<Json<Vec<CaseloadView>>, AppError> {
    let rows = bridge::caseload(&state, &who).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| CaseloadView {
                client: PersonView { id: r.client_id, name: r.name },
                linked_at: rfc3339(r.linked_at),
                shared_entries: r.shared_entries,
                last_activity: r.last_activity.map(rfc3339),
                inactive: r.inactive,
                mood_30_days: r.mood_30.map(|m| {
                    m.into_iter()
                        .map(|(d, v)| (rfc3339(d * 86_400)[..10].to_owned(), (v * 100.0).round() / 100.0))
                        .collect()
                }),
                latest: r
                    .latest
                    .into_iter()
                    .map(|s| ScoreView {
                        instrument: s.instrument.to_owned(),
                        total: s.total,
                        severity: s.severity,
                        delta: s.delta,
                        reliable: s.reliable,
                        direction: s.direction.to_owned(),
                        date: s.date,
                    })
                    .collect(),
                self_harm_flag: r.self_harm_flag,
                alert: r.alert.map(|a| AlertView {
                    instrument: a.instrument.to_owned(),
                    kind: a.kind.to_owned(),
                    reason: a.reason,
                    date: a.date,
                    unseen: a.unseen,
                }),
                share_mood: r.sharing.mood,
                share_assessments: r.sharing.assessments,
                share_goals: r.sharing.goals,
            })
            .collect(),
    ))
}

// Not `EntryList`: that name is taken by `GET /entries` (with a cursor), and utoipa keeps only one
// schema per name.
#[derive(Serialize, ToSchema)]
pub struct SharedEntryList {
    pub items: Vec<EntryView>,
}

/// A client's entries shared with you, newest first (each read goes into their access log).
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/entries", operation_id = "listClientEntries", tag = "bridge", params(("client_id" = String, Path)),
    responses((status = 200, body = SharedEntryList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_entries(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
) -> Result<Json<SharedEntryList>, AppError> {
    let (_, entries) = bridge::client_entries(&state, &who, &client_id).await?;
    // The whole of each entry is sent, so each is a read.
    for e in &entries {
        bridge::log_read(&state, &who, &client_id, "entry", &e.id, "").await?;
    }
    Ok(Json(SharedEntryList { items: entries.into_iter().map(|e| EntryView::new(e, false)).collect() }))
}

/// One shared entry; 404 unless it is shared with you.
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/entries/{entry_id}", operation_id = "getClientEntry", tag = "bridge",
    params(("client_id" = String, Path), ("entry_id" = String, Path)),
    responses((status = 200, body = EntryView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_entry(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((client_id, entry_id)): Path<(String, String)>,
) -> Result<Json<EntryView>, AppError> {
    let (_, e, _) = bridge::client_entry(&state, &who, &client_id, &entry_id).await?;
    Ok(Json(EntryView::new(e, true)))
}

#[derive(Serialize, ToSchema)]
pub struct SharedMood {
    pub at: String,
    pub score: u8,
    pub emotions: Vec<String>,
    pub sleep_hours: Option<f32>,
    pub activities: Vec<String>,
    pub note: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysParam {
    /// How many days back (1–3660, default 90).
    pub days: Option<i64>,
}

/// A client's mood check-ins, if they share them; 404 otherwise.
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/moods", operation_id = "listClientMoods", tag = "bridge", params(("client_id" = String, Path), DaysParam),
    responses((status = 200, body = Vec<SharedMood>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_moods(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
    ApiQuery(p): ApiQuery<DaysParam>,
) -> Result<Json<Vec<SharedMood>>, AppError> {
    let days = p.days.unwrap_or(90);
    if !(1..=3660).contains(&days) {
        return Err(AppError::invalid("days", "days must be between 1 and 3660."));
    }
    let moods = bridge::client_moods(&state, &who, &client_id, bridge::since(days)).await?;
    Ok(Json(
        moods
            .into_iter()
            .map(|m| SharedMood {
                at: rfc3339(m.at),
                score: m.content.score,
                emotions: m.content.emotions,
                sleep_hours: m.content.sleep_hours,
                activities: m.content.activities,
                note: m.content.note,
            })
            .collect(),
    ))
}

/// A client's questionnaire results with changes, if they share them; 404 otherwise.
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/assessments", operation_id = "listClientAssessments", tag = "bridge", params(("client_id" = String, Path)),
    responses((status = 200, body = crate::api::assessments::AssessmentList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_assessments(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
) -> Result<Json<crate::api::assessments::AssessmentList>, AppError> {
    let all = bridge::client_assessments(&state, &who, &client_id).await?;
    Ok(Json(crate::api::assessments::history_view(&all)))
}

#[derive(Deserialize, ToSchema)]
pub struct CommentRequest {
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: String,
    pub author: PersonView,
    /// Written by the one asking.
    pub mine: bool,
    pub created_at: String,
    pub body: String,
}

fn comment_view(c: Comment) -> CommentView {
    CommentView {
        id: c.id,
        author: PersonView { id: c.author_id, name: c.author_name },
        mine: c.mine,
        created_at: rfc3339(c.created_at),
        body: c.body,
    }
}

/// Comments on an entry shared with you (therapist); encrypted under the entry's key.
#[utoipa::path(post, path = "/api/v1/clients/{client_id}/entries/{entry_id}/comments", operation_id = "createClientEntryComment", tag = "bridge",
    params(("client_id" = String, Path), ("entry_id" = String, Path)), request_body = CommentRequest,
    responses((status = 201, body = CommentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn therapist_comment(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((client_id, entry_id)): Path<(String, String)>,
    ApiJson(req): ApiJson<CommentRequest>,
) -> Result<(StatusCode, Json<CommentView>), AppError> {
    let c = bridge::therapist_comment(&state, &who, &client_id, &entry_id, &req.body).await?;
    Ok((StatusCode::CREATED, Json(comment_view(c))))
}

/// The comments on a shared entry (therapist).
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/entries/{entry_id}/comments", operation_id = "listClientEntryComments", tag = "bridge",
    params(("client_id" = String, Path), ("entry_id" = String, Path)),
    responses((status = 200, body = Vec<CommentView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn therapist_comments(
    State(state): State<AppState>,
    who: CurrentUser,
    Path((client_id, entry_id)): Path<(String, String)>,
) -> Result<Json<Vec<CommentView>>, AppError> {
    Ok(Json(
        bridge::therapist_comments(&state, &who, &client_id, &entry_id).await?.into_iter().map(comment_view).collect(),
    ))
}

/// The comments on one of your entries.
#[utoipa::path(get, path = "/api/v1/entries/{id}/comments", operation_id = "listEntryComments", tag = "bridge", params(("id" = String, Path)),
    responses((status = 200, body = Vec<CommentView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn own_comments(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CommentView>>, AppError> {
    Ok(Json(bridge::own_comments(&state, &who, &id).await?.into_iter().map(comment_view).collect()))
}

/// Replies on one of your entries.
#[utoipa::path(post, path = "/api/v1/entries/{id}/comments", operation_id = "createEntryComment", tag = "bridge", params(("id" = String, Path)), request_body = CommentRequest,
    responses((status = 201, body = CommentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn reply(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CommentRequest>,
) -> Result<(StatusCode, Json<CommentView>), AppError> {
    Ok((StatusCode::CREATED, Json(comment_view(bridge::reply(&state, &who, &id, &req.body).await?))))
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    pub prompt_text: String,
    /// `YYYY-MM-DD`
    pub due_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: String,
    /// Use as `prompt_id` when writing the answer.
    pub prompt_id: String,
    pub connection_id: String,
    pub prompt_text: String,
    pub due_date: Option<String>,
    pub created_at: String,
    pub from: String,
    pub answered: bool,
    pub answered_at: Option<String>,
    /// The answering entry; the therapist can open it only if it is shared with them.
    pub answer_entry_id: Option<String>,
}

pub(crate) fn assignment_view(h: Homework) -> AssignmentView {
    AssignmentView {
        prompt_id: format!("hw-{}", h.id),
        id: h.id,
        connection_id: h.connection_id,
        prompt_text: h.text,
        due_date: h.due_date,
        created_at: rfc3339(h.created_at),
        from: h.therapist_name,
        answered: h.answered_at.is_some(),
        answered_at: h.answered_at.map(rfc3339),
        answer_entry_id: h.answer_entry_id,
    }
}

/// Assigns a prompt as homework; it comes first in the client's prompts, "From your therapist".
#[utoipa::path(post, path = "/api/v1/clients/{client_id}/assignments", operation_id = "createClientAssignment", tag = "bridge", params(("client_id" = String, Path)), request_body = AssignRequest,
    responses((status = 201, body = AssignmentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> Result<(StatusCode, Json<AssignmentView>), AppError> {
    let h = bridge::assign(&state, &who, &client_id, &req.prompt_text, req.due_date.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(assignment_view(h))))
}

/// Homework you gave this client, and whether it was answered.
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/assignments", operation_id = "listClientAssignments", tag = "bridge", params(("client_id" = String, Path)),
    responses((status = 200, body = Vec<AssignmentView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_assignments(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
) -> Result<Json<Vec<AssignmentView>>, AppError> {
    Ok(Json(bridge::client_homework(&state, &who, &client_id).await?.into_iter().map(assignment_view).collect()))
}

/// Your homework from every linked therapist.
#[utoipa::path(get, path = "/api/v1/assignments", operation_id = "listAssignments", tag = "bridge",
    responses((status = 200, body = Vec<AssignmentView>), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn my_assignments(
    State(state): State<AppState>,
    who: CurrentUser,
) -> Result<Json<Vec<AssignmentView>>, AppError> {
    Ok(Json(bridge::my_homework(&state, &who).await?.into_iter().map(assignment_view).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct AccessView {
    pub seq: i64,
    /// The therapist who read, or with whom something was shared or a link ended; `id` and
    /// `name` are empty for events without a therapist (an export, a sign-in, …).
    pub therapist: PersonView,
    /// `entry`, `entry_list` (the titles on the therapist's client page), `moods`,
    /// `assessments`, `goals`, `connection`, `account`, `export`, `import`, `session` or
    /// `api_token`.
    pub item_kind: String,
    pub item_id: String,
    /// When (UTC). With `grouped=true`, the newest of the group.
    pub at: String,
    /// Hex of this row's chain value (an HMAC under the server key; SHA-256 for rows written
    /// before the key existed), which the next row builds on.
    pub hash: String,
    /// `read`, `shared`, `unshared`, `link_ended`, `exported`, `imported`, `password_changed`,
    /// `recovered`, `signed_in`, `token_created` or `admin_reset`.
    pub event: String,
    /// Who did it: `therapist`, `owner` (you) or `administrator`.
    pub actor: String,
    /// Metadata: the export format (`json`, `markdown`, `fhir`, `+age` when locked with a
    /// passphrase), import counts, the number of titles a list showed, `browser` or `api`.
    pub detail: String,
    /// The entry's title, decrypted for you (it is never stored with the log).
    pub item_title: Option<String>,
    /// `at` in your time zone, with its offset.
    pub local_at: String,
    /// How many rows this item stands for (1 unless `grouped=true`).
    pub count: usize,
    /// The oldest of the group, UTC (equal to `at` unless `grouped=true`).
    pub first_at: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogParams {
    /// `true`: the same event on the same item by the same person on one day comes as one item
    /// with a `count`.
    #[serde(default)]
    pub grouped: bool,
}

/// Everything that happened to your data, newest first: every read by a therapist, what you
/// shared and stopped sharing, ended links, exports, imports, sign-ins, new API tokens,
/// password changes, recovery and an administrator's reset.
#[utoipa::path(get, path = "/api/v1/access-log", operation_id = "listAccessLog", tag = "bridge", params(AccessLogParams),
    responses((status = 200, body = Vec<AccessView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn access_log(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<AccessLogParams>,
) -> Result<Json<Vec<AccessView>>, AppError> {
    let shown = journal_app::accounts::access_log::for_owner(&state, &who, p.grouped).await?;
    let tz = who.unlocked.user().time_zone.clone();
    Ok(Json(
        shown
            .into_iter()
            .map(|s| AccessView {
                seq: s.row.seq,
                therapist: PersonView { id: s.row.therapist_id, name: s.row.therapist_name },
                item_kind: s.row.item_kind,
                item_id: s.row.item_id,
                at: rfc3339(s.row.at),
                hash: s.row.hash.iter().map(|b| format!("{b:02x}")).collect(),
                event: s.row.event,
                actor: s.row.actor,
                detail: s.row.detail,
                item_title: s.title,
                local_at: journal_app::accounts::access_log::local_rfc3339(s.row.at, &tz),
                count: s.count,
                first_at: rfc3339(s.first_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// `YYYY-MM-DD` (default: 13 days before `to`).
    pub from: Option<String>,
    /// `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
    /// Clients: which link's view to preview.
    pub connection_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryView {
    pub client: String,
    pub therapist: String,
    pub from: String,
    pub to: String,
    pub entries: Vec<EntryView>,
    /// Null when mood isn't shared: `{count, average, previous_average, trend}`.
    #[schema(value_type = Option<Object>)]
    pub mood: Option<serde_json::Value>,
    pub assessments: Option<Vec<ScoreView>>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub goals: Option<Vec<bridge::GoalDigest>>,
    pub homework: Vec<AssignmentView>,
}

fn summary_view(s: journal_app::bridge::summary::Summary) -> SummaryView {
    SummaryView {
        client: s.client_name,
        therapist: s.therapist_name,
        from: s.from.to_string(),
        to: s.to.to_string(),
        entries: s.entries.into_iter().map(|e| EntryView::new(e, false)).collect(),
        mood: s.mood.map(|m| {
            serde_json::json!({"count": m.count, "average": m.average, "previous_average": m.previous_average, "trend": m.trend})
        }),
        assessments: s.assessments.map(|l| {
            l.into_iter()
                .map(|a| ScoreView {
                    instrument: a.instrument.to_owned(),
                    total: a.total,
                    severity: a.severity,
                    delta: a.delta,
                    reliable: a.reliable,
                    direction: a.direction.to_owned(),
                    date: a.date,
                })
                .collect()
        }),
        goals: s.goals,
        homework: s.homework.into_iter().map(assignment_view).collect(),
    }
}

/// "Since last session" for one client (therapist).
#[utoipa::path(get, path = "/api/v1/clients/{client_id}/summary", operation_id = "getClientSummary", tag = "bridge", params(("client_id" = String, Path), SummaryParams),
    responses((status = 200, body = SummaryView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn client_summary(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(client_id): Path<String>,
    ApiQuery(p): ApiQuery<SummaryParams>,
) -> Result<Json<SummaryView>, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&who, p.from.as_deref(), p.to.as_deref())?;
    Ok(Json(summary_view(journal_app::bridge::summary::for_therapist(&state, &who, &client_id, from, to).await?)))
}

/// Your preview of what one linked therapist sees for a date range (clients).
#[utoipa::path(get, path = "/api/v1/summary", operation_id = "getSummary", tag = "bridge", params(SummaryParams),
    responses((status = 200, body = SummaryView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn my_summary(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<SummaryParams>,
) -> Result<Json<SummaryView>, AppError> {
    let (from, to) = journal_app::bridge::summary::range(&who, p.from.as_deref(), p.to.as_deref())?;
    let id =
        p.connection_id.ok_or_else(|| AppError::invalid("connection_id", "Choose which therapist's view to see."))?;
    Ok(Json(summary_view(journal_app::bridge::summary::for_client(&state, &who, &id, from, to).await?)))
}
