//! Journal entries, search and autosaved drafts: `/api/v1/entries`, `/api/v1/search`,
//! `/api/v1/drafts/{key}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use journal_core::entries::Entry;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::damaged::DamagedItem;
use journal_app::journal::{self, Draft, EntryInput, ListQuery};

#[derive(Deserialize, ToSchema)]
pub struct EntryRequest {
    /// Up to 200 characters.
    pub title: Option<String>,
    /// Markdown, up to 100,000 characters.
    pub body: String,
    /// Up to 20 short tags; `#` and case are ignored.
    pub tags: Option<Vec<String>>,
    /// `YYYY-MM-DD`; today in your time zone when left out.
    pub entry_date: Option<String>,
    pub prompt_id: Option<String>,
    /// 1 (very low) to 5 (very good).
    pub mood: Option<i64>,
}

impl From<EntryRequest> for EntryInput {
    fn from(r: EntryRequest) -> Self {
        EntryInput {
            title: r.title,
            body: r.body,
            tags: r.tags.unwrap_or_default(),
            entry_date: r.entry_date,
            prompt_id: r.prompt_id,
            mood: r.mood,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Sanitised HTML of the Markdown body (single-entry responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    pub tags: Vec<String>,
    pub entry_date: String,
    pub mood: Option<u8>,
    pub prompt_id: Option<String>,
    /// `entry`, or `thought_record` for one from the challenge log (see `/api/v1/thought-records`).
    pub kind: &'static str,
    pub created_at: String,
    pub updated_at: String,
    /// Connection ids this entry is shared with.
    pub shared_with: Vec<String>,
}

impl EntryView {
    pub fn new(e: Entry, with_html: bool) -> Self {
        let body_html = with_html.then(|| crate::markdown::render(&e.content.body));
        EntryView {
            id: e.id,
            title: e.content.title,
            body: e.content.body,
            body_html,
            tags: e.content.tags,
            entry_date: e.entry_date,
            mood: e.content.mood,
            prompt_id: e.content.prompt_id,
            kind: if e.content.thought_record.is_some() { "thought_record" } else { "entry" },
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
            shared_with: Vec::new(),
        }
    }

    /// Fills `shared_with` from the owner's shares (entry id → link ids).
    pub fn shared(mut self, shares: &mut std::collections::HashMap<String, Vec<String>>) -> Self {
        self.shared_with = shares.remove(&self.id).unwrap_or_default();
        self
    }
}

/// Writes a new entry.
#[utoipa::path(post, path = "/api/v1/entries", operation_id = "createEntry", tag = "journal", request_body = EntryRequest,
    responses((status = 201, body = EntryView), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn create_entry(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<(StatusCode, Json<EntryView>), AppError> {
    let entry = journal::create(&state, &who, &req.into()).await?;
    Ok((StatusCode::CREATED, Json(EntryView::new(entry, true))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
    pub tag: Option<String>,
    /// Earliest `entry_date`, inclusive.
    pub from: Option<String>,
    /// Latest `entry_date`, inclusive.
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryList {
    pub items: Vec<EntryView>,
    pub next_cursor: Option<String>,
    /// Entries of this page that can't be opened (damaged), left out of `items`. Absent when
    /// there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::api::schema::DamagedItem>)]
    pub damaged: Vec<DamagedItem>,
}

/// Lists entries, newest `entry_date` first.
#[utoipa::path(get, path = "/api/v1/entries", operation_id = "listEntries", tag = "journal", params(ListParams),
    responses((status = 200, body = EntryList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list_entries(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<EntryList>, AppError> {
    let q = ListQuery { limit: p.limit, cursor: p.cursor, tag: p.tag, from: p.from, to: p.to };
    let page = journal::list(&state, &who, &q).await?;
    let mut shares = journal_app::bridge::shares_by_entry(&state, &who).await?;
    Ok(Json(EntryList {
        items: page.entries.into_iter().map(|e| EntryView::new(e, false).shared(&mut shares)).collect(),
        next_cursor: page.next_cursor,
        damaged: page.damaged,
    }))
}

/// Reads one entry, with its body rendered to sanitised HTML.
#[utoipa::path(get, path = "/api/v1/entries/{id}", operation_id = "getEntry", tag = "journal", params(("id" = String, Path)),
    responses((status = 200, body = EntryView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "`item_damaged`: the entry can't be opened", body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_entry(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EntryView>, AppError> {
    let mut shares = journal_app::bridge::shares_by_entry(&state, &who).await?;
    Ok(Json(EntryView::new(journal::get(&state, &who, &id).await?, true).shared(&mut shares)))
}

/// Replaces an entry's title, body, tags, date, mood and prompt.
#[utoipa::path(put, path = "/api/v1/entries/{id}", operation_id = "updateEntry", tag = "journal", params(("id" = String, Path)),
    request_body = EntryRequest,
    responses((status = 200, body = EntryView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn update_entry(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<Json<EntryView>, AppError> {
    let entry = journal::update(&state, &who, &id, &req.into()).await?;
    let mut shares = journal_app::bridge::shares_by_entry(&state, &who).await?;
    Ok(Json(EntryView::new(entry, true).shared(&mut shares)))
}

/// Deletes an entry for good.
#[utoipa::path(delete, path = "/api/v1/entries/{id}", operation_id = "deleteEntry", tag = "journal", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete_entry(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    journal::delete(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to look for; other forms of a word match too ("walking" finds "walked").
    pub q: String,
    /// 1–200, default 20.
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    pub entry: EntryView,
    /// BM25 relevance; higher is better.
    pub score: f32,
    /// HTML: text around the first match, escaped, with matching words in `<mark>`.
    pub snippet: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    /// Entries that can't be opened (damaged), so they could not be searched. Absent when there
    /// are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::api::schema::DamagedItem>)]
    pub damaged: Vec<DamagedItem>,
}

/// Searches your entries, best match first. The index lives only in memory.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "searchEntries", tag = "journal", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchResults>, AppError> {
    let found = journal::search(&state, &who, &p.q, p.limit.unwrap_or(20)).await?;
    let items = found
        .hits
        .into_iter()
        .map(|h| SearchHit { entry: EntryView::new(h.entry, false), score: h.score, snippet: h.snippet })
        .collect();
    Ok(Json(SearchResults { items, damaged: found.damaged }))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct DraftBody {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// Comma-separated, as typed.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub entry_date: String,
    pub mood: Option<u8>,
    pub prompt_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftView {
    #[serde(flatten)]
    pub draft: DraftBody,
    pub saved_at: String,
}

fn to_draft(b: DraftBody) -> Draft {
    Draft { title: b.title, body: b.body, tags: b.tags, entry_date: b.entry_date, mood: b.mood, prompt_id: b.prompt_id }
}

fn from_draft(d: Draft) -> DraftBody {
    DraftBody {
        title: d.title,
        body: d.body,
        tags: d.tags,
        entry_date: d.entry_date,
        mood: d.mood,
        prompt_id: d.prompt_id,
    }
}

/// Autosaves unsent writing (`key` is `new` or the id of the entry being edited). Encrypted.
#[utoipa::path(put, path = "/api/v1/drafts/{key}", operation_id = "saveDraft", tag = "journal", params(("key" = String, Path)),
    request_body = DraftBody,
    responses((status = 200, body = DraftView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn save_draft(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<DraftBody>,
) -> Result<Json<DraftView>, AppError> {
    let draft = to_draft(body);
    let at = journal::save_draft(&state, &who, &key, &draft).await?;
    Ok(Json(DraftView { draft: from_draft(draft), saved_at: rfc3339(at) }))
}

/// The autosaved draft, if there is one.
#[utoipa::path(get, path = "/api/v1/drafts/{key}", operation_id = "getDraft", tag = "journal", params(("key" = String, Path)),
    responses((status = 200, body = DraftView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_draft(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<DraftView>, AppError> {
    let (draft, at) = journal::load_draft(&state, &who, &key).await?.ok_or_else(AppError::not_found)?;
    Ok(Json(DraftView { draft: from_draft(draft), saved_at: rfc3339(at) }))
}

/// Throws the draft away.
#[utoipa::path(delete, path = "/api/v1/drafts/{key}", operation_id = "discardDraft", tag = "journal", params(("key" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn discard_draft(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(key): Path<String>,
) -> Result<StatusCode, AppError> {
    journal::discard_draft(&state, &who, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
