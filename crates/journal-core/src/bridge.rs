//! The therapist bridge: invites, links between a client and a therapist, per-item shares (a key
//! boxed from client to therapist, never a copy), comments, homework, and the hash-chained access
//! log that records every therapist read.

use serde::{Deserialize, Serialize};

use journal_crypto::{Aad, SymmetricKey};

use crate::time_util::Timestamp;

// The AAD of everything the bridge seals or boxes. The labels, and the order of the ids, are
// part of the stored data: changing one makes every existing row fail to open.

/// An entry's key boxed from client to therapist, one per share.
pub fn share_aad<'a>(entry_id: &'a str, connection_id: &'a str) -> Aad<'a> {
    Aad::new("entry_shares", "key_box", entry_id, connection_id)
}

/// The client's metrics key boxed to the therapist of one link.
pub fn metrics_aad<'a>(connection_id: &'a str, client_id: &'a str) -> Aad<'a> {
    Aad::new("connections", "metrics_box", connection_id, client_id)
}

/// The document kind of the goals digest a client shares, sealed under the metrics key.
pub const GOALS_DIGEST: &str = "goals_digest";

pub fn goals_digest_aad(owner: &str) -> Aad<'_> {
    Aad::new("documents", "content", GOALS_DIGEST, owner)
}

/// A comment or reply on an entry, sealed under that entry's key.
pub fn comment_aad<'a>(id: &'a str, entry_id: &'a str) -> Aad<'a> {
    Aad::new("comments", "body", id, entry_id)
}

/// A homework assignment's key, boxed between therapist and client.
pub fn homework_key_aad<'a>(id: &'a str, connection_id: &'a str) -> Aad<'a> {
    Aad::new("assignments", "key_box", id, connection_id)
}

/// A homework assignment's text, sealed under its own key.
pub fn homework_content_aad<'a>(id: &'a str, connection_id: &'a str) -> Aad<'a> {
    Aad::new("assignments", "content", id, connection_id)
}

/// Invites are single use and last a week.
/// A therapist's questionnaire-schedule proposals, one per link, kept under the therapist's id;
/// each is sealed under its own key, boxed therapist → client.
pub const SCHEDULE_PROPOSALS: &str = "schedule_proposals";

pub fn proposal_key_aad<'a>(id: &'a str, connection_id: &'a str) -> Aad<'a> {
    Aad::new("schedule_proposals", "key_box", id, connection_id)
}

pub fn proposal_content_aad<'a>(id: &'a str, connection_id: &'a str) -> Aad<'a> {
    Aad::new("schedule_proposals", "content", id, connection_id)
}

pub const INVITE_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq)]
pub struct InviteRecord {
    /// SHA-256 of the code; the code itself is shown once, to the therapist.
    pub code_hash: Vec<u8>,
    pub therapist_id: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionRecord {
    pub id: String,
    pub therapist_id: String,
    pub client_id: String,
    pub created_at: Timestamp,
    pub share_mood: bool,
    pub share_assessments: bool,
    pub share_goals: bool,
    /// The client's metrics key boxed to the therapist, while mood or questionnaires are shared.
    pub metrics_box: Option<Vec<u8>>,
}

/// What a client shares of their history over one link, besides chosen entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sharing {
    pub mood: bool,
    pub assessments: bool,
    /// Goal titles and progress (a digest kept under the metrics key while this is on).
    pub goals: bool,
}

impl Sharing {
    pub fn any(self) -> bool {
        self.mood || self.assessments || self.goals
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShareRecord {
    pub entry_id: String,
    pub connection_id: String,
    /// The entry's key, boxed from the client to the therapist.
    pub key_box: Vec<u8>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommentRecord {
    pub id: String,
    pub entry_id: String,
    pub author_id: String,
    pub created_at: Timestamp,
    /// Encrypted under the entry's key, which both sides hold.
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentRecord {
    pub id: String,
    pub connection_id: String,
    pub created_at: Timestamp,
    /// `YYYY-MM-DD`
    pub due_date: Option<String>,
    /// The text, sealed under a random key…
    pub content: Vec<u8>,
    /// …which is boxed from the therapist to the client.
    pub key_box: Vec<u8>,
    pub answered_at: Option<Timestamp>,
    pub answer_entry_id: Option<String>,
}

/// One event in a client's access log: a therapist's read, or something done to or in the
/// account (a share, an export, a new sign-in, an administrator's reset). Only metadata is kept:
/// kinds, ids, formats, the therapist involved and the time; never a title or any text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRow {
    pub seq: i64,
    pub client_id: String,
    /// The therapist who read, or with whom something was shared or a link ended; empty when no
    /// therapist is involved.
    pub therapist_id: String,
    pub therapist_name: String,
    /// `entry`, `entry_list`, `moods`, `assessments`, `goals`, `summary`, `connection`,
    /// `account`, `export`, `import`, `session`, `api_token`.
    pub item_kind: String,
    pub item_id: String,
    pub at: Timestamp,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
    /// 1: an unkeyed SHA-256 row from before the server key; 2: HMAC under the server key.
    pub version: i64,
    /// What happened (see [`Event`]); `read` for every row written before events existed.
    pub event: String,
    /// Who did it: `therapist`, `owner` or `administrator`.
    pub actor: String,
    /// Metadata about the event: a format, `encrypted`, a count. Never content.
    pub detail: String,
}

/// What can happen in an access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A therapist displayed something shared with them.
    Read,
    Shared,
    Unshared,
    LinkEnded,
    Exported,
    Imported,
    PasswordChanged,
    Recovered,
    SignedIn,
    TokenCreated,
    AdminReset,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Read => "read",
            Event::Shared => "shared",
            Event::Unshared => "unshared",
            Event::LinkEnded => "link_ended",
            Event::Exported => "exported",
            Event::Imported => "imported",
            Event::PasswordChanged => "password_changed",
            Event::Recovered => "recovered",
            Event::SignedIn => "signed_in",
            Event::TokenCreated => "token_created",
            Event::AdminReset => "admin_reset",
        }
    }
}

/// A row to append; the store fills in the sequence number and the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccess {
    pub client_id: String,
    pub therapist_id: String,
    pub therapist_name: String,
    pub item_kind: String,
    pub item_id: String,
    pub at: Timestamp,
    pub event: String,
    pub actor: String,
    pub detail: String,
}

/// A user's newest access-log hash (none before the first row) and the server key's MAC over it.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub user_id: String,
    pub head: Option<Vec<u8>>,
    pub mac: Option<Vec<u8>>,
}

/// Every user's head.
pub type Heads = Vec<Head>;

/// The first row of each client's chain points at this.
pub const GENESIS: [u8; 32] = [0; 32];

fn field(h: &mut Vec<u8>, s: &[u8]) {
    h.extend_from_slice(&(s.len() as u64).to_be_bytes());
    h.extend_from_slice(s);
}

/// Version 1 (rows written before the server key): SHA-256 over the previous hash and every
/// field, each length-prefixed so fields can't blur. Anyone can recompute it, so it only proves
/// anything together with a keyed row after it or the keyed head.
pub fn row_hash(
    prev: &[u8],
    client_id: &str,
    therapist_id: &str,
    therapist_name: &str,
    item_kind: &str,
    item_id: &str,
    at: Timestamp,
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(256);
    field(&mut buf, prev);
    for s in [client_id, therapist_id, therapist_name, item_kind, item_id] {
        field(&mut buf, s.as_bytes());
    }
    field(&mut buf, &at.to_be_bytes());
    journal_crypto::sha256(&buf).to_vec()
}

/// Version 2: HMAC-SHA256 under the server key over the previous hash and every field. Without
/// the key file nobody can write a row that verifies, so a deleted or edited row cannot be
/// hidden by recomputing the chain.
pub fn row_mac(key: &SymmetricKey, prev: &[u8], a: &NewAccess) -> Vec<u8> {
    let mut buf = Vec::with_capacity(320);
    field(&mut buf, b"tj/access-log/v2");
    field(&mut buf, prev);
    for s in [&a.client_id, &a.therapist_id, &a.therapist_name, &a.item_kind, &a.item_id, &a.event, &a.actor, &a.detail]
    {
        field(&mut buf, s.as_bytes());
    }
    field(&mut buf, &a.at.to_be_bytes());
    journal_crypto::mac(key, &buf).to_vec()
}

/// The server key's MAC over a user's head, so the newest rows cannot be cut off and the head
/// moved back without the key.
pub fn head_mac(key: &SymmetricKey, user_id: &str, head: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(96);
    field(&mut buf, b"tj/access-log/head");
    field(&mut buf, user_id.as_bytes());
    field(&mut buf, head);
    journal_crypto::mac(key, &buf).to_vec()
}

impl AccessRow {
    fn as_new(&self) -> NewAccess {
        NewAccess {
            client_id: self.client_id.clone(),
            therapist_id: self.therapist_id.clone(),
            therapist_name: self.therapist_name.clone(),
            item_kind: self.item_kind.clone(),
            item_id: self.item_id.clone(),
            at: self.at,
            event: self.event.clone(),
            actor: self.actor.clone(),
            detail: self.detail.clone(),
        }
    }

    fn expected_hash(&self, key: &SymmetricKey) -> Option<Vec<u8>> {
        match self.version {
            // Version-1 rows predate events: their hash does not cover these columns, so anything
            // but the defaults the migration gave them was written later, by hand.
            1 if self.event != "read" || self.actor != "therapist" || !self.detail.is_empty() => None,
            1 => Some(row_hash(
                &self.prev_hash,
                &self.client_id,
                &self.therapist_id,
                &self.therapist_name,
                &self.item_kind,
                &self.item_id,
                self.at,
            )),
            2 => Some(row_mac(key, &self.prev_hash, &self.as_new())),
            _ => None,
        }
    }
}

/// A break in a client's chain, for `therapy-journal admin verify-access-log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    pub client_id: String,
    pub seq: Option<i64>,
    pub what: String,
}

/// Checks every client's chain: each row's hash (keyed rows under `key`), each link to the row
/// before, that no unkeyed row follows a keyed one, and that the newest row is the head recorded
/// with the user, sealed by the server key (so deleted last rows show too).
pub fn verify(rows: &[AccessRow], heads: &[Head], key: &SymmetricKey) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    for h in heads {
        let client = &h.user_id;
        let mut prev = GENESIS.to_vec();
        let mut count = 0;
        let mut keyed = false;
        for r in rows.iter().filter(|r| &r.client_id == client) {
            count += 1;
            let problem = |what: &str| ChainProblem { client_id: client.clone(), seq: Some(r.seq), what: what.into() };
            if r.prev_hash != prev {
                problems.push(problem("does not follow the row before it (a row was deleted or reordered)"));
            }
            if keyed && r.version < 2 {
                problems.push(problem("is unkeyed after keyed rows (it was rewritten without the server key)"));
            }
            keyed |= r.version >= 2;
            let ok = r.expected_hash(key).is_some_and(|e| journal_crypto::constant_time_eq(&e, &r.hash));
            if !ok {
                problems.push(problem("was edited"));
            }
            prev = r.hash.clone();
        }
        let head_ok = match &h.head {
            Some(head) => *head == prev && count > 0,
            None => count == 0,
        };
        if !head_ok {
            problems.push(ChainProblem {
                client_id: client.clone(),
                seq: None,
                what: "the newest row is not the recorded head (the last rows were deleted or added)".into(),
            });
        } else if let Some(head) = &h.head {
            let sealed =
                h.mac.as_deref().is_some_and(|m| journal_crypto::constant_time_eq(m, &head_mac(key, client, head)));
            if !sealed {
                problems.push(ChainProblem {
                    client_id: client.clone(),
                    seq: None,
                    what: "the recorded head is not sealed by the server key (the log was rewritten, or the key file is not the one it was written with)".into(),
                });
            }
        }
    }
    problems
}

/// Invite codes: 10 characters of Crockford base32 in two groups, easy to read out and type.
pub fn new_invite_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = journal_crypto::random_bytes::<10>();
    let chars: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The form in which a typed code is hashed: upper case, no spaces or dashes, O→0, I/L→1.
pub fn normalise_invite_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

pub fn invite_hash(input: &str) -> Vec<u8> {
    journal_crypto::sha256(normalise_invite_code(input).as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SymmetricKey {
        SymmetricKey::from_bytes([7; 32])
    }

    fn new_row(i: usize) -> NewAccess {
        NewAccess {
            client_id: "c".into(),
            therapist_id: "t".into(),
            therapist_name: "Dr T".into(),
            item_kind: "entry".into(),
            item_id: format!("e{i}"),
            at: 1000 + i as i64,
            event: "read".into(),
            actor: "therapist".into(),
            detail: String::new(),
        }
    }

    /// `legacy` unkeyed rows, then `keyed` rows under the server key.
    fn chain(legacy: usize, keyed: usize) -> (Vec<AccessRow>, Heads) {
        let mut rows = Vec::new();
        let mut prev = GENESIS.to_vec();
        for i in 0..legacy + keyed {
            let a = new_row(i);
            let (version, hash) = if i < legacy {
                (1, row_hash(&prev, &a.client_id, &a.therapist_id, &a.therapist_name, &a.item_kind, &a.item_id, a.at))
            } else {
                (2, row_mac(&key(), &prev, &a))
            };
            rows.push(AccessRow {
                seq: i as i64 + 1,
                client_id: a.client_id,
                therapist_id: a.therapist_id,
                therapist_name: a.therapist_name,
                item_kind: a.item_kind,
                item_id: a.item_id,
                at: a.at,
                prev_hash: prev.clone(),
                hash: hash.clone(),
                version,
                event: a.event,
                actor: a.actor,
                detail: a.detail,
            });
            prev = hash;
        }
        let mac = head_mac(&key(), "c", &prev);
        (rows, vec![Head { user_id: "c".into(), head: Some(prev), mac: Some(mac) }])
    }

    #[test]
    fn an_intact_chain_verifies() {
        for (legacy, keyed) in [(4, 0), (0, 4), (2, 3)] {
            let (rows, heads) = chain(legacy, keyed);
            assert!(verify(&rows, &heads, &key()).is_empty(), "{legacy} + {keyed}");
        }
        let empty = Head { user_id: "nobody".into(), head: None, mac: None };
        assert!(verify(&[], &[empty], &key()).is_empty());
    }

    #[test]
    fn edits_deletions_and_truncation_are_found() {
        let (mut rows, heads) = chain(1, 3);
        rows[1].item_id = "something else".into();
        let p = verify(&rows, &heads, &key());
        assert_eq!((p.len(), p[0].seq, p[0].what.as_str()), (1, Some(2), "was edited"));

        let (mut rows, heads) = chain(2, 2);
        rows[0].event = "shared".into();
        let p = verify(&rows, &heads, &key());
        assert_eq!((p.len(), p[0].seq), (1, Some(1)), "an unkeyed row's new columns are not free to change");

        let (mut rows, heads) = chain(1, 3);
        rows.remove(1);
        let p = verify(&rows, &heads, &key());
        assert_eq!(p[0].seq, Some(3), "the row after the gap no longer follows");

        let (mut rows, heads) = chain(1, 3);
        rows.pop();
        let p = verify(&rows, &heads, &key());
        assert_eq!((p.len(), p[0].seq), (1, None), "a deleted newest row shows at the head");
    }

    #[test]
    fn recomputing_the_chain_without_the_key_is_found() {
        // Delete a row, then rebuild every row as an unkeyed one and move the head: all an
        // attacker with only the database can do.
        let (mut rows, mut heads) = chain(2, 3);
        rows.remove(3);
        let mut prev = GENESIS.to_vec();
        for r in &mut rows {
            r.version = 1;
            r.prev_hash = prev.clone();
            r.hash = row_hash(&prev, &r.client_id, &r.therapist_id, &r.therapist_name, &r.item_kind, &r.item_id, r.at);
            prev = r.hash.clone();
        }
        heads[0].head = Some(prev);
        let p = verify(&rows, &heads, &key());
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].what.contains("not sealed by the server key"));
        // A different key file does not verify either.
        let (rows, heads) = chain(0, 2);
        assert!(!verify(&rows, &heads, &SymmetricKey::from_bytes([8; 32])).is_empty());
    }

    /// The labels are part of the stored data: each new function must produce exactly the AAD
    /// that the web crate built by hand before it moved here.
    #[test]
    fn bridge_labels_open_rows_sealed_with_the_old_literals() {
        use journal_crypto::{UserKeyPair, box_key, open, seal, unbox_key};

        let key = SymmetricKey::generate();
        let client = UserKeyPair::generate();
        let therapist = UserKeyPair::generate();
        let boxed_opens = |aad: &Aad<'_>, old: &Aad<'_>| {
            let b = box_key(&client, &therapist.public_bytes(), &key, aad).unwrap();
            let k = unbox_key(&therapist, &client.public_bytes(), &b, old).unwrap();
            assert_eq!(k.as_bytes(), key.as_bytes());
        };
        let sealed_opens = |aad: &Aad<'_>, old: &Aad<'_>| {
            let blob = seal(&key, aad, b"words");
            assert_eq!(open(&key, old, &blob).unwrap().as_slice(), b"words");
        };
        boxed_opens(&share_aad("e1", "c1"), &Aad::new("entry_shares", "key_box", "e1", "c1"));
        boxed_opens(&metrics_aad("c1", "u1"), &Aad::new("connections", "metrics_box", "c1", "u1"));
        boxed_opens(&homework_key_aad("h1", "c1"), &Aad::new("assignments", "key_box", "h1", "c1"));
        sealed_opens(&goals_digest_aad("u1"), &Aad::new("documents", "content", "goals_digest", "u1"));
        sealed_opens(&comment_aad("m1", "e1"), &Aad::new("comments", "body", "m1", "e1"));
        sealed_opens(&homework_content_aad("h1", "c1"), &Aad::new("assignments", "content", "h1", "c1"));
        // The ids are not interchangeable.
        let blob = seal(&key, &comment_aad("m1", "e1"), b"words");
        assert!(open(&key, &Aad::new("comments", "body", "e1", "m1"), &blob).is_err());
    }

    #[test]
    fn invite_codes_are_forgiving_to_type() {
        let code = new_invite_code();
        assert_eq!(code.len(), 11);
        assert_eq!(invite_hash(&code.to_lowercase().replace('-', " ")), invite_hash(&code));
        assert_eq!(normalise_invite_code("ab-c0o il"), "ABC0011");
    }
}
