//! A therapist proposes a questionnaire schedule, a session date, or both, to a linked client who
//! shares questionnaires; the client accepts (it becomes their own schedule or session date) or
//! declines. Proposals travel like homework: sealed under a fresh key boxed therapist → client,
//! one current proposal per link, kept in a document under the therapist's id.

use std::collections::{BTreeMap, BTreeSet};

use journal_core::assessments::schedule::Cadence;
use journal_core::bridge::{SCHEDULE_PROPOSALS, proposal_content_aad, proposal_key_aad};
use journal_core::ids::new_id;
use journal_core::records::{PROPOSALS_ANSWERED, open_document, seal_document};
use journal_core::time_util::{Timestamp, now};
use journal_crypto::{SymmetricKey, box_key, open, seal, unbox_key};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::UnlockedUser;
use crate::bridge::{self, Link};
use crate::error::ServiceError;

/// What the therapist proposes; the instrument is checked against what this journal offers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Proposal {
    /// `phq9`, `phq4`, … with its cadence, when a schedule is proposed.
    pub schedule: Option<(String, Cadence)>,
    /// `YYYY-MM-DD`, when a session date is proposed.
    pub session_date: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    id: String,
    created_at: Timestamp,
    key_box: Vec<u8>,
    content: Vec<u8>,
}

/// A proposal as either side reads it.
pub struct Open {
    pub id: String,
    pub created_at: Timestamp,
    pub proposal: Proposal,
    /// `pending`, `accepted` or `declined` (the client's answer; the therapist sees `pending`
    /// until a newer proposal replaces it, since answers stay on the client's side).
    pub status: &'static str,
}

async fn all(app: &App, therapist_id: &str) -> Result<BTreeMap<String, Sealed>, ServiceError> {
    match app.store.document(therapist_id, SCHEDULE_PROPOSALS).await? {
        Some((blob, _)) if !blob.is_empty() => serde_json::from_slice(&blob).map_err(|_| ServiceError::internal()),
        _ => Ok(BTreeMap::new()),
    }
}

fn pair(who: &UnlockedUser) -> Result<journal_crypto::UserKeyPair, ServiceError> {
    who.key_pair().ok_or_else(ServiceError::internal)
}

/// Checks a proposal: at least one part, an offered instrument, a cadence in range, a real date.
fn check(app: &App, p: &Proposal) -> Result<Proposal, ServiceError> {
    if p.schedule.is_none() && p.session_date.as_deref().is_none_or(|d| d.trim().is_empty()) {
        return Err(ServiceError::invalid("schedule", "Propose a questionnaire schedule, a session date, or both."));
    }
    let schedule = match &p.schedule {
        Some((id, cadence)) => {
            let instrument = crate::health::assessments::instrument(app, id)?;
            let today = journal_core::dates::today_in("UTC");
            journal_core::assessments::schedule::Schedule { instrument, cadence: *cadence, since: today }.check()?;
            Some((instrument.as_str().to_owned(), *cadence))
        }
        None => None,
    };
    let session_date = match p.session_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(journal_core::dates::parse_date("session_date", d)?.to_string()),
        None => None,
    };
    Ok(Proposal { schedule, session_date })
}

/// The therapist's proposal to one client; 404 unless linked, 422 unless the client shares
/// questionnaires (when only a schedule is proposed) or the proposal is bad. Nothing is stored
/// on any error.
pub async fn propose(app: &App, who: &UnlockedUser, client_id: &str, p: &Proposal) -> Result<Open, ServiceError> {
    let link = bridge::therapist_link_for(app, who, client_id).await?;
    if p.schedule.is_some() && !link.record.share_assessments {
        return Err(ServiceError::invalid(
            "schedule",
            "This client doesn't share questionnaires with you, so a schedule can't be proposed.",
        ));
    }
    let proposal = check(app, p)?;
    let id = new_id();
    let key = SymmetricKey::generate();
    let key_box = box_key(&pair(who)?, &link.client.public_key, &key, &proposal_key_aad(&id, &link.record.id))
        .map_err(|_| ServiceError::internal())?;
    let json = serde_json::to_vec(&proposal).map_err(|_| ServiceError::internal())?;
    let content = seal(&key, &proposal_content_aad(&id, &link.record.id), &json);
    let mut list = all(app, who.id()).await?;
    let created_at = now();
    list.insert(link.record.id.clone(), Sealed { id: id.clone(), created_at, key_box, content });
    // Links that have ended leave nothing behind.
    let linked: BTreeSet<String> = bridge::links(app, who).await?.into_iter().map(|l| l.record.id).collect();
    list.retain(|k, _| linked.contains(k));
    let blob = serde_json::to_vec(&list).map_err(|_| ServiceError::internal())?;
    app.store.put_document(who.id(), SCHEDULE_PROPOSALS, &blob, now()).await?;
    Ok(Open { id, created_at, proposal, status: "pending" })
}

fn open_sealed(who: &UnlockedUser, link: &Link, s: &Sealed) -> Result<Proposal, ServiceError> {
    let other = if who.id() == link.therapist.id { &link.client.public_key } else { &link.therapist.public_key };
    let key = unbox_key(&pair(who)?, other, &s.key_box, &proposal_key_aad(&s.id, &link.record.id))
        .map_err(|_| crate::damaged::error("schedule proposal", &s.id))?;
    let json = open(&key, &proposal_content_aad(&s.id, &link.record.id), &s.content)
        .map_err(|_| crate::damaged::error("schedule proposal", &s.id))?;
    serde_json::from_slice(&json).map_err(|_| crate::damaged::error("schedule proposal", &s.id))
}

async fn answered(app: &App, who: &UnlockedUser) -> Result<BTreeMap<String, String>, ServiceError> {
    match app.store.document(who.id(), PROPOSALS_ANSWERED).await? {
        Some((blob, _)) if !blob.is_empty() => {
            open_document(who, PROPOSALS_ANSWERED, &blob).map_err(|_| ServiceError::internal())
        }
        _ => Ok(BTreeMap::new()),
    }
}

/// The current proposal on one of the client's links, if any.
pub async fn current(app: &App, who: &UnlockedUser, connection_id: &str) -> Result<Option<Open>, ServiceError> {
    let link = bridge::client_link_for(app, who, connection_id).await?;
    let Some(s) = all(app, &link.therapist.id).await?.remove(connection_id) else { return Ok(None) };
    let proposal = open_sealed(who, &link, &s)?;
    let status = match answered(app, who).await?.get(&s.id).map(String::as_str) {
        Some("accepted") => "accepted",
        Some("declined") => "declined",
        _ => "pending",
    };
    Ok(Some(Open { id: s.id, created_at: s.created_at, proposal, status }))
}

/// The therapist's latest proposal to one client.
pub async fn latest_sent(app: &App, who: &UnlockedUser, client_id: &str) -> Result<Option<Open>, ServiceError> {
    let link = bridge::therapist_link_for(app, who, client_id).await?;
    let Some(s) = all(app, who.id()).await?.remove(&link.record.id) else { return Ok(None) };
    let proposal = open_sealed(who, &link, &s)?;
    Ok(Some(Open { id: s.id, created_at: s.created_at, proposal, status: "pending" }))
}

/// The client accepts (the schedule joins their own, the session date becomes theirs) or
/// declines. 404 when there is no such pending proposal.
pub async fn answer(
    app: &App,
    who: &UnlockedUser,
    connection_id: &str,
    proposal_id: &str,
    accept: bool,
) -> Result<Open, ServiceError> {
    let mut open = current(app, who, connection_id).await?.ok_or_else(ServiceError::not_found)?;
    if open.id != proposal_id || open.status != "pending" {
        return Err(ServiceError::not_found());
    }
    if accept {
        if let Some((id, cadence)) = &open.proposal.schedule {
            let mut wanted: Vec<(String, Cadence)> = crate::health::schedules::load(app, who)
                .await?
                .into_iter()
                .filter(|s| s.instrument.as_str() != id)
                .map(|s| (s.instrument.as_str().to_owned(), s.cadence))
                .collect();
            wanted.push((id.clone(), *cadence));
            crate::health::schedules::save(app, who, &wanted).await?;
        }
        if let Some(d) = &open.proposal.session_date {
            crate::prompts::set_session_date(app, who, Some(d)).await?;
        }
    }
    let mut list = answered(app, who).await?;
    list.insert(open.id.clone(), if accept { "accepted" } else { "declined" }.to_owned());
    app.store.put_document(who.id(), PROPOSALS_ANSWERED, &seal_document(who, PROPOSALS_ANSWERED, &list), now()).await?;
    open.status = if accept { "accepted" } else { "declined" };
    Ok(open)
}
