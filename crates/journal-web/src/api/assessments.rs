//! Questionnaires and crisis resources: `/api/v1/assessments…`, `/api/v1/crisis-resources`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use journal_core::assessments::{Change, Direction};
use journal_core::crisis::Directory;
use journal_core::metrics::Assessment;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use journal_app::health::assessments::{self, Submitted};

#[derive(Serialize, ToSchema)]
pub struct OptionView {
    pub value: u8,
    pub label: String,
    pub loinc: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ItemView {
    pub text: String,
    pub loinc: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BandView {
    pub min: u8,
    pub max: u8,
    pub severity: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScreenView {
    /// `depression` or `anxiety`
    pub key: String,
    pub label: String,
    /// The items it adds up, counting from 1.
    pub items: Vec<u8>,
    /// Positive at or above this.
    pub positive_at: u8,
    /// The full questionnaire offered when it is positive.
    pub follow_up: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InstrumentView {
    /// `phq9`, `gad7`, `who5`, `phq4`, `phq2`, `gad2` or `pss10` (offered only when the operator
    /// turns it on)
    pub id: String,
    pub title: String,
    pub stem: String,
    pub items: Vec<ItemView>,
    pub options: Vec<OptionView>,
    /// PHQ-9's difficulty question: recorded, never added to the total.
    pub extra_item: Option<ItemView>,
    pub extra_options: Option<Vec<OptionView>>,
    pub panel_loinc: Option<String>,
    pub total_loinc: Option<String>,
    pub copyright: String,
    /// Severity bands over the reported total.
    pub bands: Vec<BandView>,
    /// Screening cut-offs of the short forms (PHQ-4: one per two-item subscale); empty otherwise.
    pub screens: Vec<ScreenView>,
    /// Items scored in reverse, counting from 1 (PSS-10: 4, 5, 7, 8).
    pub reverse_scored: Vec<u8>,
    /// The published source of the items and scoring.
    pub source: String,
}

fn options(list: &[journal_core::assessments::AnswerOption]) -> Vec<OptionView> {
    list.iter()
        .map(|o| OptionView { value: o.value, label: o.label.to_owned(), loinc: o.loinc.map(str::to_owned) })
        .collect()
}

/// The questionnaires this journal offers, with their exact wording.
#[utoipa::path(get, path = "/api/v1/assessments/instruments", operation_id = "listInstruments", tag = "assessments",
    responses((status = 200, body = [InstrumentView]), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn instruments(State(state): State<AppState>, _who: CurrentUser) -> Json<Vec<InstrumentView>> {
    Json(
        state
            .config
            .offered_instruments()
            .into_iter()
            .map(|id| {
                let i = id.instrument();
                InstrumentView {
                    id: id.as_str().to_owned(),
                    title: i.title.to_owned(),
                    stem: i.stem.to_owned(),
                    items: i
                        .items
                        .iter()
                        .map(|it| ItemView { text: it.text.to_owned(), loinc: it.loinc.map(str::to_owned) })
                        .collect(),
                    options: options(i.options),
                    extra_item: i
                        .extra_item
                        .map(|(it, _)| ItemView { text: it.text.to_owned(), loinc: it.loinc.map(str::to_owned) }),
                    extra_options: i.extra_item.map(|(_, o)| options(o)),
                    panel_loinc: i.panel_loinc.map(str::to_owned),
                    total_loinc: i.total_loinc.map(str::to_owned),
                    copyright: i.copyright.to_owned(),
                    bands: i
                        .bands
                        .iter()
                        .map(|b| BandView {
                            min: b.min,
                            max: b.max,
                            severity: b.severity.to_owned(),
                            label: b.label.to_owned(),
                        })
                        .collect(),
                    screens: i
                        .screens
                        .iter()
                        .map(|s| ScreenView {
                            key: s.key.to_owned(),
                            label: s.label.to_owned(),
                            items: s.items.iter().map(|&n| n as u8).collect(),
                            positive_at: s.positive_at,
                            follow_up: s.follow_up.map(|f| f.as_str().to_owned()),
                        })
                        .collect(),
                    reverse_scored: i.reverse_scored.iter().map(|&n| n as u8).collect(),
                    source: i.source.to_owned(),
                }
            })
            .collect(),
    )
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// `phq9`, `gad7`, `who5`, `phq4`, `phq2`, `gad2` or `pss10`, if this journal offers it
    pub instrument: String,
    /// PHQ-9: 9 answers 0–3, optionally a 10th (difficulty, not added); GAD-7: 7 answers 0–3;
    /// WHO-5: 5 answers 0–5; PHQ-4: 4 answers 0–3; PHQ-2, GAD-2: 2 answers 0–3; PSS-10: 10
    /// answers 0–4, as given (items 4, 5, 7 and 8 are reversed in scoring, not here).
    pub answers: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Flags {
    /// PHQ-9 item 9 above 0, whatever the total.
    pub self_harm: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeView {
    pub previous_total: u8,
    pub delta: i16,
    pub reliable: bool,
    pub clinically_important: bool,
    /// `improved`, `worsened` or `unchanged`
    pub direction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remission: Option<bool>,
}

impl From<Change> for ChangeView {
    fn from(c: Change) -> Self {
        ChangeView {
            previous_total: c.previous_total,
            delta: c.delta,
            reliable: c.reliable,
            clinically_important: c.clinically_important,
            direction: match c.direction {
                Direction::Improved => "improved",
                Direction::Worsened => "worsened",
                Direction::Unchanged => "unchanged",
            }
            .to_owned(),
            response: c.response,
            remission: c.remission,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub instrument: String,
    pub taken_at: String,
    pub answers: Vec<u8>,
    /// The sum; for WHO-5 the percentage score (raw × 4).
    pub total: u8,
    pub severity: String,
    pub flags: Flags,
    /// Against the previous result of the same instrument; null for the first.
    pub change: Option<ChangeView>,
    /// Present when `flags.self_harm` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis_resources: Option<CrisisResources>,
    /// The short forms' screens (PHQ-4: anxiety and depression); empty for the others.
    pub screens: Vec<ScreenResultView>,
    /// Full questionnaires to offer next: a PHQ-2 or PHQ-4 depression screen at 3 or more offers
    /// `phq9`, a GAD-2 or PHQ-4 anxiety screen at 3 or more `gad7`.
    pub next: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScreenResultView {
    /// `depression` or `anxiety`
    pub key: String,
    pub total: u8,
    pub positive: bool,
}

fn view(a: Assessment, change: Option<Change>, lines: &Directory) -> AssessmentView {
    let self_harm = a.content.self_harm;
    // Screens follow from the stored answers, scored again as the result was.
    let answers: Vec<i64> = a.content.answers.iter().map(|&x| i64::from(x)).collect();
    let score = a.instrument.instrument().score(&answers).ok();
    let screens = score
        .as_ref()
        .map(|s| {
            s.screens
                .iter()
                .map(|r| ScreenResultView { key: r.key.to_owned(), total: r.total, positive: r.positive })
                .collect()
        })
        .unwrap_or_default();
    let next = score.map(|s| s.next.iter().map(|n| n.as_str().to_owned()).collect()).unwrap_or_default();
    AssessmentView {
        id: a.id,
        instrument: a.instrument.as_str().to_owned(),
        taken_at: rfc3339(a.taken_at),
        answers: a.content.answers,
        total: a.content.total,
        severity: a.content.severity,
        flags: Flags { self_harm },
        change: change.map(ChangeView::from),
        crisis_resources: self_harm.then(|| crisis(lines)),
        screens,
        next,
    }
}

/// Scores and stores a completed questionnaire.
#[utoipa::path(post, path = "/api/v1/assessments", operation_id = "submitAssessment", tag = "assessments", request_body = SubmitRequest,
    responses((status = 201, body = AssessmentView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<SubmitRequest>,
) -> Result<(StatusCode, Json<AssessmentView>), AppError> {
    let Submitted { assessment, change, .. } =
        assessments::submit(&state, &who, &req.instrument, &req.answers, None).await?;
    let lines = journal_app::accounts::crisis_for(&state, Some(who.unlocked.user()));
    Ok((StatusCode::CREATED, Json(view(assessment, change, &lines))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this instrument.
    pub instrument: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentList {
    pub items: Vec<AssessmentView>,
    pub next_cursor: Option<String>,
    /// Results that can't be opened (damaged), left out of `items`. Absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::api::schema::DamagedItem>)]
    pub damaged: Vec<journal_app::damaged::DamagedItem>,
}

/// Results, newest first, each with its change against the one before it.
#[utoipa::path(get, path = "/api/v1/assessments", operation_id = "listAssessments", tag = "assessments", params(ListParams),
    responses((status = 200, body = AssessmentList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<AssessmentList>, AppError> {
    let filter = p.instrument.as_deref().map(|i| assessments::instrument(&state, i)).transpose()?;
    let key = journal_app::health::metrics_key::key(&state, &who).await?;
    let (all, damaged) = assessments::history_checked(&state, &who, &key, filter).await?;
    Ok(Json(AssessmentList { damaged, ..history_view(&all) }))
}

/// Results with each one's change against the one before (newest first, as given).
pub fn history_view(all: &[Assessment]) -> AssessmentList {
    let mut items = Vec::with_capacity(all.len());
    let none = Directory { emergency_numbers: vec![], lines: vec![], last_reviewed: String::new() };
    for (i, a) in all.iter().enumerate() {
        let earlier: Vec<Assessment> = all[i + 1..].iter().filter(|e| e.instrument == a.instrument).cloned().collect();
        let change = a.change_against(&earlier);
        let mut item = view(a.clone(), change, &none);
        // The list is history: crisis lines belong to the moment of answering.
        item.crisis_resources = None;
        items.push(item);
    }
    AssessmentList { items, next_cursor: None, damaged: Vec::new() }
}

#[derive(Serialize, ToSchema)]
pub struct CrisisLineView {
    /// ISO 3166-1 alpha-2 codes the line serves; empty for international ones.
    pub countries: Vec<String>,
    pub region: String,
    pub name: String,
    pub how: String,
    /// `tel:` or `sms:` link.
    pub href: Option<String>,
    pub website: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EmergencyView {
    pub countries: Vec<String>,
    pub region: String,
    pub number: String,
}

#[derive(Serialize, ToSchema)]
pub struct CrisisResources {
    /// The country the list was chosen for (your setting), or null for every country.
    pub country: Option<String>,
    pub emergency_numbers: Vec<EmergencyView>,
    /// Your country's lines first, then international ones.
    pub lines: Vec<CrisisLineView>,
    /// When the list was last compared with its sources.
    pub last_reviewed: String,
    pub note: String,
}

pub fn crisis(d: &Directory) -> CrisisResources {
    CrisisResources {
        country: None,
        emergency_numbers: d
            .emergency_numbers
            .iter()
            .map(|e| EmergencyView {
                countries: e.countries.clone(),
                region: e.region.clone(),
                number: e.number.clone(),
            })
            .collect(),
        lines: d
            .lines
            .iter()
            .map(|l| CrisisLineView {
                countries: l.countries.clone(),
                region: l.region.clone(),
                name: l.name.clone(),
                how: l.how.clone(),
                href: l.href.clone(),
                website: l.website.clone(),
            })
            .collect(),
        last_reviewed: d.last_reviewed.clone(),
        note: "Therapy Journal is not an emergency service, and nobody reads answers in real time.".to_owned(),
    }
}

/// Crisis lines and emergency numbers, shipped with the app (works offline, no third parties) or
/// set by the operator; signed in, your country's come first.
#[utoipa::path(get, path = "/api/v1/crisis-resources", operation_id = "getCrisisResources", tag = "assessments",
    responses((status = 200, body = CrisisResources)))]
pub async fn crisis_resources(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Json<CrisisResources> {
    let user = user.as_ref().map(|u| u.unlocked.user());
    let mut out = crisis(&journal_app::accounts::crisis_for(&state, user));
    out.country = user.and_then(journal_app::accounts::country_of).map(|(c, _)| c.to_owned()).filter(|c| !c.is_empty());
    Json(out)
}

#[derive(Deserialize, ToSchema)]
pub struct ScheduleInput {
    /// A questionnaire this journal offers.
    pub instrument: String,
    /// `session`: due in the 3 days before each session date you set (`PUT /prompts/session`);
    /// `weeks`: once every `weeks` weeks.
    pub every: String,
    /// With `weeks`: 1–12.
    pub weeks: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct ScheduleRequest {
    /// At most one per questionnaire; an empty list removes every schedule.
    pub items: Vec<ScheduleInput>,
}

#[derive(Serialize, ToSchema)]
pub struct ScheduleView {
    pub instrument: String,
    /// `session` or `weeks`
    pub every: String,
    pub weeks: Option<u8>,
    /// The day it was set (`YYYY-MM-DD`); weeks count from it.
    pub since: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScheduleList {
    pub items: Vec<ScheduleView>,
}

fn schedule_view(list: Vec<journal_core::assessments::schedule::Schedule>) -> ScheduleList {
    use journal_core::assessments::schedule::Cadence;
    ScheduleList {
        items: list
            .into_iter()
            .map(|s| {
                let (every, weeks) = match s.cadence {
                    Cadence::Session => ("session", None),
                    Cadence::Weeks { weeks } => ("weeks", Some(weeks)),
                };
                ScheduleView {
                    instrument: s.instrument.as_str().to_owned(),
                    every: every.to_owned(),
                    weeks,
                    since: s.since.to_string(),
                }
            })
            .collect(),
    }
}

/// Your questionnaire schedules.
#[utoipa::path(get, path = "/api/v1/assessments/schedule", operation_id = "getAssessmentSchedule", tag = "assessments",
    responses((status = 200, body = ScheduleList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn get_schedule(State(state): State<AppState>, who: CurrentUser) -> Result<Json<ScheduleList>, AppError> {
    Ok(Json(schedule_view(journal_app::health::schedules::load(&state, &who).await?)))
}

/// Sets your questionnaire schedules, replacing the ones before. Missed questionnaires quietly
/// expire; nothing is ever marked as failed.
#[utoipa::path(put, path = "/api/v1/assessments/schedule", operation_id = "putAssessmentSchedule", tag = "assessments", request_body = ScheduleRequest,
    responses((status = 200, body = ScheduleList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn put_schedule(
    State(state): State<AppState>,
    who: CurrentUser,
    ApiJson(req): ApiJson<ScheduleRequest>,
) -> Result<Json<ScheduleList>, AppError> {
    use journal_core::assessments::schedule::Cadence;
    let mut wanted = Vec::with_capacity(req.items.len());
    for item in &req.items {
        let cadence = match (item.every.as_str(), item.weeks) {
            ("session", None) => Cadence::Session,
            ("weeks", Some(w)) if (1..=i64::from(journal_core::assessments::schedule::MAX_WEEKS)).contains(&w) => {
                Cadence::Weeks { weeks: w as u8 }
            }
            ("weeks", _) => return Err(AppError::invalid("weeks", "Choose every 1 to 12 weeks.")),
            ("session", Some(_)) => {
                return Err(AppError::invalid("weeks", "A schedule before each session takes no weeks."));
            }
            _ => return Err(AppError::invalid("every", "Choose session or weeks.")),
        };
        wanted.push((item.instrument.clone(), cadence));
    }
    Ok(Json(schedule_view(journal_app::health::schedules::save(&state, &who, &wanted).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct DueView {
    pub instrument: String,
    pub title: String,
    /// "Before Thursday's session", "This week", "This fortnight", "Every 4 weeks"
    pub label: String,
    /// The window it is due in (`YYYY-MM-DD`); after `until` it quietly expires.
    pub from: String,
    pub until: String,
}

#[derive(Serialize, ToSchema)]
pub struct DueList {
    pub items: Vec<DueView>,
}

/// Questionnaires due now under your schedules, soonest first.
#[utoipa::path(get, path = "/api/v1/assessments/due", operation_id = "listDueAssessments", tag = "assessments",
    responses((status = 200, body = DueList), (status = 401, body = ErrorBody)),
    security(("session_cookie" = []), ("bearer" = [])))]
pub async fn due(State(state): State<AppState>, who: CurrentUser) -> Result<Json<DueList>, AppError> {
    let items = journal_app::health::schedules::due_now(&state, &who)
        .await?
        .into_iter()
        .map(|d| DueView {
            instrument: d.instrument.as_str().to_owned(),
            title: d.instrument.short_name().to_owned(),
            label: d.label,
            from: d.from.to_string(),
            until: d.until.to_string(),
        })
        .collect();
    Ok(Json(DueList { items }))
}
