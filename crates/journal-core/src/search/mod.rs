//! Search over encrypted entries without writing anything searchable to disk: a per-user
//! inverted index built in memory from decrypted entries on that user's first search, ranked with
//! BM25, with highlighted snippets cut from the decrypted text. `cache` keeps indexes under a
//! global memory bound and knows which content version each was built from.
//!
//! Words are normalised with Unicode NFKC, lowercased and stemmed (Snowball English), so
//! "Walking" finds "walked".

pub mod cache;
mod text;

use rustc_hash::FxHashMap as HashMap;

pub use text::{Tokenizer, escape_html, for_each_word};

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
    /// Distinct term ids of the document, to remove it again.
    terms: Box<[u32]>,
}

pub struct Hit {
    pub entry: crate::entries::Entry,
    pub score: f32,
    /// HTML: the text around the first match, escaped, with matches in `<mark>`.
    pub snippet: String,
}

/// One user's index. Terms are interned to small ids; a memo from each written word form to its
/// term id means a word is normalised and stemmed once, however often it appears.
pub struct UserIndex {
    pub version: i64,
    slots: Vec<Option<DocSlot>>,
    free: Vec<u32>,
    by_id: HashMap<String, u32>,
    vocab: HashMap<Box<str>, u32>,
    words: HashMap<Box<str>, u32>,
    postings: Vec<Vec<(u32, u16)>>,
    total_len: u64,
    text_bytes: usize,
    tokenizer: Tokenizer,
    counts: HashMap<u32, u16>,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;
const SNIPPET_CHARS: usize = 180;

impl UserIndex {
    pub fn new(version: i64) -> Self {
        UserIndex {
            version,
            slots: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::default(),
            vocab: HashMap::default(),
            words: HashMap::default(),
            postings: Vec::new(),
            total_len: 0,
            text_bytes: 0,
            tokenizer: Tokenizer::new(),
            counts: HashMap::default(),
        }
    }

    pub fn build(version: i64, docs: impl IntoIterator<Item = SearchDoc>) -> Self {
        let mut index = Self::new(version);
        for doc in docs {
            index.add(doc);
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
        let postings: usize = self.postings.iter().map(|p| p.capacity() * 8 + 24).sum();
        let vocab: usize = self.vocab.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.words.keys().map(|k| k.len() + 40).sum::<usize>();
        let terms: usize = self.slots.iter().flatten().map(|s| s.terms.len() * 4 + 200).sum();
        self.text_bytes + postings + vocab + terms
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let term = self.tokenizer.normalise(word);
        let id = match self.vocab.get(term) {
            Some(&id) => id,
            None => {
                let id = self.postings.len() as u32;
                self.vocab.insert(Box::from(term), id);
                self.postings.push(Vec::new());
                id
            }
        };
        self.words.insert(Box::from(word), id);
        id
    }

    /// Adds one entry (its id must not be in the index).
    pub fn add(&mut self, doc: SearchDoc) {
        let mut counts = std::mem::take(&mut self.counts);
        counts.clear();
        let mut len = 0u32;
        for field in [doc.title.as_str(), doc.body.as_str()].into_iter().chain(doc.tags.iter().map(String::as_str)) {
            for_each_word(field, |_, _, word| {
                len += 1;
                let id = self.word_id(word);
                let c = counts.entry(id).or_insert(0);
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
        for (&term, &tf) in &counts {
            self.postings[term as usize].push((slot, tf));
            terms.push(term);
        }
        self.counts = counts;
        self.text_bytes += doc.body.len() + doc.title.len() + doc.id.len() * 2 + 64;
        self.total_len += u64::from(len);
        self.by_id.insert(doc.id.clone(), slot);
        self.slots[slot as usize] = Some(DocSlot { doc, len, terms: terms.into_boxed_slice() });
    }

    /// Adds or replaces one entry (after a write on this server).
    pub fn upsert(&mut self, doc: SearchDoc) {
        self.remove(&doc.id);
        self.add(doc);
    }

    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.by_id.remove(id) else { return };
        let Some(old) = self.slots[slot as usize].take() else { return };
        for &term in old.terms.iter() {
            self.postings[term as usize].retain(|(s, _)| *s != slot);
        }
        self.text_bytes =
            self.text_bytes.saturating_sub(old.doc.body.len() + old.doc.title.len() + old.doc.id.len() * 2 + 64);
        self.total_len -= u64::from(old.len);
        self.free.push(slot);
    }

    /// The best `limit` entries for `query`, best first (ties: newest first).
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut tokenizer = Tokenizer::new();
        let mut terms: Vec<u32> = Vec::new();
        for_each_word(query, |_, _, word| {
            let id = match self.words.get(word) {
                Some(&id) => Some(id),
                None => self.vocab.get(tokenizer.normalise(word)).copied(),
            };
            if let Some(id) = id.filter(|id| !terms.contains(id)) {
                terms.push(id);
            }
        });
        let n = self.by_id.len();
        if terms.is_empty() || n == 0 || limit == 0 {
            return Vec::new();
        }
        let avg_len = (self.total_len as f32 / n as f32).max(1.0);
        let mut scores = vec![0f32; self.slots.len()];
        let mut touched = Vec::new();
        for &term in &terms {
            let list = &self.postings[term as usize];
            let df = list.len() as f32;
            let idf = (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
            for &(slot, tf) in list {
                let Some(doc) = &self.slots[slot as usize] else { continue };
                let tf = f32::from(tf);
                let norm = K1 * (1.0 - B + B * doc.len as f32 / avg_len);
                if scores[slot as usize] == 0.0 {
                    touched.push(slot);
                }
                scores[slot as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        let date = |slot: u32| self.slots[slot as usize].as_ref().map(|d| d.doc.entry_date.as_str());
        let better = |a: &u32, b: &u32| {
            scores[*b as usize].total_cmp(&scores[*a as usize]).then_with(|| date(*b).cmp(&date(*a)))
        };
        if touched.len() > limit {
            touched.select_nth_unstable_by(limit - 1, better);
            touched.truncate(limit);
        }
        touched.sort_unstable_by(better);
        touched
            .into_iter()
            .filter_map(|slot| {
                let doc = &self.slots[slot as usize].as_ref()?.doc;
                Some(Hit {
                    entry: doc.into(),
                    score: scores[slot as usize],
                    snippet: snippet(self, &mut tokenizer, doc, &terms),
                })
            })
            .collect()
    }

    fn term_of(&self, tokenizer: &mut Tokenizer, word: &str) -> Option<u32> {
        match self.words.get(word) {
            Some(&id) => Some(id),
            None => self.vocab.get(tokenizer.normalise(word)).copied(),
        }
    }
}

/// The text around the first match in the body (or the opening of the body when only the title
/// or a tag matched), HTML-escaped, with every matching word in `<mark>`.
fn snippet(index: &UserIndex, tokenizer: &mut Tokenizer, doc: &SearchDoc, terms: &[u32]) -> String {
    let body = doc.body.as_str();
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut limit = usize::MAX;
    for_each_word(body, |start, end, word| {
        if start > limit {
            return;
        }
        if index.term_of(tokenizer, word).is_some_and(|t| terms.contains(&t)) {
            if matches.is_empty() {
                // Only matches inside the snippet's window matter.
                limit = start + SNIPPET_CHARS * 4;
            }
            matches.push((start, end));
        }
    });
    let first = matches.first().map(|m| m.0).unwrap_or(0);
    // Start a little before the first match, at a word boundary.
    let mut start = first.saturating_sub(60);
    while start > 0 && !body.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0
        && let Some(space) = body[start..first].find(char::is_whitespace)
    {
        start += space + 1;
    }
    let mut end = start;
    for (count, (i, c)) in body[start..].char_indices().enumerate() {
        end = start + i + c.len_utf8();
        if count + 1 >= SNIPPET_CHARS {
            break;
        }
    }
    if end < body.len()
        && let Some(space) = body[start..end].rfind(char::is_whitespace).filter(|s| *s > SNIPPET_CHARS / 2)
    {
        end = start + space;
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
