//! The short forms PHQ-2, GAD-2 and PHQ-4 (CLINICAL.md §3a): the first two items of the PHQ-9 and
//! the GAD-7, alone or together, on the same 0–3 scale. PHQ-2: Kroenke, Spitzer & Williams, Med
//! Care 2003. GAD-2: Kroenke et al., Ann Intern Med 2007. PHQ-4: Kroenke, Spitzer, Williams &
//! Löwe, Psychosomatics 2009; Löwe et al., J Affect Disord 2010; item order and wording as on the
//! NINDS Common Data Elements page. Items carry the LOINC question codes of the PHQ-9 and GAD-7
//! items they are (§1, §2); panel and total codes only where verified (PHQ-2).

use super::{Band, ChangeRule, FREQUENCY, Instrument, InstrumentId, Item, Offer, PFIZER_NOTICE, Screen};

const PHQ2_ITEMS: &[Item] = &[
    Item { text: "Little interest or pleasure in doing things", loinc: Some("44250-9") },
    Item { text: "Feeling down, depressed, or hopeless", loinc: Some("44255-8") },
];

const GAD2_ITEMS: &[Item] = &[
    Item { text: "Feeling nervous, anxious, or on edge", loinc: Some("69725-0") },
    Item { text: "Not being able to stop or control worrying", loinc: Some("68509-9") },
];

/// GAD-2 items first, then PHQ-2 items, in the PHQ-4's own wording.
const PHQ4_ITEMS: &[Item] = &[
    Item { text: "Feeling nervous, anxious or on edge", loinc: Some("69725-0") },
    Item { text: "Not being able to stop or control worrying", loinc: Some("68509-9") },
    Item { text: "Little interest or pleasure in doing things", loinc: Some("44250-9") },
    Item { text: "Feeling down, depressed, or hopeless", loinc: Some("44255-8") },
];

/// A two-item screen is positive at 3 or more (0–6); the papers give no severity bands for it.
const SCREEN_BANDS: &[Band] = &[
    Band { min: 0, max: 2, severity: "negative", label: "Below the screening cut-off" },
    Band { min: 3, max: 6, severity: "positive", label: "At or above the screening cut-off" },
];

const PHQ4_BANDS: &[Band] = &[
    Band { min: 0, max: 2, severity: "normal", label: "Normal" },
    Band { min: 3, max: 5, severity: "mild", label: "Mild" },
    Band { min: 6, max: 8, severity: "moderate", label: "Moderate" },
    Band { min: 9, max: 12, severity: "severe", label: "Severe" },
];

/// No reliable-change threshold is published for the short forms (CLINICAL.md §7).
const NO_THRESHOLD: ChangeRule = ChangeRule {
    reliable: None,
    clinically_important: None,
    lower_is_better: true,
    source: "No published reliable-change threshold; use the full PHQ-9 or GAD-7 to follow change",
};

const PHQ_STEM: &str = "Over the last 2 weeks, how often have you been bothered by any of the following problems?";
const GAD_STEM: &str = "Over the last 2 weeks, how often have you been bothered by the following problems?";

pub static PHQ2: Instrument = Instrument {
    id: InstrumentId::Phq2,
    title: "PHQ-2",
    stem: PHQ_STEM,
    items: PHQ2_ITEMS,
    options: FREQUENCY,
    extra_item: None,
    panel_loinc: Some("55757-9"),
    total_loinc: Some("55758-7"),
    bands: SCREEN_BANDS,
    change: NO_THRESHOLD,
    total_factor: 1,
    reverse_scored: &[],
    screens: &[Screen {
        key: "depression",
        label: "Depression",
        items: &[1, 2],
        positive_at: 3,
        follow_up: Some(InstrumentId::Phq9),
    }],
    copyright: PFIZER_NOTICE,
    offer: Offer::Always,
    source: "Kroenke K, Spitzer RL, Williams JBW. Med Care 2003;41(11):1284–1292",
};

pub static GAD2: Instrument = Instrument {
    id: InstrumentId::Gad2,
    title: "GAD-2",
    stem: GAD_STEM,
    items: GAD2_ITEMS,
    options: FREQUENCY,
    extra_item: None,
    panel_loinc: None,
    total_loinc: None,
    bands: SCREEN_BANDS,
    change: NO_THRESHOLD,
    total_factor: 1,
    reverse_scored: &[],
    screens: &[Screen {
        key: "anxiety",
        label: "Anxiety",
        items: &[1, 2],
        positive_at: 3,
        follow_up: Some(InstrumentId::Gad7),
    }],
    copyright: PFIZER_NOTICE,
    offer: Offer::Always,
    source: "Kroenke K, et al. Ann Intern Med 2007;146(5):317–325",
};

pub static PHQ4: Instrument = Instrument {
    id: InstrumentId::Phq4,
    title: "PHQ-4",
    stem: GAD_STEM,
    items: PHQ4_ITEMS,
    options: FREQUENCY,
    extra_item: None,
    panel_loinc: None,
    total_loinc: None,
    bands: PHQ4_BANDS,
    change: NO_THRESHOLD,
    total_factor: 1,
    reverse_scored: &[],
    screens: &[
        Screen {
            key: "anxiety",
            label: "Anxiety",
            items: &[1, 2],
            positive_at: 3,
            follow_up: Some(InstrumentId::Gad7),
        },
        Screen {
            key: "depression",
            label: "Depression",
            items: &[3, 4],
            positive_at: 3,
            follow_up: Some(InstrumentId::Phq9),
        },
    ],
    copyright: PFIZER_NOTICE,
    offer: Offer::Always,
    source: "Kroenke K, Spitzer RL, Williams JBW, Löwe B. Psychosomatics 2009;50(6):613–621; Löwe B et al. J Affect Disord 2010;122:86–95",
};
