//! Pages for signing up, signing in and out, recovery, settings, the home page and the crisis page.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::SessionKind;
use journal_core::time_util::rfc3339;
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::safe_next;
use super::shell::{PageUser, Shell};
use crate::auth::client_ip::ClientIp;
use crate::auth::cookie::{self, clear_session_cookie, session_cookie};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::ServiceError;
use journal_app::accounts::{self as ops, RegisterInput};

fn with_cookie(mut res: Response, value: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, value);
    res
}

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage {
    shell: Shell,
    registration_open: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    greeting: &'static str,
    name: String,
    is_therapist: bool,
    recent: Vec<super::journal_pages::DayGroup>,
    memories: usize,
    prompts: Vec<journal_core::prompts::Suggestion>,
    celebrations: Vec<super::goal_pages::Celebration>,
    /// Questionnaires due under the person's schedules: (id, title, label).
    due: Vec<(&'static str, &'static str, String)>,
}

fn greeting(time_zone: &str) -> &'static str {
    match journal_core::dates::hour_in(time_zone) {
        5..=11 => "Good morning",
        12..=17 => "Good afternoon",
        _ => "Good evening",
    }
}

pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Result<Response, PageError> {
    let theme = cookie::theme(&headers);
    let Some(current) = user else {
        return Ok(render(&LandingPage {
            shell: Shell::anonymous("A private journal for between sessions", theme),
            registration_open: state.config.registration_open,
        }));
    };
    let user = PageUser { current, theme };
    if user.current.unlocked.user().role == journal_core::Role::Therapist {
        return super::bridge_pages::caseload_page(&state, &user, "Home").await;
    }
    let q = journal_app::journal::ListQuery { limit: Some(5), ..Default::default() };
    let recent = match journal_app::journal::list(&state, &user.current, &q).await {
        Ok(page) => super::journal_pages::group_by_day(&page.entries),
        Err(e) => return Err(PageError::new(e, theme)),
    };
    let today = journal_core::dates::today_in(&user.current.unlocked.user().time_zone);
    let memories = super::journal_pages::memories(&state, &user, today).await.map(|m| m.len()).unwrap_or(0);
    let prompts = journal_app::prompts::today(&state, &user.current).await.or_page(theme)?;
    let celebrations = match journal_app::goals::achievements::celebrate(&state, &user.current).await {
        Ok(c) => super::goal_pages::celebrations(c),
        Err(e) => return Err(PageError::new(e, theme)),
    };
    // A schedule that can't be read never keeps someone from their home page.
    let due = journal_app::health::schedules::due_now(&state, &user.current)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.instrument.as_str(), d.instrument.short_name(), d.label))
        .collect();
    Ok(render(&HomePage {
        due,
        celebrations,
        prompts,
        shell: Shell::for_user("Home", &user),
        greeting: greeting(&user.current.unlocked.user().time_zone),
        name: user.current.unlocked.user().display_name.clone(),
        is_therapist: user.current.unlocked.user().role == journal_core::Role::Therapist,
        recent,
        memories,
    }))
}

// ---------------------------------------------------------------- sign-up

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    shell: Shell,
    error: Option<AppError>,
    email: String,
    display_name: String,
    role: String,
    registration_open: bool,
}

#[derive(Template)]
#[template(path = "recovery_code.html")]
struct RecoveryCodePage {
    shell: Shell,
    code: String,
    heading: &'static str,
    continue_to: &'static str,
}

pub async fn register_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    render(&RegisterPage {
        shell: Shell::anonymous("Create your journal", cookie::theme(&headers)),
        error: None,
        email: String::new(),
        display_name: String::new(),
        role: "client".to_owned(),
        registration_open: state.config.registration_open,
    })
}

#[derive(Deserialize)]
pub struct RegisterForm {
    email: String,
    display_name: String,
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<RegisterForm>,
) -> Response {
    let theme = cookie::theme(&headers);
    let role = if form.role.is_empty() { "client" } else { form.role.as_str() };
    let input = RegisterInput {
        email: &form.email,
        password: &form.password,
        display_name: &form.display_name,
        role,
        time_zone: Some(form.time_zone.as_str()).filter(|t| !t.is_empty()),
    };
    let created = ops::register(&state, &ip, input).await.map_err(AppError::from);
    let account = match created {
        Ok(v) => v,
        Err(e) => {
            let status = e.status;
            let mut res = render(&RegisterPage {
                shell: Shell::anonymous("Create your journal", theme),
                error: Some(e),
                email: form.email,
                display_name: form.display_name,
                role: role.to_owned(),
                registration_open: state.config.registration_open,
            });
            *res.status_mut() = status;
            return res;
        }
    };
    // Sign the new person in right away; the recovery code is shown on this response only.
    let mut shell = Shell::anonymous("Your recovery code", theme);
    let mut res_cookie = None;
    if let Ok((_, token)) = ops::start_session(&state, &account.user, &account.dek, SessionKind::Browser, None).await {
        shell.user_name = Some(account.user.display_name.clone());
        shell.csrf = token.csrf_token();
        res_cookie = Some(session_cookie(&state.config, &token.encode()));
    }
    let mut res = render(&RecoveryCodePage {
        shell,
        code: account.recovery_code.display(),
        heading: "Welcome. Please keep this recovery code safe",
        continue_to: "/",
    });
    if let Some(c) = res_cookie {
        res = with_cookie(res, c);
        if let Ok(device) = crate::auth::device::issue(&state, &account.user.email).await {
            res = with_cookie(res, device);
        }
    }
    res
}

// ---------------------------------------------------------------- sign-in and out

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    error: Option<AppError>,
    notice: Option<&'static str>,
    email: String,
    next: String,
    registration_open: bool,
    /// Just signed out or deleted: the page tells the browser to drop what it kept offline.
    forget_device: bool,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    #[serde(default)]
    signed_out: bool,
    #[serde(default)]
    recovered: bool,
    #[serde(default)]
    deleted: bool,
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<LoginQuery>,
    MaybeUser(user): MaybeUser,
) -> Response {
    if user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let notice = if q.signed_out {
        Some("You're signed out. Take care of yourself.")
    } else if q.recovered {
        Some("Your new password is set. Please sign in with it.")
    } else if q.deleted {
        Some("Your account and everything in it has been deleted.")
    } else {
        None
    };
    let page = render(&LoginPage {
        shell: Shell::anonymous("Sign in", cookie::theme(&headers)),
        error: None,
        notice,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        forget_device: q.signed_out || q.deleted,
        registration_open: state.config.registration_open,
    });
    // Nobody is signed in, so any session cookie here is left from a session that ended.
    if cookie::find(&headers, state.config.session_cookie_name()).is_some() {
        return with_cookie(page, clear_session_cookie(&state.config));
    }
    page
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<LoginForm>,
) -> Response {
    let device = crate::auth::device::presented(&state, &headers);
    match ops::login(&state, &ip, &form.email, &form.password, device).await.map_err(AppError::from) {
        Ok((user, token)) => {
            let res = with_cookie(
                Redirect::to(&safe_next(form.next.as_deref())).into_response(),
                session_cookie(&state.config, &token.encode()),
            );
            match crate::auth::device::issue(&state, &user.email).await {
                Ok(device) => with_cookie(res, device),
                Err(e) => error_page(e, cookie::theme(&headers)),
            }
        }
        Err(e) => {
            let status = e.status;
            let retry = e.retry_after;
            let mut res = render(&LoginPage {
                shell: Shell::anonymous("Sign in", cookie::theme(&headers)),
                error: Some(e),
                notice: None,
                email: form.email,
                next: safe_next(form.next.as_deref()),
                registration_open: state.config.registration_open,
                forget_device: false,
            });
            *res.status_mut() = status;
            if let Some(v) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

pub async fn logout(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    if let Some(user) = user
        && let Err(e) = ops::logout(&state, &user).await
    {
        return Err(PageError::new(e, "system"));
    }
    Ok(with_cookie(Redirect::to("/login?signed_out=true").into_response(), clear_session_cookie(&state.config)))
}

// ---------------------------------------------------------------- recovery

#[derive(Template)]
#[template(path = "recover.html")]
struct RecoverPage {
    shell: Shell,
    error: Option<AppError>,
    email: String,
}

pub async fn recover_form(headers: HeaderMap) -> Response {
    render(&RecoverPage {
        shell: Shell::anonymous("Use your recovery code", cookie::theme(&headers)),
        error: None,
        email: String::new(),
    })
}

#[derive(Deserialize)]
pub struct RecoverForm {
    email: String,
    recovery_code: String,
    new_password: String,
}

pub async fn recover(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<RecoverForm>,
) -> Response {
    let theme = cookie::theme(&headers);
    match ops::recover(&state, &ip, &form.email, &form.recovery_code, &form.new_password).await.map_err(AppError::from)
    {
        Ok(code) => render(&RecoveryCodePage {
            shell: Shell::anonymous("Your new recovery code", theme),
            code: code.display(),
            heading: "Your password is changed. Here is your new recovery code",
            continue_to: "/login?recovered=true",
        }),
        Err(e) => {
            let status = e.status;
            let mut res = render(&RecoverPage {
                shell: Shell::anonymous("Use your recovery code", theme),
                error: Some(e),
                email: form.email,
            });
            *res.status_mut() = status;
            res
        }
    }
}

// ---------------------------------------------------------------- settings

struct TokenRow {
    id: String,
    name: String,
    created_at: String,
    last_used_at: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    shell: Shell,
    /// `index`, `profile` or `security`: which of the settings pages this is.
    section: &'static str,
    email: String,
    role: &'static str,
    tokens: Vec<TokenRow>,
    other_sessions: usize,
    notice: Option<String>,
    error: Option<AppError>,
    error_form: &'static str,
    new_token: Option<String>,
    theme_choice: &'static str,
    time_zone: String,
    country: String,
    /// The country's name when it is guessed from the time zone, not chosen.
    country_guessed: Option<&'static str>,
    countries: &'static [(&'static str, &'static str)],
    week_start: u8,
    /// The operator named the app "Journal" for everyone; no choice to offer.
    neutral_for_everyone: bool,
}

const WEEKDAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl SettingsPage {
    fn weekdays(&self) -> impl Iterator<Item = (u8, &'static str)> {
        (1u8..).zip(WEEKDAY_NAMES)
    }

    fn is_country(&self, code: &str) -> bool {
        self.country == code
    }
}

/// Which settings page shows a form's outcome.
fn section_of(form: &str) -> &'static str {
    match form {
        "theme" | "time_zone" | "preferences" => "profile",
        "token" => "devices",
        "" => "index",
        _ => "security",
    }
}

async fn settings_page(
    state: &AppState,
    user: &PageUser,
    section: &'static str,
    notice: Option<String>,
    error: Option<(AppError, &'static str)>,
    new_token: Option<String>,
) -> Result<Response, PageError> {
    let sessions = ops::sessions(state, &user.current).await.or_page(user.theme)?;
    let this = user.current.unlocked.session_id();
    let other_sessions =
        sessions.iter().filter(|s| s.kind == SessionKind::Browser && Some(s.id.as_str()) != this).count();
    let tokens = sessions
        .into_iter()
        .filter(|s| s.kind == SessionKind::Api)
        .map(|s| TokenRow {
            id: s.id,
            name: s.name.unwrap_or_default(),
            created_at: rfc3339(s.created_at)[..10].to_owned(),
            last_used_at: rfc3339(s.last_seen_at)[..10].to_owned(),
        })
        .collect();
    let status = error.as_ref().map(|(e, _)| e.status);
    let (error, error_form) = match error {
        Some((e, form)) => (Some(e), form),
        None => (None, ""),
    };
    let title = match section {
        "profile" => "Profile and preferences",
        "security" => "Security",
        "devices" => "Devices",
        _ => "Settings",
    };
    let mut res = render(&SettingsPage {
        shell: Shell::for_user(title, user),
        section,
        email: user.current.unlocked.user().email.clone(),
        role: user.current.unlocked.user().role.as_str(),
        tokens,
        other_sessions,
        notice,
        error,
        error_form,
        new_token,
        theme_choice: user.theme,
        time_zone: user.current.unlocked.user().time_zone.clone(),
        country: ops::country_of(user.current.unlocked.user()).map(|(c, _)| c.to_owned()).unwrap_or_default(),
        country_guessed: ops::country_of(user.current.unlocked.user())
            .filter(|(_, guessed)| *guessed)
            .and_then(|(c, _)| journal_core::crisis::country_name(c)),
        countries: journal_core::crisis::COUNTRIES,
        week_start: user.current.unlocked.user().week_start,
        neutral_for_everyone: state.config.neutral_app_name,
    });
    if let Some(status) = status {
        *res.status_mut() = status;
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    notice: Option<String>,
}

pub async fn settings(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Response {
    settings_page(&state, &user, "index", notice_of(q.notice.as_deref()), None, None).await.into_response()
}

fn notice_of(notice: Option<&str>) -> Option<String> {
    match notice {
        Some("password") => Some("Your password is changed. Other devices have been signed out.".to_owned()),
        Some("token-revoked") => Some("That token no longer works.".to_owned()),
        Some("signed-out-elsewhere") => Some("You're now signed out everywhere else.".to_owned()),
        Some("theme") => Some("Your theme is saved on this device.".to_owned()),
        Some("time-zone") => Some("Your time zone is saved.".to_owned()),
        Some("preferences") => Some("Saved. The crisis page now lists your country's lines first.".to_owned()),
        Some("app-name") => Some(
            "Saved on this device. If the app is on your home screen, add it again to see the new name there."
                .to_owned(),
        ),
        _ => None,
    }
}

/// `/settings/profile`: theme, time zone, country and week.
pub async fn profile(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Response {
    settings_page(&state, &user, "profile", notice_of(q.notice.as_deref()), None, None).await.into_response()
}

/// `/settings/devices`: where the person is signed in, and their API tokens.
pub async fn devices(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Response {
    settings_page(&state, &user, "devices", notice_of(q.notice.as_deref()), None, None).await.into_response()
}

/// `/settings/security`: the password and deleting the account.
pub async fn security(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Response {
    settings_page(&state, &user, "security", notice_of(q.notice.as_deref()), None, None).await.into_response()
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: PageUser,
    PageForm(form): PageForm<PasswordForm>,
) -> Response {
    match ops::change_password(&state, &ip, &user.current, &form.current_password, &form.new_password)
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Redirect::to("/settings/security?notice=password").into_response(),
        Err(e) => settings_page(&state, &user, section_of("password"), None, Some((e, "password")), None)
            .await
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    password: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: PageUser,
    PageForm(form): PageForm<TokenForm>,
) -> Response {
    let email = user.current.unlocked.user().email.clone();
    match ops::create_api_token(&state, &ip, &email, &form.password, &form.name).await {
        Ok((_, token)) => {
            settings_page(&state, &user, "devices", None, None, Some(token.encode())).await.into_response()
        }
        Err(e) => {
            let e = AppError::from(match e {
                ServiceError::Unauthorized { code: "invalid_credentials", .. } => {
                    ServiceError::unauthorized_as("wrong_password", "That password isn't right. Please try again.")
                }
                e => e,
            });
            settings_page(&state, &user, section_of("token"), None, Some((e, "token")), None).await.into_response()
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    ops::revoke_token(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to("/settings/devices?notice=token-revoked").into_response())
}

pub async fn end_other_sessions(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    ops::end_other_sessions(&state, &user.current).await.or_page(user.theme)?;
    Ok(Redirect::to("/settings/devices?notice=signed-out-elsewhere").into_response())
}

#[derive(Deserialize)]
pub struct ThemeForm {
    theme: String,
}

pub async fn set_theme(_user: PageUser, PageForm(form): PageForm<ThemeForm>) -> Response {
    let theme = match form.theme.as_str() {
        "light" => "light",
        "dark" => "dark",
        _ => "system",
    };
    let cookie = format!("{}={theme}; Path=/; SameSite=Lax; Max-Age=31536000", cookie::THEME_COOKIE);
    match HeaderValue::from_str(&cookie) {
        Ok(v) => with_cookie(Redirect::to("/settings/profile?notice=theme").into_response(), v),
        Err(_) => Redirect::to("/settings/profile").into_response(),
    }
}

#[derive(Deserialize)]
pub struct AppNameForm {
    app_name: String,
}

/// Per device, like the theme: it is about who may see this phone.
pub async fn set_app_name(_user: PageUser, PageForm(form): PageForm<AppNameForm>) -> Response {
    let value = if form.app_name == "neutral" { "neutral" } else { "full" };
    let cookie = format!("{}={value}; Path=/; SameSite=Lax; Max-Age=31536000", super::shell::APP_NAME_COOKIE);
    match HeaderValue::from_str(&cookie) {
        Ok(v) => with_cookie(Redirect::to("/settings?notice=app-name").into_response(), v),
        Err(_) => Redirect::to("/settings").into_response(),
    }
}

#[derive(Deserialize)]
pub struct TimeZoneForm {
    time_zone: String,
}

pub async fn set_time_zone(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(form): PageForm<TimeZoneForm>,
) -> Response {
    match ops::set_time_zone(&state, &user.current, &form.time_zone).await {
        Ok(()) => Redirect::to("/settings/profile?notice=time-zone").into_response(),
        Err(e @ ServiceError::Invalid { .. }) => {
            settings_page(&state, &user, section_of("time_zone"), None, Some((e.into(), "time_zone")), None)
                .await
                .into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    country: String,
    week_start: String,
}

pub async fn set_preferences(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(form): PageForm<PreferencesForm>,
) -> Response {
    let Ok(week_start) = form.week_start.parse::<u8>() else {
        let e = AppError::invalid("week_start", "Please choose a day from the list.");
        return settings_page(&state, &user, section_of("preferences"), None, Some((e, "preferences")), None)
            .await
            .into_response();
    };
    match ops::update_preferences(&state, &user.current, None, Some(&form.country), Some(week_start))
        .await
        .map_err(AppError::from)
    {
        Ok(()) => Redirect::to("/settings/profile?notice=preferences").into_response(),
        Err(e) if e.status.is_client_error() => {
            settings_page(&state, &user, section_of("preferences"), None, Some((e, "preferences")), None)
                .await
                .into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    password: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn delete_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: PageUser,
    PageForm(form): PageForm<DeleteForm>,
) -> Response {
    if form.confirm.is_none() {
        let e = AppError::invalid("confirm", "Please tick the box to confirm that you want everything deleted.");
        return settings_page(&state, &user, section_of("delete"), None, Some((e, "delete")), None)
            .await
            .into_response();
    }
    let current: &CurrentUser = &user.current;
    match ops::delete_account(&state, &ip, current, &form.password).await.map_err(AppError::from) {
        Ok(()) => with_cookie(Redirect::to("/login?deleted=true").into_response(), clear_session_cookie(&state.config)),
        Err(e) => {
            settings_page(&state, &user, section_of("delete"), None, Some((e, "delete")), None).await.into_response()
        }
    }
}

// ---------------------------------------------------------------- more, offline

#[derive(Template)]
#[template(path = "more.html")]
struct MorePage {
    shell: Shell,
}

/// Everything that is not one of the five tabs, one tap from the tab bar.
pub async fn more(user: PageUser) -> Response {
    render(&MorePage { shell: Shell::for_user("More", &user) })
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    shell: Shell,
}

/// Shown by the service worker when a page can't load without a connection. It names no one,
/// so it is fetched and kept once for everybody on the device.
pub async fn offline(headers: HeaderMap) -> Response {
    let mut res = render(&OfflinePage { shell: Shell::anonymous("You're offline", cookie::theme(&headers)) });
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

// ---------------------------------------------------------------- crisis

#[derive(Template)]
#[template(path = "crisis.html")]
struct CrisisPage {
    shell: Shell,
    directory: journal_core::crisis::Directory,
    /// The country whose lines come first, and whether it was guessed from the time zone.
    country: Option<(&'static str, bool)>,
    signed_in: bool,
    plan_empty: bool,
}

pub async fn crisis(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Result<Response, PageError> {
    let theme = cookie::theme(&headers);
    let directory = ops::crisis_for(&state, user.as_ref().map(|u| u.unlocked.user()));
    let country = user
        .as_ref()
        .and_then(|u| ops::country_of(u.unlocked.user()))
        .and_then(|(c, guessed)| journal_core::crisis::country_name(c).map(|name| (name, guessed)));
    let plan_empty = match &user {
        Some(u) => match journal_app::coping::safety_plan::load(&state, u).await {
            Ok((plan, _)) => plan.is_empty(),
            Err(e) => return Err(PageError::new(e, theme)),
        },
        None => true,
    };
    let signed_in = user.is_some();
    let shell = match user {
        Some(current) => Shell::for_user("Help right now", &PageUser { current, theme }),
        None => Shell::anonymous("Help right now", theme),
    };
    Ok(render(&CrisisPage { shell, directory, country, signed_in, plan_empty }))
}

#[derive(Deserialize)]
pub struct ExportForm {
    password: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    passphrase: String,
}

/// The complete export as a download, after the password is confirmed.
pub async fn export(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: PageUser,
    PageForm(form): PageForm<ExportForm>,
) -> Result<Response, PageError> {
    use super::import_pages::{DataForm, data_page};
    let passphrase = match journal_app::portability::export::check_passphrase(Some(&form.passphrase)) {
        Ok(p) => p,
        Err(e) => return data_page(&user, Some((e.into(), DataForm::Export))),
    };
    if let Err(e) = ops::confirm_password(&state, &ip, &user.current, &form.password).await {
        return data_page(&user, Some((e.into(), DataForm::Export)));
    }
    let format = if form.format == "markdown" { "markdown" } else { "json" };
    let theme = user.theme;
    let download = journal_app::portability::export::download(state.app, user.current.unlocked, format, passphrase)
        .await
        .or_page(theme)?;
    Ok(crate::download::response(download))
}
