//! `ApiJson<T>` and `ApiQuery<T>`: request bodies and query strings with our error shape.
//! Malformed JSON is 400; a body that is well-formed but not an object, or has wrong or missing
//! fields, is 422 with `field` naming the place (`contacts[1].phone`); a missing content type is
//! 415 and an oversized body 413. Messages are written for people: serde's own wording names Rust
//! types ("expected struct EntryRequest with 6 elements", "expected u8"), which means nothing to
//! the person or program on the other end, so it is translated here, once, for every route.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::error::AppError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Please send JSON with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "That is more than we can take at once.")
            } else {
                AppError::bad_request("bad_request", "The request body could not be read.")
            }
        })?;
        parse_body(&bytes).map(ApiJson)
    }
}

/// `application/json` or any `application/*+json`, as axum's own extractor accepts.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.strip_prefix("application/") {
        Some(subtype) => subtype == "json" || subtype.ends_with("+json"),
        None => false,
    }
}

fn invalid_json() -> AppError {
    AppError::bad_request("invalid_json", "The request body is not valid JSON.")
}

/// Every body we take is an object, and so is every struct inside it. serde would otherwise
/// fill a struct from an array by position (`["phq9",[0,…]]` became an assessment), which no
/// client means on purpose; [`super::strict::Strict`] refuses that at any depth.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Broken JSON stays a 400; everything after this is about the shape of good JSON.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| invalid_json())?;
    if !value.is_object() {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "Please send a JSON object, with each value under its name, like {\"title\": \"…\"}.",
        ));
    }
    serde_path_to_error::deserialize(super::strict::Strict(&value))
        .map_err(|e| data_error(field_path(e.path()), &e.into_inner().to_string()))
}

pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = field_path(e.path());
        data_error(path, &e.into_inner().to_string())
    })
}

/// `a.b[0].c`, the way a person would point at the value in their JSON.
fn field_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// `path.key`; serde_path_to_error already ends the path with the key for unknown and
/// duplicate fields, but not for missing ones.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else if path == key || path.ends_with(&format!(".{key}")) {
        path.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The first `backticked` word of a serde message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn data_error(path: String, message: &str) -> AppError {
    // serde_json appends " at line 1 column 17"; the field says where, so drop it.
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    };
    let (field, text) = plain(path, message);
    let mut error = AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", text);
    if !field.is_empty() {
        error.field = Some(Cow::Owned(field));
    }
    error
}

/// serde's message, reworded for people, and the field it is about.
fn plain(path: String, message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = join(&path, quoted(rest).unwrap_or(""));
        let text = format!("Please include “{field}”.");
        return (field, text);
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = join(&path, quoted(rest).unwrap_or(""));
        let text = format!("“{field}” is not something we know; please check the spelling.");
        return (field, text);
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = join(&path, quoted(rest).unwrap_or(""));
        let text = format!("“{field}” is given twice; please send it once.");
        return (field, text);
    }
    let name = if path.is_empty() { "This value".to_owned() } else { format!("“{path}”") };
    if message.starts_with("unknown variant ") {
        let choices = message.split_once("expected ").map(|(_, e)| choices(e)).unwrap_or_default();
        let text = if choices.is_empty() {
            format!("{name} is not one of the values we know.")
        } else {
            format!("{name} should be {choices}.")
        };
        return (path, text);
    }
    if message.starts_with("invalid type: ")
        || message.starts_with("invalid value: ")
        || message.starts_with("invalid length ")
    {
        let expected = message.split_once(", expected ").map(|(_, e)| e).unwrap_or("");
        let text = match expectation(expected) {
            Some(e) => format!("{name} should be {e}."),
            None => format!("{name} is not the kind of value we expect here."),
        };
        return (path, text);
    }
    // What the standard parsers say about query-string values.
    let parse_failure = match message {
        "invalid digit found in string" | "cannot parse integer from empty string" => Some("a whole number"),
        "number too large to fit in target type" | "number too small to fit in target type" => {
            Some("a smaller whole number")
        }
        "invalid float literal" => Some("a number"),
        "provided string was not `true` or `false`" => Some("true or false"),
        _ => None,
    };
    if let Some(expected) = parse_failure {
        return (path, format!("{name} should be {expected}."));
    }
    // Our own deserialisers and the date and number parsers speak plainly; anything that
    // slipped through and names a Rust type gets a neutral sentence instead.
    let text = if names_a_rust_type(message) || message.starts_with("expected ") {
        format!("{name} is not the kind of value we expect here.")
    } else {
        let mut s = capitalised(message);
        if !path.is_empty() {
            s = format!("{name}: {message}");
        }
        if !s.ends_with('.') {
            s.push('.');
        }
        s
    };
    (path, text)
}

/// "one of `phq9`, `gad7`" or "`a` or `b`" as "one of: phq9, gad7".
fn choices(expected: &str) -> String {
    let words: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => format!("“{one}”"),
        many => format!("one of: {}", many.join(", ")),
    }
}

/// serde's "expected …" in words. `None` when it only names a Rust type we cannot explain.
fn expectation(expected: &str) -> Option<String> {
    let e = expected.trim();
    let range = |lo: &str, hi: &str| format!("a whole number from {lo} to {hi}");
    let text = match e {
        "u8" => range("0", "255"),
        "u16" => range("0", "65535"),
        "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a string" | "a borrowed string" | "string or map" => "text".to_owned(),
        "a character" | "a char" => "a single character".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "a sequence" | "a tuple" => "a list".to_owned(),
        "a map" => "an object".to_owned(),
        "unit" => "null".to_owned(),
        _ if e.starts_with("struct ") || e.starts_with("a map") => "an object".to_owned(),
        _ if e.starts_with("a sequence") || e.starts_with("an array") || e.starts_with("tuple") => "a list".to_owned(),
        _ if e.starts_with("one of ") || e.starts_with('`') => choices(e),
        _ if e.starts_with("enum ") || e.starts_with("variant ") => return None,
        _ if names_a_rust_type(e) => return None,
        _ => e.to_owned(),
    };
    Some(text)
}

fn names_a_rust_type(text: &str) -> bool {
    const RUST: [&str; 27] = [
        "struct", "enum", "Request", "Option", "Vec", "String", "Box", "HashMap", "BTreeMap", "u8", "u16", "u32",
        "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "variant", "newtype",
        "tuple", "unit",
    ];
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|word| RUST.iter().any(|r| word == *r || (r.len() > 4 && word.ends_with(r))))
}

fn capitalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.extend(chars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Contact {
        name: String,
        phone: Option<String>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Kind {
        Phq9,
        Gad7,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct ExampleRequest {
        kind: Kind,
        answers: Vec<u8>,
        people: Option<Vec<Contact>>,
        days: Option<i64>,
        ok: Option<bool>,
    }

    fn error(body: &str) -> AppError {
        match parse_body::<ExampleRequest>(body.as_bytes()) {
            Ok(v) => panic!("{body} was accepted as {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn only_objects_are_bodies() {
        for body in ["[\"phq9\",[0,1]]", "[]", "\"x\"", "1", "null", "true"] {
            let e = error(body);
            assert_eq!((e.status.as_u16(), e.code), (422, "invalid_body"), "{body}");
        }
        for body in ["", "[", "{\"kind\":", "{} x", "nul"] {
            let e = error(body);
            assert_eq!((e.status.as_u16(), e.code), (400, "invalid_json"), "{body}");
        }
        assert!(parse_body::<ExampleRequest>(b" \n{\"kind\":\"phq9\",\"answers\":[1]}").is_ok());
    }

    #[test]
    fn messages_name_the_field_and_no_rust_type() {
        let cases = [
            (r#"{"answers":[1]}"#, "kind"),
            (r#"{"kind":"phq10","answers":[1]}"#, "kind"),
            (r#"{"kind":1,"answers":[1]}"#, "kind"),
            (r#"{"kind":"phq9","answers":"x"}"#, "answers"),
            (r#"{"kind":"phq9","answers":[1,300]}"#, "answers[1]"),
            (r#"{"kind":"phq9","answers":[1,"a"]}"#, "answers[1]"),
            (r#"{"kind":"phq9","answers":[1],"people":[{"name":1}]}"#, "people[0].name"),
            (r#"{"kind":"phq9","answers":[1],"people":[{}]}"#, "people[0].name"),
            (r#"{"kind":"phq9","answers":[1],"people":{}}"#, "people"),
            (r#"{"kind":"phq9","answers":[1],"days":"x"}"#, "days"),
            (r#"{"kind":"phq9","answers":[1],"days":1.5}"#, "days"),
            (r#"{"kind":"phq9","answers":[1],"ok":"yes"}"#, "ok"),
            (r#"{"kind":"phq9","answers":[1],"extra":1}"#, "extra"),
            (r#"{"kind":"phq9","answers":[1],"people":[["Jo","0770"]]}"#, "people[0]"),
            (r#"{"kind":["phq9"],"answers":[1]}"#, "kind"),
        ];
        for (body, field) in cases {
            let e = error(body);
            assert_eq!(e.status.as_u16(), 422, "{body}");
            assert_eq!(e.field.as_deref(), Some(field), "{body}: {}", e.message);
            assert!(!names_a_rust_type(&e.message), "{body}: {}", e.message);
            assert!(!e.message.contains("line"), "{body}: {}", e.message);
        }
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Params {
        days: Option<u32>,
        q: String,
        dry_run: Option<bool>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        for (query, field) in
            [("q=a&days=x", "days"), ("days=1", "q"), ("q=a&days=-1", "days"), ("q=a&dry_run=maybe", "dry_run")]
        {
            let Err(e) = parse_query::<Params>(query) else { panic!("{query} was accepted") };
            assert_eq!((e.status.as_u16(), e.field.as_deref()), (422, Some(field)), "{query}: {}", e.message);
            assert!(!names_a_rust_type(&e.message), "{query}: {}", e.message);
            assert!(e.message.contains("should be") || e.message.starts_with("Please include"), "{}", e.message);
        }
        assert!(parse_query::<Params>("q=a&days=3&dry_run=true").is_ok());
    }
}
