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
        let name = input.trim();
        if name.is_empty() {
            return Err(ValidationError::new("display_name", "Please tell us what to call you."));
        }
        if name.chars().count() > 80 || name.chars().any(char::is_control) {
            return Err(ValidationError::new("display_name", "Please keep the name under 80 characters, on one line."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short label for an API token, so a person can tell their tokens apart.
pub fn token_name(input: &str) -> Result<String, ValidationError> {
    let name = input.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(ValidationError::new("name", "Please give the token a short name (up to 60 characters)."));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(DisplayName::parse("a\nb").is_err());
        assert!(DisplayName::parse(&"a".repeat(81)).is_err());
    }
}
