//! Day One's Markdown, made ours. Day One's exporter backslash-escapes the punctuation of
//! Gruber's original Markdown list (`\ ` * _ { } [ ] ( ) # + - . !`) wherever it appears in plain
//! text, so "the clinic." arrives as `the clinic\.` and a date as `2024\-02\-03`. Kept as they
//! are, those backslashes show up when a person edits the entry and in every export. Media are
//! `![](dayone-moment://ID)` (photos) or `![](dayone-moment:/video/ID)` and friends, links to
//! files we do not import yet.

/// The Markdown body with Day One's needless escapes removed and dead media links replaced by
/// words. An escape stays wherever removing it could change what the Markdown means: `\*`,
/// `` \` `` and `\\` always; `\#`, `\-`, `\+` at the start of a line (a heading or a list);
/// `1\.` and `1\)` at the start of a line (a numbered list); `\!` before `[` (an image);
/// `\(` after `]` (a link); `\[` and `\]` on any line that also holds `](`, `][` or `]:`, in
/// a text with a link definition, or next to a `]` or `!`; `\_` unless it sits inside a word,
/// where it can never be emphasis. A property test checks that the rendered page never changes. Code is left alone:
/// Day One does not escape inside it, so a backslash there is the person's own.
pub fn body(text: &str) -> String {
    let text = media_links(text);
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    // A code span may run over several lines of a paragraph; a blank line ends it.
    let mut code_ticks = 0usize;
    // Brackets only come loose where they cannot form a link, an image or a link definition.
    let definitions = text.replace('\\', "").contains("]:");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        // Four spaces or a tab make an indented code block only after a blank line or at the
        // start; Day One writes nested lists with tabs, so only fences count as code here.
        if line.trim().is_empty() {
            code_ticks = 0;
        }
        if in_fence {
            out.push_str(line);
        } else {
            let plain = line.replace('\\', "");
            let brackets = !definitions && !["](", "][", "]:"].iter().any(|p| plain.contains(p));
            line_unescaped(line, &mut out, &mut code_ticks, brackets);
        }
    }
    out
}

fn line_unescaped(line: &str, out: &mut String, code_ticks: &mut usize, brackets: bool) {
    let start = out.len();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&t| t == '`').count();
            if *code_ticks == 0 {
                *code_ticks = run;
            } else if run == *code_ticks {
                *code_ticks = 0;
            }
            out.extend(&chars[i..i + run]);
            i += run;
            continue;
        }
        if c != '\\' || *code_ticks > 0 || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let escaped = chars[i + 1];
        // What Markdown will see next: the character after, or after its own escape.
        let next = match chars.get(i + 2) {
            Some('\\') => chars.get(i + 3).copied(),
            other => other.copied(),
        };
        let prefix = &out[start..];
        if escape_is_needed(escaped, prefix, next) || (matches!(escaped, '[' | ']') && !brackets) {
            out.push('\\');
        }
        out.push(escaped);
        i += 2;
    }
}

fn escape_is_needed(escaped: char, prefix: &str, next: Option<char>) -> bool {
    // Only block markers so far (`>`, list bullets and numbers, `#`): what follows may still
    // start a heading, a list or a rule.
    let line_start = prefix.chars().all(|c| " \t>-+*#.)".contains(c) || c.is_ascii_digit());
    let ends_item = next.is_none_or(char::is_whitespace);
    let after_number = line_start && prefix.ends_with(|c: char| c.is_ascii_digit());
    // The last character Markdown sees as itself, not as an escaped one.
    let prev = prefix.chars().next_back().filter(|_| !prefix.ends_with(['\\']) && !escaped_last(prefix));
    match escaped {
        '.' | ')' => after_number && ends_item,
        '-' | '+' => line_start && (ends_item || next == Some(escaped)),
        '#' => line_start && (ends_item || next == Some('#')),
        '!' => next == Some('['),
        '[' => matches!(prev, Some(']' | '!')),
        ']' => next == Some(':'),
        '(' => prev == Some(']'),
        '_' => !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)),
        '{' | '}' => false,
        // Anything else (`*`, `` ` ``, `\`, `>`, `|`, …) was escaped on purpose or may matter.
        _ => true,
    }
}

/// Whether the prefix ends with an escaped character (`\]`), which Markdown treats as text.
fn escaped_last(prefix: &str) -> bool {
    let mut rev = prefix.chars().rev();
    rev.next();
    rev.take_while(|c| *c == '\\').count() % 2 == 1
}

/// A title is plain text, never rendered as Markdown: every backslash before punctuation goes.
pub fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

const MOMENT: &str = "](dayone-moment:";

/// `![…](dayone-moment:…)` becomes "(photo not imported)" (or video, audio, PDF), so the place
/// where something was stays visible and nothing points at a file that is not there.
fn media_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MOMENT) {
        let Some(open) = rest[..at].rfind("![").filter(|o| !rest[o + 2..at].contains(['[', ']', '\n'])) else {
            out.push_str(&rest[..at + MOMENT.len()]);
            rest = &rest[at + MOMENT.len()..];
            continue;
        };
        let target = &rest[at + MOMENT.len()..];
        let Some(close) = target.find([')', '\n']).filter(|c| target[*c..].starts_with(')')) else {
            out.push_str(&rest[..at + MOMENT.len()]);
            rest = target;
            continue;
        };
        let what = match target[..close].trim_start_matches('/').split('/').next().unwrap_or("") {
            "video" => "video",
            "audio" => "audio recording",
            "pdfAttachment" => "PDF",
            "sketch" => "sketch",
            _ => "photo",
        };
        out.push_str(&rest[..open]);
        out.push_str(&format!("({what} not imported)"));
        rest = &target[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn needless_escapes_go() {
        let cases = [
            (r"I went to the clinic\. It was fine\!", "I went to the clinic. It was fine!"),
            (r"On 2024\-02\-03 \(a Saturday\) I slept in\.", "On 2024-02-03 (a Saturday) I slept in."),
            (r"Score: 7\+ out of 10 \#progress", "Score: 7+ out of 10 #progress"),
            (r"my\_notes\_file and \{braces\}", "my_notes_file and {braces}"),
            (r"I said \[sic\] twice", "I said [sic] twice"),
            ("\\- not a list? It is: \n\tnested item\\.", "\\- not a list? It is: \n\tnested item."),
        ];
        for (raw, want) in cases {
            assert_eq!(body(raw), want, "{raw}");
        }
    }

    #[test]
    fn meaningful_escapes_stay() {
        for raw in [
            r"\*not emphasis\*",
            r"\_not emphasis\_",
            r"a literal \\ backslash",
            r"\# not a heading",
            r"\- not a list",
            r"  \+ not a list",
            r"\---",
            r"1\. not a numbered list",
            r"12\) nor this",
            r"\![not an image](x)",
            r"[not a link]\(x)",
            r"[not]\[a reference]",
            r"\[not a definition\]: x",
            r"use `a\.b` in code",
            "```\nC:\\Users\\me\\.config\n```",
        ] {
            let out = body(raw);
            assert_eq!(render(&out), render(raw), "{raw} became {out}");
        }
        assert_eq!(body(r"\[not a definition\]: x"), r"\[not a definition\]: x");
        assert_eq!(body(r"1\. first"), r"1\. first");
        assert_eq!(body(r"Page 1\. Done\."), "Page 1. Done.");
        assert_eq!(body(r"\!\[not an image\]"), r"\![not an image]");
    }

    fn render(markdown: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
        html
    }

    #[test]
    fn unescaping_never_changes_the_rendered_page() {
        for raw in [
            r"I went to the clinic\. It was fine\!",
            r"On 2024\-02\-03 \(a Saturday\) I slept in\.",
            r"my\_notes\_file and \{braces\} and \[sic\]",
            "A list:\n\n\\- one\n1\\. two\n\\# three",
        ] {
            assert_eq!(render(&body(raw)), render(raw), "{raw}");
        }
    }

    #[test]
    fn dead_media_links_become_words() {
        assert_eq!(
            body("Before\n![](dayone-moment://0A1B2C3D4E5F)\nAfter the walk\\."),
            "Before\n(photo not imported)\nAfter the walk."
        );
        assert_eq!(
            body(
                "![](dayone-moment:/video/AB12) and ![](dayone-moment:/audio/CD34) ![x](dayone-moment:/pdfAttachment/EF)"
            ),
            "(video not imported) and (audio recording not imported) (PDF not imported)"
        );
        assert_eq!(body("![](https://example.org/a.png)"), "![](https://example.org/a.png)");
        assert_eq!(body("[](dayone-moment://X"), "[](dayone-moment://X");
        assert_eq!(body("![](dayone-moment://X\n)"), "![](dayone-moment://X\n)");
    }

    #[test]
    fn titles_lose_every_escape() {
        assert_eq!(title(r"Snow day\! \(again\) \*sigh\*"), "Snow day! (again) *sigh*");
        assert_eq!(title(r"C:\Users"), r"C:\Users");
    }

    proptest! {
        #[test]
        fn never_panics_and_never_adds_text(s in "[\\\\a-z0-9 .!#*_()\\[\\]{}+`\n-]{0,80}") {
            let out = body(&s);
            prop_assert!(out.len() <= s.len());
            prop_assert_eq!(out.replace('\\', ""), s.replace('\\', ""));
            let t = title(&s);
            prop_assert!(t.len() <= s.len());
        }

        #[test]
        fn rendering_is_unchanged(s in "[\\\\a-z1 .!#*_()\\[\\]{}+`:\n-]{0,40}") {
            prop_assert_eq!(render(&body(&s)), render(&s), "{:?} became {:?}", s, body(&s));
        }

        #[test]
        fn unescaping_twice_changes_nothing_more_for_plain_sentences(words in "[a-z]{1,8}( [a-z]{1,8}){0,6}") {
            let escaped = format!("{}\\.", words);
            prop_assert_eq!(body(&escaped), format!("{words}."));
        }
    }
}
