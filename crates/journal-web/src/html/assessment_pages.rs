//! Questionnaire pages: choose one, answer it (works without JavaScript), and see the result.
//! A PHQ-9 with any answer above 0 on item 9 first shows a calm support step with crisis lines
//! and "Are you safe right now?", and only then the score (CLINICAL.md §1). Posting a form
//! redirects to an address of the stored result (its support step or its score), so reloading
//! shows the same step again; a random token in each form keeps a form sent twice to one result.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::assessments::schedule::Cadence;
use journal_core::assessments::{AnswerOption, Direction, InstrumentId, Item};
use journal_core::metrics::Assessment;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::health::assessments;

fn severity_label(instrument: InstrumentId, severity: &str) -> &'static str {
    instrument.instrument().bands.iter().find(|b| b.severity == severity).map(|b| b.label).unwrap_or("")
}

fn date_of(ts: i64, tz: &str) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| {
            super::dates::long_date(
                &t.to_zoned_datetime(jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC)).date().to_string(),
            )
        })
        .unwrap_or_default()
}

pub struct HistoryRow {
    pub id: String,
    pub title: &'static str,
    pub date: String,
    pub total: u8,
    pub label: &'static str,
}

pub struct InstrumentCard {
    pub id: &'static str,
    pub title: &'static str,
    pub about: &'static str,
}

/// One line on the list of questionnaires.
fn about(id: InstrumentId) -> &'static str {
    match id {
        InstrumentId::Phq9 => "Nine questions about low mood over the last two weeks.",
        InstrumentId::Gad7 => "Seven questions about worry and anxiety over the last two weeks.",
        InstrumentId::Who5 => "Five statements about your well-being over the last two weeks.",
        InstrumentId::Phq4 => "Four quick questions about worry and low mood over the last two weeks.",
        InstrumentId::Phq2 => "Two quick questions about low mood over the last two weeks.",
        InstrumentId::Gad2 => "Two quick questions about worry over the last two weeks.",
        InstrumentId::Pss10 => "Ten questions about how stressful the last month has felt.",
    }
}

pub struct TrendChart {
    pub title: String,
    pub svg: String,
    pub summary: String,
}

/// One chart per questionnaire taken: totals in order, over the severity bands.
pub fn band_charts(all: &[journal_core::metrics::Assessment], id_prefix: &str) -> Vec<TrendChart> {
    let mut charts = Vec::new();
    for id in InstrumentId::ALL {
        let i = id.instrument();
        let totals: Vec<f64> =
            all.iter().rev().filter(|a| a.instrument == id).map(|a| f64::from(a.content.total)).collect();
        let Some(latest) = totals.last() else { continue };
        let max = f64::from(i.max_total());
        let bands: Vec<(f64, f64, &str)> =
            i.bands.iter().map(|b| (f64::from(b.min), f64::from(b.max), b.label)).collect();
        let label = i
            .bands
            .iter()
            .find(|b| f64::from(b.min) <= *latest && *latest <= f64::from(b.max))
            .map(|b| b.label)
            .unwrap_or("");
        let summary = format!(
            "{} {} result{} so far; the latest is {latest} ({label}).",
            totals.len(),
            i.title,
            if totals.len() == 1 { "" } else { "s" }
        );
        let title = format!("{} totals over time", i.title);
        let svg = super::charts::scores_against_bands(
            &format!("{id_prefix}{}", id.as_str()),
            &title,
            &summary,
            max,
            &bands,
            &totals,
        );
        charts.push(TrendChart { title, svg, summary });
    }
    charts
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct IndexPage {
    shell: Shell,
    /// Due now: (id, title, label).
    due: Vec<(&'static str, &'static str, String)>,
    /// Each offered questionnaire with its schedule's form value ("", "session", "1", "2", "4").
    schedule: Vec<(&'static str, &'static str, String)>,
    instruments: Vec<InstrumentCard>,
    history: Vec<HistoryRow>,
    charts: Vec<TrendChart>,
}

pub async fn index(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let key = journal_app::health::metrics_key::key(&state, &user.current).await.or_page(user.theme)?;
    let all = assessments::history(&state, &user.current, &key, None).await.or_page(user.theme)?;
    let tz = user.current.unlocked.user().time_zone.clone();
    let instruments = state
        .config
        .offered_instruments()
        .into_iter()
        .map(|id| InstrumentCard { id: id.as_str(), title: id.short_name(), about: about(id) })
        .collect();
    let charts = band_charts(&all, "");
    let history = all
        .into_iter()
        .map(|a| HistoryRow {
            title: a.instrument.instrument().title,
            // Without the weekday, so the table fits a phone.
            date: date_of(a.taken_at, &tz).split_once(' ').map(|(_, d)| d.to_owned()).unwrap_or_default(),
            total: a.content.total,
            label: severity_label(a.instrument, &a.content.severity),
            id: a.id,
        })
        .collect();
    let (schedules, due) = match (
        journal_app::health::schedules::load(&state, &user.current).await,
        journal_app::health::schedules::due_now(&state, &user.current).await,
    ) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::new(e, user.theme)),
    };
    let schedule = state
        .config
        .offered_instruments()
        .into_iter()
        .map(|id| {
            let value = schedules
                .iter()
                .find(|s| s.instrument == id)
                .map(|s| match s.cadence {
                    Cadence::Session => "session".to_owned(),
                    Cadence::Weeks { weeks } => weeks.to_string(),
                })
                .unwrap_or_default();
            (id.as_str(), id.short_name(), value)
        })
        .collect();
    let due = due.into_iter().map(|d| (d.instrument.as_str(), d.instrument.short_name(), d.label)).collect();
    Ok(render(&IndexPage {
        shell: Shell::for_user("Questionnaires", &user),
        due,
        schedule,
        instruments,
        history,
        charts,
    }))
}

/// The schedule lives on the questionnaires page; a reload after saving, or a bookmark, lands there
/// rather than on a "method not allowed".
pub async fn schedule_redirect() -> Redirect {
    Redirect::to("/assessments#schedule-h")
}

/// The schedule form: one choice per questionnaire, `s-{id}` = "" (none), "session", or a
/// number of weeks.
pub async fn save_schedule(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut wanted = Vec::new();
    for (k, v) in &fields {
        let Some(id) = k.strip_prefix("s-") else { continue };
        let cadence = match v.as_str() {
            "" => continue,
            "session" => Cadence::Session,
            n => match n.parse::<u8>() {
                Ok(weeks) => Cadence::Weeks { weeks },
                Err(_) => {
                    return Err(PageError::new(
                        AppError::invalid("every", "Choose how often from the list."),
                        user.theme,
                    ));
                }
            },
        };
        wanted.push((id.to_owned(), cadence));
    }
    journal_app::health::schedules::save(&state, &user.current, &wanted).await.or_page(user.theme)?;
    Ok(Redirect::to("/assessments#schedule-h").into_response())
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct FormPage {
    shell: Shell,
    id: &'static str,
    title: &'static str,
    stem: &'static str,
    items: &'static [Item],
    options: &'static [AnswerOption],
    extra: Option<(&'static Item, &'static [AnswerOption])>,
    copyright: &'static str,
    token: String,
    error: Option<AppError>,
}

fn form_page(user: &PageUser, instrument: InstrumentId, error: Option<AppError>) -> Response {
    let i = instrument.instrument();
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&FormPage {
        token: assessments::form_token(),
        shell: Shell::for_user(i.title, user),
        id: instrument.as_str(),
        title: i.title,
        stem: i.stem,
        items: i.items,
        options: i.options,
        extra: i.extra_item,
        copyright: i.copyright,
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn form(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let i = assessments::instrument(&state, &id).map_err(|_| PageError::new(AppError::not_found(), user.theme))?;
    Ok(form_page(&user, i, None))
}

#[derive(Template)]
#[template(path = "assessment_support.html")]
struct SupportPage {
    shell: Shell,
    result_href: String,
    emergency: Vec<journal_core::crisis::Emergency>,
    lines: Vec<journal_core::crisis::Line>,
    /// No step of the safety plan is written yet: offer to make one instead of opening it.
    plan_empty: bool,
    /// The country whose lines come first, and whether it was guessed from the time zone.
    country: Option<(&'static str, bool)>,
}

/// The support step of a stored PHQ-9 result with an answer above 0 on item 9; for any other
/// result, its score.
pub async fn support(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let key = journal_app::health::metrics_key::key(&state, &user.current).await.or_page(user.theme)?;
    let all = assessments::history(&state, &user.current, &key, None).await.or_page(user.theme)?;
    let Some(a) = all.iter().find(|a| a.id == id) else {
        return Err(PageError::new(AppError::not_found(), user.theme));
    };
    let result_href = format!("/assessments/results/{}", a.id);
    if !a.content.self_harm {
        return Ok(Redirect::to(&result_href).into_response());
    }
    let plan_empty = match journal_app::coping::safety_plan::load(&state, &user.current).await {
        Ok((plan, _)) => plan.is_empty(),
        Err(e) => return Err(PageError::new(e, user.theme)),
    };
    let me = user.current.unlocked.user();
    let country = journal_app::accounts::country_of(me)
        .and_then(|(c, guessed)| journal_core::crisis::country_name(c).map(|name| (name, guessed)));
    let d = journal_app::accounts::crisis_for(&state, Some(me));
    Ok(render(&SupportPage {
        shell: Shell::for_user("Before your results", &user),
        result_href,
        emergency: d.emergency_numbers,
        lines: d.lines,
        plan_empty,
        country,
    }))
}

pub async fn submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Ok(instrument) = assessments::instrument(&state, &id) else {
        return Err(PageError::new(AppError::not_found(), user.theme));
    };
    let i = instrument.instrument();
    let mut answers = Vec::new();
    let total_questions = i.items.len() + usize::from(i.extra_item.is_some());
    for n in 1..=total_questions {
        let value = fields.iter().find(|(k, _)| k == &format!("q{n}")).map(|(_, v)| v.as_str());
        match value {
            Some(v) => match v.parse::<i64>() {
                Ok(a) => answers.push(a),
                Err(_) => {
                    return Ok(form_page(
                        &user,
                        instrument,
                        Some(AppError::invalid("answers", format!("Question {n} needs an answer from the list."))),
                    ));
                }
            },
            // The difficulty question is optional; every scored question is not.
            None if n > i.items.len() => {}
            None => {
                let e = AppError::invalid("answers", format!("Please answer question {n}; every question counts."));
                return Ok(form_page(&user, instrument, Some(e)));
            }
        }
    }
    // A form from before tokens (an open tab across an upgrade) still counts, once.
    let token = fields.iter().find(|(k, _)| k == "submission").map(|(_, v)| v.as_str());
    Ok(match assessments::submit(&state, &user.current, &id, &answers, token).await.map_err(AppError::from) {
        Ok(done) if done.assessment.content.self_harm => {
            Redirect::to(&format!("/assessments/results/{}/support", done.assessment.id)).into_response()
        }
        Ok(done) => Redirect::to(&format!("/assessments/results/{}", done.assessment.id)).into_response(),
        Err(e) if e.status.is_client_error() => form_page(&user, instrument, Some(e)),
        Err(e) => error_page(e, user.theme),
    })
}

#[derive(Template)]
#[template(path = "assessment_result.html")]
struct ResultPage {
    shell: Shell,
    title: &'static str,
    date: String,
    total: u8,
    max: u16,
    is_percent: bool,
    label: &'static str,
    change: Option<String>,
    self_harm: bool,
    copyright: &'static str,
    /// The short forms' screens: (label, total, positive).
    screens: Vec<(&'static str, u8, bool)>,
    /// Full questionnaires to take next: (id, title).
    next: Vec<(&'static str, &'static str)>,
}

pub async fn result(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let key = journal_app::health::metrics_key::key(&state, &user.current).await.or_page(user.theme)?;
    let all: Vec<Assessment> = assessments::history(&state, &user.current, &key, None).await.or_page(user.theme)?;
    let Some(pos) = all.iter().position(|a| a.id == id) else {
        return Err(PageError::new(AppError::not_found(), user.theme));
    };
    let a = &all[pos];
    let earlier: Vec<Assessment> = all[pos + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
    let change = a.change_against(&earlier).map(|c| {
        let size = c.delta.unsigned_abs();
        let unit = if a.instrument == InstrumentId::Who5 { "points of the percentage score" } else { "points" };
        match c.direction {
            Direction::Unchanged => format!("The same as last time ({}).", c.previous_total),
            Direction::Improved if c.reliable => {
                format!("{size} {unit} better than last time: a change large enough to be real, not chance.")
            }
            Direction::Improved => format!("{size} {unit} better than last time."),
            Direction::Worsened if c.reliable => {
                format!("{size} {unit} harder than last time: worth talking about with your therapist.")
            }
            Direction::Worsened => format!("{size} {unit} harder than last time. Small changes like this come and go."),
        }
    });
    let i = a.instrument.instrument();
    let score = i.score(&a.content.answers.iter().map(|&x| i64::from(x)).collect::<Vec<_>>()).ok();
    let screens =
        score.as_ref().map(|s| s.screens.iter().map(|r| (r.label, r.total, r.positive)).collect()).unwrap_or_default();
    let next = score
        .map(|s| s.next.into_iter().filter(|&n| state.config.offers(n)).map(|n| (n.as_str(), n.short_name())).collect())
        .unwrap_or_default();
    Ok(render(&ResultPage {
        shell: Shell::for_user(i.title, &user),
        title: i.title,
        date: date_of(a.taken_at, &user.current.unlocked.user().time_zone),
        total: a.content.total,
        max: i.max_total(),
        is_percent: i.total_factor > 1,
        label: severity_label(a.instrument, &a.content.severity),
        change,
        self_harm: a.content.self_harm,
        copyright: i.copyright,
        screens,
        next,
    }))
}
