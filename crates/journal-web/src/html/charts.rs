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
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
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
pub fn mood_over_time(id: &str, title: &str, desc: &str, days: &[(String, f64)], span_days: usize) -> String {
    let mut out = String::with_capacity(4096);
    frame(&mut out, id, title, desc);
    let span = span_days.max(2) as f64 - 1.0;
    let x_for = |i: usize| LEFT + i as f64 / span * (W - LEFT - RIGHT);
    let points: Vec<(f64, f64)> =
        days.iter().filter_map(|(offset, v)| offset.parse::<usize>().ok().map(|i| (x_for(i), y_for(*v)))).collect();
    if points.len() > 1 {
        out.push_str(r#"<polyline class="line" fill="none" points=""#);
        for (x, y) in &points {
            let _ = write!(out, "{x:.1},{y:.1} ");
        }
        out.push_str(r#""/>"#);
    }
    for (x, y) in &points {
        let _ = write!(out, r#"<circle class="dot" cx="{x:.1}" cy="{y:.1}" r="3.5"/>"#);
    }
    let _ =
        write!(out, r#"<text class="axis" x="{LEFT}" y="{}">{} days ago</text>"#, H - 8.0, span_days.saturating_sub(1));
    let _ = write!(out, r#"<text class="axis" x="{}" y="{}" text-anchor="end">today</text>"#, W - RIGHT, H - 8.0);
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
            let _ = write!(
                out,
                r#"<rect class="bar" x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="4"/>"#,
                x + slot * 0.2,
                slot * 0.6,
                (H - BOTTOM - y).max(0.0)
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
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"m-t\">Mood &lt;over&gt; time</title>"));
        assert!(svg.contains("<polyline") && svg.matches("<circle").count() == 2);
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        let bars = by_weekday("w", "By weekday", "d", &[("monday", Some(3.0)), ("tuesday", None)]);
        assert_eq!(bars.matches("<rect").count(), 1);
        assert!(bars.contains(">mon<") && bars.contains(">tue<"));
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
