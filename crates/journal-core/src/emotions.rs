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

/// The 1–5 mood scale with its warm names.
pub const MOOD_SCALE: [(u8, &str); 5] = [(1, "Very low"), (2, "Low"), (3, "Okay"), (4, "Good"), (5, "Very good")];

pub fn mood_label(score: u8) -> &'static str {
    MOOD_SCALE[usize::from(score.clamp(1, 5) - 1)].1
}
