use proptest::prelude::*;

use super::*;

fn answers_for(total: u8, n: usize, max: u8) -> Vec<i64> {
    let mut left = total;
    (0..n)
        .map(|_| {
            let a = left.min(max);
            left -= a;
            i64::from(a)
        })
        .collect()
}

/// Every band boundary of every instrument, hand-checked against CLINICAL.md.
#[test]
fn every_band_boundary_scores_as_published() {
    let phq9 = [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ];
    for (total, severity) in phq9 {
        // Item 9 last so it stays 0 unless the total needs it.
        let mut a = answers_for(total, 9, 3);
        a.sort_unstable_by(|x, y| y.cmp(x));
        let s = PHQ9_.score(&a).unwrap();
        assert_eq!((s.total, s.severity), (total, severity), "PHQ-9 {total}");
    }
    let gad7 = [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ];
    for (total, severity) in gad7 {
        let s = InstrumentId::Gad7.instrument().score(&answers_for(total, 7, 3)).unwrap();
        assert_eq!((s.total, s.severity), (total, severity), "GAD-7 {total}");
    }
    // WHO-5 raw 7 → 28 % (very low), raw 8 → 32 % (low), raw 12 → 48 % (low), raw 13 → 52 % (adequate).
    let who5 = [
        (0, 0, "very_low"),
        (7, 28, "very_low"),
        (8, 32, "low"),
        (12, 48, "low"),
        (13, 52, "adequate"),
        (25, 100, "adequate"),
    ];
    for (raw, pct, severity) in who5 {
        let s = InstrumentId::Who5.instrument().score(&answers_for(raw, 5, 5)).unwrap();
        assert_eq!((s.total, s.severity), (pct, severity), "WHO-5 raw {raw}");
    }
}

static PHQ9_: &Instrument = &phq9::PHQ9;

#[test]
fn item_nine_flags_self_harm_whatever_the_total() {
    let s = PHQ9_.score(&[0, 0, 0, 0, 0, 0, 0, 0, 1]).unwrap();
    assert_eq!((s.total, s.severity, s.self_harm), (1, "minimal", true));
    assert!(!PHQ9_.score(&[3, 3, 3, 3, 3, 3, 3, 3, 0]).unwrap().self_harm);
    assert!(!InstrumentId::Gad7.instrument().score(&[0, 0, 0, 0, 0, 0, 3]).unwrap().self_harm);
}

#[test]
fn phq9_difficulty_answer_is_recorded_but_never_added() {
    let without = PHQ9_.score(&[1; 9]).unwrap();
    let with = PHQ9_.score(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 3]).unwrap();
    assert_eq!(without.total, 9);
    assert_eq!(with.total, 9);
}

#[test]
fn incomplete_or_out_of_range_answers_name_the_question() {
    let e = PHQ9_.score(&[0; 8]).unwrap_err();
    assert!(e.message.contains("9 answers"), "{}", e.message);
    let e = PHQ9_.score(&[0, 0, 4, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(e.message, "Question 3 needs an answer from 0 to 3.");
    let e = PHQ9_.score(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 4]).unwrap_err();
    assert_eq!(e.message, "The last question needs an answer from 0 to 3.");
    assert!(InstrumentId::Gad7.instrument().score(&[0; 8]).is_err(), "GAD-7 has no extra question");
    let e = InstrumentId::Who5.instrument().score(&[5, 5, -1, 5, 5]).unwrap_err();
    assert_eq!(e.message, "Question 3 needs an answer from 0 to 5.");
    assert!(InstrumentId::Who5.instrument().score(&[5, 5, 5, 5, 6]).is_err());
}

#[test]
fn change_uses_the_published_thresholds() {
    let c = PHQ9_.change(12, 18, 20);
    assert_eq!(
        (c.delta, c.reliable, c.clinically_important, c.direction.clone()),
        (-6, true, true, Direction::Improved)
    );
    assert_eq!(c.response, Some(false), "12 is more than half of the baseline 20");
    assert_eq!(c.remission, Some(false));
    let c = PHQ9_.change(13, 18, 20);
    assert_eq!((c.reliable, c.clinically_important), (false, true), "5 points is important, not yet reliable");
    let c = PHQ9_.change(4, 6, 12);
    assert_eq!((c.response, c.remission), (Some(true), Some(true)));
    let c = PHQ9_.change(9, 3, 3);
    assert_eq!((c.direction.clone(), c.reliable), (Direction::Worsened, true));
    let gad = InstrumentId::Gad7.instrument();
    assert_eq!((gad.change(8, 12, 12).reliable, gad.change(9, 12, 12).reliable), (true, false));
    assert_eq!(gad.change(8, 12, 12).response, None);
    let who = InstrumentId::Who5.instrument();
    let c = who.change(60, 48, 48);
    assert_eq!((c.direction.clone(), c.reliable), (Direction::Improved, true), "higher WHO-5 is better");
    assert!(!who.change(56, 48, 48).reliable);
    assert_eq!(who.change(48, 48, 48).direction, Direction::Unchanged);
}

#[test]
fn instruments_carry_their_codes_and_notices() {
    assert_eq!(PHQ9_.items.len(), 9);
    assert_eq!(PHQ9_.items[8].loinc, Some("44260-8"));
    assert_eq!((PHQ9_.panel_loinc, PHQ9_.total_loinc), (Some("44249-1"), Some("44261-6")));
    let gad = InstrumentId::Gad7.instrument();
    assert_eq!((gad.panel_loinc, gad.total_loinc), (Some("69737-5"), Some("70274-6")));
    assert_eq!(gad.items[5].loinc, Some("69689-8"));
    assert_eq!(gad.items[6].loinc, Some("69736-7"));
    let who = InstrumentId::Who5.instrument();
    assert!(who.copyright.contains("CC BY-NC-SA 3.0 IGO"));
    assert_eq!(InstrumentId::parse("phq9"), Some(InstrumentId::Phq9));
    assert_eq!(InstrumentId::parse("pss10"), None);
}

proptest! {
    #[test]
    fn totals_stay_in_range_and_rise_with_any_answer(
        which in 0usize..3,
        raw in proptest::collection::vec(0i64..=5, 10),
        bump in 0usize..9,
    ) {
        let id = [InstrumentId::Phq9, InstrumentId::Gad7, InstrumentId::Who5][which];
        let inst = id.instrument();
        let max = inst.options.iter().map(|o| o.value).max().unwrap();
        let n = inst.items.len();
        let answers: Vec<i64> = raw.iter().take(n).map(|a| a % (i64::from(max) + 1)).collect();
        let s = inst.score(&answers).unwrap();
        prop_assert!(u16::from(s.total) <= u16::from(max) * n as u16 * u16::from(inst.total_factor));
        prop_assert!(!s.severity.is_empty());
        let i = bump % n;
        if answers[i] < i64::from(max) {
            let mut more = answers.clone();
            more[i] += 1;
            prop_assert!(inst.score(&more).unwrap().total > s.total, "monotone in each answer");
        }
    }

    #[test]
    fn phq9_item_ten_never_changes_the_total(answers in proptest::collection::vec(0i64..=3, 9), extra in 0i64..=3) {
        let mut with = answers.clone();
        with.push(extra);
        prop_assert_eq!(PHQ9_.score(&answers).unwrap().total, PHQ9_.score(&with).unwrap().total);
    }
}
