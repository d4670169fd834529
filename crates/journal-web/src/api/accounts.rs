//! Accounts: `/api/v1/auth/*`, `/api/v1/session`, `/api/v1/account/*`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use journal_core::SessionKind;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json::{ApiJson, ApiQuery};
use crate::api::views::UserView;
use crate::auth::CurrentUser;
use crate::auth::client_ip::ClientIp;
use crate::auth::cookie::{clear_session_cookie, session_cookie};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::accounts::{self as ops, RegisterInput};

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub display_name: String,
    /// `client` or `therapist`
    pub role: String,
    /// IANA time zone, e.g. `Europe/London`; decides what "today" means. Default `UTC`.
    pub time_zone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    pub user: UserView,
    /// Shown once. With it, and only with it, a forgotten password can be replaced without
    /// losing the journal.
    pub recovery_code: String,
}

/// Creates an account (when the operator allows sign-up).
#[utoipa::path(post, path = "/api/v1/auth/register", operation_id = "registerAccount", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse), (status = 403, body = ErrorBody, description = "sign-up is closed"),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), AppError> {
    let input = RegisterInput {
        email: &req.email,
        password: &req.password,
        display_name: &req.display_name,
        role: &req.role,
        time_zone: req.time_zone.as_deref(),
    };
    let account = ops::register(&state, &ip, input).await?;
    let body = RegisterResponse { user: UserView::from(&account.user), recovery_code: account.recovery_code.display() };
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserView,
}

/// Signs in and sets the session cookie (a new token at every login).
///
/// Also sets the device cookie, which lets this browser past the per-address and per-account
/// sign-in limits next time.
#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "logIn", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, headers(("set-cookie" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "account disabled"),
        (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let device = crate::auth::device::presented(&state, &headers);
    let (user, token) = ops::login(&state, &ip, &req.email, &req.password, device).await?;
    let mut res = Json(LoginResponse { user: UserView::from(&user) }).into_response();
    res.headers_mut().insert(header::SET_COOKIE, session_cookie(&state.config, &token.encode()));
    res.headers_mut().append(header::SET_COOKIE, crate::auth::device::issue(&state, &user.email).await?);
    Ok(res)
}

/// Ends this session (or revokes the bearer token used for the call).
#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "logOut", tag = "accounts",
    responses((status = 204), (status = 401, body = ErrorBody)), security(("session_cookie" = []), ("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, who: CurrentUser) -> Result<Response, AppError> {
    ops::logout(&state, &who).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_session_cookie(&state.config));
    Ok(res)
}

#[derive(Deserialize, ToSchema)]
pub struct RecoverRequest {
    pub email: String,
    pub recovery_code: String,
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecoverResponse {
    /// The new recovery code; the one just used no longer works.
    pub recovery_code: String,
}

/// Sets a new password with the recovery code. Every session ends; a new code is issued.
#[utoipa::path(post, path = "/api/v1/auth/recover", operation_id = "recoverAccount", tag = "accounts", request_body = RecoverRequest,
    responses((status = 200, body = RecoverResponse), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn recover(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<RecoverRequest>,
) -> Result<Json<RecoverResponse>, AppError> {
    let code = ops::recover(&state, &ip, &req.email, &req.recovery_code, &req.new_password).await?;
    Ok(Json(RecoverResponse { recovery_code: code.display() }))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    pub email: String,
    pub password: String,
    /// A label to recognise the token by, e.g. "backup script".
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreateTokenResponse {
    /// Send as `Authorization: Bearer TOKEN`. Shown once.
    pub token: String,
    pub id: String,
}

/// Creates a bearer token for scripts. It lasts until revoked or the password changes.
#[utoipa::path(post, path = "/api/v1/auth/tokens", operation_id = "createToken", tag = "accounts", request_body = CreateTokenRequest,
    responses((status = 201, body = CreateTokenResponse), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> Result<(StatusCode, Json<CreateTokenResponse>), AppError> {
    let (id, token) = ops::create_api_token(&state, &ip, &req.email, &req.password, &req.name).await?;
    Ok((StatusCode::CREATED, Json(CreateTokenResponse { token: token.encode(), id })))
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub created_at: String,
    /// Updated at most once a minute.
    pub last_used_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
    pub next_cursor: Option<String>,
}

/// Lists this account's API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/auth/tokens", operation_id = "listTokens", tag = "accounts",
    responses((status = 200, body = TokenList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list_tokens(State(state): State<AppState>, who: CurrentUser) -> Result<Json<TokenList>, AppError> {
    let sessions = ops::sessions(&state, &who).await?;
    let items = sessions
        .into_iter()
        .filter(|s| s.kind == SessionKind::Api)
        .map(|s| TokenView {
            id: s.id,
            name: s.name.unwrap_or_default(),
            created_at: rfc3339(s.created_at),
            last_used_at: rfc3339(s.last_seen_at),
        })
        .collect();
    Ok(Json(TokenList { items, next_cursor: None }))
}

/// Revokes one API token; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", operation_id = "revokeToken", tag = "accounts",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    ops::revoke_token(&state, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    pub user: UserView,
    /// Send as `X-CSRF-Token` on cookie-authenticated POST, PUT and DELETE requests.
    pub csrf_token: String,
}

/// Who is signed in, and the CSRF token for this session.
#[utoipa::path(get, path = "/api/v1/session", operation_id = "getSession", tag = "accounts",
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn session(who: CurrentUser) -> Json<SessionResponse> {
    Json(SessionResponse { user: UserView::from(who.unlocked.user()), csrf_token: who.csrf_token() })
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 10 characters.
    pub new_password: String,
}

/// Changes the password. Only the wrapped data key changes; every other session and API token ends.
#[utoipa::path(post, path = "/api/v1/account/password", operation_id = "changePassword", tag = "accounts", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, AppError> {
    ops::change_password(&state, &ip, &who, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    pub password: String,
}

/// Deletes the account and every row that belongs to it, keys included. There is no undo.
#[utoipa::path(delete, path = "/api/v1/account", operation_id = "deleteAccount", tag = "accounts", request_body = DeleteAccountRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn delete_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: CurrentUser,
    ApiJson(req): ApiJson<DeleteAccountRequest>,
) -> Result<Response, AppError> {
    ops::delete_account(&state, &ip, &who, &req.password).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, clear_session_cookie(&state.config));
    Ok(res)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Preferences {
    /// IANA time zone, e.g. `Europe/London`; decides what "today" means.
    pub time_zone: Option<String>,
    /// ISO 3166-1 alpha-2 code choosing which crisis lines come first; `""` shows every country's.
    /// Until one is chosen, the time zone suggests it where it names a single country.
    pub country: Option<String>,
    /// First day of the week for weekly goals and reviews: 1 = Monday … 7 = Sunday.
    pub week_start: Option<u8>,
}

fn preferences_of(u: &journal_core::UserRecord) -> Preferences {
    Preferences {
        time_zone: Some(u.time_zone.clone()),
        country: Some(u.country.clone().unwrap_or_default()),
        week_start: Some(u.week_start),
    }
}

/// Your time zone, country (for crisis lines) and first day of the week.
#[utoipa::path(get, path = "/api/v1/account/preferences", operation_id = "getPreferences", tag = "accounts",
    responses((status = 200, body = Preferences), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_preferences(who: CurrentUser) -> Json<Preferences> {
    Json(preferences_of(who.unlocked.user()))
}

/// Changes any of the preferences; fields left out stay as they are.
#[utoipa::path(put, path = "/api/v1/account/preferences", operation_id = "updatePreferences", tag = "accounts", request_body = Preferences,
    responses((status = 200, body = Preferences), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn put_preferences(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<Preferences>,
) -> Result<Json<Preferences>, AppError> {
    ops::update_preferences(&state, &who, req.time_zone.as_deref(), req.country.as_deref(), req.week_start).await?;
    let user = ops::current_record(&state, &who).await?;
    Ok(Json(preferences_of(&user)))
}

#[derive(Deserialize, ToSchema)]
pub struct ExportRequest {
    /// Your password, asked again because the export holds everything.
    pub password: String,
    /// `json` (the complete export) or `markdown` (a zip with one file per entry, YAML front
    /// matter for date, tags and mood).
    #[serde(default = "json_format")]
    pub format: String,
    /// Encrypts the file with this passphrase in the age format (`age -d` opens it). At least 10
    /// characters.
    pub passphrase: Option<String>,
}

fn json_format() -> String {
    "json".to_owned()
}

/// Everything you wrote or recorded as one JSON document (see `docs/export.schema.json`),
/// streamed as it is read.
#[utoipa::path(post, path = "/api/v1/account/export", operation_id = "exportAccount", tag = "accounts", request_body = ExportRequest,
    responses((status = 200, content_type = "application/json", description = "The export"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: CurrentUser,
    ApiJson(req): ApiJson<ExportRequest>,
) -> Result<Response, AppError> {
    if req.format != "json" && req.format != "markdown" {
        return Err(AppError::invalid("format", "Choose json or markdown."));
    }
    let passphrase = journal_app::portability::export::check_passphrase(req.passphrase.as_deref())?;
    ops::confirm_password(&state, &ip, &who, &req.password).await?;
    let download = journal_app::portability::export::download(state.app, who.unlocked, &req.format, passphrase).await?;
    Ok(crate::download::response(download))
}

/// Your questionnaire results as a FHIR R4 Bundle (QuestionnaireResponse and total-score
/// Observation resources with LOINC codes), for a clinic's records.
#[utoipa::path(get, path = "/api/v1/account/export/fhir", operation_id = "exportFhirBundle", tag = "accounts",
    responses((status = 200, content_type = "application/fhir+json", description = "A FHIR R4 Bundle"), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn export_fhir(State(state): State<AppState>, who: CurrentUser) -> Result<Response, AppError> {
    let key = journal_app::health::metrics_key::key(&state, &who).await?;
    let mut all = journal_app::health::assessments::history(&state, &who, &key, None).await?;
    all.reverse();
    let bundle = journal_core::fhir::bundle(who.id(), &all);
    journal_app::accounts::access_log::by_owner(
        &state,
        &who,
        journal_core::bridge::Event::Exported,
        "export",
        "assessments",
        "fhir",
    )
    .await?;
    let mut res = Json(bundle).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/fhir+json"));
    Ok(res)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `therapy-journal`, `dayone` (the export zip, or its Journal.json), `jrnl` (JSON export) or
    /// `daylio` (CSV backup).
    pub format: String,
    /// `true`: only read the file and answer with a preview; nothing is saved.
    #[serde(default)]
    pub dry_run: bool,
    /// Daylio only: mood labels to scores, e.g. `rad:5,good:4,meh:3,bad:2,awful:1,tired:2`.
    pub mood_map: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum ImportAnswer {
    Preview(journal_app::portability::import::Preview),
    Imported(journal_app::portability::import::Imported),
}

/// Imports a file (the request body, up to 50 MB). Try `dry_run=true` first for a preview. A
/// file with any problem imports nothing; importing the same file again adds nothing.
#[utoipa::path(post, path = "/api/v1/account/import", operation_id = "importAccount", tag = "accounts", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = crate::api::schema::Preview), (status = 201, body = crate::api::schema::Imported),
        (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<ImportAnswer>), AppError> {
    let bytes = axum::body::to_bytes(body, journal_core::import::MAX_FILE_BYTES)
        .await
        .map_err(|_| AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "Files up to 50 MB can be imported."))?;
    let (format, batch) = journal_app::portability::import::read(&who, &p.format, &bytes, p.mood_map.as_deref())?;
    if p.dry_run {
        let preview = journal_app::portability::import::preview(&state, &who, format, &batch).await?;
        return Ok((StatusCode::OK, Json(ImportAnswer::Preview(preview))));
    }
    let done = journal_app::portability::import::apply(&state, &who, batch).await?;
    Ok((StatusCode::CREATED, Json(ImportAnswer::Imported(done))))
}
