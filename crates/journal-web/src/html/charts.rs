//! Charts drawn on the server as SVG: no script, readable in both themes (colours come from the
//! stylesheet through classes), each with a title and description for screen readers; the page
//! also says in words what the chart shows.

use std::fmt::Write;

use journal_core::search::escape_html;

const W: f64 = 480.0;
const H: f64 = 210.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;

fn y_for(score: f64) -> f64 {
    TOP + (5.0 - score) / 4.0 * (H - TOP - BOTTOM)
}

fn frame(out: &mut String, id: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="group" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape_html(title),
        escape_html(desc)
    );
    for (score, label) in journal_core::emotions::MOOD_SCALE {
        let y = y_for(f64::from(score));
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{label}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
}

/// Mood (1–5) over time: one point per day that has check-ins, joined where days follow.
/// Points are `(days from the start, value)`; the axis says "N days ago" and "today".
pub fn mood_over_time(id: &str, title: &str, desc: &str, days: &[(String, f64)], span_days: usize) -> String {
    let back = span_days.saturating_sub(1);
    let points: Vec<Point> = days
        .iter()
        .filter_map(|(offset, v)| {
            let i = offset.parse::<usize>().ok()?;
            let ago = back.saturating_sub(i);
            let when = match ago {
                0 => "today".to_owned(),
                1 => "yesterday".to_owned(),
                n => format!("{n} days ago"),
            };
            Some(Point { offset: i, value: *v, label: when })
        })
        .collect();
    let ticks = [(0, format!("{back} days ago")), (back, "today".to_owned())];
    line_chart(id, title, desc, &points, span_days, &ticks)
}

/// One point of a line chart: where it falls (days from the start), its value, and the words
/// that name it ("3 Nov", "week of 3 Nov") for its label.
pub struct Point {
    pub offset: usize,
    pub value: f64,
    pub label: String,
}

/// A point's value in words, as shown on focus and read by a screen reader.
fn value_words(v: f64) -> String {
    let nearest = journal_core::emotions::mood_label(v.round().clamp(1.0, 5.0) as u8);
    format!("{v:.1} of 5, {}", nearest.to_lowercase())
}

/// Keeps a label that is centred on `x` inside the chart.
fn label_x(x: f64) -> (f64, &'static str) {
    if x < LEFT + 50.0 {
        (x - 6.0, "start")
    } else if x > W - RIGHT - 50.0 {
        (x + 6.0, "end")
    } else {
        (x, "middle")
    }
}

/// Mood over time with a dated axis (`ticks`: days from the start and their labels). Each point
/// can be focused (or tapped) to show its date and value.
pub fn line_chart(
    id: &str,
    title: &str,
    desc: &str,
    points: &[Point],
    span_days: usize,
    ticks: &[(usize, String)],
) -> String {
    let mut out = String::with_capacity(4096);
    frame(&mut out, id, title, desc);
    let span = span_days.max(2) as f64 - 1.0;
    let x_for = |i: usize| LEFT + i as f64 / span * (W - LEFT - RIGHT);
    if points.len() > 1 {
        out.push_str(r#"<polyline class="line" fill="none" points=""#);
        for p in points {
            let _ = write!(out, "{:.1},{:.1} ", x_for(p.offset), y_for(p.value));
        }
        out.push_str(r#""/>"#);
    }
    for p in points {
        let (x, y) = (x_for(p.offset), y_for(p.value));
        let words = format!("{}: {}", p.label, value_words(p.value));
        let (tx, anchor) = label_x(x);
        let ty = if y < TOP + 30.0 { y + 26.0 } else { y - 12.0 };
        let _ = write!(
            out,
            r#"<g class="pt" tabindex="0" role="img" aria-label="{words}"><circle class="hit" cx="{x:.1}" cy="{y:.1}" r="12"/><circle class="dot" cx="{x:.1}" cy="{y:.1}" r="4"/><text class="val" x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}">{} · {:.1}</text></g>"#,
            escape_html(&p.label),
            p.value,
            words = escape_html(&words),
        );
    }
    for (i, label) in ticks {
        let x = x_for(*i);
        let anchor = if *i == 0 {
            "start"
        } else if (*i as f64) >= span {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r#"<line class="tick" x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}"/><text class="axis" x="{x:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
            H - BOTTOM,
            H - BOTTOM + 5.0,
            H - 8.0,
            escape_html(label)
        );
    }
    out.push_str("</svg>");
    out
}

/// Average mood per weekday as bars; a day without check-ins has no bar.
pub fn by_weekday(id: &str, title: &str, desc: &str, bars: &[(&str, Option<f64>)]) -> String {
    let short: Vec<(&str, Option<f64>)> = bars.iter().map(|(l, v)| (&l[..3.min(l.len())], *v)).collect();
    mood_bars(id, title, desc, &short)
}

/// Average mood per group (weekday, hours of sleep…) as bars; an empty group has no bar.
pub fn mood_bars(id: &str, title: &str, desc: &str, bars: &[(&str, Option<f64>)]) -> String {
    let mut out = String::with_capacity(4096);
    frame(&mut out, id, title, desc);
    let slot = (W - LEFT - RIGHT) / bars.len().max(1) as f64;
    for (i, (label, value)) in bars.iter().enumerate() {
        let x = LEFT + i as f64 * slot;
        if let Some(v) = value {
            let y = y_for(*v);
            let words = format!("{label}: {}", value_words(*v));
            let _ = write!(
                out,
                r#"<g class="pt" tabindex="0" role="img" aria-label="{}"><rect class="bar" x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="4"/><text class="val" x="{:.1}" y="{:.1}" text-anchor="middle">{v:.1}</text></g>"#,
                escape_html(&words),
                x + slot * 0.2,
                slot * 0.6,
                (H - BOTTOM - y).max(0.0),
                x + slot / 2.0,
                (y - 6.0).max(TOP + 12.0)
            );
        }
        let _ = write!(
            out,
            r#"<text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x + slot / 2.0,
            H - 8.0,
            escape_html(label)
        );
    }
    out.push_str("</svg>");
    out
}

/// A small line of daily mood (day number, 1–5) for the caseload; its label names the client.
pub fn sparkline(id: &str, name: &str, days: &[(i64, f64)]) -> String {
    const SW: f64 = 120.0;
    const SH: f64 = 28.0;
    let mut out = String::with_capacity(1024);
    let avg = if days.is_empty() { 0.0 } else { days.iter().map(|(_, v)| v).sum::<f64>() / days.len() as f64 };
    let _ = write!(
        out,
        r#"<svg class="sparkline" viewBox="0 0 {SW} {SH}" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{}: mood over 30 days, {} check-in days, average {avg:.1} of 5</title>"#,
        escape_html(name),
        days.len()
    );
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let span = (last.0 - first.0).max(1) as f64;
        let pts: Vec<String> = days
            .iter()
            .map(|(d, v)| {
                format!(
                    "{:.1},{:.1}",
                    (d - first.0) as f64 / span * (SW - 4.0) + 2.0,
                    SH - 2.0 - (v - 1.0) / 4.0 * (SH - 4.0)
                )
            })
            .collect();
        let _ = write!(out, r#"<polyline class="line" fill="none" points="{}"/>"#, pts.join(" "));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_accessible_svg_without_inline_style() {
        let svg = mood_over_time("m", "Mood <over> time", "desc", &[("0".into(), 2.0), ("5".into(), 4.5)], 30);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"group\"") && svg.contains("<title id=\"m-t\">Mood &lt;over&gt; time</title>"));
        assert!(svg.contains("<polyline") && svg.matches("class=\"dot\"").count() == 2);
        // Each point can be focused and says when it was and what it was.
        assert_eq!(svg.matches("tabindex=\"0\"").count(), 2);
        assert!(svg.contains("aria-label=\"29 days ago: 2.0 of 5, low\""));
        assert!(svg.contains("aria-label=\"24 days ago: 4.5 of 5, very good\""), "{svg}");
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        let bars = by_weekday("w", "By weekday", "d", &[("monday", Some(3.0)), ("tuesday", None)]);
        assert_eq!(bars.matches("<rect").count(), 1);
        assert!(bars.contains(">mon<") && bars.contains(">tue<"));
        assert!(bars.contains("aria-label=\"mon: 3.0 of 5, okay\""));
    }

    #[test]
    fn a_dated_chart_labels_its_axis_and_points() {
        let points = [
            Point { offset: 0, value: 3.0, label: "3 Nov".into() },
            Point { offset: 6, value: 4.0, label: "9 Nov".into() },
        ];
        let svg = line_chart("d", "Mood", "desc", &points, 7, &[(0, "3 Nov".into()), (6, "9 Nov".into())]);
        assert!(svg.contains(">3 Nov</text>") && svg.contains(">9 Nov</text>"));
        assert!(svg.contains("aria-label=\"9 Nov: 4.0 of 5, good\""));
        assert!(svg.contains(">9 Nov · 4.0</text>"));
    }
}

/// Questionnaire totals in the order taken, drawn over the instrument's severity bands.
pub fn scores_against_bands(
    id: &str,
    title: &str,
    desc: &str,
    max: f64,
    bands: &[(f64, f64, &str)],
    totals: &[f64],
) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape_html(title),
        escape_html(desc)
    );
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: f64| TOP + (1.0 - v / max.max(1.0)) * plot_h;
    for (i, (lo, hi, label)) in bands.iter().enumerate() {
        // Bands are closed integer ranges; draw each from its lower edge to the next one's.
        let top = y_of(if i + 1 == bands.len() { max } else { *hi + 1.0 });
        let bottom = y_of(*lo);
        let _ = write!(
            out,
            r#"<rect class="band band-{}" x="{RIGHT}" y="{top:.1}" width="{:.1}" height="{:.1}"/><text class="axis" x="{:.1}" y="{:.1}">{}</text>"#,
            i % 5,
            W - 2.0 * RIGHT,
            (bottom - top).max(0.0),
            RIGHT + 6.0,
            (top + bottom) / 2.0 + 5.0,
            escape_html(label)
        );
    }
    let n = totals.len();
    let x_of = |i: usize| {
        if n <= 1 {
            (LEFT + W - RIGHT) / 2.0
        } else {
            LEFT + 12.0 + i as f64 / (n - 1) as f64 * (W - LEFT - RIGHT - 24.0)
        }
    };
    if n > 1 {
        out.push_str(r#"<polyline class="line" fill="none" points=""#);
        for (i, v) in totals.iter().enumerate() {
            let _ = write!(out, "{:.1},{:.1} ", x_of(i), y_of(*v));
        }
        out.push_str(r#""/>"#);
    }
    for (i, v) in totals.iter().enumerate() {
        let _ = write!(out, r#"<circle class="dot" cx="{:.1}" cy="{:.1}" r="4"/>"#, x_of(i), y_of(*v));
    }
    let _ = write!(out, r#"<text class="axis" x="{LEFT}" y="{}">first</text>"#, H - 8.0);
    let _ = write!(out, r#"<text class="axis" x="{}" y="{}" text-anchor="end">latest</text>"#, W - RIGHT, H - 8.0);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod band_tests {
    #[test]
    fn band_chart_draws_every_band_and_point() {
        let bands = [(0.0, 4.0, "None to minimal"), (5.0, 9.0, "Mild"), (10.0, 27.0, "Higher")];
        let svg = super::scores_against_bands("p", "PHQ-9", "d", 27.0, &bands, &[12.0, 8.0, 4.0]);
        assert_eq!(svg.matches("class=\"band ").count(), 3);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(!svg.contains("style="));
    }
}
