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

fn score(id: InstrumentId, answers: &[i64]) -> Score {
    id.instrument().score(answers).unwrap()
}

/// Every band boundary of the short forms and the PSS-10 (CLINICAL.md §3a, §3b).
#[test]
fn short_form_and_pss10_band_boundaries() {
    for id in [InstrumentId::Phq2, InstrumentId::Gad2] {
        for (total, severity, positive) in
            [(0, "negative", false), (2, "negative", false), (3, "positive", true), (6, "positive", true)]
        {
            let s = score(id, &answers_for(total, 2, 3));
            assert_eq!((s.total, s.severity, s.screens[0].positive), (total, severity, positive), "{id:?} {total}");
        }
    }
    for (total, severity) in [
        (0, "normal"),
        (2, "normal"),
        (3, "mild"),
        (5, "mild"),
        (6, "moderate"),
        (8, "moderate"),
        (9, "severe"),
        (12, "severe"),
    ] {
        let s = score(InstrumentId::Phq4, &answers_for(total, 4, 3));
        assert_eq!((s.total, s.severity), (total, severity), "PHQ-4 {total}");
    }
    // PSS-10 totals built from the six forward items (max 24), then the reversed ones answered
    // "Never" (each counts 4) as needed.
    for (total, severity) in [(0, "low"), (13, "low"), (14, "moderate"), (26, "moderate"), (27, "high"), (40, "high")] {
        let forward = [0usize, 1, 2, 5, 8, 9];
        let mut a = [0i64, 0, 0, 4, 4, 0, 4, 4, 0, 0];
        let mut left = i64::from(total);
        for &i in &forward {
            let v = left.min(4);
            a[i] = v;
            left -= v;
        }
        for i in [3usize, 4, 6, 7] {
            let v = left.min(4);
            a[i] = 4 - v;
            left -= v;
        }
        let s = score(InstrumentId::Pss10, &a);
        assert_eq!((s.total, s.severity), (total, severity), "PSS-10 {total}: {a:?}");
    }
}

/// PHQ-4 by hand: anxiety = items 1 + 2, depression = items 3 + 4, each positive at 3.
#[test]
fn phq4_hand_worked() {
    // 2 + 1 = 3 anxiety (positive), 1 + 0 = 1 depression; total 4, mild. Offers the GAD-7 only.
    let s = score(InstrumentId::Phq4, &[2, 1, 1, 0]);
    assert_eq!((s.total, s.severity), (4, "mild"));
    assert_eq!(
        s.screens.iter().map(|r| (r.key, r.total, r.positive)).collect::<Vec<_>>(),
        [("anxiety", 3, true), ("depression", 1, false)]
    );
    assert_eq!(s.next, [InstrumentId::Gad7]);
    // 0 + 1 = 1 anxiety, 3 + 2 = 5 depression; total 6, moderate. Offers the PHQ-9 only.
    let s = score(InstrumentId::Phq4, &[0, 1, 3, 2]);
    assert_eq!((s.total, s.severity, s.next.clone()), (6, "moderate", vec![InstrumentId::Phq9]));
    // 1 + 1 and 1 + 1: total 4 (mild) yet neither subscale reaches 3, so nothing is offered.
    let s = score(InstrumentId::Phq4, &[1, 1, 1, 1]);
    assert_eq!((s.total, s.severity), (4, "mild"));
    assert!(s.screens.iter().all(|r| !r.positive) && s.next.is_empty());
    // Both positive: both full forms, anxiety first as the items are.
    let s = score(InstrumentId::Phq4, &[3, 3, 3, 3]);
    assert_eq!((s.total, s.severity), (12, "severe"));
    assert_eq!(s.next, [InstrumentId::Gad7, InstrumentId::Phq9]);
    assert!(!s.self_harm, "the PHQ-4 has no item 9");
}

/// PHQ-2 ≥ 3 offers the PHQ-9; GAD-2 ≥ 3 the GAD-7.
#[test]
fn positive_short_forms_offer_the_full_form() {
    assert_eq!(score(InstrumentId::Phq2, &[1, 2]).next, [InstrumentId::Phq9]);
    assert!(score(InstrumentId::Phq2, &[1, 1]).next.is_empty());
    assert_eq!(score(InstrumentId::Gad2, &[0, 3]).next, [InstrumentId::Gad7]);
    assert!(score(InstrumentId::Gad2, &[2, 0]).next.is_empty());
    // The full forms and the PSS-10 offer nothing further.
    assert!(score(InstrumentId::Phq9, &[3; 9]).next.is_empty());
    assert!(score(InstrumentId::Pss10, &[4; 10]).next.is_empty());
}

/// PSS-10 by hand, reversing items 4, 5, 7 and 8 (0 = 4, 1 = 3, 2 = 2, 3 = 1, 4 = 0).
#[test]
fn pss10_hand_worked() {
    // Forward items 1, 2, 3, 6, 9, 10: 2 + 3 + 1 + 2 + 0 + 4 = 12.
    // Reversed items 4, 5, 7, 8 answered 1, 3, 0, 4 count 3, 1, 4, 0 = 8. Total 20, moderate.
    let s = score(InstrumentId::Pss10, &[2, 3, 1, 1, 3, 2, 0, 4, 0, 4]);
    assert_eq!((s.total, s.severity), (20, "moderate"));
    // Every answer "Never": only the reversed items count, 4 × 4 = 16.
    assert_eq!(score(InstrumentId::Pss10, &[0; 10]).total, 16);
    // Every answer "Very often": 6 × 4 = 24.
    assert_eq!(score(InstrumentId::Pss10, &[4; 10]).total, 24);
    // Least stress possible: forward items 0, reversed items 4.
    assert_eq!(score(InstrumentId::Pss10, &[0, 0, 0, 4, 4, 0, 4, 4, 0, 0]).total, 0);
    let e = InstrumentId::Pss10.instrument().score(&[0, 0, 0, 5, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(e.message, "Question 4 needs an answer from 0 to 4.");
    assert!(InstrumentId::Pss10.instrument().score(&[0; 9]).is_err());
}

/// The registry records for each instrument what the docs say, and what may be offered.
#[test]
fn registry_records_licence_codes_and_offer() {
    for id in InstrumentId::ALL {
        let i = id.instrument();
        assert_eq!(i.id, id);
        assert_eq!(InstrumentId::parse(id.as_str()), Some(id));
        assert!(!i.copyright.is_empty() && !i.source.is_empty(), "{id:?}");
        // Bands cover every total from 0 to the maximum exactly once.
        let mut next = 0u16;
        for b in i.bands {
            assert_eq!(u16::from(b.min), next, "{id:?} bands are contiguous");
            next = u16::from(b.max) + 1;
        }
        assert_eq!(next, i.max_total() + 1, "{id:?} bands end at the maximum");
        for s in i.screens {
            assert!(s.items.iter().all(|&n| (1..=i.items.len()).contains(&n)));
        }
    }
    let phq2 = InstrumentId::Phq2.instrument();
    assert_eq!((phq2.panel_loinc, phq2.total_loinc), (Some("55757-9"), Some("55758-7")));
    assert_eq!(phq2.items[0].text, PHQ9_.items[0].text);
    assert_eq!(phq2.items[1].loinc, PHQ9_.items[1].loinc);
    let gad7 = InstrumentId::Gad7.instrument();
    assert_eq!(InstrumentId::Gad2.instrument().items[1].text, gad7.items[1].text);
    // Unverified panel and total codes are left out rather than guessed.
    for id in [InstrumentId::Gad2, InstrumentId::Phq4, InstrumentId::Pss10] {
        let i = id.instrument();
        assert_eq!((i.panel_loinc, i.total_loinc), (None, None), "{id:?}");
    }
    assert_eq!(InstrumentId::Phq4.instrument().items[0].text, "Feeling nervous, anxious or on edge");
    assert_eq!(InstrumentId::Phq4.instrument().items[3].text, "Feeling down, depressed, or hopeless");
    assert_eq!(InstrumentId::Pss10.instrument().reverse_scored, &[4, 5, 7, 8]);
    assert_eq!(id_list(&[InstrumentId::Phq9, InstrumentId::Gad7, InstrumentId::Who5]), "phq9, gad7 or who5");
    assert_eq!(id_list(&[InstrumentId::Phq2]), "phq2");
    // Offering follows the licence: PSS-10 only when turned on, WHO-5 unless turned off.
    let none: &[InstrumentId] = &[];
    assert!(!InstrumentId::Pss10.offered(none, none));
    assert!(InstrumentId::Pss10.offered(&[InstrumentId::Pss10], none));
    assert!(InstrumentId::Who5.offered(none, none));
    assert!(!InstrumentId::Who5.offered(none, &[InstrumentId::Who5]));
    for id in [InstrumentId::Phq9, InstrumentId::Gad7, InstrumentId::Phq2, InstrumentId::Gad2, InstrumentId::Phq4] {
        assert!(id.offered(none, &[id]), "{id:?} is free to use and cannot be turned off");
        assert!(id.instrument().copyright.starts_with("Copyright © Pfizer Inc."));
    }
    // No published thresholds: changes are never called reliable.
    let c = InstrumentId::Phq4.instrument().change(12, 0, 0);
    assert!(!c.reliable && !c.clinically_important);
    assert_eq!(c.direction, Direction::Worsened);
}

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
    assert_eq!(InstrumentId::parse("pss10"), Some(InstrumentId::Pss10));
    // Not in the registry: no verified source (PCL-5) or a licence that forbids it (ORS, PROMIS).
    for absent in ["pcl5", "ors", "srs", "promis", "PHQ9", ""] {
        assert_eq!(InstrumentId::parse(absent), None, "{absent}");
    }
}

proptest! {
    #[test]
    fn totals_stay_in_range_and_rise_with_any_answer(
        which in 0usize..7,
        raw in proptest::collection::vec(0i64..=5, 10),
        bump in 0usize..9,
    ) {
        let id = InstrumentId::ALL[which];
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
            let t = inst.score(&more).unwrap().total;
            if inst.reverse_scored.contains(&(i + 1)) {
                prop_assert!(t < s.total, "a reversed item counts down");
            } else {
                prop_assert!(t > s.total, "monotone in each answer");
            }
        }
    }

    #[test]
    fn phq9_item_ten_never_changes_the_total(answers in proptest::collection::vec(0i64..=3, 9), extra in 0i64..=3) {
        let mut with = answers.clone();
        with.push(extra);
        prop_assert_eq!(PHQ9_.score(&answers).unwrap().total, PHQ9_.score(&with).unwrap().total);
    }
}
