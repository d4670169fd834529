//! The therapist bridge: invites, links between a client and a therapist, per-item shares (a key
//! boxed from client to therapist, never a copy), comments, homework, and the hash-chained access
//! log that records every therapist read.

use serde::{Deserialize, Serialize};

use crate::time_util::Timestamp;

/// Invites are single use and last a week.
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

/// One therapist read of one item of a client's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRow {
    pub seq: i64,
    pub client_id: String,
    pub therapist_id: String,
    pub therapist_name: String,
    /// `entry`, `moods`, `assessments`, `summary`.
    pub item_kind: String,
    pub item_id: String,
    pub at: Timestamp,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// Each user's newest access-log hash (none before the first read).
pub type Heads = Vec<(String, Option<Vec<u8>>)>;

/// The first row of each client's chain points at this.
pub const GENESIS: [u8; 32] = [0; 32];

fn field(h: &mut Vec<u8>, s: &[u8]) {
    h.extend_from_slice(&(s.len() as u64).to_be_bytes());
    h.extend_from_slice(s);
}

/// SHA-256 over the previous hash and every field, each length-prefixed so fields can't blur.
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

/// A break in a client's chain, for `therapy-journal admin verify-access-log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    pub client_id: String,
    pub seq: Option<i64>,
    pub what: String,
}

/// Checks every client's chain: each row's hash, each link to the row before, and that the
/// newest row is the head recorded with the user (so a deleted last row shows too).
pub fn verify(rows: &[AccessRow], heads: &[(String, Option<Vec<u8>>)]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    for (client, head) in heads {
        let mut prev = GENESIS.to_vec();
        let mut count = 0;
        for r in rows.iter().filter(|r| &r.client_id == client) {
            count += 1;
            if r.prev_hash != prev {
                problems.push(ChainProblem {
                    client_id: client.clone(),
                    seq: Some(r.seq),
                    what: "does not follow the row before it (a row was deleted or reordered)".into(),
                });
            }
            let expected = row_hash(
                &r.prev_hash,
                &r.client_id,
                &r.therapist_id,
                &r.therapist_name,
                &r.item_kind,
                &r.item_id,
                r.at,
            );
            if expected != r.hash {
                problems.push(ChainProblem { client_id: client.clone(), seq: Some(r.seq), what: "was edited".into() });
            }
            prev = r.hash.clone();
        }
        let head_ok = match head {
            Some(h) => *h == prev && count > 0,
            None => count == 0,
        };
        if !head_ok {
            problems.push(ChainProblem {
                client_id: client.clone(),
                seq: None,
                what: "the newest row is not the recorded head (the last rows were deleted or added)".into(),
            });
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

    fn chain(n: usize) -> (Vec<AccessRow>, Heads) {
        let mut rows = Vec::new();
        let mut prev = GENESIS.to_vec();
        for i in 0..n {
            let at = 1000 + i as i64;
            let hash = row_hash(&prev, "c", "t", "Dr T", "entry", &format!("e{i}"), at);
            rows.push(AccessRow {
                seq: i as i64 + 1,
                client_id: "c".into(),
                therapist_id: "t".into(),
                therapist_name: "Dr T".into(),
                item_kind: "entry".into(),
                item_id: format!("e{i}"),
                at,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        (rows, vec![("c".into(), Some(prev))])
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (rows, heads) = chain(4);
        assert!(verify(&rows, &heads).is_empty());
        assert!(verify(&[], &[("nobody".into(), None)]).is_empty());
    }

    #[test]
    fn edits_deletions_and_truncation_are_found() {
        let (mut rows, heads) = chain(4);
        rows[1].item_id = "something else".into();
        let p = verify(&rows, &heads);
        assert_eq!((p.len(), p[0].seq, p[0].what.as_str()), (1, Some(2), "was edited"));

        let (mut rows, heads) = chain(4);
        rows.remove(1);
        let p = verify(&rows, &heads);
        assert_eq!(p[0].seq, Some(3), "the row after the gap no longer follows");

        let (mut rows, heads) = chain(4);
        rows.pop();
        let p = verify(&rows, &heads);
        assert_eq!((p.len(), p[0].seq), (1, None), "a deleted newest row shows at the head");
    }

    #[test]
    fn invite_codes_are_forgiving_to_type() {
        let code = new_invite_code();
        assert_eq!(code.len(), 11);
        assert_eq!(invite_hash(&code.to_lowercase().replace('-', " ")), invite_hash(&code));
        assert_eq!(normalise_invite_code("ab-c0o il"), "ABC0011");
    }
}
