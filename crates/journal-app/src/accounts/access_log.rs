//! The person's access log: what is recorded (a therapist's reads, shares, exports, imports,
//! sign-ins, password changes, recovery, an administrator's reset), and the check at each sign-in
//! that the log has not been rolled back or rewritten since the person last saw it.
//!
//! Rows hold metadata only (kinds, ids, formats, the therapist involved, times): titles are
//! decrypted with the owner's keys when the owner looks at the page, never stored.

use journal_core::bridge::{Event, NewAccess};
use journal_core::records::{open_document, seal_document};
use journal_core::time_util::{Timestamp, now};
use journal_core::{Role, Store, UnlockedUser, UserRecord};
use journal_crypto::SymmetricKey;
use serde::{Deserialize, Serialize};

use crate::App;
use crate::error::ServiceError;

/// Who did what.
pub const THERAPIST: &str = "therapist";
pub const OWNER: &str = "owner";
pub const ADMINISTRATOR: &str = "administrator";

/// One event to record in a client's log.
pub struct Note<'a> {
    pub event: Event,
    pub actor: &'a str,
    /// The therapist who read, or with whom something was shared or a link ended.
    pub therapist: Option<(&'a str, &'a str)>,
    pub item_kind: &'a str,
    pub item_id: &'a str,
    pub detail: String,
}

/// Appends one row to `client_id`'s log, keyed under the server key.
pub async fn append(
    store: &dyn Store,
    key: &SymmetricKey,
    client_id: &str,
    note: Note<'_>,
) -> Result<(), ServiceError> {
    let (therapist_id, therapist_name) = note.therapist.unwrap_or(("", ""));
    let row = NewAccess {
        client_id: client_id.to_owned(),
        therapist_id: therapist_id.to_owned(),
        therapist_name: therapist_name.to_owned(),
        item_kind: note.item_kind.to_owned(),
        item_id: note.item_id.to_owned(),
        at: now(),
        event: note.event.as_str().to_owned(),
        actor: note.actor.to_owned(),
        detail: note.detail,
    };
    store.append_access(key, &row).await.map_err(Into::into)
}

/// Records something the account owner did. Therapists have no access-log page, so only
/// clients' accounts keep one.
pub async fn owner_event(
    app: &App,
    owner: &UserRecord,
    event: Event,
    item_kind: &str,
    item_id: &str,
    detail: impl Into<String>,
) -> Result<(), ServiceError> {
    if owner.role != Role::Client {
        return Ok(());
    }
    let note = Note { event, actor: OWNER, therapist: None, item_kind, item_id, detail: detail.into() };
    append(app.store.as_ref(), &app.settings.access_log_key, &owner.id, note).await
}

/// [`owner_event`] for the person making this request.
pub async fn by_owner(
    app: &App,
    who: &UnlockedUser,
    event: Event,
    item_kind: &str,
    item_id: &str,
    detail: impl Into<String>,
) -> Result<(), ServiceError> {
    owner_event(app, who.user(), event, item_kind, item_id, detail).await
}

// ---------------------------------------------------------------- the sign-in check

/// The document kind of the owner's sealed view of their log.
pub const SEAL: &str = journal_core::records::ACCESS_LOG_SEAL;

/// The newest head the owner's sign-in found intact, sealed under their data key, so that
/// neither the database nor the server key file alone can roll the log back unnoticed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Seal {
    /// Hex of the head at the last sign-in.
    pub head: Option<String>,
    /// When a sign-in first found the log rolled back or rewritten; kept until the account is
    /// reset, so the person is told even if it happened long ago.
    pub noticed_at: Option<Timestamp>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the owner's seal says, if it can be read.
pub async fn seal_of(store: &dyn Store, user: &UnlockedUser) -> Result<Option<Seal>, ServiceError> {
    let Some((blob, _)) = store.document(user.id(), SEAL).await? else {
        return Ok(None);
    };
    // A seal that no longer opens was replaced or moved by someone without the data key.
    Ok(Some(open_document(user, SEAL, &blob).unwrap_or(Seal { head: None, noticed_at: Some(now()) })))
}

/// At each sign-in (and each new API token): checks the log against the head sealed at the last
/// sign-in, records the sign-in, and seals the new head. A mismatch never stops the sign-in: the
/// person is told on the access-log page, and the operator in the server log.
pub async fn signed_in(
    app: &App,
    user: &UserRecord,
    dek: &SymmetricKey,
    event: Event,
    session_id: &str,
    detail: &str,
) -> Result<(), ServiceError> {
    if user.role != Role::Client {
        return Ok(());
    }
    let store = app.store.as_ref();
    let key = &app.settings.access_log_key;
    let unlocked = UnlockedUser::new(user.clone(), dek.clone());
    let rows = store.access_log(&user.id).await?;
    let head = store.access_log_head(&user.id).await?;
    let broken = match &head {
        Some(h) => !journal_core::bridge::verify(&rows, std::slice::from_ref(h), key).is_empty(),
        None => false,
    };
    if broken {
        tracing::warn!(
            user_id = %user.id,
            "access log fails the server-key check: rows were changed or removed, or this server's key file is not the one they were written with"
        );
    }
    let mut problems = usize::from(broken);
    let seal = seal_of(store, &unlocked).await?;
    let mut noticed_at = seal.as_ref().and_then(|s| s.noticed_at);
    match seal.as_ref().and_then(|s| s.head.as_deref()) {
        // The head seen last time must still be in the chain: a rollback or a rewrite removes it.
        Some(seen) => {
            if !rows.iter().any(|r| hex(&r.hash) == seen) {
                problems += 1;
            }
        }
        None => {
            // No seal, yet a keyed sign-in since the last reset wrote one: it was deleted.
            let signed_in_since_reset = rows
                .iter()
                .rev()
                .take_while(|r| r.event != Event::AdminReset.as_str())
                .any(|r| r.version >= 2 && r.event == Event::SignedIn.as_str());
            if seal.is_none() && signed_in_since_reset {
                problems += 1;
            }
        }
    }
    if problems > 0 && noticed_at.is_none() {
        noticed_at = Some(now());
        tracing::warn!(
            user_id = %user.id,
            "access log does not match what its owner last saw: it was rolled back or rewritten"
        );
    }
    let note = Note {
        event,
        actor: OWNER,
        therapist: None,
        item_kind: if event == Event::TokenCreated { "api_token" } else { "session" },
        item_id: session_id,
        detail: detail.to_owned(),
    };
    append(store, key, &user.id, note).await?;
    let head = store.access_log_head(&user.id).await?.and_then(|h| h.head);
    let seal = Seal { head: head.as_deref().map(hex), noticed_at };
    store.put_document(&user.id, SEAL, &seal_document(&unlocked, SEAL, &seal), now()).await?;
    Ok(())
}

// ---------------------------------------------------------------- what the owner sees

/// One line of the owner's log: a row, or several alike in a row on one day, folded together.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The newest row of the group.
    pub row: journal_core::bridge::AccessRow,
    pub count: usize,
    pub first_at: Timestamp,
    /// The entry's title, decrypted with the owner's keys (never stored with the row); `None`
    /// when the row is not about an entry or the entry has since been deleted.
    pub title: Option<String>,
}

/// The owner's log, newest first, with entry titles; `grouped` folds repeats on one local day.
pub async fn for_owner(app: &App, who: &UnlockedUser, grouped: bool) -> Result<Vec<Shown>, ServiceError> {
    // Like every client-only read, a therapist gets `not_found`.
    if who.user().role == Role::Therapist {
        return Err(ServiceError::not_found());
    }
    let mut rows = app.store.access_log(who.id()).await?;
    rows.reverse();
    let zone = journal_core::dates::zone(&who.user().time_zone);
    let day = |t: Timestamp| journal_core::dates::local_date(t, &zone);
    let mut out: Vec<Shown> = Vec::new();
    for row in rows {
        if grouped
            && let Some(last) = out.last_mut()
            && same_kind(&last.row, &row)
            && day(last.first_at) == day(row.at)
        {
            last.count += 1;
            last.first_at = row.at;
            continue;
        }
        out.push(Shown { first_at: row.at, row, count: 1, title: None });
    }
    let mut titles: std::collections::HashMap<String, Option<String>> = std::collections::HashMap::new();
    for s in &mut out {
        if s.row.item_kind != "entry" {
            continue;
        }
        if !titles.contains_key(&s.row.item_id) {
            let title = match app.store.entry(who.id(), &s.row.item_id).await? {
                Some(record) => journal_core::entries::open_entry(who, &record).ok().map(|e| e.content.display_title()),
                None => None,
            };
            titles.insert(s.row.item_id.clone(), title);
        }
        s.title = titles.get(&s.row.item_id).cloned().flatten();
    }
    Ok(out)
}

fn same_kind(a: &journal_core::bridge::AccessRow, b: &journal_core::bridge::AccessRow) -> bool {
    a.event == b.event
        && a.actor == b.actor
        && a.therapist_id == b.therapist_id
        && a.item_kind == b.item_kind
        // Each sign-in names its own new session; several on one day read as one line.
        && (a.item_id == b.item_id || a.event == "signed_in")
        && a.detail == b.detail
}

/// The time in the person's own zone, with its offset (`2026-03-01T09:30:00+01:00`).
pub fn local_rfc3339(ts: Timestamp, time_zone: &str) -> String {
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t.to_zoned_datetime(journal_core::dates::zone(time_zone)).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        Err(_) => journal_core::time_util::rfc3339(ts),
    }
}

/// When a sign-in found the log rolled back or rewritten, if one ever did.
pub async fn noticed_tampering(app: &App, who: &UnlockedUser) -> Result<Option<Timestamp>, ServiceError> {
    Ok(seal_of(app.store.as_ref(), who).await?.and_then(|s| s.noticed_at))
}
