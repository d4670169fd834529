//! The therapist bridge. A client links to a therapist with a single-use code, then shares
//! entries one by one (the entry's key, boxed from client to therapist) and, if they choose, mood,
//! questionnaires and goal progress (the metrics key, boxed the same way). Therapists see only
//! what was shared; anything else answers 404. Every therapist read is written to the client's
//! hash-chained access log.

use std::collections::HashMap;

use jiff::ToSpan;
use journal_core::Role;
use journal_core::bridge::{
    AssignmentRecord, CommentRecord, ConnectionRecord, Event, GOALS_DIGEST, INVITE_DAYS, InviteRecord, ShareRecord,
    Sharing, comment_aad, goals_digest_aad, homework_content_aad, homework_key_aad, invite_hash, metrics_aad,
    new_invite_code, share_aad,
};
use journal_core::entries::{Entry, entry_key, open_with_key};
use journal_core::ids::{looks_like_id, new_id};
use journal_core::metrics::{Assessment, Mood, open_assessment, open_mood};
use journal_core::time_util::{Timestamp, now};
use journal_core::validate::ValidationError;
use journal_core::{UnlockedUser, UserRecord};
use journal_crypto::{SymmetricKey, UserKeyPair, box_key, open, seal, unbox_key};

use crate::App;
use crate::error::ServiceError;

pub mod packet;
pub mod proposals;
pub mod summary;

pub use crate::goals::GoalDigest;

fn is_therapist(who: &UnlockedUser) -> bool {
    who.user().role == Role::Therapist
}

/// Therapist-only routes answer 404 to anyone else, like any other thing they may not see.
fn therapist_only(who: &UnlockedUser) -> Result<(), ServiceError> {
    if is_therapist(who) { Ok(()) } else { Err(ServiceError::not_found()) }
}

fn client_only(who: &UnlockedUser) -> Result<(), ServiceError> {
    if is_therapist(who) { Err(ServiceError::not_found()) } else { Ok(()) }
}

fn key_pair(user: &UnlockedUser) -> Result<UserKeyPair, ServiceError> {
    user.key_pair().ok_or_else(|| {
        tracing::error!("a user's key pair failed to unwrap");
        ServiceError::internal()
    })
}

fn crypto_failed() -> ServiceError {
    tracing::error!("a shared key failed to open");
    ServiceError::internal()
}

// ---------------------------------------------------------------- invites and links

pub struct NewInvite {
    pub code: String,
    pub expires_at: Timestamp,
}

pub async fn create_invite(app: &App, who: &UnlockedUser) -> Result<NewInvite, ServiceError> {
    therapist_only(who)?;
    let code = new_invite_code();
    let at = now();
    let expires_at = at + INVITE_DAYS * 86_400;
    app.store
        .create_invite(&InviteRecord {
            code_hash: invite_hash(&code),
            therapist_id: who.id().to_owned(),
            created_at: at,
            expires_at,
            used_at: None,
        })
        .await?;
    Ok(NewInvite { code, expires_at })
}

pub struct InvitePreview {
    pub therapist: UserRecord,
    pub fingerprint: String,
}

fn invalid_code() -> ServiceError {
    ValidationError::new(
        "code",
        "That code didn't work. Codes are single use and last seven days; ask your therapist for a new one if needed.",
    )
    .into()
}

pub async fn preview_invite(app: &App, who: &UnlockedUser, code: &str) -> Result<InvitePreview, ServiceError> {
    client_only(who)?;
    let invite = app.store.invite(&invite_hash(code)).await?.ok_or_else(invalid_code)?;
    if invite.used_at.is_some() || invite.expires_at <= now() {
        return Err(invalid_code());
    }
    let therapist = app.store.user_by_id(&invite.therapist_id).await?.ok_or_else(invalid_code)?;
    if therapist.disabled {
        return Err(invalid_code());
    }
    let fingerprint = journal_crypto::fingerprint(&therapist.public_key);
    Ok(InvitePreview { therapist, fingerprint })
}

pub async fn accept_invite(app: &App, who: &UnlockedUser, code: &str) -> Result<ConnectionRecord, ServiceError> {
    let preview = preview_invite(app, who, code).await?;
    let c = ConnectionRecord {
        id: new_id(),
        therapist_id: preview.therapist.id.clone(),
        client_id: who.id().to_owned(),
        created_at: now(),
        share_mood: false,
        share_assessments: false,
        share_goals: false,
        metrics_box: None,
    };
    match app.store.redeem_invite(&invite_hash(code), &c, now()).await {
        Ok(true) => Ok(c),
        Ok(false) => Err(invalid_code()),
        Err(journal_core::StoreError::Conflict(_)) => {
            Err(ServiceError::conflict("already_linked", "You're already linked with this therapist."))
        }
        Err(e) => Err(e.into()),
    }
}

/// A link as either side sees it.
#[derive(Clone)]
pub struct Link {
    pub record: ConnectionRecord,
    pub therapist: UserRecord,
    pub client: UserRecord,
}

impl Link {
    pub fn sharing(&self) -> Sharing {
        Sharing {
            mood: self.record.share_mood,
            assessments: self.record.share_assessments,
            goals: self.record.share_goals,
        }
    }
}

pub async fn links(app: &App, who: &UnlockedUser) -> Result<Vec<Link>, ServiceError> {
    let mut out = Vec::new();
    for c in app.store.connections(who.id()).await? {
        let (Some(therapist), Some(client)) =
            (app.store.user_by_id(&c.therapist_id).await?, app.store.user_by_id(&c.client_id).await?)
        else {
            continue;
        };
        out.push(Link { record: c, therapist, client });
    }
    Ok(out)
}

pub async fn end_link(app: &App, who: &UnlockedUser, id: &str) -> Result<(), ServiceError> {
    if !looks_like_id(id) {
        return Err(ServiceError::not_found());
    }
    let ended = app.store.delete_connection(who.id(), id).await?.ok_or_else(ServiceError::not_found)?;
    let therapist = app.store.user_by_id(&ended.therapist_id).await?;
    let note = crate::accounts::access_log::Note {
        event: Event::LinkEnded,
        actor: if is_therapist(who) {
            crate::accounts::access_log::THERAPIST
        } else {
            crate::accounts::access_log::OWNER
        },
        therapist: therapist.as_ref().map(|t| (t.id.as_str(), t.display_name.as_str())),
        item_kind: "connection",
        item_id: id,
        detail: String::new(),
    };
    crate::accounts::access_log::append(app.store.as_ref(), &app.settings.access_log_key, &ended.client_id, note)
        .await?;
    // The client's metrics key is replaced now if the client is the one here; otherwise at their
    // next request that needs it.
    if !is_therapist(who) {
        crate::health::metrics_key::rotate_if_pending(app, who).await?;
    }
    Ok(())
}

async fn client_link(app: &App, who: &UnlockedUser, id: &str) -> Result<Link, ServiceError> {
    client_only(who)?;
    links(app, who)
        .await?
        .into_iter()
        .find(|l| l.record.id == id && l.record.client_id == who.id())
        .ok_or_else(ServiceError::not_found)
}

/// Turns sharing of mood, questionnaires and goal progress on or off for one link.
pub async fn set_sharing(app: &App, who: &UnlockedUser, id: &str, sharing: Sharing) -> Result<Link, ServiceError> {
    let link = client_link(app, who, id).await?;
    let metrics_box = if sharing.any() {
        let key = crate::health::metrics_key::key(app, who).await?;
        let pair = key_pair(who)?;
        Some(
            box_key(&pair, &link.therapist.public_key, &key, &metrics_aad(id, who.id()))
                .map_err(|_| crypto_failed())?,
        )
    } else {
        None
    };
    app.store.set_metrics_sharing(who.id(), id, sharing, metrics_box.as_deref()).await?;
    let before = link.sharing();
    for (kind, item, was, now) in [
        ("moods", "history", before.mood, sharing.mood),
        ("assessments", "history", before.assessments, sharing.assessments),
        ("goals", "progress", before.goals, sharing.goals),
    ] {
        if was != now {
            let event = if now { Event::Shared } else { Event::Unshared };
            owner_with(app, who, event, &link.therapist, kind, item).await?;
        }
    }
    if sharing.goals {
        crate::goals::refresh_digest(app, who).await?;
    }
    client_link(app, who, id).await
}

// ---------------------------------------------------------------- entry shares

/// Entry id → ids of the links it is shared over (the client's own view).
pub async fn shares_by_entry(app: &App, who: &UnlockedUser) -> Result<HashMap<String, Vec<String>>, ServiceError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    if is_therapist(who) {
        return Ok(out);
    }
    for s in app.store.shares_of_client(who.id()).await? {
        out.entry(s.entry_id).or_default().push(s.connection_id);
    }
    Ok(out)
}

pub async fn share_entry(
    app: &App,
    who: &UnlockedUser,
    entry_id: &str,
    connection_id: &str,
) -> Result<(), ServiceError> {
    let link = client_link(app, who, connection_id).await?;
    if !looks_like_id(entry_id) {
        return Err(ServiceError::not_found());
    }
    let record = app.store.entry(who.id(), entry_id).await?.ok_or_else(ServiceError::not_found)?;
    let cek = entry_key(who, &record).map_err(|_| crypto_failed())?;
    let pair = key_pair(who)?;
    let key_box = box_key(&pair, &link.therapist.public_key, &cek, &share_aad(entry_id, connection_id))
        .map_err(|_| crypto_failed())?;
    let share = ShareRecord {
        entry_id: entry_id.to_owned(),
        connection_id: connection_id.to_owned(),
        key_box,
        created_at: now(),
    };
    if !app.store.put_share(who.id(), &share).await? {
        return Err(ServiceError::not_found());
    }
    owner_with(app, who, Event::Shared, &link.therapist, "entry", entry_id).await
}

pub async fn unshare_entry(
    app: &App,
    who: &UnlockedUser,
    entry_id: &str,
    connection_id: &str,
) -> Result<(), ServiceError> {
    let link = client_link(app, who, connection_id).await?;
    if !app.store.delete_share(who.id(), entry_id, connection_id).await? {
        return Err(ServiceError::not_found());
    }
    owner_with(app, who, Event::Unshared, &link.therapist, "entry", entry_id).await
}

/// Records, in the client's log, something the client did that involves one therapist.
async fn owner_with(
    app: &App,
    who: &UnlockedUser,
    event: Event,
    therapist: &UserRecord,
    item_kind: &str,
    item_id: &str,
) -> Result<(), ServiceError> {
    let note = crate::accounts::access_log::Note {
        event,
        actor: crate::accounts::access_log::OWNER,
        therapist: Some((&therapist.id, &therapist.display_name)),
        item_kind,
        item_id,
        detail: String::new(),
    };
    crate::accounts::access_log::append(app.store.as_ref(), &app.settings.access_log_key, who.id(), note).await
}

// ---------------------------------------------------------------- the therapist's side

/// The link to this client, for a therapist; 404 when there is none.
async fn therapist_link(app: &App, who: &UnlockedUser, client_id: &str) -> Result<Link, ServiceError> {
    therapist_only(who)?;
    if !looks_like_id(client_id) {
        return Err(ServiceError::not_found());
    }
    links(app, who)
        .await?
        .into_iter()
        .find(|l| l.record.client_id == client_id && l.record.therapist_id == who.id())
        .ok_or_else(ServiceError::not_found)
}

/// [`therapist_link`] for the other services of the bridge.
pub async fn therapist_link_for(app: &App, who: &UnlockedUser, client_id: &str) -> Result<Link, ServiceError> {
    therapist_link(app, who, client_id).await
}

/// [`client_link`] for the other services of the bridge.
pub async fn client_link_for(app: &App, who: &UnlockedUser, id: &str) -> Result<Link, ServiceError> {
    client_link(app, who, id).await
}

/// Records that this therapist displayed `kind`/`item` of the client's; `detail` is metadata
/// such as how many titles a list showed.
pub async fn log_read(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    kind: &str,
    item: &str,
    detail: &str,
) -> Result<(), ServiceError> {
    let note = crate::accounts::access_log::Note {
        event: Event::Read,
        actor: crate::accounts::access_log::THERAPIST,
        therapist: Some((who.id(), &who.user().display_name)),
        item_kind: kind,
        item_id: item,
        detail: detail.to_owned(),
    };
    crate::accounts::access_log::append(app.store.as_ref(), &app.settings.access_log_key, client_id, note).await
}

async fn log(app: &App, who: &UnlockedUser, client_id: &str, kind: &str, item: &str) -> Result<(), ServiceError> {
    log_read(app, who, client_id, kind, item, "").await
}

fn open_shared(
    who: &UnlockedUser,
    link: &Link,
    record: &journal_core::entries::EntryRecord,
    share: &ShareRecord,
) -> Result<Entry, ServiceError> {
    let pair = key_pair(who)?;
    let cek = unbox_key(&pair, &link.client.public_key, &share.key_box, &share_aad(&record.id, &share.connection_id))
        .map_err(|_| crypto_failed())?;
    open_with_key(record, &cek).map_err(|_| crypto_failed())
}

/// The client's shared entries, newest first. Nothing is logged here: the caller logs what it
/// actually displays (whole entries over the API, titles on the client page).
pub async fn client_entries(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
) -> Result<(Link, Vec<Entry>), ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    let mut out = Vec::new();
    // A shared entry that can't be opened is left out, so one bad row never hides the others.
    for (record, share) in app.store.shared_entries(who.id(), client_id).await? {
        match open_shared(who, &link, &record, &share) {
            Ok(entry) => out.push(entry),
            Err(_) => crate::damaged::note("shared entry", &record.id),
        }
    }
    Ok((link, out))
}

/// One shared entry with its key (for comments), its read logged; 404 unless shared with this
/// therapist.
pub async fn client_entry(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    entry_id: &str,
) -> Result<(Link, Entry, SymmetricKey), ServiceError> {
    let found = open_client_entry(app, who, client_id, entry_id).await?;
    log(app, who, client_id, "entry", entry_id).await?;
    Ok(found)
}

/// [`client_entry`] without the log row, for the comments that go with an entry view already
/// logged (or about to be, after a comment's redirect).
async fn open_client_entry(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    entry_id: &str,
) -> Result<(Link, Entry, SymmetricKey), ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    let found = app
        .store
        .shared_entries(who.id(), client_id)
        .await?
        .into_iter()
        .find(|(r, _)| r.id == entry_id)
        .ok_or_else(ServiceError::not_found)?;
    let pair = key_pair(who)?;
    let cek = unbox_key(&pair, &link.client.public_key, &found.1.key_box, &share_aad(entry_id, &found.1.connection_id))
        .map_err(|_| crate::damaged::error("shared entry", entry_id))?;
    let entry = open_with_key(&found.0, &cek).map_err(|_| crate::damaged::error("shared entry", entry_id))?;
    Ok((link, entry, cek))
}

fn metrics_key_for(who: &UnlockedUser, link: &Link) -> Result<SymmetricKey, ServiceError> {
    let b = link.record.metrics_box.as_deref().ok_or_else(ServiceError::not_found)?;
    let pair = key_pair(who)?;
    unbox_key(&pair, &link.client.public_key, b, &metrics_aad(&link.record.id, &link.client.id))
        .map_err(|_| crypto_failed())
}

/// Shared mood check-ins since `from` (a timestamp), oldest first; 404 unless mood is shared.
pub async fn client_moods(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    from: Timestamp,
) -> Result<Vec<Mood>, ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    if !link.record.share_mood {
        return Err(ServiceError::not_found());
    }
    let key = metrics_key_for(who, &link)?;
    let records = app.store.list_moods(client_id, from, i64::MAX).await?;
    // One damaged check-in must not hide the rest of the client's chart.
    let moods = records
        .iter()
        .filter_map(|r| open_mood(&key, r).inspect_err(|_| crate::damaged::note("mood", &r.id)).ok())
        .collect();
    log(app, who, client_id, "moods", "history").await?;
    Ok(moods)
}

/// Shared questionnaire results, newest first; 404 unless questionnaires are shared.
pub async fn client_assessments(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
) -> Result<Vec<Assessment>, ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    if !link.record.share_assessments {
        return Err(ServiceError::not_found());
    }
    let key = metrics_key_for(who, &link)?;
    let records = app.store.list_assessments(client_id, None).await?;
    let list = records
        .iter()
        .filter_map(|r| open_assessment(&key, r).inspect_err(|_| crate::damaged::note("assessment", &r.id)).ok())
        .collect();
    log(app, who, client_id, "assessments", "history").await?;
    Ok(list)
}

// ---------------------------------------------------------------- goals digest

pub async fn client_goals(app: &App, who: &UnlockedUser, client_id: &str) -> Result<Vec<GoalDigest>, ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    if !link.record.share_goals {
        return Err(ServiceError::not_found());
    }
    let key = metrics_key_for(who, &link)?;
    let Some((blob, _)) = app.store.document(client_id, GOALS_DIGEST).await?.filter(|(b, _)| !b.is_empty()) else {
        return Ok(Vec::new());
    };
    let json = open(&key, &goals_digest_aad(client_id), &blob).map_err(|_| crypto_failed())?;
    let list = serde_json::from_slice(&json).map_err(|_| crypto_failed())?;
    log(app, who, client_id, "goals", "progress").await?;
    Ok(list)
}

// ---------------------------------------------------------------- comments

pub const MAX_COMMENT_CHARS: usize = 5_000;

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub mine: bool,
    pub created_at: Timestamp,
    pub body: String,
}

fn check_body(body: &str) -> Result<String, ServiceError> {
    let b = journal_core::validate::multi_line(body);
    let b = b.trim();
    if b.is_empty() {
        return Err(ValidationError::new("body", "Please write a few words.").into());
    }
    if b.chars().count() > MAX_COMMENT_CHARS {
        return Err(ValidationError::new("body", "Please keep a comment under 5,000 characters.").into());
    }
    Ok(b.to_owned())
}

async fn add_comment(
    app: &App,
    who: &UnlockedUser,
    entry_id: &str,
    cek: &SymmetricKey,
    body: &str,
) -> Result<Comment, ServiceError> {
    let body = check_body(body)?;
    let id = new_id();
    let at = now();
    let sealed = seal(cek, &comment_aad(&id, entry_id), body.as_bytes());
    app.store
        .insert_comment(&CommentRecord {
            id: id.clone(),
            entry_id: entry_id.to_owned(),
            author_id: who.id().to_owned(),
            created_at: at,
            body: sealed,
        })
        .await?;
    Ok(Comment {
        id,
        author_id: who.id().to_owned(),
        author_name: who.user().display_name.clone(),
        mine: true,
        created_at: at,
        body,
    })
}

async fn read_comments(
    app: &App,
    who: &UnlockedUser,
    entry_id: &str,
    cek: &SymmetricKey,
) -> Result<Vec<Comment>, ServiceError> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for c in app.store.comments(entry_id).await? {
        let body = open(cek, &comment_aad(&c.id, entry_id), &c.body).map_err(|_| crypto_failed())?;
        if !names.contains_key(&c.author_id) {
            let name = app.store.user_by_id(&c.author_id).await?.map(|u| u.display_name).unwrap_or_default();
            names.insert(c.author_id.clone(), name);
        }
        out.push(Comment {
            author_name: names.get(&c.author_id).cloned().unwrap_or_default(),
            mine: c.author_id == who.id(),
            author_id: c.author_id,
            id: c.id,
            created_at: c.created_at,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    Ok(out)
}

/// A therapist's comment on an entry shared with them.
pub async fn therapist_comment(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    entry_id: &str,
    body: &str,
) -> Result<Comment, ServiceError> {
    let (_, _, cek) = open_client_entry(app, who, client_id, entry_id).await?;
    add_comment(app, who, entry_id, &cek, body).await
}

pub async fn therapist_comments(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    entry_id: &str,
) -> Result<Vec<Comment>, ServiceError> {
    let (_, _, cek) = open_client_entry(app, who, client_id, entry_id).await?;
    read_comments(app, who, entry_id, &cek).await
}

async fn own_entry_key(app: &App, who: &UnlockedUser, entry_id: &str) -> Result<SymmetricKey, ServiceError> {
    client_only(who)?;
    if !looks_like_id(entry_id) {
        return Err(ServiceError::not_found());
    }
    let record = app.store.entry(who.id(), entry_id).await?.ok_or_else(ServiceError::not_found)?;
    entry_key(who, &record).map_err(|_| crypto_failed())
}

/// The comments on one of the client's own entries.
pub async fn own_comments(app: &App, who: &UnlockedUser, entry_id: &str) -> Result<Vec<Comment>, ServiceError> {
    let cek = own_entry_key(app, who, entry_id).await?;
    read_comments(app, who, entry_id, &cek).await
}

/// The client's reply on their own entry.
pub async fn reply(app: &App, who: &UnlockedUser, entry_id: &str, body: &str) -> Result<Comment, ServiceError> {
    let cek = own_entry_key(app, who, entry_id).await?;
    add_comment(app, who, entry_id, &cek, body).await
}

// ---------------------------------------------------------------- homework

pub const MAX_HOMEWORK_CHARS: usize = 1_000;

#[derive(Debug, Clone)]
pub struct Homework {
    pub id: String,
    pub connection_id: String,
    pub text: String,
    pub due_date: Option<String>,
    pub created_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub answer_entry_id: Option<String>,
    pub therapist_name: String,
}

pub async fn assign(
    app: &App,
    who: &UnlockedUser,
    client_id: &str,
    text: &str,
    due_date: Option<&str>,
) -> Result<Homework, ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    let text = journal_core::validate::multi_line(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::new("prompt_text", "Please write the prompt.").into());
    }
    if text.chars().count() > MAX_HOMEWORK_CHARS {
        return Err(ValidationError::new("prompt_text", "Please keep homework under 1,000 characters.").into());
    }
    let due = match due_date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(journal_core::dates::parse_date("due_date", d)?.to_string()),
        None => None,
    };
    let id = new_id();
    let key = SymmetricKey::generate();
    let pair = key_pair(who)?;
    let key_box = box_key(&pair, &link.client.public_key, &key, &homework_key_aad(&id, &link.record.id))
        .map_err(|_| crypto_failed())?;
    let at = now();
    let record = AssignmentRecord {
        id: id.clone(),
        connection_id: link.record.id.clone(),
        created_at: at,
        due_date: due.clone(),
        content: seal(&key, &homework_content_aad(&id, &link.record.id), text.as_bytes()),
        key_box,
        answered_at: None,
        answer_entry_id: None,
    };
    app.store.insert_assignment(&record).await?;
    Ok(Homework {
        id,
        connection_id: link.record.id,
        text: text.to_owned(),
        due_date: due,
        created_at: at,
        answered_at: None,
        answer_entry_id: None,
        therapist_name: who.user().display_name.clone(),
    })
}

/// Homework on the given links, opened with the right box direction.
async fn homework_on(app: &App, who: &UnlockedUser, links: &[Link]) -> Result<Vec<Homework>, ServiceError> {
    let ids: Vec<String> = links.iter().map(|l| l.record.id.clone()).collect();
    let pair = key_pair(who)?;
    let mut out = Vec::new();
    for a in app.store.assignments(&ids).await? {
        let Some(link) = links.iter().find(|l| l.record.id == a.connection_id) else { continue };
        // Boxed therapist → client: each side opens it with the other's public key.
        let other = if who.id() == link.therapist.id { &link.client.public_key } else { &link.therapist.public_key };
        let key = unbox_key(&pair, other, &a.key_box, &homework_key_aad(&a.id, &a.connection_id))
            .map_err(|_| crypto_failed())?;
        let text =
            open(&key, &homework_content_aad(&a.id, &a.connection_id), &a.content).map_err(|_| crypto_failed())?;
        out.push(Homework {
            id: a.id,
            connection_id: a.connection_id,
            text: String::from_utf8_lossy(&text).into_owned(),
            due_date: a.due_date,
            created_at: a.created_at,
            answered_at: a.answered_at,
            answer_entry_id: a.answer_entry_id,
            therapist_name: link.therapist.display_name.clone(),
        });
    }
    Ok(out)
}

/// The client's homework from every linked therapist, newest first.
pub async fn my_homework(app: &App, who: &UnlockedUser) -> Result<Vec<Homework>, ServiceError> {
    if is_therapist(who) {
        return Ok(Vec::new());
    }
    let mine: Vec<Link> = links(app, who).await?.into_iter().filter(|l| l.record.client_id == who.id()).collect();
    homework_on(app, who, &mine).await
}

/// What a therapist assigned one client.
pub async fn client_homework(app: &App, who: &UnlockedUser, client_id: &str) -> Result<Vec<Homework>, ServiceError> {
    let link = therapist_link(app, who, client_id).await?;
    homework_on(app, who, std::slice::from_ref(&link)).await
}

/// Called when an entry answers a prompt `hw-<id>`.
pub async fn homework_answered(
    app: &App,
    who: &UnlockedUser,
    prompt_id: &str,
    entry_id: &str,
) -> Result<(), ServiceError> {
    if let Some(id) = prompt_id.strip_prefix("hw-") {
        app.store.answer_assignment(who.id(), id, entry_id, now()).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- access log

pub async fn access_log(app: &App, who: &UnlockedUser) -> Result<Vec<journal_core::bridge::AccessRow>, ServiceError> {
    client_only(who)?;
    let mut rows = app.store.access_log(who.id()).await?;
    rows.reverse();
    Ok(rows)
}

/// Days back from today a link may ask for in a summary.
pub fn since(days: i64) -> Timestamp {
    jiff::Timestamp::now().checked_sub(days.hours() * 24).map(|t| t.as_second()).unwrap_or(0)
}

// ---------------------------------------------------------------- caseload

pub struct LatestScore {
    pub instrument: &'static str,
    pub total: u8,
    pub severity: String,
    pub delta: Option<i16>,
    pub reliable: bool,
    pub direction: &'static str,
    pub date: String,
}

pub struct CaseloadRow {
    pub client_id: String,
    pub name: String,
    pub linked_at: Timestamp,
    pub shared_entries: usize,
    /// The newest shared item or check-in, when anything is shared.
    pub last_activity: Option<Timestamp>,
    /// Quiet for 14 days or more (said gently on the page).
    pub inactive: bool,
    /// Daily averages of the last 30 days, oldest first, when mood is shared.
    pub mood_30: Option<Vec<(i64, f64)>>,
    pub latest: Vec<LatestScore>,
    /// A shared PHQ-9 in the last 30 days had item 9 above 0: (the day).
    pub self_harm_flag: Option<String>,
    /// The newest shared result that calls for attention (reliable deterioration, or PHQ-9
    /// item 9 newly above 0) and is not yet marked seen (CLINICAL.md §7a).
    pub alert: Option<CaseloadAlert>,
    pub sharing: Sharing,
}

pub struct CaseloadAlert {
    pub instrument: &'static str,
    /// `reliable_deterioration` or `self_harm_newly_positive`
    pub kind: &'static str,
    pub reason: String,
    /// `YYYY-MM-DD` of the result.
    pub date: String,
    /// Alerts not yet seen, this one included.
    pub unseen: usize,
}

impl CaseloadAlert {
    fn of(unseen: &[journal_core::assessments::alerts::Alert]) -> Option<Self> {
        use journal_core::assessments::alerts::Reason;
        let a = unseen.first()?;
        Some(CaseloadAlert {
            instrument: a.instrument.short_name(),
            kind: match a.reason {
                Reason::ReliableDeterioration { .. } => "reliable_deterioration",
                Reason::SelfHarmNewlyPositive { .. } => "self_harm_newly_positive",
            },
            reason: a.describe(),
            date: journal_core::time_util::rfc3339(a.taken_at)[..10].to_owned(),
            unseen: unseen.len(),
        })
    }
}

/// Per client, how far the therapist has seen their caseload alerts; sealed
/// under the therapist's records key, because which clients had alerts is itself sensitive.
async fn caseload_seen(
    app: &App,
    who: &UnlockedUser,
) -> Result<std::collections::BTreeMap<String, journal_core::assessments::alerts::SeenMark>, ServiceError> {
    use journal_core::records::{CASELOAD_SEEN, open_document};
    match app.store.document(who.id(), CASELOAD_SEEN).await? {
        Some((blob, _)) if !blob.is_empty() => open_document(who, CASELOAD_SEEN, &blob).map_err(|_| {
            tracing::error!("a caseload seen-list failed to open with its owner's key");
            ServiceError::internal()
        }),
        _ => Ok(Default::default()),
    }
}

/// Marks a client's caseload alerts seen, up to the newest shared result that raised one. 404
/// unless the client is linked to this therapist and shares questionnaires.
pub async fn mark_alerts_seen(app: &App, who: &UnlockedUser, client_id: &str) -> Result<(), ServiceError> {
    use journal_core::records::{CASELOAD_SEEN, seal_document};
    let all = client_assessments(app, who, client_id).await?;
    let mut seen = caseload_seen(app, who).await?;
    let mark = seen.entry(client_id.to_owned()).or_default();
    *mark = mark.after_seeing(&all);
    // One mark for every linked client, and none for anyone else, so the document's size says
    // only how many clients are linked, which the links already show.
    let linked: Vec<String> =
        links(app, who).await?.into_iter().filter(|l| l.record.therapist_id == who.id()).map(|l| l.client.id).collect();
    seen.retain(|k, _| linked.contains(k));
    for id in linked {
        seen.entry(id).or_default();
    }
    app.store.put_document(who.id(), CASELOAD_SEEN, &seal_document(who, CASELOAD_SEEN, &seen), now()).await?;
    Ok(())
}

fn latest_of(all: &[Assessment], id: journal_core::assessments::InstrumentId) -> Option<LatestScore> {
    let i = all.iter().position(|a| a.instrument == id)?;
    let a = &all[i];
    let earlier: Vec<Assessment> = all[i + 1..].iter().filter(|e| e.instrument == id).cloned().collect();
    let change = a.change_against(&earlier);
    Some(LatestScore {
        instrument: id.short_name(),
        total: a.content.total,
        severity: a.content.severity.replace('_', " "),
        delta: change.as_ref().map(|c| c.delta),
        reliable: change.as_ref().is_some_and(|c| c.reliable),
        direction: change.as_ref().map(|c| c.direction.as_str()).unwrap_or(""),
        date: journal_core::time_util::rfc3339(a.taken_at)[..10].to_owned(),
    })
}

/// Every linked client with what they share, newest activity first.
pub async fn caseload(app: &App, who: &UnlockedUser) -> Result<Vec<CaseloadRow>, ServiceError> {
    therapist_only(who)?;
    let month_ago = now() - 30 * 86_400;
    let seen = caseload_seen(app, who).await?;
    let mut rows = Vec::new();
    for link in links(app, who).await?.into_iter().filter(|l| l.record.therapist_id == who.id()) {
        let client_id = link.client.id.clone();
        // Only clear metadata here: which entries are shared and when; nothing is decrypted.
        let shared = app.store.shared_entries(who.id(), &client_id).await?;
        let mut last = shared.iter().map(|(e, s)| e.updated_at.max(s.created_at)).max();
        let mood_30 = if link.record.share_mood {
            let moods = client_moods(app, who, &client_id, month_ago).await?;
            let mut by_day: std::collections::BTreeMap<i64, (u32, u32)> = Default::default();
            for m in &moods {
                last = last.max(Some(m.at));
                let e = by_day.entry(m.at.div_euclid(86_400)).or_default();
                e.0 += u32::from(m.content.score);
                e.1 += 1;
            }
            Some(by_day.into_iter().map(|(d, (s, n))| (d, f64::from(s) / f64::from(n))).collect())
        } else {
            None
        };
        let (latest, self_harm_flag, alert) = if link.record.share_assessments {
            let all = client_assessments(app, who, &client_id).await?;
            if let Some(a) = all.first() {
                last = last.max(Some(a.taken_at));
            }
            let flag = all
                .iter()
                .find(|a| {
                    a.instrument == journal_core::assessments::InstrumentId::Phq9
                        && a.taken_at >= month_ago
                        && a.content.self_harm
                })
                .map(|a| journal_core::time_util::rfc3339(a.taken_at)[..10].to_owned());
            let latest = [
                latest_of(&all, journal_core::assessments::InstrumentId::Phq9),
                latest_of(&all, journal_core::assessments::InstrumentId::Gad7),
            ]
            .into_iter()
            .flatten()
            .collect();
            // Only what the client shares reaches here: the branch needs share_assessments.
            let unseen = journal_core::assessments::alerts::unseen(&all, seen.get(&client_id));
            (latest, flag, CaseloadAlert::of(&unseen))
        } else {
            (Vec::new(), None, None)
        };
        let inactive = last.is_none_or(|t| t < now() - 14 * 86_400);
        rows.push(CaseloadRow {
            client_id,
            name: link.client.display_name.clone(),
            linked_at: link.record.created_at,
            shared_entries: shared.len(),
            last_activity: last,
            inactive,
            mood_30,
            latest,
            self_harm_flag,
            alert,
            sharing: link.sharing(),
        });
    }
    // Alerts not yet seen first, then flags, then the most recently active.
    rows.sort_by(|a, b| {
        b.alert
            .is_some()
            .cmp(&a.alert.is_some())
            .then(b.self_harm_flag.is_some().cmp(&a.self_harm_flag.is_some()))
            .then(b.last_activity.cmp(&a.last_activity))
    });
    Ok(rows)
}
