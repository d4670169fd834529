//! Search over encrypted entries without writing anything searchable to disk: a per-user
//! inverted index built in memory from decrypted entries on that user's first search, ranked with
//! BM25, with highlighted snippets cut from the decrypted text. `cache` keeps indexes under a
//! global memory bound and knows which content version each was built from.
//!
//! Words are normalised with Unicode NFKC, lowercased and stemmed (Snowball English), so
//! "Walking" finds "walked".

pub mod cache;
mod text;

use std::collections::HashMap;

pub use text::{Tokenizer, escape_html};

/// What is indexed for one entry.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub id: String,
    pub entry_date: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    /// Carried along so results need no second trip to the database.
    pub mood: Option<u8>,
    pub prompt_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<crate::entries::Entry> for SearchDoc {
    fn from(e: crate::entries::Entry) -> Self {
        SearchDoc {
            id: e.id,
            entry_date: e.entry_date,
            title: e.content.title,
            body: e.content.body,
            tags: e.content.tags,
            mood: e.content.mood,
            prompt_id: e.content.prompt_id,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

impl From<&SearchDoc> for crate::entries::Entry {
    fn from(d: &SearchDoc) -> Self {
        crate::entries::Entry {
            id: d.id.clone(),
            entry_date: d.entry_date.clone(),
            content: crate::entries::EntryContent {
                title: d.title.clone(),
                body: d.body.clone(),
                tags: d.tags.clone(),
                mood: d.mood,
                prompt_id: d.prompt_id.clone(),
            },
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

struct DocSlot {
    doc: SearchDoc,
    len: u32,
    terms: Vec<Box<str>>,
}

pub struct Hit {
    pub entry: crate::entries::Entry,
    pub score: f32,
    /// HTML: the text around the first match, escaped, with matches in `<mark>`.
    pub snippet: String,
}

/// One user's index.
pub struct UserIndex {
    pub version: i64,
    slots: Vec<Option<DocSlot>>,
    free: Vec<u32>,
    by_id: HashMap<String, u32>,
    postings: HashMap<Box<str>, Vec<(u32, u16)>>,
    total_len: u64,
    bytes: usize,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;
const SNIPPET_CHARS: usize = 180;

impl UserIndex {
    pub fn build(version: i64, docs: Vec<SearchDoc>) -> Self {
        let mut index = UserIndex {
            version,
            slots: Vec::with_capacity(docs.len()),
            free: Vec::new(),
            by_id: HashMap::with_capacity(docs.len()),
            postings: HashMap::new(),
            total_len: 0,
            bytes: 0,
        };
        let mut tokenizer = Tokenizer::new();
        for doc in docs {
            index.insert(&mut tokenizer, doc);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Approximate heap use, for the cache's memory bound.
    pub fn approx_bytes(&self) -> usize {
        self.bytes + self.postings.len() * 48 + self.slots.len() * 96
    }

    fn insert(&mut self, tokenizer: &mut Tokenizer, doc: SearchDoc) {
        let mut counts: HashMap<Box<str>, u16> = HashMap::new();
        let mut len = 0u32;
        for field in [doc.title.as_str(), doc.body.as_str()].into_iter().chain(doc.tags.iter().map(String::as_str)) {
            tokenizer.for_each_term(field, |_, _, term| {
                len += 1;
                let c = counts.entry(Box::from(term)).or_insert(0);
                *c = c.saturating_add(1);
            });
        }
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let mut terms = Vec::with_capacity(counts.len());
        for (term, tf) in counts {
            self.bytes += 8;
            self.postings.entry(term.clone()).or_default().push((slot, tf));
            terms.push(term);
        }
        self.bytes +=
            doc.body.len() + doc.title.len() + doc.id.len() * 2 + terms.iter().map(|t| t.len()).sum::<usize>();
        self.total_len += u64::from(len);
        self.by_id.insert(doc.id.clone(), slot);
        self.slots[slot as usize] = Some(DocSlot { doc, len, terms });
    }

    /// Adds or replaces one entry (after a write on this server).
    pub fn upsert(&mut self, doc: SearchDoc) {
        self.remove(&doc.id);
        self.insert(&mut Tokenizer::new(), doc);
    }

    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.by_id.remove(id) else {
            return;
        };
        let Some(old) = self.slots[slot as usize].take() else {
            return;
        };
        for term in &old.terms {
            if let Some(list) = self.postings.get_mut(term) {
                list.retain(|(s, _)| *s != slot);
                if list.is_empty() {
                    self.postings.remove(term);
                }
            }
            self.bytes = self.bytes.saturating_sub(8 + term.len());
        }
        self.bytes = self.bytes.saturating_sub(old.doc.body.len() + old.doc.title.len() + old.doc.id.len() * 2);
        self.total_len -= u64::from(old.len);
        self.free.push(slot);
    }

    /// The best `limit` entries for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut tokenizer = Tokenizer::new();
        let mut terms: Vec<String> = Vec::new();
        tokenizer.for_each_term(query, |_, _, t| {
            if !terms.iter().any(|x| x == t) {
                terms.push(t.to_owned());
            }
        });
        let n = self.by_id.len();
        if terms.is_empty() || n == 0 || limit == 0 {
            return Vec::new();
        }
        let avg_len = (self.total_len as f32 / n as f32).max(1.0);
        let mut scores = vec![0f32; self.slots.len()];
        let mut touched = Vec::new();
        for term in &terms {
            let Some(list) = self.postings.get(term.as_str()) else {
                continue;
            };
            let df = list.len() as f32;
            let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
            for &(slot, tf) in list {
                let Some(doc) = &self.slots[slot as usize] else {
                    continue;
                };
                let tf = f32::from(tf);
                let norm = K1 * (1.0 - B + B * doc.len as f32 / avg_len);
                if scores[slot as usize] == 0.0 {
                    touched.push(slot);
                }
                scores[slot as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        touched.sort_unstable_by(|a, b| {
            scores[*b as usize].total_cmp(&scores[*a as usize]).then_with(|| {
                let da = self.slots[*a as usize].as_ref().map(|d| d.doc.entry_date.as_str());
                let db = self.slots[*b as usize].as_ref().map(|d| d.doc.entry_date.as_str());
                db.cmp(&da)
            })
        });
        touched
            .into_iter()
            .take(limit)
            .filter_map(|slot| {
                let doc = &self.slots[slot as usize].as_ref()?.doc;
                Some(Hit {
                    entry: doc.into(),
                    score: scores[slot as usize],
                    snippet: snippet(&mut tokenizer, doc, &terms),
                })
            })
            .collect()
    }
}

/// The text around the first match in the body (or the opening of the body when only the title
/// or a tag matched), HTML-escaped, with every matching word in `<mark>`.
fn snippet(tokenizer: &mut Tokenizer, doc: &SearchDoc, terms: &[String]) -> String {
    let body = doc.body.as_str();
    let mut matches: Vec<(usize, usize)> = Vec::new();
    tokenizer.for_each_term(body, |start, end, t| {
        if terms.iter().any(|x| x == t) {
            matches.push((start, end));
        }
    });
    let first = matches.first().map(|m| m.0).unwrap_or(0);
    // Start a little before the first match, at a word boundary.
    let mut start = first.saturating_sub(60);
    while start > 0 && !body.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        if let Some(space) = body[start..first].find(char::is_whitespace) {
            start += space + 1;
        }
    }
    let mut end = start;
    for (count, (i, c)) in body[start..].char_indices().enumerate() {
        end = start + i + c.len_utf8();
        if count + 1 >= SNIPPET_CHARS {
            break;
        }
    }
    if end < body.len() {
        if let Some(space) = body[start..end].rfind(char::is_whitespace).filter(|s| *s > SNIPPET_CHARS / 2) {
            end = start + space;
        }
    }
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for &(s, e) in matches.iter().filter(|(s, e)| *s >= start && *e <= end) {
        out.push_str(&escape_html(&body[pos..s]));
        out.push_str("<mark>");
        out.push_str(&escape_html(&body[s..e]));
        out.push_str("</mark>");
        pos = e;
    }
    out.push_str(&escape_html(&body[pos..end]));
    if end < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, body: &str, tags: &[&str]) -> SearchDoc {
        SearchDoc {
            id: id.to_owned(),
            entry_date: "2024-01-01".to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            mood: None,
            prompt_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn stemming_finds_other_forms_of_a_word() {
        let idx = UserIndex::build(1, vec![doc("a", "", "I walked by the river and felt calmer.", &[])]);
        let hits = idx.search("walking", 10);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.contains("<mark>walked</mark>"), "{}", hits[0].snippet);
    }

    #[test]
    fn ranking_prefers_more_specific_matches() {
        let idx = UserIndex::build(
            1,
            vec![
                doc("a", "", "anxiety anxiety anxiety before the meeting", &[]),
                doc(
                    "b",
                    "",
                    "a long day with many things; some anxiety in the evening, then dinner and a film and sleep",
                    &[],
                ),
                doc("c", "", "nothing relevant here at all", &[]),
            ],
        );
        let hits = idx.search("anxiety", 10);
        assert_eq!(hits.iter().map(|h| h.entry.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn unicode_is_normalised_and_case_folded() {
        let idx = UserIndex::build(1, vec![doc("a", "", "Ｃａｆé visit — ﬁne", &["Été"])]);
        assert_eq!(idx.search("café", 5).len(), 1);
        assert_eq!(idx.search("FINE", 5).len(), 1);
        assert_eq!(idx.search("été", 5).len(), 1, "tags are searchable");
    }

    #[test]
    fn upsert_and_remove_keep_the_index_exact() {
        let mut idx = UserIndex::build(1, vec![doc("a", "", "first version about gardens", &[])]);
        idx.upsert(doc("a", "", "second version about oceans", &[]));
        assert!(idx.search("garden", 5).is_empty());
        assert_eq!(idx.search("ocean", 5).len(), 1);
        idx.upsert(doc("b", "Oceans", "more", &[]));
        assert_eq!(idx.search("ocean", 5).len(), 2);
        idx.remove("a");
        assert_eq!(idx.search("ocean", 5).iter().map(|h| h.entry.id.as_str()).collect::<Vec<_>>(), vec!["b"]);
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn snippets_escape_html_and_mark_matches() {
        let body =
            format!("{} <script>alert(1)</script> the word hope appears here {}", "x ".repeat(80), "y ".repeat(120));
        let idx = UserIndex::build(1, vec![doc("a", "", &body, &[])]);
        let s = &idx.search("hope", 1)[0].snippet;
        assert!(s.contains("<mark>hope</mark>"));
        assert!(!s.contains("<script>"));
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.chars().count() < 220);
    }

    #[test]
    fn empty_or_stopword_free_queries_find_nothing_without_panicking() {
        let idx = UserIndex::build(1, vec![doc("a", "", "text", &[])]);
        assert!(idx.search("", 5).is_empty());
        assert!(idx.search("!!! ???", 5).is_empty());
        assert!(UserIndex::build(1, vec![]).search("text", 5).is_empty());
    }
}
