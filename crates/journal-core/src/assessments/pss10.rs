//! Perceived Stress Scale, 10-item (CLINICAL.md §3b): Cohen, Kamarck & Mermelstein 1983; Cohen &
//! Williamson 1988. Scoring from Cohen's laboratory: items 4, 5, 7 and 8 are positively stated
//! and reversed (0 = 4, 1 = 3, …) before summing. Offered only when the operator turns it on,
//! because commercial use needs permission. No LOINC code is verified for it.

use super::{AnswerOption, Band, ChangeRule, Instrument, InstrumentId, Item, Offer};

const ITEMS: &[Item] = &[
    Item {
        text: "In the last month, how often have you been upset because of something that happened unexpectedly?",
        loinc: None,
    },
    Item {
        text: "In the last month, how often have you felt that you were unable to control the important things in your life?",
        loinc: None,
    },
    Item { text: "In the last month, how often have you felt nervous and \"stressed\"?", loinc: None },
    Item {
        text: "In the last month, how often have you felt confident about your ability to handle your personal problems?",
        loinc: None,
    },
    Item { text: "In the last month, how often have you felt that things were going your way?", loinc: None },
    Item {
        text: "In the last month, how often have you found that you could not cope with all the things that you had to do?",
        loinc: None,
    },
    Item { text: "In the last month, how often have you been able to control irritations in your life?", loinc: None },
    Item { text: "In the last month, how often have you felt that you were on top of things?", loinc: None },
    Item {
        text: "In the last month, how often have you been angered because of things that were outside of your control?",
        loinc: None,
    },
    Item {
        text: "In the last month, how often have you felt difficulties were piling up so high that you could not overcome them?",
        loinc: None,
    },
];

const OPTIONS: &[AnswerOption] = &[
    AnswerOption { value: 0, label: "Never", loinc: None },
    AnswerOption { value: 1, label: "Almost never", loinc: None },
    AnswerOption { value: 2, label: "Sometimes", loinc: None },
    AnswerOption { value: 3, label: "Fairly often", loinc: None },
    AnswerOption { value: 4, label: "Very often", loinc: None },
];

/// Conventional ranges, not Cohen's (he publishes population norms, not cut-offs): not
/// diagnostic.
const BANDS: &[Band] = &[
    Band { min: 0, max: 13, severity: "low", label: "Low perceived stress" },
    Band { min: 14, max: 26, severity: "moderate", label: "Moderate perceived stress" },
    Band { min: 27, max: 40, severity: "high", label: "High perceived stress" },
];

pub static PSS10: Instrument = Instrument {
    id: InstrumentId::Pss10,
    title: "PSS-10",
    stem: "The questions in this scale ask you about your feelings and thoughts during the last month. In each case, you will be asked to indicate how often you felt or thought a certain way.",
    items: ITEMS,
    options: OPTIONS,
    extra_item: None,
    panel_loinc: None,
    total_loinc: None,
    bands: BANDS,
    change: ChangeRule {
        reliable: None,
        clinically_important: None,
        lower_is_better: true,
        source: "No published clinical reliable-change index",
    },
    total_factor: 1,
    reverse_scored: &[4, 5, 7, 8],
    screens: &[],
    copyright: "Perceived Stress Scale (PSS-10): Cohen S, Kamarck T, Mermelstein R (1983); Cohen S, Williamson G (1988). Free for non-commercial research and education; commercial use needs permission.",
    offer: Offer::WhenEnabled,
    source: "Cohen S, Kamarck T, Mermelstein R. J Health Soc Behav 1983;24(4):385–396; Cohen S, Williamson G. In: The Social Psychology of Health. Sage; 1988",
};
