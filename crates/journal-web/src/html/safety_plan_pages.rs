//! The safety plan (`/safety-plan`): read, print and edit it, with the person's crisis lines.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use journal_core::safety_plan::{Contact, STEPS, SafetyPlan};
use serde::Deserialize;

use super::form::PageForm;
use super::page::{OrPage, PageError, error_page, render};
use super::shell::{PageUser, Shell};
use crate::error::AppError;
use crate::state::AppState;
use journal_app::coping::safety_plan;

#[derive(Deserialize)]
pub struct SavedParam {
    saved: Option<String>,
}

pub struct PlanSection {
    pub field: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
    pub lines: Vec<String>,
    pub contacts: Vec<Contact>,
    /// A second list in the same step (places, for step 3).
    pub places: Vec<String>,
}

fn sections(plan: &SafetyPlan) -> Vec<PlanSection> {
    STEPS
        .iter()
        .map(|(field, heading, hint)| {
            let (lines, contacts, places) = match *field {
                "warning_signs" => (plan.warning_signs.clone(), vec![], vec![]),
                "internal_coping" => (plan.internal_coping.clone(), vec![], vec![]),
                "distraction" => (vec![], plan.distraction_people.clone(), plan.distraction_places.clone()),
                "help_people" => (vec![], plan.help_people.clone(), vec![]),
                "professionals" => (vec![], plan.professionals.clone(), vec![]),
                "means_safety" => (plan.means_safety.clone(), vec![], vec![]),
                _ => (plan.reasons_for_living.clone(), vec![], vec![]),
            };
            PlanSection { field, heading, hint, lines, contacts, places }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "safety_plan.html")]
struct PlanPage {
    shell: Shell,
    sections: Vec<PlanSection>,
    empty: bool,
    updated: Option<String>,
    crisis: journal_core::crisis::Directory,
    saved: bool,
}

pub async fn safety_plan(
    State(state): State<AppState>,
    user: PageUser,
    crate::html::form::PageQuery(p): crate::html::form::PageQuery<SavedParam>,
) -> Result<Response, PageError> {
    let (plan, at) = safety_plan::load(&state, &user.current).await.or_page(user.theme)?;
    Ok(render(&PlanPage {
        shell: Shell::for_user("My safety plan", &user),
        sections: sections(&plan),
        empty: plan.is_empty(),
        updated: at.map(|t| journal_core::time_util::rfc3339(t)[..10].to_owned()),
        crisis: journal_app::accounts::crisis_for(&state, Some(user.current.unlocked.user())),
        saved: p.saved.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "safety_plan_edit.html")]
struct PlanEditPage {
    shell: Shell,
    sections: Vec<PlanSection>,
    error: Option<AppError>,
}

/// Contact rows shown: those written plus two empty ones to fill.
fn with_spare_rows(mut s: Vec<PlanSection>) -> Vec<PlanSection> {
    for sec in &mut s {
        if matches!(sec.field, "distraction" | "help_people" | "professionals") {
            sec.contacts.extend([Contact::default(), Contact::default()]);
        }
    }
    s
}

fn edit_page(user: &PageUser, plan: &SafetyPlan, error: Option<AppError>) -> Response {
    let status = error.as_ref().map(|e| e.status);
    let mut res = render(&PlanEditPage {
        shell: Shell::for_user("Edit my safety plan", user),
        sections: with_spare_rows(sections(plan)),
        error,
    });
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn edit_plan(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let (plan, _) = safety_plan::load(&state, &user.current).await.or_page(user.theme)?;
    Ok(edit_page(&user, &plan, None))
}

fn plan_from_fields(fields: &[(String, String)]) -> SafetyPlan {
    let lines = |k: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(f, _)| f == k)
            .flat_map(|(_, v)| v.lines().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    };
    let contacts = |k: &str| -> Vec<Contact> {
        let names = fields.iter().filter(|(f, _)| *f == format!("{k}_name")).map(|(_, v)| v.clone());
        let phones: Vec<String> =
            fields.iter().filter(|(f, _)| *f == format!("{k}_phone")).map(|(_, v)| v.clone()).collect();
        names.enumerate().map(|(i, name)| Contact { name, phone: phones.get(i).cloned().unwrap_or_default() }).collect()
    };
    SafetyPlan {
        warning_signs: lines("warning_signs"),
        internal_coping: lines("internal_coping"),
        distraction_people: contacts("distraction"),
        distraction_places: lines("distraction_places"),
        help_people: contacts("help_people"),
        professionals: contacts("professionals"),
        means_safety: lines("means_safety"),
        reasons_for_living: lines("reasons_for_living"),
    }
}

pub async fn save_plan(
    State(state): State<AppState>,
    user: PageUser,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    let plan = plan_from_fields(&fields);
    match safety_plan::save(&state, &user.current, &plan).await.map_err(AppError::from) {
        Ok(_) => Redirect::to("/safety-plan?saved=1").into_response(),
        Err(e) if e.status.is_client_error() => edit_page(&user, &plan, Some(e)),
        Err(e) => error_page(e, user.theme),
    }
}
