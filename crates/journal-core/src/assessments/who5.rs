//! WHO-5 Well-Being Index (WHO 2024, WHO/UCN/MSD/MHE/2024.01; CLINICAL.md §3). Reported as the
//! percentage score, raw × 4. No LOINC panel exists for it.

use super::{AnswerOption, Band, ChangeRule, Instrument, InstrumentId, Item, Offer};

const ITEMS: &[Item] = &[
    Item { text: "I have felt cheerful and in good spirits", loinc: None },
    Item { text: "I have felt calm and relaxed", loinc: None },
    Item { text: "I have felt active and vigorous", loinc: None },
    Item { text: "I woke up feeling fresh and rested", loinc: None },
    Item { text: "My daily life has been filled with things that interest me", loinc: None },
];

const OPTIONS: &[AnswerOption] = &[
    AnswerOption { value: 5, label: "All of the time", loinc: None },
    AnswerOption { value: 4, label: "Most of the time", loinc: None },
    AnswerOption { value: 3, label: "More than half of the time", loinc: None },
    AnswerOption { value: 2, label: "Less than half of the time", loinc: None },
    AnswerOption { value: 1, label: "Some of the time", loinc: None },
    AnswerOption { value: 0, label: "At no time", loinc: None },
];

/// Percentage bands: below 50 is low well-being, 28 or below very low (CLINICAL.md §3).
const BANDS: &[Band] = &[
    Band { min: 0, max: 28, severity: "very_low", label: "Very low well-being" },
    Band { min: 29, max: 49, severity: "low", label: "Low well-being" },
    Band { min: 50, max: 100, severity: "adequate", label: "Adequate well-being" },
];

pub static WHO5: Instrument = Instrument {
    id: InstrumentId::Who5,
    title: "WHO-5 Well-Being Index",
    stem: "Over the last two weeks…",
    items: ITEMS,
    options: OPTIONS,
    extra_item: None,
    panel_loinc: None,
    total_loinc: None,
    bands: BANDS,
    change: ChangeRule {
        reliable: Some(10),
        clinically_important: Some(10),
        lower_is_better: false,
        source: "A 10-point difference in the percentage score indicates a significant change (WHO-5 scoring note)",
    },
    total_factor: 4,
    reverse_scored: &[],
    screens: &[],
    copyright: "World Health Organization-Five Well-Being Index (WHO-5), © World Health Organization 2024, licensed under CC BY-NC-SA 3.0 IGO. WHO endorsement of this application is not implied.",
    offer: Offer::UnlessDisabled,
    source: "World Health Organization. WHO/UCN/MSD/MHE/2024.01; Topp CW et al. Psychother Psychosom 2015;84(3):167–176",
};
