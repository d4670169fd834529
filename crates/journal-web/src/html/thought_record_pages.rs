//! The challenge log: a thought record one step at a time, no JavaScript needed (each step posts
//! everything written so far and the server shows the next).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::entries::Entry;
use journal_core::thought_records::{DISTORTIONS, Distortion, Feeling, ThoughtRecord, distortion};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::coping::thought_records;

pub const STEP_TITLES: [&str; 7] = [
    "What happened?",
    "What did you feel?",
    "What went through your mind?",
    "Any thinking traps?",
    "Looking at the evidence",
    "A more balanced thought",
    "How do you feel now?",
];
const FEELING_SLOTS: usize = 3;

/// Everything written so far, carried from step to step in the form itself.
#[derive(Default, Clone)]
pub struct Draft {
    pub date: String,
    pub situation: String,
    /// (name, intensity as typed), always `FEELING_SLOTS` long.
    pub feelings: Vec<(String, String)>,
    pub thoughts: String,
    pub traps: Vec<String>,
    pub evidence_for: String,
    pub evidence_against: String,
    pub balanced_thought: String,
    /// Intensity now, as typed, aligned with `feelings`.
    pub rerated: Vec<String>,
}

impl Draft {
    fn from_fields(fields: &[(String, String)]) -> Self {
        let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Draft {
            date: get("date"),
            situation: get("situation"),
            feelings: (1..=FEELING_SLOTS).map(|i| (get(&format!("f{i}_name")), get(&format!("f{i}_level")))).collect(),
            thoughts: get("thoughts"),
            traps: fields.iter().filter(|(f, _)| f == "trap").map(|(_, v)| v.clone()).collect(),
            evidence_for: get("evidence_for"),
            evidence_against: get("evidence_against"),
            balanced_thought: get("balanced_thought"),
            rerated: (1..=FEELING_SLOTS).map(|i| get(&format!("r{i}_level"))).collect(),
        }
    }

    fn from_entry(e: &Entry) -> Self {
        let r = e.content.thought_record.clone().unwrap_or_default();
        let mut feelings: Vec<(String, String)> =
            r.emotions.iter().map(|f| (f.name.clone(), f.intensity.to_string())).collect();
        feelings.resize(FEELING_SLOTS.max(feelings.len()), (String::new(), String::new()));
        let rerated = feelings
            .iter()
            .map(|(name, _)| {
                r.rerated.iter().find(|f| &f.name == name).map(|f| f.intensity.to_string()).unwrap_or_default()
            })
            .collect();
        Draft {
            date: e.entry_date.clone(),
            situation: r.situation,
            feelings,
            thoughts: r.thoughts,
            traps: r.distortions,
            evidence_for: r.evidence_for,
            evidence_against: r.evidence_against,
            balanced_thought: r.balanced_thought,
            rerated,
        }
    }

    /// Every field as a form pair, so steps not shown travel as hidden inputs.
    fn pairs_except(&self, step: usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if step != 1 {
            out.push(("date".into(), self.date.clone()));
            out.push(("situation".into(), self.situation.clone()));
        }
        if step != 2 {
            for (i, (n, l)) in self.feelings.iter().enumerate() {
                out.push((format!("f{}_name", i + 1), n.clone()));
                out.push((format!("f{}_level", i + 1), l.clone()));
            }
        }
        if step != 3 {
            out.push(("thoughts".into(), self.thoughts.clone()));
        }
        if step != 4 {
            out.extend(self.traps.iter().map(|t| ("trap".to_owned(), t.clone())));
        }
        if step != 5 {
            out.push(("evidence_for".into(), self.evidence_for.clone()));
            out.push(("evidence_against".into(), self.evidence_against.clone()));
        }
        if step != 6 {
            out.push(("balanced_thought".into(), self.balanced_thought.clone()));
        }
        if step != 7 {
            for (i, l) in self.rerated.iter().enumerate() {
                out.push((format!("r{}_level", i + 1), l.clone()));
            }
        }
        out.retain(|(_, v)| !v.is_empty());
        out
    }

    fn level(field: &'static str, v: &str) -> Result<u8, AppError> {
        v.trim()
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| AppError::invalid(field, "Rate each feeling with a number from 0 to 100."))
    }

    /// Checks what a step needs before moving on from it.
    fn check_step(&self, step: usize) -> Result<(), AppError> {
        match step {
            1 if self.situation.trim().is_empty() => {
                Err(AppError::invalid("situation", "Please write a few words about what happened."))
            }
            2 => {
                for (name, level) in &self.feelings {
                    if !name.trim().is_empty() {
                        Self::level("emotions", if level.trim().is_empty() { "x" } else { level })?;
                    }
                }
                Ok(())
            }
            3 if self.thoughts.trim().is_empty() => {
                Err(AppError::invalid("thoughts", "Please write down at least one thought, in your own words."))
            }
            7 => {
                for ((name, _), level) in self.feelings.iter().zip(&self.rerated) {
                    if !name.trim().is_empty() && !level.trim().is_empty() {
                        Self::level("rerated", level)?;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn record(&self) -> Result<ThoughtRecord, AppError> {
        let mut emotions = Vec::new();
        let mut rerated = Vec::new();
        for ((name, level), now) in self.feelings.iter().zip(&self.rerated) {
            if name.trim().is_empty() {
                continue;
            }
            emotions.push(Feeling { name: name.trim().to_owned(), intensity: Self::level("emotions", level)? });
            if !now.trim().is_empty() {
                rerated.push(Feeling { name: name.trim().to_owned(), intensity: Self::level("rerated", now)? });
            }
        }
        Ok(ThoughtRecord {
            situation: self.situation.clone(),
            thoughts: self.thoughts.clone(),
            emotions,
            distortions: self.traps.clone(),
            evidence_for: self.evidence_for.clone(),
            evidence_against: self.evidence_against.clone(),
            balanced_thought: self.balanced_thought.clone(),
            rerated,
        })
    }

    fn has_trap(&self, slug: &str) -> bool {
        self.traps.iter().any(|t| t == slug)
    }

    fn named_feelings(&self) -> Vec<(usize, String, String, String)> {
        self.feelings
            .iter()
            .zip(&self.rerated)
            .enumerate()
            .filter(|(_, ((n, _), _))| !n.trim().is_empty())
            .map(|(i, ((n, before), now))| (i + 1, n.clone(), before.clone(), now.clone()))
            .collect()
    }
}

#[derive(Template)]
#[template(path = "thought_record_step.html")]
struct StepPage {
    shell: Shell,
    action: String,
    step: usize,
    title: &'static str,
    draft: Draft,
    hidden: Vec<(String, String)>,
    traps: &'static [Distortion],
    emotion_words: Vec<&'static str>,
    error: Option<AppError>,
    editing: bool,
}

fn step_page(
    user: &PageUser,
    action: String,
    step: usize,
    draft: Draft,
    error: Option<AppError>,
    editing: bool,
) -> Response {
    let step = step.clamp(1, STEP_TITLES.len());
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&StepPage {
        shell: Shell::for_user(&format!("Thought record, step {step} of 7"), user),
        hidden: draft.pairs_except(step),
        action,
        step,
        title: STEP_TITLES[step - 1],
        draft,
        traps: DISTORTIONS,
        emotion_words: journal_core::emotions::EMOTIONS
            .iter()
            .flat_map(|g| std::iter::once(g.core).chain(g.words.iter().copied()))
            .collect(),
        error,
        editing,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn new_record(user: PageUser) -> Response {
    let mut draft = Draft {
        feelings: vec![Default::default(); FEELING_SLOTS],
        rerated: vec![String::new(); FEELING_SLOTS],
        ..Default::default()
    };
    draft.date = journal_core::dates::today_in(&user.current.unlocked.user().time_zone).to_string();
    step_page(&user, "/thought-records/new".into(), 1, draft, None, false)
}

pub async fn edit_record(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let e = thought_records::get_record(&state, &user.current, &id).await.or_page(user.theme)?;
    Ok(step_page(&user, format!("/thought-records/{id}/edit"), 1, Draft::from_entry(&e), None, true))
}

async fn advance(state: &AppState, user: &PageUser, editing: Option<&str>, fields: &[(String, String)]) -> Response {
    let draft = Draft::from_fields(fields);
    let step: usize = fields.iter().find(|(k, _)| k == "step").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
    let go = fields.iter().find(|(k, _)| k == "go").map(|(_, v)| v.as_str()).unwrap_or("next");
    let action = match editing {
        Some(id) => format!("/thought-records/{id}/edit"),
        None => "/thought-records/new".to_owned(),
    };
    match go {
        "back" => step_page(user, action, step.saturating_sub(1).max(1), draft, None, editing.is_some()),
        "save" => {
            // Every step is checked again: the form may have skipped ahead.
            for s in 1..=STEP_TITLES.len() {
                if let Err(e) = draft.check_step(s) {
                    return step_page(user, action, s, draft, Some(e), editing.is_some());
                }
            }
            let result = match draft.record() {
                Ok(r) => match editing {
                    Some(id) => thought_records::update_record(state, &user.current, id, &r, Some(&draft.date))
                        .await
                        .map_err(AppError::from),
                    None => thought_records::create_record(state, &user.current, &r, Some(&draft.date))
                        .await
                        .map_err(AppError::from),
                },
                Err(e) => Err(e),
            };
            match result {
                Ok(e) => Redirect::to(&format!("/thought-records/{}?saved=1", e.id)).into_response(),
                Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
                    let at = match e.field.as_deref() {
                        Some("situation") | Some("date") => 1,
                        Some("emotions") => 2,
                        Some("thoughts") => 3,
                        Some("distortions") => 4,
                        Some("evidence_for") | Some("evidence_against") => 5,
                        Some("balanced_thought") => 6,
                        _ => 7,
                    };
                    step_page(user, action, at, draft, Some(e), editing.is_some())
                }
                Err(e) => error_page(e, user.theme),
            }
        }
        _ => match draft.check_step(step) {
            Ok(()) => step_page(user, action, step + 1, draft, None, editing.is_some()),
            Err(e) => step_page(user, action, step, draft, Some(e), editing.is_some()),
        },
    }
}

pub async fn step(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    advance(&state, &user, None, &fields).await
}

pub async fn step_edit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    advance(&state, &user, Some(&id), &fields).await
}

pub struct RecordRow {
    pub id: String,
    pub date: String,
    pub situation: String,
    pub balanced: String,
}

#[derive(Template)]
#[template(path = "thought_records.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<RecordRow>,
}

fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

pub async fn records(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let list = thought_records::list_records(&state, &user.current).await.or_page(user.theme)?;
    let rows = list
        .into_iter()
        .filter_map(|e| {
            let r = e.content.thought_record?;
            Some(RecordRow {
                id: e.id,
                date: e.entry_date,
                situation: excerpt(&r.situation, 140),
                balanced: excerpt(&r.balanced_thought, 140),
            })
        })
        .collect();
    Ok(render(&ListPage { shell: Shell::for_user("Challenge log", &user), rows }))
}

#[derive(Template)]
#[template(path = "thought_record.html")]
struct RecordPage {
    shell: Shell,
    id: String,
    date: String,
    record: ThoughtRecord,
    traps: Vec<&'static Distortion>,
    saved: bool,
    notice: Option<&'static str>,
    bridge: super::bridge_pages::EntryBridge,
    entry_id_for_share: String,
}

impl RecordPage {
    fn now_for(&self, name: &str) -> Option<u8> {
        self.record.rerated.iter().find(|f| f.name == name).map(|f| f.intensity)
    }
}

#[derive(Deserialize)]
pub struct SavedParam {
    saved: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    crate::html::form::PageQuery(p): crate::html::form::PageQuery<SavedParam>,
) -> Result<Response, PageError> {
    let e = thought_records::get_record(&state, &user.current, &id).await.or_page(user.theme)?;
    let record = e.content.thought_record.clone().unwrap_or_default();
    let bridge = super::bridge_pages::entry_bridge(&state, &user, &e.id, &format!("/thought-records/{}", e.id))
        .await
        .or_page(user.theme)?;
    let notice = match p.notice.as_deref() {
        Some("shared") => Some("Shared. Only this record, and you can stop sharing it at any time."),
        Some("unshared") => Some("It's no longer shared."),
        _ => None,
    };
    Ok(render(&RecordPage {
        notice,
        bridge,
        entry_id_for_share: e.id.clone(),
        shell: Shell::for_user("Thought record", &user),
        traps: record.distortions.iter().filter_map(|d| distortion(d)).collect(),
        id: e.id,
        date: e.entry_date,
        record,
        saved: p.saved.is_some(),
    }))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn delete_record(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    PageForm(f): PageForm<DeleteForm>,
) -> Result<Response, PageError> {
    if f.confirm.is_none() {
        return Ok(Redirect::to(&format!("/thought-records/{id}")).into_response());
    }
    let result = match thought_records::get_record(&state, &user.current, &id).await {
        Ok(_) => journal_app::journal::delete(&state, &user.current, &id).await,
        Err(e) => Err(e),
    };
    result.or_page(user.theme)?;
    Ok(Redirect::to("/thought-records").into_response())
}
