//! Time as the store keeps it (whole seconds since the Unix epoch) and as the API shows it
//! (RFC 3339 UTC).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub type Timestamp = i64;

pub fn now() -> Timestamp {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}
