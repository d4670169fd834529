//! GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006; CLINICAL.md §2). Item LOINC codes from
//! HL7/personal-health-record-format-ig `Questionnaire-ScoredAssessment-GAD7.fsh`.

use super::{Band, ChangeRule, FREQUENCY, Instrument, InstrumentId, Item, Offer, PFIZER_NOTICE};

const ITEMS: &[Item] = &[
    Item { text: "Feeling nervous, anxious, or on edge", loinc: Some("69725-0") },
    Item { text: "Not being able to stop or control worrying", loinc: Some("68509-9") },
    Item { text: "Worrying too much about different things", loinc: Some("69733-4") },
    Item { text: "Trouble relaxing", loinc: Some("69734-2") },
    Item { text: "Being so restless that it is hard to sit still", loinc: Some("69735-9") },
    Item { text: "Becoming easily annoyed or irritable", loinc: Some("69689-8") },
    Item { text: "Feeling afraid, as if something awful might happen", loinc: Some("69736-7") },
];

const BANDS: &[Band] = &[
    Band { min: 0, max: 4, severity: "minimal", label: "Minimal" },
    Band { min: 5, max: 9, severity: "mild", label: "Mild" },
    Band { min: 10, max: 14, severity: "moderate", label: "Moderate" },
    Band { min: 15, max: 21, severity: "severe", label: "Severe" },
];

pub static GAD7: Instrument = Instrument {
    id: InstrumentId::Gad7,
    title: "GAD-7",
    stem: "Over the last 2 weeks, how often have you been bothered by the following problems?",
    items: ITEMS,
    options: FREQUENCY,
    extra_item: None,
    panel_loinc: Some("69737-5"),
    total_loinc: Some("70274-6"),
    bands: BANDS,
    change: ChangeRule {
        reliable: Some(4),
        clinically_important: Some(4),
        lower_is_better: true,
        source: "Reliable change 4 points (IAPT); minimal clinically important difference 4 points (Toussaint et al., J Affect Disord 2020)",
    },
    total_factor: 1,
    reverse_scored: &[],
    screens: &[],
    copyright: PFIZER_NOTICE,
    offer: Offer::Always,
    source: "Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166(10):1092–1097",
};
