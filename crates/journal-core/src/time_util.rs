//! Time as the store keeps it (whole seconds since the Unix epoch) and as the API shows it
//! (RFC 3339 UTC).

use jiff::SignedDuration;
use jiff::civil::{DateTime, date};

pub type Timestamp = i64;

pub fn now() -> Timestamp {
    jiff::Timestamp::now().as_second()
}

/// Years 0000 to 9999 only, as RFC 3339 allows; anything else shows as the epoch.
pub fn rfc3339(ts: Timestamp) -> String {
    // Civil time, not `jiff::Timestamp`: a timestamp stops a day short of 9999-12-31 so that it
    // fits any offset, and a stored time from that last day still has to show.
    const EPOCH: DateTime = date(1970, 1, 1).at(0, 0, 0, 0);
    EPOCH
        .checked_add(SignedDuration::from_secs(ts))
        .ok()
        .filter(|t| t.year() >= 0)
        .map(|t| format!("{t}Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_in_utc_with_whole_seconds() {
        for (ts, shown) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_710_102_600, "2024-03-10T20:30:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (-62_167_219_200, "0000-01-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            // Outside years 0000–9999 RFC 3339 has no way to write it.
            (-62_167_219_201, "1970-01-01T00:00:00Z"),
            (253_402_300_800, "1970-01-01T00:00:00Z"),
            (i64::MAX, "1970-01-01T00:00:00Z"),
            (i64::MIN, "1970-01-01T00:00:00Z"),
        ] {
            assert_eq!(rfc3339(ts), shown, "{ts}");
        }
        assert!((now() - 1_767_225_600).abs() < 100 * 365 * 86_400, "now is in seconds");
    }
}
