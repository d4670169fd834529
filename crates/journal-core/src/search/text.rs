//! Turning text into search terms: split into words (letters and digits), NFKC-normalise,
//! lowercase, stem. Byte offsets always refer to the original text, for snippets.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

pub struct Tokenizer {
    stemmer: Stemmer,
    /// Most words repeat; stemming each distinct word once makes building an index fast.
    memo: HashMap<String, Box<str>>,
    scratch: String,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    pub fn new() -> Self {
        Self { stemmer: Stemmer::create(Algorithm::English), memo: HashMap::new(), scratch: String::new() }
    }

    /// Calls `f(start, end, term)` for every word of `text`.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(usize, usize, &str)) {
        let mut start = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let is_word = c.is_alphanumeric() || (c == '\'' && start.is_some());
            match (start, is_word) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    let word = text[s..i].trim_end_matches('\'');
                    if !word.is_empty() {
                        let term = self.term(word);
                        f(s, s + word.len(), term);
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }

    fn term(&mut self, word: &str) -> &str {
        self.scratch.clear();
        for c in word.nfkc() {
            self.scratch.extend(c.to_lowercase());
        }
        if !self.memo.contains_key(self.scratch.as_str()) {
            let stem: Box<str> = Box::from(self.stemmer.stem(&self.scratch).as_ref());
            self.memo.insert(self.scratch.clone(), stem);
        }
        self.memo.get(self.scratch.as_str()).map(|s| &**s).unwrap_or("")
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
