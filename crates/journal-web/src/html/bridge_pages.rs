//! Pages of the therapist bridge: linking, sharing panels on entries, comments, the caseload, a
//! client's page for the therapist, the access log and the session summary.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::Role;
use journal_core::bridge::Sharing;
use journal_core::time_util::rfc3339;
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::bridge::{self, Comment, Homework};

pub struct ShareChoice {
    pub connection_id: String,
    pub therapist: String,
    pub shared: bool,
}

/// The share panel and comment thread shown under one of the client's own entries.
pub struct EntryBridge {
    pub choices: Vec<ShareChoice>,
    pub comments: Vec<CommentRow>,
    pub back: String,
}

pub struct CommentRow {
    pub author: String,
    pub mine: bool,
    pub at: String,
    pub body: String,
}

fn comment_rows(list: Vec<Comment>) -> Vec<CommentRow> {
    list.into_iter()
        .map(|c| CommentRow {
            author: c.author_name,
            mine: c.mine,
            at: rfc3339(c.created_at)[..16].replace('T', " "),
            body: c.body,
        })
        .collect()
}

/// What the entry and thought-record pages show about sharing and comments.
pub async fn entry_bridge(
    state: &AppState,
    user: &PageUser,
    entry_id: &str,
    back: &str,
) -> Result<EntryBridge, AppError> {
    if user.current.unlocked.user().role == Role::Therapist {
        return Ok(EntryBridge { choices: vec![], comments: vec![], back: back.to_owned() });
    }
    let shares = bridge::shares_by_entry(state, &user.current).await?;
    let shared_with = shares.get(entry_id).cloned().unwrap_or_default();
    let choices = bridge::links(state, &user.current)
        .await?
        .into_iter()
        .filter(|l| l.record.client_id == user.current.id())
        .map(|l| ShareChoice {
            shared: shared_with.contains(&l.record.id),
            connection_id: l.record.id,
            therapist: l.therapist.display_name,
        })
        .collect();
    let comments = comment_rows(bridge::own_comments(state, &user.current, entry_id).await?);
    Ok(EntryBridge { choices, comments, back: back.to_owned() })
}

#[derive(Deserialize)]
pub struct ShareForm {
    connection_id: String,
    #[serde(default)]
    back: String,
}

fn safe_back(back: &str, fallback: String) -> String {
    if (back.starts_with("/journal/") || back.starts_with("/thought-records/")) && !back.contains("//") {
        back.to_owned()
    } else {
        fallback
    }
}

pub async fn share(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<ShareForm>,
) -> Result<Response, PageError> {
    bridge::share_entry(&state, &user.current, &id, &f.connection_id).await.or_page(user.theme)?;
    Ok(Redirect::to(&format!("{}?notice=shared", safe_back(&f.back, format!("/journal/{id}")))).into_response())
}

pub async fn unshare(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<ShareForm>,
) -> Result<Response, PageError> {
    bridge::unshare_entry(&state, &user.current, &id, &f.connection_id).await.or_page(user.theme)?;
    Ok(Redirect::to(&format!("{}?notice=unshared", safe_back(&f.back, format!("/journal/{id}")))).into_response())
}

#[derive(Deserialize)]
pub struct CommentForm {
    body: String,
    #[serde(default)]
    back: String,
}

pub async fn reply(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<CommentForm>,
) -> Result<Response, PageError> {
    bridge::reply(&state, &user.current, &id, &f.body).await.or_page(user.theme)?;
    Ok(Redirect::to(&format!("{}#comments-h", safe_back(&f.back, format!("/journal/{id}")))).into_response())
}

// ---------------------------------------------------------------- connections

pub struct LinkRow {
    pub id: String,
    pub client_id: String,
    pub other: String,
    pub since: String,
    pub fingerprint: String,
    pub sharing: Sharing,
}

#[derive(Template)]
#[template(path = "connections.html")]
struct ConnectionsPage {
    shell: Shell,
    therapist: bool,
    links: Vec<LinkRow>,
    own_fingerprint: String,
    new_code: Option<(String, String)>,
    notice: Option<&'static str>,
    error: Option<AppError>,
}

#[derive(Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

async fn connections_page(
    state: &AppState,
    user: &PageUser,
    new_code: Option<(String, String)>,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let therapist = user.current.unlocked.user().role == Role::Therapist;
    let links = bridge::links(state, &user.current).await.or_page(user.theme)?;
    let rows = links
        .into_iter()
        .map(|l| LinkRow {
            id: l.record.id.clone(),
            client_id: l.client.id.clone(),
            other: if therapist { l.client.display_name.clone() } else { l.therapist.display_name.clone() },
            since: rfc3339(l.record.created_at)[..10].to_owned(),
            fingerprint: journal_crypto::fingerprint(&l.therapist.public_key),
            sharing: l.sharing(),
        })
        .collect();
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&ConnectionsPage {
        shell: Shell::for_user(if therapist { "Your clients" } else { "Your therapist" }, user),
        therapist,
        links: rows,
        own_fingerprint: journal_crypto::fingerprint(&user.current.unlocked.user().public_key),
        new_code,
        notice,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn connections(State(state): State<AppState>, user: PageUser, PageQuery(q): PageQuery<Notice>) -> Response {
    let notice = match q.notice.as_deref() {
        Some("linked") => Some("You're linked. Nothing is shared until you choose to share it."),
        Some("sharing") => Some("Saved. You can change this any time."),
        Some("ended") => Some("The link has ended. Nothing is shared any more."),
        _ => None,
    };
    connections_page(&state, &user, None, notice, None).await.into_response()
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn invite(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(_): PageForm<Empty>,
) -> Result<Response, PageError> {
    let i = bridge::create_invite(&state, &user.current).await.or_page(user.theme)?;
    let expires = rfc3339(i.expires_at)[..10].to_owned();
    connections_page(&state, &user, Some((i.code, expires)), None, None).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

#[derive(Template)]
#[template(path = "connection_confirm.html")]
struct ConfirmPage {
    shell: Shell,
    code: String,
    therapist: String,
    fingerprint: String,
}

pub async fn preview(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<CodeForm>) -> Response {
    match bridge::preview_invite(&state, &user.current, &f.code).await.map_err(AppError::from) {
        Ok(p) => render(&ConfirmPage {
            shell: Shell::for_user("Link with your therapist", &user),
            code: f.code.trim().to_owned(),
            therapist: p.therapist.display_name,
            fingerprint: p.fingerprint,
        }),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            connections_page(&state, &user, None, None, Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn confirm(State(state): State<AppState>, user: PageUser, PageForm(f): PageForm<CodeForm>) -> Response {
    match bridge::accept_invite(&state, &user.current, &f.code).await.map_err(AppError::from) {
        Ok(_) => Redirect::to("/connections?notice=linked").into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            connections_page(&state, &user, None, None, Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Deserialize)]
pub struct SharingForm {
    #[serde(default)]
    mood: Option<String>,
    #[serde(default)]
    assessments: Option<String>,
    #[serde(default)]
    goals: Option<String>,
}

pub async fn set_sharing(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<SharingForm>,
) -> Result<Response, PageError> {
    let sharing = Sharing { mood: f.mood.is_some(), assessments: f.assessments.is_some(), goals: f.goals.is_some() };
    bridge::set_sharing(&state, &user.current, &id, sharing).await.or_page(user.theme)?;
    Ok(Redirect::to("/connections?notice=sharing").into_response())
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn end(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<EndForm>,
) -> Result<Response, PageError> {
    if f.confirm.is_none() {
        return Ok(Redirect::to("/connections").into_response());
    }
    bridge::end_link(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to("/connections?notice=ended").into_response())
}

// ---------------------------------------------------------------- access log

/// One local day of the log, so each line only needs its time.
pub struct AccessDayView {
    /// "Today", "Yesterday" or "Saturday 5 December 2026".
    pub day: String,
    pub rows: Vec<AccessRowView>,
}

pub struct AccessRowView {
    /// Local time, `HH:MM`.
    pub at: String,
    /// The machine-readable time for `<time datetime>`.
    pub datetime: String,
    pub what: String,
    /// "3 times, 09:12 to 09:40" for a folded group.
    pub times: Option<String>,
    pub href: Option<String>,
    /// Something the owner did not do themselves is marked, so it stands out.
    pub by_someone_else: bool,
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    shell: Shell,
    days: Vec<AccessDayView>,
    /// How many lines there are when only the newest are shown.
    hidden: usize,
    /// When a sign-in found the log rolled back or rewritten.
    tampering: Option<String>,
}

#[derive(Deserialize)]
pub struct AccessLogQuery {
    #[serde(default)]
    all: Option<String>,
}

/// The newest lines shown before "Show everything", so the page stays short on a phone.
const ACCESS_LOG_LINES: usize = 50;

fn quoted(title: &Option<String>, otherwise: &str) -> String {
    match title {
        Some(t) => format!("\u{201c}{t}\u{201d}"),
        None => otherwise.to_owned(),
    }
}

/// One line of the log in plain words.
fn access_sentence(s: &journal_app::accounts::access_log::Shown) -> String {
    let r = &s.row;
    let who = if r.therapist_name.is_empty() { "Your therapist".to_owned() } else { r.therapist_name.clone() };
    let item = |own: &str| match r.item_kind.as_str() {
        "entry" => quoted(&s.title, "an entry you've since deleted"),
        "moods" => format!("{own} mood check-ins"),
        "assessments" => format!("{own} questionnaire results"),
        "goals" => format!("{own} goal progress"),
        other => other.to_owned(),
    };
    match r.event.as_str() {
        "read" => match r.item_kind.as_str() {
            "entry" => format!("{who} read your entry {}", item("your")),
            "entry_list" => {
                let n = r.detail.parse::<usize>().unwrap_or(0);
                if n == 1 {
                    format!("{who} saw the title of the entry you share")
                } else {
                    format!("{who} saw the titles of the {n} entries you share")
                }
            }
            _ => format!("{who} looked at {}", item("your")),
        },
        "shared" if r.item_kind == "entry" => format!("You shared {} with {who}", item("your")),
        "shared" => format!("You started sharing {} with {who}", item("your")),
        "unshared" if r.item_kind == "entry" => format!("You stopped sharing {} with {who}", item("your")),
        "unshared" => format!("You stopped sharing {} with {who}", item("your")),
        "link_ended" if r.actor == journal_app::accounts::access_log::THERAPIST => format!("{who} ended your link"),
        "link_ended" => format!("You ended your link with {who}"),
        "exported" => {
            let locked = if r.detail.ends_with("+age") { ", locked with a passphrase" } else { ", not locked" };
            match r.detail.trim_end_matches("+age") {
                "markdown" => format!("You downloaded your journal as Markdown files{locked}"),
                "fhir" => "You downloaded your questionnaire results (FHIR)".to_owned(),
                _ => format!("You downloaded everything in your account (JSON){locked}"),
            }
        }
        "imported" => {
            let counts: Vec<String> = r
                .detail
                .split(',')
                .filter_map(|kv| kv.split_once(':'))
                .filter(|(_, n)| *n != "0")
                .map(|(k, n)| {
                    let k = match k {
                        "moods" => "check-ins",
                        "assessments" => "questionnaire results",
                        other => other,
                    };
                    format!("{n} {k}")
                })
                .collect();
            if counts.is_empty() {
                "You imported a file (nothing new in it)".to_owned()
            } else {
                format!("You imported {}", counts.join(", "))
            }
        }
        "password_changed" => "Your password was changed".to_owned(),
        "recovered" => "Your account was opened with your recovery code and given a new password".to_owned(),
        "signed_in" => "Someone signed in to your account (that's usually you)".to_owned(),
        "token_created" => "A new app or command-line access (API token) was made for your account".to_owned(),
        "admin_reset" => "The people who run this journal reset your account, erasing what was in it".to_owned(),
        other => other.replace('_', " "),
    }
}

pub async fn access_log(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<AccessLogQuery>,
) -> Result<Response, PageError> {
    let shown = journal_app::accounts::access_log::for_owner(&state, &user.current, true).await.or_page(user.theme)?;
    let tampering =
        journal_app::accounts::access_log::noticed_tampering(&state, &user.current).await.or_page(user.theme)?;
    let tz = user.current.unlocked.user().time_zone.clone();
    let local = |t| journal_app::accounts::access_log::local_rfc3339(t, &tz);
    let limit = if q.all.is_some() { usize::MAX } else { ACCESS_LOG_LINES };
    let hidden = shown.len().saturating_sub(limit);
    let today = journal_core::dates::today_in(&tz);
    let mut days: Vec<AccessDayView> = Vec::new();
    for s in shown.iter().take(limit) {
        let at = local(s.row.at);
        let (first, last) = (local(s.first_at)[11..16].to_owned(), at[11..16].to_owned());
        let times = match s.count {
            1 => None,
            n if first == last => Some(format!("{n} times")),
            n => Some(format!("{n} times, {first} to {last}")),
        };
        let row = AccessRowView {
            what: access_sentence(s),
            href: (s.row.item_kind == "entry" && s.title.is_some()).then(|| format!("/journal/{}", s.row.item_id)),
            by_someone_else: s.row.actor != journal_app::accounts::access_log::OWNER,
            at: last,
            datetime: at.clone(),
            times,
        };
        let day = match at[..10].parse::<jiff::civil::Date>() {
            Ok(d) if d == today => "Today".to_owned(),
            Ok(d) if today.yesterday().ok() == Some(d) => "Yesterday".to_owned(),
            Ok(d) => d.strftime("%A %-d %B %Y").to_string(),
            Err(_) => at[..10].to_owned(),
        };
        match days.last_mut() {
            Some(d) if d.day == day => d.rows.push(row),
            _ => days.push(AccessDayView { day, rows: vec![row] }),
        }
    }
    let tampering = tampering.map(|t| local(t)[..10].to_owned());
    Ok(render(&AccessLogPage { shell: Shell::for_user("Access log", &user), days, hidden, tampering }))
}

// ---------------------------------------------------------------- therapist

pub struct CaseRow {
    pub id: String,
    pub name: String,
    pub last: String,
    pub inactive: bool,
    pub shared_entries: usize,
    pub sparkline: Option<String>,
    pub scores: Vec<String>,
    pub flag: Option<String>,
    /// An alert not yet marked seen: (reason, date, how many unseen).
    pub alert: Option<(String, String, usize)>,
    pub sharing: Sharing,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    shell: Shell,
    rows: Vec<CaseRow>,
}

fn score_text(s: &bridge::LatestScore) -> String {
    let change = match (s.delta, s.reliable) {
        (Some(d), true) => format!(", {d:+} since the last ({} reliably)", s.direction),
        (Some(d), false) => format!(", {d:+} since the last"),
        (None, _) => String::new(),
    };
    format!("{} {} ({}){change}", s.instrument, s.total, s.severity)
}

pub async fn caseload(State(state): State<AppState>, user: PageUser) -> Response {
    caseload_page(&state, &user, "Caseload").await.into_response()
}

/// The caseload (flagged clients first, as the service orders it); also a therapist's home page.
pub async fn caseload_page(state: &AppState, user: &PageUser, title: &str) -> Result<Response, PageError> {
    let rows = bridge::caseload(state, &user.current).await.or_page(user.theme)?;
    let rows = rows
        .into_iter()
        .map(|r| CaseRow {
            sparkline: r
                .mood_30
                .as_ref()
                .map(|m| super::charts::sparkline(&format!("spark-{}", r.client_id), &r.name, m)),
            scores: r.latest.iter().map(score_text).collect(),
            last: r
                .last_activity
                .map(|t| rfc3339(t)[..10].to_owned())
                .unwrap_or_else(|| "nothing shared yet".to_owned()),
            id: r.client_id,
            name: r.name,
            inactive: r.inactive,
            shared_entries: r.shared_entries,
            // A newly positive item 9 already stands at the top as an alert; the older 30-day
            // flag would say the same thing twice.
            flag: r.self_harm_flag.filter(|_| r.alert.as_ref().is_none_or(|a| a.kind != "self_harm_newly_positive")),
            alert: r.alert.map(|a| (a.reason, a.date, a.unseen)),
            sharing: r.sharing,
        })
        .collect();
    Ok(render(&CaseloadPage { shell: Shell::for_user(title, user), rows }))
}

/// "Mark seen" on a caseload alert: back to the caseload, where the client takes their usual
/// place.
pub async fn mark_alerts_seen(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(_): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    bridge::mark_alerts_seen(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to("/therapist").into_response())
}

pub struct SharedRow {
    pub id: String,
    pub date: String,
    pub title: String,
    pub thought_record: bool,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    shell: Shell,
    client_id: String,
    name: String,
    entries: Vec<SharedRow>,
    mood_chart: Option<String>,
    scores: Option<Vec<String>>,
    score_charts: Vec<super::assessment_pages::TrendChart>,
    goals: Option<Vec<bridge::GoalDigest>>,
    homework: Vec<Homework>,
    error: Option<AppError>,
}

async fn client_page(
    state: &AppState,
    user: &PageUser,
    client_id: &str,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let (link, entries) = bridge::client_entries(state, &user.current, client_id).await.or_page(user.theme)?;
    // The page shows titles and dates, not bodies: one row for the list, once per view.
    if !entries.is_empty()
        && let Err(e) =
            bridge::log_read(state, &user.current, client_id, "entry_list", "titles", &entries.len().to_string()).await
    {
        return Err(PageError::new(e, user.theme));
    }
    let mood_chart = if link.record.share_mood {
        match bridge::client_moods(state, &user.current, client_id, bridge::since(90)).await {
            Ok(moods) => {
                let start = bridge::since(89).div_euclid(86_400);
                let mut by_day: std::collections::BTreeMap<i64, (u32, u32)> = Default::default();
                for m in &moods {
                    let e = by_day.entry(m.at.div_euclid(86_400)).or_default();
                    e.0 += u32::from(m.content.score);
                    e.1 += 1;
                }
                let points: Vec<(String, f64)> = by_day
                    .into_iter()
                    .map(|(d, (s, n))| ((d - start).max(0).to_string(), f64::from(s) / f64::from(n)))
                    .collect();
                let desc = format!("{} check-ins shared in the last 90 days.", moods.len());
                Some(super::charts::mood_over_time("client-mood", "Mood, last 90 days", &desc, &points, 90))
            }
            Err(e) => return Err(PageError::new(e, user.theme)),
        }
    } else {
        None
    };
    let mut score_charts = Vec::new();
    let scores = if link.record.share_assessments {
        match bridge::client_assessments(state, &user.current, client_id).await {
            Ok(all) => Some({
                score_charts = super::assessment_pages::band_charts(&all, "client-");

                all.iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let earlier: Vec<_> =
                            all[i + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
                        let c = a.change_against(&earlier);
                        format!(
                            "{}: {} {} ({}){}",
                            &rfc3339(a.taken_at)[..10],
                            a.instrument.instrument().title,
                            a.content.total,
                            a.content.severity.replace('_', " "),
                            c.map(|c| format!(", {:+}{}", c.delta, if c.reliable { ", reliable change" } else { "" }))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            }),
            Err(e) => return Err(PageError::new(e, user.theme)),
        }
    } else {
        None
    };
    let goals = if link.record.share_goals {
        match bridge::client_goals(state, &user.current, client_id).await {
            Ok(g) => Some(g),
            Err(e) => return Err(PageError::new(e, user.theme)),
        }
    } else {
        None
    };
    let homework = bridge::client_homework(state, &user.current, client_id).await.or_page(user.theme)?;
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&ClientPage {
        shell: Shell::for_user(&link.client.display_name, user),
        client_id: client_id.to_owned(),
        name: link.client.display_name.clone(),
        entries: entries
            .iter()
            .map(|e| SharedRow {
                id: e.id.clone(),
                date: e.entry_date.clone(),
                title: e.content.display_title(),
                thought_record: e.content.thought_record.is_some(),
            })
            .collect(),
        mood_chart,
        scores,
        score_charts,
        goals,
        homework,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    Ok(res)
}

pub async fn client(State(state): State<AppState>, user: PageUser, Path(id): Path<String>) -> Response {
    client_page(&state, &user, &id, None).await.into_response()
}

#[derive(Deserialize)]
pub struct AssignForm {
    prompt_text: String,
    #[serde(default)]
    due_date: String,
}

pub async fn assign(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<AssignForm>,
) -> Response {
    match bridge::assign(&state, &user.current, &id, &f.prompt_text, Some(&f.due_date)).await.map_err(AppError::from) {
        Ok(_) => Redirect::to(&format!("/therapist/clients/{id}#homework-h")).into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            client_page(&state, &user, &id, Some(e)).await.into_response()
        }
        Err(e) => error_page(e, user.theme),
    }
}

#[derive(Template)]
#[template(path = "client_entry.html")]
struct ClientEntryPage {
    shell: Shell,
    client_id: String,
    client_name: String,
    entry_id: String,
    title: String,
    date: String,
    body_html: String,
    comments: Vec<CommentRow>,
}

pub async fn client_entry(
    State(state): State<AppState>,
    user: PageUser,
    Path((client_id, entry_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (link, entry, _) =
        bridge::client_entry(&state, &user.current, &client_id, &entry_id).await.or_page(user.theme)?;
    let comments = match bridge::therapist_comments(&state, &user.current, &client_id, &entry_id).await {
        Ok(c) => comment_rows(c),
        Err(e) => return Err(PageError::new(e, user.theme)),
    };
    Ok(render(&ClientEntryPage {
        shell: Shell::for_user(&entry.content.display_title(), &user),
        client_id,
        client_name: link.client.display_name,
        entry_id,
        title: entry.content.display_title(),
        date: entry.entry_date.clone(),
        body_html: crate::markdown::render(&entry.content.body),
        comments,
    }))
}

pub async fn comment(
    State(state): State<AppState>,
    user: PageUser,
    Path((client_id, entry_id)): Path<(String, String)>,
    PageForm(f): PageForm<CommentForm>,
) -> Result<Response, PageError> {
    bridge::therapist_comment(&state, &user.current, &client_id, &entry_id, &f.body).await.or_page(user.theme)?;
    Ok(Redirect::to(&format!("/therapist/clients/{client_id}/entries/{entry_id}#comments-h")).into_response())
}

// ---------------------------------------------------------------- summary

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage {
    shell: Shell,
    s: journal_app::bridge::summary::Summary,
    entries: Vec<SharedRow>,
    links: Vec<(String, String)>,
    selected: String,
    action: String,
    therapist_view: bool,
}

#[derive(Deserialize)]
pub struct SummaryParams {
    from: Option<String>,
    to: Option<String>,
    connection: Option<String>,
    client: Option<String>,
}

pub async fn summary(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<SummaryParams>,
) -> Result<Response, PageError> {
    let (from, to) =
        journal_app::bridge::summary::range(&user.current, p.from.as_deref(), p.to.as_deref()).or_page(user.theme)?;
    let therapist_view = user.current.unlocked.user().role == Role::Therapist;
    let links = bridge::links(&state, &user.current).await.or_page(user.theme)?;
    let (result, choices, selected) = if therapist_view {
        let choices: Vec<(String, String)> =
            links.iter().map(|l| (l.client.id.clone(), l.client.display_name.clone())).collect();
        let Some(client) = p.client.or_else(|| choices.first().map(|c| c.0.clone())) else {
            return Err(PageError::new(AppError::invalid("client", "No clients are linked to you yet."), user.theme));
        };
        (journal_app::bridge::summary::for_therapist(&state, &user.current, &client, from, to).await, choices, client)
    } else {
        let choices: Vec<(String, String)> =
            links.iter().map(|l| (l.record.id.clone(), l.therapist.display_name.clone())).collect();
        let Some(connection) = p.connection.or_else(|| choices.first().map(|c| c.0.clone())) else {
            return Err(PageError::new(
                AppError::invalid(
                    "connection",
                    "You're not linked with a therapist yet. You can link from the Therapist page.",
                ),
                user.theme,
            ));
        };
        (
            journal_app::bridge::summary::for_client(&state, &user.current, &connection, from, to).await,
            choices,
            connection,
        )
    };
    let s = result.or_page(user.theme)?;
    let entries = s
        .entries
        .iter()
        .map(|e| SharedRow {
            id: e.id.clone(),
            date: e.entry_date.clone(),
            title: e.content.display_title(),
            thought_record: e.content.thought_record.is_some(),
        })
        .collect();
    Ok(render(&SummaryPage {
        shell: Shell::for_user("Since last session", &user),
        entries,
        links: choices,
        selected,
        action: "/summary".into(),
        therapist_view,
        s,
    }))
}
