//! PHQ-9 (Kroenke, Spitzer & Williams 2001; CLINICAL.md §1). Item wording as on the form;
//! LOINC codes from LHNCBC/lforms-fhir-app `e2e-tests/data/R4/phq9.json`.

use super::{AnswerOption, Band, ChangeRule, FREQUENCY, Instrument, InstrumentId, Item, Offer, PFIZER_NOTICE};

const ITEMS: &[Item] = &[
    Item { text: "Little interest or pleasure in doing things", loinc: Some("44250-9") },
    Item { text: "Feeling down, depressed, or hopeless", loinc: Some("44255-8") },
    Item { text: "Trouble falling or staying asleep, or sleeping too much", loinc: Some("44259-0") },
    Item { text: "Feeling tired or having little energy", loinc: Some("44254-1") },
    Item { text: "Poor appetite or overeating", loinc: Some("44251-7") },
    Item {
        text: "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        loinc: Some("44258-2"),
    },
    Item {
        text: "Trouble concentrating on things, such as reading the newspaper or watching television",
        loinc: Some("44252-5"),
    },
    Item {
        text: "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
        loinc: Some("44253-3"),
    },
    Item {
        text: "Thoughts that you would be better off dead or of hurting yourself in some way",
        loinc: Some("44260-8"),
    },
];

const DIFFICULTY: Item = Item {
    text: "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
    loinc: Some("69722-7"),
};

/// Not scored. The LOINC answer codes are not in numeric order (CLINICAL.md §1).
const DIFFICULTY_OPTIONS: &[AnswerOption] = &[
    AnswerOption { value: 0, label: "Not difficult at all", loinc: Some("LA6572-7") },
    AnswerOption { value: 1, label: "Somewhat difficult", loinc: Some("LA6573-5") },
    AnswerOption { value: 2, label: "Very difficult", loinc: Some("LA6575-0") },
    AnswerOption { value: 3, label: "Extremely difficult", loinc: Some("LA6574-3") },
];

const BANDS: &[Band] = &[
    Band { min: 0, max: 4, severity: "minimal", label: "None to minimal" },
    Band { min: 5, max: 9, severity: "mild", label: "Mild" },
    Band { min: 10, max: 14, severity: "moderate", label: "Moderate" },
    Band { min: 15, max: 19, severity: "moderately_severe", label: "Moderately severe" },
    Band { min: 20, max: 27, severity: "severe", label: "Severe" },
];

pub static PHQ9: Instrument = Instrument {
    id: InstrumentId::Phq9,
    title: "PHQ-9",
    stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items: ITEMS,
    options: FREQUENCY,
    extra_item: Some((&DIFFICULTY, DIFFICULTY_OPTIONS)),
    panel_loinc: Some("44249-1"),
    total_loinc: Some("44261-6"),
    bands: BANDS,
    change: ChangeRule {
        reliable: Some(6),
        clinically_important: Some(5),
        lower_is_better: true,
        source: "Reliable change 6 points (IAPT); clinically important 5 points (Löwe et al., Med Care 2004)",
    },
    total_factor: 1,
    reverse_scored: &[],
    screens: &[],
    copyright: PFIZER_NOTICE,
    offer: Offer::Always,
    source: "Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16(9):606–613",
};
