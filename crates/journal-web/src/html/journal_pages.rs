//! The journal's pages: timeline, calendar, on this day, tags, search, reading, writing, editing
//! and deleting. All work without JavaScript; `static/app.js` adds draft autosave.

use crate::html::form::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use journal_core::dates::{parse_date, today_in};
use journal_core::entries::{Entry, normalize_tag};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::damaged::DamagedItem;
use journal_app::journal::{self, Draft, EntryInput, ListQuery};

pub use journal_core::emotions::mood_label;

use super::dates::{long_date, month_name};

/// One entry as a line in a list.
pub struct EntryRow {
    pub id: String,
    /// Shared with at least one therapist.
    pub shared: bool,
    pub title: String,
    pub excerpt: String,
    pub mood: Option<(u8, &'static str)>,
    pub tags: Vec<String>,
    /// It can't be opened; shown as such, in its place.
    pub damaged: bool,
}

impl EntryRow {
    pub fn damaged(item: &DamagedItem) -> Self {
        EntryRow {
            id: item.id.clone(),
            shared: false,
            title: "This entry can't be opened".to_owned(),
            excerpt: "It seems to have been damaged. Everything else in your journal is safe.".to_owned(),
            mood: None,
            tags: Vec::new(),
            damaged: true,
        }
    }

    pub fn of(e: &Entry) -> Self {
        let plain: String = e
            .content
            .body
            .lines()
            .map(|l| l.trim().trim_start_matches(['#', '>', '-', '*']).trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let mut excerpt: String = plain.chars().take(160).collect();
        if plain.chars().count() > 160 {
            excerpt.push('…');
        }
        EntryRow {
            shared: false,
            id: e.id.clone(),
            title: e.content.display_title(),
            excerpt,
            mood: e.content.mood.map(|m| (m, mood_label(m))),
            tags: e.content.tags.clone(),
            damaged: false,
        }
    }
}

pub struct DayGroup {
    pub date: String,
    pub label: String,
    pub entries: Vec<EntryRow>,
}

pub fn group_by_day(entries: &[Entry]) -> Vec<DayGroup> {
    group_with_damaged(entries, &[])
}

/// Days newest first, with damaged entries in their day (after the ones that open).
pub fn group_with_damaged(entries: &[Entry], damaged: &[DamagedItem]) -> Vec<DayGroup> {
    let mut rows: Vec<(&str, EntryRow)> = entries.iter().map(|e| (e.entry_date.as_str(), EntryRow::of(e))).collect();
    rows.extend(damaged.iter().map(|d| (d.date.as_str(), EntryRow::damaged(d))));
    // Stable, so each day keeps the list's order.
    rows.sort_by(|a, b| b.0.cmp(a.0));
    let mut groups: Vec<DayGroup> = Vec::new();
    for (date, row) in rows {
        match groups.last_mut() {
            Some(g) if g.date == date => g.entries.push(row),
            _ => groups.push(DayGroup { date: date.to_owned(), label: long_date(date), entries: vec![row] }),
        }
    }
    groups
}

// ---------------------------------------------------------------- timeline and tags

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    shell: Shell,
    heading: String,
    intro: Option<String>,
    groups: Vec<DayGroup>,
    next_href: Option<String>,
    notice: Option<&'static str>,
    is_filtered: bool,
}

#[derive(Deserialize)]
pub struct JournalParams {
    cursor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    notice: Option<String>,
}

pub async fn timeline(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<JournalParams>,
) -> Result<Response, PageError> {
    let q = ListQuery { limit: Some(30), cursor: p.cursor, tag: None, from: p.from.clone(), to: p.to.clone() };
    let page = journal::list(&state, &user.current, &q).await.or_page(user.theme)?;
    let range = match (&p.from, &p.to) {
        (Some(f), Some(t)) if f == t => Some(format!("Entries from {}", long_date(f))),
        (Some(f), Some(t)) => Some(format!("Entries from {} to {}", long_date(f), long_date(t))),
        _ => None,
    };
    let mut base = String::from("/journal?");
    if let Some(f) = &p.from {
        base.push_str(&format!("from={f}&"));
    }
    if let Some(t) = &p.to {
        base.push_str(&format!("to={t}&"));
    }
    let notice = match p.notice.as_deref() {
        Some("deleted") => Some("The entry is deleted."),
        _ => None,
    };
    let mut groups = group_with_damaged(&page.entries, &page.damaged);
    if let Ok(shares) = journal_app::bridge::shares_by_entry(&state, &user.current).await {
        for row in groups.iter_mut().flat_map(|g| g.entries.iter_mut()) {
            row.shared = shares.contains_key(&row.id);
        }
    }
    Ok(render(&JournalPage {
        shell: Shell::for_user("Journal", &user),
        heading: "Your journal".to_owned(),
        is_filtered: range.is_some(),
        intro: range,
        groups,
        next_href: page.next_cursor.map(|c| format!("{base}cursor={c}")),
        notice,
    }))
}

#[derive(Deserialize)]
pub struct CursorParam {
    cursor: Option<String>,
}

pub async fn tag_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(tag): Path<String>,
    PageQuery(p): PageQuery<CursorParam>,
) -> Result<Response, PageError> {
    let Some(tag) = normalize_tag(&tag) else { return Err(PageError::new(AppError::not_found(), user.theme)) };
    let q = ListQuery { limit: Some(30), cursor: p.cursor, tag: Some(tag.clone()), from: None, to: None };
    let page = journal::list(&state, &user.current, &q).await.or_page(user.theme)?;
    let count = page.entries.len();
    Ok(render(&JournalPage {
        shell: Shell::for_user(&format!("#{tag}"), &user),
        heading: format!("Entries tagged #{tag}"),
        intro: Some(if count == 0 { "No entries have this tag yet.".to_owned() } else { String::new() })
            .filter(|s| !s.is_empty()),
        groups: group_by_day(&page.entries),
        next_href: page.next_cursor.map(|c| format!("/journal/tags/{}?cursor={c}", super::shell::url_encode(&tag))),
        notice: None,
        is_filtered: true,
    }))
}

// ---------------------------------------------------------------- calendar

pub struct CalendarDay {
    pub day: i8,
    pub date: String,
    pub count: i64,
    pub is_today: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    shell: Shell,
    title: String,
    weeks: Vec<Vec<Option<CalendarDay>>>,
    prev: String,
    next: String,
    total: i64,
}

#[derive(Deserialize)]
pub struct MonthParam {
    month: Option<String>,
}

pub async fn calendar(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<MonthParam>,
) -> Result<Response, PageError> {
    let today = today_in(&user.current.unlocked.user().time_zone);
    let first = match p.month.as_deref() {
        Some(m) => match parse_date("month", &format!("{m}-01")) {
            Ok(d) => d,
            Err(e) => return Err(PageError::new(e, user.theme)),
        },
        None => today.first_of_month(),
    };
    let last = first.last_of_month();
    let days =
        journal::entry_days(&state, &user.current, &first.to_string(), &last.to_string()).await.or_page(user.theme)?;
    let mut weeks: Vec<Vec<Option<CalendarDay>>> = Vec::new();
    let mut week: Vec<Option<CalendarDay>> = (0..first.weekday().to_monday_zero_offset()).map(|_| None).collect();
    let mut d = first;
    loop {
        let date = d.to_string();
        let count = days.iter().find(|(day, _)| *day == date).map(|(_, n)| *n).unwrap_or(0);
        week.push(Some(CalendarDay { day: d.day(), date, count, is_today: d == today }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        if d == last {
            break;
        }
        d = match d.tomorrow() {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(None);
        }
        weeks.push(week);
    }
    let month = |d: Date| format!("{:04}-{:02}", d.year(), d.month());
    let prev = first.checked_sub(1.month()).map(month).unwrap_or_default();
    let next = first.checked_add(1.month()).map(month).unwrap_or_default();
    Ok(render(&CalendarPage {
        shell: Shell::for_user("Calendar", &user),
        title: format!("{} {}", month_name(first.month()), first.year()),
        weeks,
        prev,
        next,
        total: days.iter().map(|(_, n)| n).sum(),
    }))
}

// ---------------------------------------------------------------- on this day

pub struct Memory {
    pub when: String,
    pub date_label: String,
    pub entry: EntryRow,
}

#[derive(Template)]
#[template(path = "on_this_day.html")]
struct OnThisDayPage {
    shell: Shell,
    today_label: String,
    memories: Vec<Memory>,
}

pub fn how_long_ago(today: Date, then: Date) -> String {
    let years = today.year() - then.year();
    if today.month() == then.month() && years > 0 {
        return if years == 1 { "A year ago".to_owned() } else { format!("{years} years ago") };
    }
    let months = i32::from(years) * 12 + i32::from(today.month()) - i32::from(then.month());
    if months == 1 { "A month ago".to_owned() } else { format!("{months} months ago") }
}

pub async fn memories(state: &AppState, user: &PageUser, today: Date) -> Result<Vec<Memory>, AppError> {
    let mut out = Vec::new();
    for found in journal::on_this_day(state, &user.current, today).await? {
        let e = match found {
            Ok(e) => e,
            Err(damaged) => {
                let then: Date = damaged.date.parse().map_err(|_| AppError::internal())?;
                out.push(Memory {
                    when: how_long_ago(today, then),
                    date_label: long_date(&damaged.date),
                    entry: EntryRow::damaged(&damaged),
                });
                continue;
            }
        };
        let then: Date = e.entry_date.parse().map_err(|_| AppError::internal())?;
        out.push(Memory {
            when: how_long_ago(today, then),
            date_label: long_date(&e.entry_date),
            entry: EntryRow::of(&e),
        });
    }
    Ok(out)
}

pub async fn on_this_day(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let today = today_in(&user.current.unlocked.user().time_zone);
    let memories = memories(&state, &user, today).await.or_page(user.theme)?;
    Ok(render(&OnThisDayPage {
        shell: Shell::for_user("On this day", &user),
        today_label: long_date(&today.to_string()),
        memories,
    }))
}

// ---------------------------------------------------------------- search

pub struct SearchRow {
    pub entry: EntryRow,
    pub date_label: String,
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    shell: Shell,
    q: String,
    results: Option<Vec<SearchRow>>,
    /// Entries that can't be opened, so could not be searched.
    damaged: Vec<SearchRow>,
    error: Option<AppError>,
}

#[derive(Deserialize)]
pub struct SearchParam {
    q: Option<String>,
}

pub async fn search(State(state): State<AppState>, user: PageUser, PageQuery(p): PageQuery<SearchParam>) -> Response {
    let q = p.q.unwrap_or_default();
    let (results, damaged, error) = if q.trim().is_empty() {
        (None, Vec::new(), None)
    } else {
        match journal::search(&state, &user.current, &q, 50).await {
            Ok(found) => (
                Some(
                    found
                        .hits
                        .into_iter()
                        .map(|h| SearchRow {
                            date_label: long_date(&h.entry.entry_date),
                            entry: EntryRow::of(&h.entry),
                            snippet: h.snippet,
                        })
                        .collect(),
                ),
                found
                    .damaged
                    .iter()
                    .map(|d| SearchRow {
                        date_label: long_date(&d.date),
                        entry: EntryRow::damaged(d),
                        snippet: String::new(),
                    })
                    .collect(),
                None,
            ),
            Err(e) => (None, Vec::new(), Some(e.into())),
        }
    };
    render(&SearchPage { shell: Shell::for_user("Search", &user), q, results, damaged, error })
}

// ---------------------------------------------------------------- reading

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    shell: Shell,
    id: String,
    title: String,
    date_label: String,
    mood: Option<(u8, &'static str)>,
    tags: Vec<String>,
    body_html: String,
    edited: bool,
    notice: Option<&'static str>,
    bridge: super::bridge_pages::EntryBridge,
    entry_id_for_share: String,
}

#[derive(Deserialize)]
pub struct NoticeParam {
    notice: Option<String>,
}

pub async fn entry(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageQuery(p): PageQuery<NoticeParam>,
) -> Result<Response, PageError> {
    let e = journal::get(&state, &user.current, &id).await.or_page(user.theme)?;
    if e.content.thought_record.is_some() {
        return Ok(Redirect::to(&format!("/thought-records/{}", e.id)).into_response());
    }
    let notice = match p.notice.as_deref() {
        Some("saved") => Some("Saved. Thank you for writing."),
        Some("updated") => Some("Your changes are saved."),
        Some("shared") => Some("Shared. Only this entry, and you can stop sharing it at any time."),
        Some("unshared") => Some("It's no longer shared."),
        _ => None,
    };
    let bridge = super::bridge_pages::entry_bridge(&state, &user, &e.id, &format!("/journal/{}", e.id))
        .await
        .or_page(user.theme)?;
    Ok(render(&EntryPage {
        bridge,
        entry_id_for_share: e.id.clone(),
        shell: Shell::for_user(&e.content.display_title(), &user),
        id: e.id.clone(),
        title: e.content.display_title(),
        date_label: long_date(&e.entry_date),
        mood: e.content.mood.map(|m| (m, mood_label(m))),
        tags: e.content.tags.clone(),
        body_html: crate::markdown::render(&e.content.body),
        edited: e.updated_at > e.created_at + 60,
        notice,
    }))
}

// ---------------------------------------------------------------- writing and editing

#[derive(Template)]
#[template(path = "write.html")]
struct WritePage {
    shell: Shell,
    heading: &'static str,
    action: String,
    draft_key: String,
    cancel_href: String,
    form: EntryForm,
    selected_mood: u8,
    error: Option<AppError>,
    restored_draft: bool,
    /// The prompt being answered, shown above the text box.
    prompt_text: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    entry_date: String,
    #[serde(default)]
    mood: String,
    #[serde(default)]
    prompt_id: String,
}

impl EntryForm {
    fn from_entry(e: &Entry) -> Self {
        EntryForm {
            title: e.content.title.clone(),
            body: e.content.body.clone(),
            tags: e.content.tags.join(", "),
            entry_date: e.entry_date.clone(),
            mood: e.content.mood.map(|m| m.to_string()).unwrap_or_default(),
            prompt_id: e.content.prompt_id.clone().unwrap_or_default(),
        }
    }

    fn from_draft(d: Draft) -> Self {
        EntryForm {
            title: d.title,
            body: d.body,
            tags: d.tags,
            entry_date: d.entry_date,
            mood: d.mood.map(|m| m.to_string()).unwrap_or_default(),
            prompt_id: d.prompt_id.unwrap_or_default(),
        }
    }

    fn to_input(&self) -> Result<EntryInput, AppError> {
        let mood = match self.mood.trim() {
            "" => None,
            m => Some(m.parse::<i64>().map_err(|_| AppError::invalid("mood", "Please choose a mood from the list."))?),
        };
        let tags = self.tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        Ok(EntryInput {
            title: Some(self.title.clone()),
            body: self.body.clone(),
            tags,
            entry_date: Some(self.entry_date.clone()),
            prompt_id: Some(self.prompt_id.clone()).filter(|p| !p.is_empty()),
            mood,
        })
    }

    fn selected_mood(&self) -> u8 {
        self.mood.trim().parse().unwrap_or(0)
    }
}

async fn write_page(
    state: &AppState,
    user: &PageUser,
    editing: Option<&str>,
    form: EntryForm,
    error: Option<AppError>,
    restored: bool,
) -> Response {
    let status = error.as_ref().map(|e| e.status);
    let (heading, action, draft_key, cancel_href) = match editing {
        Some(id) => ("Edit entry", format!("/journal/{id}/edit"), id.to_owned(), format!("/journal/{id}")),
        None => ("Write", "/journal/new".to_owned(), "new".to_owned(), "/journal".to_owned()),
    };
    let prompt_text = match form.prompt_id.trim() {
        "" => None,
        id => journal_app::prompts::text_of(state, &user.current, id).await.ok().flatten(),
    };
    let mut res = render(&WritePage {
        prompt_text,
        shell: Shell::for_user(heading, user),
        heading,
        action,
        draft_key,
        cancel_href,
        selected_mood: form.selected_mood(),
        form,
        error,
        restored_draft: restored,
    });
    if let Some(status) = status {
        *res.status_mut() = status;
    }
    res
}

#[derive(Deserialize)]
pub struct NewParams {
    prompt_id: Option<String>,
    date: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(p): PageQuery<NewParams>,
) -> Result<Response, PageError> {
    let draft = journal::load_draft(&state, &user.current, "new").await.or_page(user.theme)?;
    if let Some((draft, _)) = draft.filter(|(d, _)| !d.body.trim().is_empty() || !d.title.trim().is_empty()) {
        return Ok(write_page(&state, &user, None, EntryForm::from_draft(draft), None, true).await);
    }
    let today = today_in(&user.current.unlocked.user().time_zone).to_string();
    let date = p.date.filter(|d| parse_date("date", d).is_ok()).unwrap_or(today);
    let form = EntryForm { entry_date: date, prompt_id: p.prompt_id.unwrap_or_default(), ..EntryForm::default() };
    Ok(write_page(&state, &user, None, form, None, false).await)
}

pub async fn create(State(state): State<AppState>, user: PageUser, PageForm(form): PageForm<EntryForm>) -> Response {
    let result = match form.to_input() {
        Ok(input) => journal::create(&state, &user.current, &input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(e) => Redirect::to(&format!("/journal/{}?notice=saved", e.id)).into_response(),
        Err(e) if e.status.is_client_error() => write_page(&state, &user, None, form, Some(e), false).await,
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = journal::get(&state, &user.current, &id).await.or_page(user.theme)?;
    if e.content.thought_record.is_some() {
        return Ok(Redirect::to(&format!("/thought-records/{}/edit", e.id)).into_response());
    }
    Ok(match journal::load_draft(&state, &user.current, &id).await.or_page(user.theme)? {
        Some((draft, at)) if at > e.updated_at => {
            write_page(&state, &user, Some(&id), EntryForm::from_draft(draft), None, true).await
        }
        _ => write_page(&state, &user, Some(&id), EntryForm::from_entry(&e), None, false).await,
    })
}

pub async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<EntryForm>,
) -> Response {
    let result = match form.to_input() {
        Ok(input) => journal::update(&state, &user.current, &id, &input).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(e) => Redirect::to(&format!("/journal/{}?notice=updated", e.id)).into_response(),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            write_page(&state, &user, Some(&id), form, Some(e), false).await
        }
        Err(e) => error_page(e, user.theme),
    }
}

pub async fn discard_draft(
    State(state): State<AppState>,
    user: PageUser,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    Ok(match journal::discard_draft(&state, &user.current, &key).await.or_page(user.theme)? {
        () if key == "new" => Redirect::to("/journal/new").into_response(),
        () => Redirect::to(&format!("/journal/{key}/edit")).into_response(),
    })
}

// ---------------------------------------------------------------- deleting

#[derive(Template)]
#[template(path = "delete_entry.html")]
struct DeletePage {
    shell: Shell,
    id: String,
    title: String,
    date_label: String,
}

pub async fn delete_confirm(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = journal::get(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(render(&DeletePage {
        shell: Shell::for_user("Delete entry", &user),
        id: e.id.clone(),
        title: e.content.display_title(),
        date_label: long_date(&e.entry_date),
    }))
}

pub async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    journal::delete(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(Redirect::to("/journal?notice=deleted").into_response())
}
