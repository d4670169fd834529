//! Dates in words, for headings and lists on several kinds of page.

use jiff::civil::{Date, Weekday};

/// "Monday 4 March 2024"
pub fn long_date(date: &str) -> String {
    match date.parse::<Date>() {
        Ok(d) => format!("{} {} {} {}", weekday_name(d.weekday()), d.day(), month_name(d.month()), d.year()),
        Err(_) => date.to_owned(),
    }
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

pub fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get((m.clamp(1, 12) - 1) as usize).copied().unwrap_or("")
}
