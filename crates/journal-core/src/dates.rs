//! Calendar dates and time zones. Entry dates are calendar dates in the writer's own time zone
//! ("what day was it for me"), never instants.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::validate::ValidationError;

/// A strict `YYYY-MM-DD` between 1900 and 2100; impossible dates such as 2023-02-30 are refused.
pub fn parse_date(field: &'static str, input: &str) -> Result<Date, ValidationError> {
    let bad = || ValidationError::new(field, format!("'{input}' is not a real date. Please use YYYY-MM-DD."));
    let s = input.trim();
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return Err(bad());
    }
    let date: Date = s.parse().map_err(|_| bad())?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(ValidationError::new(field, "Please choose a date between 1900 and 2100."));
    }
    Ok(date)
}

/// An IANA time zone name that the bundled database knows.
pub fn parse_time_zone(input: &str) -> Result<String, ValidationError> {
    let name = input.trim();
    if name.is_empty() || name.len() > 64 || TimeZone::get(name).is_err() {
        return Err(ValidationError::new(
            "time_zone",
            "Please choose a time zone such as Europe/London or America/Chicago.",
        ));
    }
    Ok(name.to_owned())
}

/// The named zone, or UTC for a name the database doesn't know.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// The local day of a Unix timestamp in `zone`.
pub fn local_date(ts: i64, zone: &TimeZone) -> Option<Date> {
    Timestamp::from_second(ts).ok().map(|t| t.to_zoned_datetime(zone.clone()).date())
}

/// Today's date where the person is.
pub fn today_in(time_zone: &str) -> Date {
    Timestamp::now().to_zoned_datetime(zone(time_zone)).date()
}

/// The hour (0–23) where the person is, for greetings and time-of-day choices.
pub fn hour_in(time_zone: &str) -> i8 {
    Timestamp::now().to_zoned_datetime(zone(time_zone)).hour()
}

/// The first day of the month of `date`.
pub fn month_start(date: Date) -> Date {
    date.first_of_month()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse_and_impossible_ones_do_not() {
        assert_eq!(parse_date("d", "2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in ["2023-02-29", "2023-02-30", "2023-13-01", "2023-1-1", "yesterday", "", "20230101", "1899-12-31"] {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zones_are_checked() {
        assert_eq!(parse_time_zone("Europe/Paris").unwrap(), "Europe/Paris");
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("").is_err());
    }

    #[test]
    fn today_differs_across_the_date_line_sometimes() {
        let a = today_in("Pacific/Kiritimati");
        let b = today_in("Pacific/Pago_Pago");
        assert!(a >= b);
    }
}

/// The first second of `date` where the person is, as a Unix timestamp.
pub fn start_of_day(date: Date, time_zone: &str) -> i64 {
    date.to_zoned_datetime(zone(time_zone)).map(|z| z.timestamp().as_second()).unwrap_or(0)
}

/// An RFC 3339 moment (`2024-05-01T21:30:00Z` or with an offset) as a Unix timestamp.
pub fn parse_moment(field: &'static str, input: &str) -> Result<i64, ValidationError> {
    let ts: Timestamp = input.trim().parse().map_err(|_| {
        ValidationError::new(
            field,
            format!("'{input}' is not a time we understand. Please use RFC 3339, e.g. 2024-05-01T21:30:00Z."),
        )
    })?;
    Ok(ts.as_second())
}

#[cfg(test)]
mod moment_tests {
    use super::*;

    #[test]
    fn day_starts_follow_the_time_zone() {
        let d = parse_date("d", "2024-07-01").unwrap();
        assert_eq!(start_of_day(d, "UTC"), 1_719_792_000);
        assert_eq!(start_of_day(d, "Europe/London"), 1_719_792_000 - 3600);
        assert_eq!(parse_moment("at", "2024-07-01T00:00:00Z").unwrap(), 1_719_792_000);
        assert_eq!(parse_moment("at", "2024-07-01T01:00:00+01:00").unwrap(), 1_719_792_000);
        assert!(parse_moment("at", "yesterday evening").is_err());
    }
}
