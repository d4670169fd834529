//! Parse, don't validate: input from the outside becomes one of these types or a
//! `ValidationError` that names the field and says what a person should do.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Free text has one rule, wherever it comes from (a form, the API, an import):
///
/// - Multi-line text (entry bodies, notes, thoughts, reflections, comments) keeps its line
///   breaks and tabs; CRLF and a lone CR become LF; every other control character (NUL, BEL,
///   ESC, DEL, the C1 controls) is removed.
/// - Single-line text (titles, tags, names, feelings, list items) has each line break or tab
///   replaced by a space, and every other control character removed.
///
/// Stripping, not refusing: the controls are invisible, nobody types them on purpose, and they
/// arrive by pasting from another app. Someone who pastes a page they wrote on a hard day must
/// not be told "invalid input" and lose it over a character they cannot see. A line break in a
/// title is a paste too; a space keeps the words apart. Lengths are checked after cleaning.
pub fn multi_line(text: &str) -> String {
    strip_controls(text, '\n', '\t')
}

/// See [`multi_line`]: one line, with line breaks and tabs as spaces.
pub fn single_line(text: &str) -> String {
    strip_controls(text, ' ', ' ')
}

/// The one rule behind both: a line break (CRLF, CR or LF) becomes `line_break`, a tab becomes
/// `tab`, and every other control character is dropped.
fn strip_controls(text: &str, line_break: char, tab: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(line_break);
            }
            '\n' => out.push(line_break),
            '\t' => out.push(tab),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A normalised (trimmed, lowercased) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let email = input.trim().to_lowercase();
        let bad = || ValidationError::new("email", "Please enter an email address like name@example.org.");
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        match email.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {
                Ok(Self(email))
            }
            _ => Err(bad()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const PASSWORD_MIN_CHARS: usize = 10;
const PASSWORD_MAX_BYTES: usize = 1024;

/// A password that meets the minimum length. Long passphrases are welcome; nothing else is
/// demanded, as NIST SP 800-63B advises.
pub struct Password(zeroize::Zeroizing<String>);

impl Password {
    pub fn parse(field: &'static str, input: &str) -> Result<Self, ValidationError> {
        if input.chars().count() < PASSWORD_MIN_CHARS {
            return Err(ValidationError::new(
                field,
                format!("Please use at least {PASSWORD_MIN_CHARS} characters. A few words strung together work well."),
            ));
        }
        if input.len() > PASSWORD_MAX_BYTES {
            return Err(ValidationError::new(field, "That password is longer than 1024 bytes."));
        }
        Ok(Self(zeroize::Zeroizing::new(input.to_owned())))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// The name others see (a therapist sees their client's display name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let name = single_line(input);
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationError::new("display_name", "Please tell us what to call you."));
        }
        if name.chars().count() > 80 {
            return Err(ValidationError::new("display_name", "Please keep the name under 80 characters."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short label for an API token, so a person can tell their tokens apart.
pub fn token_name(input: &str) -> Result<String, ValidationError> {
    let name = single_line(input);
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ValidationError::new("name", "Please give the token a short name (up to 60 characters)."));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn free_text_keeps_words_and_loses_invisible_controls() {
        assert_eq!(
            multi_line("one\r\ntwo\rthree\n\tfour\u{0}\u{7}\u{1b}[31m\u{7f}\u{9b}"),
            "one\ntwo\nthree\n\tfour[31m"
        );
        assert_eq!(single_line("A title\r\nwith\ta\nbreak\u{0}\u{1b}"), "A title with a break");
        assert_eq!(multi_line("Ünïcödé, emoji 🌱 and RTL שלום stay"), "Ünïcödé, emoji 🌱 and RTL שלום stay");
    }

    proptest! {
        #[test]
        fn multi_line_text_has_no_controls_but_newlines_and_tabs(s in "\\PC*|[\\x00-\\x1f\\x7f a-z\\r\\n]{0,60}") {
            let out = multi_line(&s);
            prop_assert!(out.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
            prop_assert!(!out.contains('\r'));
            prop_assert_eq!(multi_line(&out), out.clone(), "idempotent");
            let kept = |t: &str| t.chars().filter(|c| !c.is_control()).collect::<String>();
            prop_assert_eq!(kept(&out), kept(&s), "every visible character is kept, in order");
            prop_assert_eq!(
                out.matches('\n').count(),
                s.replace("\r\n", "\n").chars().filter(|c| *c == '\n' || *c == '\r').count()
            );
        }

        #[test]
        fn single_line_text_has_no_controls_at_all(s in "\\PC*|[\\x00-\\x1f\\x7f a-z\\r\\n]{0,60}") {
            let out = single_line(&s);
            prop_assert!(out.chars().all(|c| !c.is_control()));
            prop_assert_eq!(single_line(&out), out.clone(), "idempotent");
            prop_assert_eq!(single_line(&s), single_line(&multi_line(&s)), "agrees with the multi-line rule");
        }
    }

    #[test]
    fn email_is_normalised() {
        assert_eq!(Email::parse("  Sam@Example.ORG ").unwrap().as_str(), "sam@example.org");
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in ["", "sam", "@example.org", "sam@", "s am@example.org", "a@b@c"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_length_counts_characters() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", "ééééééééé").is_err());
        assert!(Password::parse("password", "éééééééééé").is_ok());
        assert!(Password::parse("password", &"x".repeat(2000)).is_err());
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse(" Sam ").unwrap().as_str(), "Sam");
        assert!(DisplayName::parse("   ").is_err());
        assert_eq!(DisplayName::parse("a\nb\u{1b}").unwrap().as_str(), "a b");
        assert!(DisplayName::parse(&"a".repeat(81)).is_err());
    }
}
