//! Search over encrypted entries without writing anything searchable to disk: a per-user
//! inverted index built in memory from decrypted entries on that user's first search, ranked with
//! BM25. The index keeps term statistics only, not the text: the few entries a search returns are
//! decrypted again to cut their highlighted snippets, so little plaintext stays resident. `cache`
//! keeps indexes under a global memory bound and knows which content version each was built from.
//!
//! Words are normalised with Unicode NFKC, lowercased and stemmed (Snowball English), so
//! "Walking" finds "walked".

pub mod cache;
mod text;

use rustc_hash::FxHashMap as HashMap;

pub use text::{Tokenizer, escape_html, for_each_word};

use crate::entries::Entry;

struct DocSlot {
    id: Box<str>,
    /// `YYYY-MM-DD`, to order equal scores newest first.
    entry_date: [u8; 10],
    len: u32,
    /// Distinct term ids of the entry, to remove it again.
    terms: Box<[u32]>,
}

/// A ranked result: which entry, how well it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: String,
    pub score: f32,
}

/// The terms of a query, for cutting snippets from the decrypted results.
#[derive(Debug, Clone, Default)]
pub struct QueryTerms(Vec<u32>);

/// One user's index. Terms are interned to small ids; a memo from each written word form to its
/// term id means a word is normalised and stemmed once, however often it appears.
pub struct UserIndex {
    pub version: i64,
    slots: Vec<Option<DocSlot>>,
    free: Vec<u32>,
    by_id: HashMap<Box<str>, u32>,
    vocab: HashMap<Box<str>, u32>,
    words: HashMap<Box<str>, u32>,
    postings: Vec<Vec<(u32, u16)>>,
    total_len: u64,
    tokenizer: Tokenizer,
    counts: HashMap<u32, u16>,
    /// Ids of the entries that are thought records, so the challenge log lists them without
    /// keeping anything about them in clear in the database.
    thought_records: std::collections::HashSet<Box<str>>,
    /// Entries that failed to decrypt while the index was built: `(id, entry_date)`, so search
    /// can say what it could not look through.
    damaged: Vec<(Box<str>, Box<str>)>,
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
            tokenizer: Tokenizer::new(),
            counts: HashMap::default(),
            thought_records: std::collections::HashSet::new(),
            damaged: Vec::new(),
        }
    }

    pub fn mark_damaged(&mut self, id: &str, entry_date: &str) {
        self.damaged.push((id.into(), entry_date.into()));
    }

    /// `(id, entry_date)` of the entries that could not be opened to be indexed.
    pub fn damaged(&self) -> &[(Box<str>, Box<str>)] {
        &self.damaged
    }

    pub fn build<'a>(version: i64, entries: impl IntoIterator<Item = &'a Entry>) -> Self {
        let mut index = Self::new(version);
        for entry in entries {
            index.add(entry);
        }
        index.shrink();
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
        let docs: usize = self.slots.iter().flatten().map(|s| s.terms.len() * 4 + s.id.len() * 2 + 120).sum();
        postings + vocab + docs
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

    /// Adds one entry (its id must not be in the index yet): title, body and tags.
    pub fn add(&mut self, entry: &Entry) {
        let mut counts = std::mem::take(&mut self.counts);
        counts.clear();
        let mut len = 0u32;
        let c = &entry.content;
        for field in [c.title.as_str(), c.body.as_str()].into_iter().chain(c.tags.iter().map(String::as_str)) {
            for_each_word(field, |_, _, word| {
                len += 1;
                let id = self.word_id(word);
                let n = counts.entry(id).or_insert(0);
                *n = n.saturating_add(1);
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
        self.total_len += u64::from(len);
        let mut entry_date = [b'0'; 10];
        let date = entry.entry_date.as_bytes();
        entry_date[..date.len().min(10)].copy_from_slice(&date[..date.len().min(10)]);
        self.by_id.insert(Box::from(entry.id.as_str()), slot);
        if c.thought_record.is_some() {
            self.thought_records.insert(Box::from(entry.id.as_str()));
        }
        self.slots[slot as usize] =
            Some(DocSlot { id: Box::from(entry.id.as_str()), entry_date, len, terms: terms.into_boxed_slice() });
    }

    /// The thought records' ids, newest entry date first.
    pub fn thought_record_ids(&self) -> Vec<String> {
        let mut list: Vec<(&[u8; 10], &str)> = self
            .thought_records
            .iter()
            .filter_map(|id| {
                let slot = self.slots.get(*self.by_id.get(id)? as usize)?.as_ref()?;
                Some((&slot.entry_date, slot.id.as_ref()))
            })
            .collect();
        list.sort_unstable_by(|a, b| b.cmp(a));
        list.into_iter().map(|(_, id)| id.to_owned()).collect()
    }

    /// Gives back the spare capacity left by building, once no more bulk additions are coming.
    pub fn shrink(&mut self) {
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
        self.slots.shrink_to_fit();
        self.counts = HashMap::default();
    }

    /// Adds or replaces one entry (after a write on this server).
    pub fn upsert(&mut self, entry: &Entry) {
        self.remove(&entry.id);
        self.add(entry);
    }

    pub fn remove(&mut self, id: &str) {
        self.thought_records.remove(id);
        self.damaged.retain(|(d, _)| &**d != id);
        let Some(slot) = self.by_id.remove(id) else { return };
        let Some(old) = self.slots[slot as usize].take() else { return };
        for &term in old.terms.iter() {
            self.postings[term as usize].retain(|(s, _)| *s != slot);
        }
        self.total_len -= u64::from(old.len);
        self.free.push(slot);
    }

    fn term_of(&self, tokenizer: &mut Tokenizer, word: &str) -> Option<u32> {
        match self.words.get(word) {
            Some(&id) => Some(id),
            None => self.vocab.get(tokenizer.normalise(word)).copied(),
        }
    }

    /// The query's words as they are known to this index (unknown words can match nothing).
    pub fn query_terms(&self, query: &str) -> QueryTerms {
        let mut tokenizer = Tokenizer::new();
        let mut terms: Vec<u32> = Vec::new();
        for_each_word(query, |_, _, word| {
            if let Some(id) = self.term_of(&mut tokenizer, word).filter(|id| !terms.contains(id)) {
                terms.push(id);
            }
        });
        QueryTerms(terms)
    }

    /// The best `limit` entries for `query`, best first (equal scores: newest first).
    pub fn rank(&self, query: &QueryTerms, limit: usize) -> Vec<Ranked> {
        let n = self.by_id.len();
        if query.0.is_empty() || n == 0 || limit == 0 {
            return Vec::new();
        }
        let avg_len = (self.total_len as f32 / n as f32).max(1.0);
        let mut scores = vec![0f32; self.slots.len()];
        let mut touched = Vec::new();
        for &term in &query.0 {
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
        let date = |slot: u32| self.slots[slot as usize].as_ref().map(|d| d.entry_date);
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
                let doc = self.slots[slot as usize].as_ref()?;
                Some(Ranked { id: doc.id.to_string(), score: scores[slot as usize] })
            })
            .collect()
    }

    /// The text around the first match in `body` (or its opening, when only the title or a tag
    /// matched), HTML-escaped, with every matching word in `<mark>`.
    pub fn snippet(&self, query: &QueryTerms, body: &str) -> String {
        let mut tokenizer = Tokenizer::new();
        let mut matches: Vec<(usize, usize)> = Vec::new();
        let mut limit = usize::MAX;
        for_each_word(body, |start, end, word| {
            if start > limit {
                return;
            }
            if self.term_of(&mut tokenizer, word).is_some_and(|t| query.0.contains(&t)) {
                if matches.is_empty() {
                    // Only matches inside the snippet's window matter.
                    limit = start + SNIPPET_CHARS * 4;
                }
                matches.push((start, end));
            }
        });
        cut_snippet(body, &matches)
    }
}

fn cut_snippet(body: &str, matches: &[(usize, usize)]) -> String {
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
    use crate::entries::EntryContent;

    fn entry(id: &str, title: &str, body: &str, tags: &[&str]) -> Entry {
        Entry {
            id: id.to_owned(),
            entry_date: "2024-01-01".to_owned(),
            content: EntryContent {
                title: title.to_owned(),
                body: body.to_owned(),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                mood: None,
                prompt_id: None,
                thought_record: None,
            },
            created_at: 0,
            updated_at: 0,
        }
    }

    fn ids(index: &UserIndex, q: &str) -> Vec<String> {
        index.rank(&index.query_terms(q), 10).into_iter().map(|r| r.id).collect()
    }

    #[test]
    fn stemming_finds_other_forms_of_a_word() {
        let e = entry("a", "", "I walked by the river and felt calmer.", &[]);
        let idx = UserIndex::build(1, [&e]);
        assert_eq!(ids(&idx, "walking"), vec!["a"]);
        let snippet = idx.snippet(&idx.query_terms("walking"), &e.content.body);
        assert!(snippet.contains("<mark>walked</mark>"), "{snippet}");
    }

    #[test]
    fn ranking_prefers_more_specific_matches() {
        let docs = [
            entry("a", "", "anxiety anxiety anxiety before the meeting", &[]),
            entry(
                "b",
                "",
                "a long day with many things; some anxiety in the evening, then dinner and a film and sleep",
                &[],
            ),
            entry("c", "", "nothing relevant here at all", &[]),
        ];
        let idx = UserIndex::build(1, &docs);
        let ranked = idx.rank(&idx.query_terms("anxiety"), 10);
        assert_eq!(ranked.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(ranked[0].score > ranked[1].score);
        assert_eq!(idx.rank(&idx.query_terms("anxiety"), 1).len(), 1);
    }

    #[test]
    fn unicode_is_normalised_and_case_folded() {
        let idx = UserIndex::build(1, [&entry("a", "", "Ｃａｆé visit — ﬁne", &["Été"])]);
        assert_eq!(ids(&idx, "café").len(), 1);
        assert_eq!(ids(&idx, "FINE").len(), 1);
        assert_eq!(ids(&idx, "été").len(), 1, "tags are searchable");
    }

    #[test]
    fn upsert_and_remove_keep_the_index_exact() {
        let mut idx = UserIndex::build(1, [&entry("a", "", "first version about gardens", &[])]);
        idx.upsert(&entry("a", "", "second version about oceans", &[]));
        assert!(ids(&idx, "garden").is_empty());
        assert_eq!(ids(&idx, "ocean"), vec!["a"]);
        idx.upsert(&entry("b", "Oceans", "more", &[]));
        assert_eq!(ids(&idx, "ocean").len(), 2);
        idx.remove("a");
        assert_eq!(ids(&idx, "ocean"), vec!["b"]);
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn snippets_escape_html_and_mark_matches() {
        let body =
            format!("{} <script>alert(1)</script> the word hope appears here {}", "x ".repeat(80), "y ".repeat(120));
        let idx = UserIndex::build(1, [&entry("a", "", &body, &[])]);
        let s = idx.snippet(&idx.query_terms("hope"), &body);
        assert!(s.contains("<mark>hope</mark>"));
        assert!(!s.contains("<script>"));
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.chars().count() < 220);
    }

    #[test]
    fn empty_or_unknown_queries_find_nothing_without_panicking() {
        let idx = UserIndex::build(1, [&entry("a", "", "text", &[])]);
        assert!(ids(&idx, "").is_empty());
        assert!(ids(&idx, "!!! ???").is_empty());
        assert!(ids(&idx, "unknownword").is_empty());
        assert!(UserIndex::build(1, []).rank(&QueryTerms::default(), 5).is_empty());
    }
}
