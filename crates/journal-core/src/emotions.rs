//! Words for feelings (docs/CLINICAL.md §10c, the app's own compact two-level list) and the
//! default activities offered at a mood check-in. People can always add their own words.

pub struct EmotionGroup {
    pub core: &'static str,
    pub words: &'static [&'static str],
}

pub const EMOTIONS: &[EmotionGroup] = &[
    EmotionGroup { core: "happy", words: &["content", "grateful", "hopeful", "proud", "relaxed", "excited"] },
    EmotionGroup { core: "calm", words: &["peaceful", "safe", "relieved", "focused", "accepted", "connected"] },
    EmotionGroup { core: "sad", words: &["lonely", "disappointed", "hurt", "hopeless", "grieving", "empty"] },
    EmotionGroup { core: "anxious", words: &["worried", "nervous", "overwhelmed", "insecure", "panicky", "on edge"] },
    EmotionGroup { core: "angry", words: &["frustrated", "irritated", "resentful", "jealous", "betrayed", "critical"] },
    EmotionGroup {
        core: "ashamed",
        words: &["guilty", "embarrassed", "inadequate", "worthless", "exposed", "regretful"],
    },
    EmotionGroup { core: "tired", words: &["drained", "numb", "bored", "unmotivated", "foggy", "restless"] },
    EmotionGroup { core: "surprised", words: &["confused", "shocked", "curious", "amazed", "uncertain", "startled"] },
];

/// Where a feeling sits on the two axes of the mood meter: how much energy it carries, and how
/// pleasant it is. The check-in's feelings grid is laid out in these four quadrants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quadrant {
    HighEnergyPleasant,
    LowEnergyPleasant,
    HighEnergyUnpleasant,
    LowEnergyUnpleasant,
}

impl Quadrant {
    /// Top row high energy, left column unpleasant, as the mood meter draws them.
    pub const ALL: [Quadrant; 4] = [
        Quadrant::HighEnergyUnpleasant,
        Quadrant::HighEnergyPleasant,
        Quadrant::LowEnergyUnpleasant,
        Quadrant::LowEnergyPleasant,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Quadrant::HighEnergyPleasant => "high-pleasant",
            Quadrant::LowEnergyPleasant => "low-pleasant",
            Quadrant::HighEnergyUnpleasant => "high-unpleasant",
            Quadrant::LowEnergyUnpleasant => "low-unpleasant",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Quadrant::HighEnergyPleasant => "High energy, pleasant",
            Quadrant::LowEnergyPleasant => "Low energy, pleasant",
            Quadrant::HighEnergyUnpleasant => "High energy, unpleasant",
            Quadrant::LowEnergyUnpleasant => "Low energy, unpleasant",
        }
    }

    /// A few of its words, so the grid's tiles say what they hold.
    pub fn examples(self) -> &'static str {
        match self {
            Quadrant::HighEnergyPleasant => "excited, hopeful, proud",
            Quadrant::LowEnergyPleasant => "calm, content, safe",
            Quadrant::HighEnergyUnpleasant => "anxious, angry, overwhelmed",
            Quadrant::LowEnergyUnpleasant => "sad, tired, lonely",
        }
    }

    pub fn feelings(self) -> impl Iterator<Item = &'static Feeling> {
        FEELINGS.iter().filter(move |f| f.quadrant == self)
    }
}

/// One word of the feelings list with its quadrant and a plain one-line meaning.
#[derive(Debug)]
pub struct Feeling {
    pub word: &'static str,
    pub quadrant: Quadrant,
    pub definition: &'static str,
}

const fn f(word: &'static str, quadrant: Quadrant, definition: &'static str) -> Feeling {
    Feeling { word, quadrant, definition }
}

use Quadrant::{
    HighEnergyPleasant as HP, HighEnergyUnpleasant as HU, LowEnergyPleasant as LP, LowEnergyUnpleasant as LU,
};

/// Every word of `EMOTIONS` (core words too), in the same order, placed on the two axes.
pub const FEELINGS: &[Feeling] = &[
    f("happy", HP, "Feeling good; things seem to be going well."),
    f("content", LP, "Satisfied with how things are, without wanting more right now."),
    f("grateful", LP, "Thankful for something or someone in your life."),
    f("hopeful", HP, "Expecting that things can get better."),
    f("proud", HP, "Pleased with something you did or who you are."),
    f("relaxed", LP, "At ease, with your body and mind not on guard."),
    f("excited", HP, "Full of eager energy about something to come."),
    f("calm", LP, "Quiet and steady inside, not stirred up."),
    f("peaceful", LP, "Untroubled, with a sense of stillness."),
    f("safe", LP, "Protected, with nothing you need to watch out for."),
    f("relieved", LP, "Lighter because a worry or a strain has passed."),
    f("focused", HP, "Your attention settled on one thing."),
    f("accepted", LP, "Welcomed as you are by others."),
    f("connected", LP, "Close to other people, part of something."),
    f("sad", LU, "Low or heavy, often after a loss or letdown."),
    f("lonely", LU, "Wanting closeness or company that isn't there."),
    f("disappointed", LU, "Let down because something didn't turn out as hoped."),
    f("hurt", LU, "Wounded by something someone said or did."),
    f("hopeless", LU, "Feeling that nothing will get better."),
    f("grieving", LU, "Missing someone or something you have lost."),
    f("empty", LU, "Hollow, as if there is nothing inside."),
    f("anxious", HU, "Uneasy about what might happen."),
    f("worried", HU, "Thoughts that keep going back to a problem."),
    f("nervous", HU, "Jittery before something that matters to you."),
    f("overwhelmed", HU, "Too much at once to cope with."),
    f("insecure", HU, "Unsure of yourself or of your place with others."),
    f("panicky", HU, "Sudden, intense fear that is hard to control."),
    f("on edge", HU, "Tense, braced for something to go wrong."),
    f("angry", HU, "Strong displeasure at something that seems wrong or unfair."),
    f("frustrated", HU, "Blocked from something you want or need."),
    f("irritated", HU, "Easily bothered by small things."),
    f("resentful", HU, "Bitter about being treated unfairly."),
    f("jealous", HU, "Afraid of losing something, or wanting what someone else has."),
    f("betrayed", HU, "Hurt because someone broke your trust."),
    f("critical", HU, "Finding fault, with others or with yourself."),
    f("ashamed", LU, "Feeling bad about who you are, not just what you did."),
    f("guilty", LU, "Feeling you did something wrong."),
    f("embarrassed", HU, "Self-conscious after others saw something awkward."),
    f("inadequate", LU, "Feeling not good enough."),
    f("worthless", LU, "Feeling you have no value."),
    f("exposed", HU, "Seen when you would rather not be."),
    f("regretful", LU, "Wishing you had done something differently."),
    f("tired", LU, "Low on energy, needing rest."),
    f("drained", LU, "Used up, with nothing left to give."),
    f("numb", LU, "Hardly feeling anything at all."),
    f("bored", LU, "Nothing holds your interest."),
    f("unmotivated", LU, "Hard to find the will to start things."),
    f("foggy", LU, "Thinking feels slow and unclear."),
    f("restless", HU, "Unable to settle or keep still."),
    f("surprised", HP, "Caught off guard by something unexpected."),
    f("confused", HU, "Unsure what is going on or what to make of it."),
    f("shocked", HU, "Shaken by something sudden or upsetting."),
    f("curious", HP, "Wanting to know or explore more."),
    f("amazed", HP, "Struck by wonder at something."),
    f("uncertain", LU, "Not knowing what will happen or what to do."),
    f("startled", HU, "Jolted by something sudden."),
];

/// The one word's entry, if it is on the list.
pub fn feeling(word: &str) -> Option<&'static Feeling> {
    FEELINGS.iter().find(|f| f.word.eq_ignore_ascii_case(word.trim()))
}

/// The quadrant most of the named feelings fall in (unpleasant first on a tie, since those are
/// the ones a suggestion is most for); `None` when no listed feeling is named.
pub fn main_quadrant(words: &[String]) -> Option<Quadrant> {
    let mut counts = [0usize; 4];
    for w in words {
        if let Some(f) = feeling(w) {
            let i = Quadrant::ALL.iter().position(|q| *q == f.quadrant).unwrap_or(0);
            counts[i] += 1;
        }
    }
    // Indexes into `ALL`, unpleasant ones first: the first of the largest counts wins.
    let mut best: Option<usize> = None;
    for i in [0usize, 2, 1, 3] {
        if counts[i] > 0 && best.is_none_or(|b| counts[i] > counts[b]) {
            best = Some(i);
        }
    }
    best.map(|i| Quadrant::ALL[i])
}

/// A small symbol for each default activity; shown beside the word, hidden from screen readers.
pub fn activity_icon(activity: &str) -> &'static str {
    match activity {
        "walk" => "\u{1F6B6}",
        "exercise" => "\u{1F3C3}",
        "time outside" => "\u{1F333}",
        "friends" => "\u{1F46B}",
        "family" => "\u{1F3E0}",
        "work" => "\u{1F4BC}",
        "rest" => "\u{1F6CB}",
        "creative" => "\u{1F3A8}",
        "reading" => "\u{1F4D6}",
        "cooking" => "\u{1F373}",
        "screens" => "\u{1F4F1}",
        "therapy" => "\u{1F4AC}",
        _ => "\u{2B50}",
    }
}

pub const DEFAULT_ACTIVITIES: &[&str] = &[
    "walk",
    "exercise",
    "time outside",
    "friends",
    "family",
    "work",
    "rest",
    "creative",
    "reading",
    "cooking",
    "screens",
    "therapy",
];

/// How many activities a person's own list may hold.
pub const MAX_ACTIVITIES: usize = 40;

/// One activity for a person's list: a word or two, as a check-in stores it (lower-cased, one
/// line, up to 40 characters) and without commas, which separate words typed in one box.
pub fn parse_activity(name: &str) -> Result<String, crate::validate::ValidationError> {
    let w = crate::validate::single_line(name).trim().to_lowercase();
    if w.is_empty() || w.chars().count() > 40 || w.contains(',') {
        return Err(crate::validate::ValidationError::new(
            "activity_name",
            "An activity is a word or two, up to 40 characters, without commas.",
        ));
    }
    Ok(w)
}

/// The 1–5 mood scale with its warm names.
pub const MOOD_SCALE: [(u8, &str); 5] = [(1, "Very low"), (2, "Low"), (3, "Okay"), (4, "Good"), (5, "Very good")];

pub fn mood_label(score: u8) -> &'static str {
    MOOD_SCALE[usize::from(score.clamp(1, 5) - 1)].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_has_a_place_and_a_meaning() {
        let listed: Vec<&str> =
            EMOTIONS.iter().flat_map(|g| std::iter::once(g.core).chain(g.words.iter().copied())).collect();
        assert_eq!(listed.len(), FEELINGS.len());
        for w in &listed {
            let f = feeling(w).unwrap_or_else(|| panic!("{w} has no definition"));
            assert!(f.definition.ends_with('.') && f.definition.len() < 90, "{w}: one short line");
        }
        for q in Quadrant::ALL {
            assert!(q.feelings().count() >= 5, "{q:?} holds a few words");
        }
    }

    #[test]
    fn an_activity_is_a_short_line_of_lower_case() {
        assert_eq!(parse_activity("  Pottery ").unwrap(), "pottery");
        for bad in ["", "   ", "a, b", &"x".repeat(41)] {
            assert_eq!(parse_activity(bad).unwrap_err().field, "activity_name", "{bad:?}");
        }
    }

    #[test]
    fn the_main_quadrant_follows_most_words_and_prefers_the_unpleasant_on_a_tie() {
        let w = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(main_quadrant(&w(&["anxious", "worried", "calm"])), Some(Quadrant::HighEnergyUnpleasant));
        assert_eq!(main_quadrant(&w(&["calm", "tired"])), Some(Quadrant::LowEnergyUnpleasant));
        assert_eq!(main_quadrant(&w(&["Peaceful "])), Some(Quadrant::LowEnergyPleasant));
        assert_eq!(main_quadrant(&w(&["my own word"])), None);
        assert_eq!(main_quadrant(&[]), None);
    }
}
