//! Turning text into search terms: split into words (letters and digits), NFKC-normalise,
//! lowercase, stem. Byte offsets always refer to the original text, for snippets.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Calls `f(start, end, word)` for every word of `text`, with byte offsets into `text`.
pub fn for_each_word(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    if text.is_ascii() {
        return for_each_ascii_word(text, f);
    }
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let is_word = c.is_alphanumeric() || (c == '\'' && start.is_some());
        match (start, is_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = text[s..i].trim_end_matches('\'');
                if !word.is_empty() {
                    f(s, s + word.len(), word);
                }
                start = None;
            }
            _ => {}
        }
    }
}

/// The same, byte by byte, for the common all-ASCII text (no Unicode tables needed).
fn for_each_ascii_word(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    for i in 0..=bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        let is_word = b.is_ascii_alphanumeric() || (b == b'\'' && start.is_some());
        match (start, is_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = text[s..i].trim_end_matches('\'');
                if !word.is_empty() {
                    f(s, s + word.len(), word);
                }
                start = None;
            }
            _ => {}
        }
    }
}

pub struct Tokenizer {
    stemmer: Stemmer,
    scratch: String,
    stemmed: String,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tokenizer {
    pub fn new() -> Self {
        Self { stemmer: Stemmer::create(Algorithm::English), scratch: String::new(), stemmed: String::new() }
    }

    /// The search term for one word: NFKC, lowercase, stemmed.
    pub fn normalise(&mut self, word: &str) -> &str {
        self.scratch.clear();
        if word.is_ascii() {
            // ASCII is already NFKC; only case needs folding.
            self.scratch.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            for c in word.nfkc() {
                self.scratch.extend(c.to_lowercase());
            }
        }
        self.stemmed.clear();
        self.stemmed.push_str(&self.stemmer.stem(&self.scratch));
        &self.stemmed
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for_each_word(text, |s, e, w| out.push((s, e, w.to_owned())));
        out
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        let text = "Don't stop: it's 3 o'clock, rain's here' again";
        let ascii = words(text);
        let unicode = words(&format!("{text} é"));
        assert_eq!(&unicode[..ascii.len()], &ascii[..]);
        assert_eq!(ascii[0].2, "Don't");
        assert!(ascii.iter().all(|(s, e, w)| &text[*s..*e] == w));
    }
}
