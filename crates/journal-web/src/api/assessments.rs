//! Questionnaires and crisis resources: `/api/v1/assessments…`, `/api/v1/crisis-resources`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use journal_core::assessments::{Change, Direction, InstrumentId};
use journal_core::crisis::Directory;
use journal_core::metrics::Assessment;
use journal_core::time_util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::json::{ApiJson, ApiQuery};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, ErrorBody};
use crate::server::AppState;
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
pub struct InstrumentView {
    /// `phq9`, `gad7` or `who5`
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
    let ids = [InstrumentId::Phq9, InstrumentId::Gad7, InstrumentId::Who5];
    Json(
        ids.into_iter()
            .filter(|id| *id != InstrumentId::Who5 || state.config.who5_enabled)
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
                }
            })
            .collect(),
    )
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// `phq9`, `gad7` or `who5`
    pub instrument: String,
    /// PHQ-9: 9 answers 0–3, optionally a 10th (difficulty, not added); GAD-7: 7 answers 0–3;
    /// WHO-5: 5 answers 0–5.
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
}

fn view(a: Assessment, change: Option<Change>, lines: &Directory) -> AssessmentView {
    let self_harm = a.content.self_harm;
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
