//! What puts a client at the top of a therapist's caseload (CLINICAL.md §7a): a reliable
//! deterioration against the previous result of the same questionnaire (PHQ-9 6 points up,
//! GAD-7 4 points up, WHO-5 10 percentage points down), or a PHQ-9 whose item 9 is above 0 when
//! the previous PHQ-9's was not. Pure: the caller passes only results the client shares, and
//! decides which alerts the therapist has already seen.

use serde::{Deserialize, Serialize};

use super::{Direction, InstrumentId};
use crate::metrics::Assessment;
use crate::time_util::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    /// Worse than the previous result by at least the instrument's reliable-change threshold.
    ReliableDeterioration { previous: u8, total: u8 },
    /// PHQ-9 item 9 above 0, after 0 on the previous PHQ-9 (or on the first PHQ-9).
    SelfHarmNewlyPositive { item9: u8 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// The result that raised it.
    pub result_id: String,
    pub instrument: InstrumentId,
    pub taken_at: Timestamp,
    pub reason: Reason,
}

impl Alert {
    /// A plain sentence for the therapist, without the date (shown beside it).
    pub fn describe(&self) -> String {
        let name = self.instrument.short_name();
        match &self.reason {
            Reason::ReliableDeterioration { previous, total } => {
                let i = self.instrument.instrument();
                let points = i16::from(*total).abs_diff(i16::from(*previous));
                let unit = if i.total_factor > 1 { "percentage points" } else { "points" };
                format!("{name} {previous} → {total}: {points} {unit} worse, a reliable deterioration")
            }
            Reason::SelfHarmNewlyPositive { item9 } => {
                format!("{name} item 9 (thoughts of self-harm) answered {item9}, newly above 0")
            }
        }
    }
}

/// Every alert in a history (newest first, as stored), newest first. Each result is compared
/// only with the previous result of the same instrument.
pub fn alerts(history: &[Assessment]) -> Vec<Alert> {
    let mut out = Vec::new();
    for (i, a) in history.iter().enumerate() {
        let previous = history[i + 1..].iter().find(|e| e.instrument == a.instrument);
        if let Some(p) = previous {
            let inst = a.instrument.instrument();
            let c = inst.change(a.content.total, p.content.total, p.content.total);
            if c.reliable && c.direction == Direction::Worsened {
                out.push(Alert {
                    result_id: a.id.clone(),
                    instrument: a.instrument,
                    taken_at: a.taken_at,
                    reason: Reason::ReliableDeterioration { previous: p.content.total, total: a.content.total },
                });
            }
        }
        if a.instrument == InstrumentId::Phq9 && a.content.self_harm && !previous.is_some_and(|p| p.content.self_harm) {
            out.push(Alert {
                result_id: a.id.clone(),
                instrument: a.instrument,
                taken_at: a.taken_at,
                reason: Reason::SelfHarmNewlyPositive { item9: a.content.answers.get(8).copied().unwrap_or(0) },
            });
        }
    }
    out
}

/// How far a therapist has seen one client's alerts: every alert before `through`, and those at
/// `through` whose result is in `ids` (results can share a second, so time alone is not enough).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenMark {
    pub through: Timestamp,
    pub ids: Vec<String>,
}

impl SeenMark {
    pub fn covers(&self, a: &Alert) -> bool {
        a.taken_at < self.through || (a.taken_at == self.through && self.ids.contains(&a.result_id))
    }

    /// The mark after seeing every alert in `history` as well.
    pub fn after_seeing(&self, history: &[Assessment]) -> SeenMark {
        let all = alerts(history);
        let Some(newest) = all.iter().map(|a| a.taken_at).max() else { return self.clone() };
        if newest < self.through {
            return self.clone();
        }
        let mut ids: Vec<String> = all.iter().filter(|a| a.taken_at == newest).map(|a| a.result_id.clone()).collect();
        if newest == self.through {
            ids.extend(self.ids.iter().cloned());
        }
        ids.sort();
        ids.dedup();
        SeenMark { through: newest, ids }
    }
}

/// The alerts the therapist has not marked seen, newest first.
pub fn unseen(history: &[Assessment], seen: Option<&SeenMark>) -> Vec<Alert> {
    alerts(history).into_iter().filter(|a| !seen.is_some_and(|s| s.covers(a))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::AssessmentContent;

    /// A result scored as the app would score it. `at` counts days.
    fn result(id: &str, instrument: InstrumentId, at: i64, answers: &[i64]) -> Assessment {
        let s = instrument.instrument().score(answers).unwrap();
        Assessment {
            id: id.into(),
            instrument,
            taken_at: at * 86_400,
            content: AssessmentContent {
                answers: answers.iter().map(|&a| a as u8).collect(),
                total: s.total,
                severity: s.severity.into(),
                self_harm: s.self_harm,
            },
        }
    }

    fn phq9(id: &str, at: i64, total: u8, item9: i64) -> Assessment {
        let mut a = [0i64; 9];
        a[8] = item9;
        let mut left = i64::from(total) - item9;
        for x in a.iter_mut().take(8) {
            let v = left.min(3);
            *x = v;
            left -= v;
        }
        result(id, InstrumentId::Phq9, at, &a)
    }

    fn newest_first(mut v: Vec<Assessment>) -> Vec<Assessment> {
        v.sort_by_key(|a| std::cmp::Reverse(a.taken_at));
        v
    }

    #[test]
    fn phq9_six_points_worse_is_reliable_five_is_not() {
        let h = newest_first(vec![phq9("a", 1, 8, 0), phq9("b", 2, 14, 0)]);
        let got = alerts(&h);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].result_id, "b");
        assert_eq!(got[0].reason, Reason::ReliableDeterioration { previous: 8, total: 14 });
        assert!(got[0].describe().contains("6 points worse"), "{}", got[0].describe());
        assert!(alerts(&newest_first(vec![phq9("a", 1, 8, 0), phq9("b", 2, 13, 0)])).is_empty());
        // Getting better by 6 is a reliable change too, but not an alert.
        assert!(alerts(&newest_first(vec![phq9("a", 1, 14, 0), phq9("b", 2, 8, 0)])).is_empty());
    }

    #[test]
    fn gad7_four_points_worse_is_reliable_three_is_not() {
        let g = |id: &str, at, a: [i64; 7]| result(id, InstrumentId::Gad7, at, &a);
        let h = newest_first(vec![g("a", 1, [1, 1, 0, 0, 0, 0, 0]), g("b", 2, [3, 3, 0, 0, 0, 0, 0])]);
        assert_eq!(alerts(&h)[0].reason, Reason::ReliableDeterioration { previous: 2, total: 6 });
        let h = newest_first(vec![g("a", 1, [1, 1, 0, 0, 0, 0, 0]), g("b", 2, [3, 2, 0, 0, 0, 0, 0])]);
        assert!(alerts(&h).is_empty());
    }

    #[test]
    fn who5_is_worse_when_it_falls() {
        let w = |id: &str, at, a: [i64; 5]| result(id, InstrumentId::Who5, at, &a);
        // 60 % → 48 %: 12 points down.
        let h = newest_first(vec![w("a", 1, [3, 3, 3, 3, 3]), w("b", 2, [3, 3, 3, 3, 0])]);
        let got = alerts(&h);
        assert_eq!(got[0].reason, Reason::ReliableDeterioration { previous: 60, total: 48 });
        assert!(got[0].describe().contains("12 percentage points worse"));
        // 60 % → 52 %: 8 points down, not reliable; 48 % → 60 %: better.
        assert!(alerts(&newest_first(vec![w("a", 1, [3, 3, 3, 3, 3]), w("b", 2, [3, 3, 3, 2, 2])])).is_empty());
        assert!(alerts(&newest_first(vec![w("a", 1, [3, 3, 3, 3, 0]), w("b", 2, [3, 3, 3, 3, 3])])).is_empty());
        // Percentages move in steps of 4: 8 points is the largest fall under the threshold of
        // 10 and 12 the smallest over it.
    }

    #[test]
    fn item_nine_alerts_only_when_newly_above_zero() {
        // The first PHQ-9 with item 9 above 0 is new.
        let got = alerts(&[phq9("a", 1, 1, 1)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].reason, Reason::SelfHarmNewlyPositive { item9: 1 });
        // 0 then 2: new. 2 then 1: not new (and no deterioration).
        let h = newest_first(vec![phq9("a", 1, 5, 0), phq9("b", 2, 7, 2), phq9("c", 3, 6, 1)]);
        let got = alerts(&h);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].result_id.as_str(), &got[0].reason), ("b", &Reason::SelfHarmNewlyPositive { item9: 2 }));
        // A GAD-7 in between does not count as a "previous PHQ-9".
        let g = result("g", InstrumentId::Gad7, 2, &[0; 7]);
        let h = newest_first(vec![phq9("a", 1, 4, 1), g, phq9("c", 3, 4, 1)]);
        assert_eq!(alerts(&h).len(), 1, "only the first");
    }

    #[test]
    fn both_reasons_on_one_result_are_both_named() {
        let h = newest_first(vec![phq9("a", 1, 2, 0), phq9("b", 2, 10, 1)]);
        let got = alerts(&h);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|a| a.result_id == "b"));
    }

    #[test]
    fn short_forms_and_pss10_never_alert() {
        let h = newest_first(vec![
            result("a", InstrumentId::Phq4, 1, &[0, 0, 0, 0]),
            result("b", InstrumentId::Phq4, 2, &[3, 3, 3, 3]),
            result("c", InstrumentId::Pss10, 1, &[0, 0, 0, 4, 4, 0, 4, 4, 0, 0]),
            result("d", InstrumentId::Pss10, 2, &[4, 4, 4, 0, 0, 4, 0, 0, 4, 4]),
        ]);
        assert!(alerts(&h).is_empty());
    }

    #[test]
    fn seen_alerts_stay_quiet_until_a_newer_one() {
        let h = newest_first(vec![phq9("a", 1, 2, 0), phq9("b", 2, 10, 0), phq9("c", 3, 10, 0)]);
        assert_eq!(unseen(&h, None).len(), 1);
        let seen = SeenMark::default().after_seeing(&h);
        assert_eq!(seen, SeenMark { through: 2 * 86_400, ids: vec!["b".into()] });
        assert!(unseen(&h, Some(&seen)).is_empty());
        let h = newest_first(vec![phq9("a", 1, 2, 0), phq9("b", 2, 10, 0), phq9("c", 3, 4, 0), phq9("d", 4, 16, 0)]);
        let left = unseen(&h, Some(&seen));
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].result_id, "d");
        // Seeing again moves the mark on; nothing new to see leaves it.
        let later = seen.after_seeing(&h);
        assert_eq!(later.through, 4 * 86_400);
        assert_eq!(later.after_seeing(&h), later);
        assert_eq!(later.after_seeing(&[]), later);
    }

    #[test]
    fn a_new_alert_in_the_same_second_as_a_seen_one_is_still_new() {
        let mut b = phq9("b", 2, 10, 0);
        let h = newest_first(vec![phq9("a", 1, 2, 0), b.clone()]);
        let seen = SeenMark::default().after_seeing(&h);
        // Another result in the very same second, with item 9 newly above 0.
        b.id = "b0".into();
        let mut c = phq9("c", 2, 11, 1);
        c.taken_at = b.taken_at;
        let h = vec![c, phq9("b", 2, 10, 0), phq9("a", 1, 2, 0)];
        let left = unseen(&h, Some(&seen));
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].result_id, "c");
        let again = seen.after_seeing(&h);
        assert_eq!(again.ids, ["b", "c"]);
        assert!(unseen(&h, Some(&again)).is_empty());
    }
}
