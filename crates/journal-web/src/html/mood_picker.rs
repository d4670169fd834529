//! The one mood picker: five faces, each with its word, used wherever a mood is chosen (the
//! check-in, its correction, a journal entry). Real radio buttons in a fieldset, so it works with
//! a keyboard, a screen reader and without JavaScript; the faces are decoration (`aria-hidden`),
//! the words are the labels.

pub struct MoodChoice {
    pub value: u8,
    pub label: &'static str,
    pub face: &'static str,
}

macro_rules! face {
    ($mouth:literal) => {
        concat!(
            r#"<svg class="face" viewBox="0 0 40 40" aria-hidden="true" focusable="false">"#,
            r#"<circle class="face-bg" cx="20" cy="20" r="18"/>"#,
            r#"<circle class="face-eye" cx="14" cy="16" r="2.3"/><circle class="face-eye" cx="26" cy="16" r="2.3"/>"#,
            r#"<path class="face-mouth" d=""#,
            $mouth,
            r#""/></svg>"#
        )
    };
}

/// The 1–5 scale of `journal_core::emotions::MOOD_SCALE`, with a face for each.
pub const MOOD_CHOICES: [MoodChoice; 5] = [
    MoodChoice { value: 1, label: "Very low", face: face!("M12 30 Q20 21 28 30") },
    MoodChoice { value: 2, label: "Low", face: face!("M13 28 Q20 24 27 28") },
    MoodChoice { value: 3, label: "Okay", face: face!("M13 26 L27 26") },
    MoodChoice { value: 4, label: "Good", face: face!("M13 24 Q20 29 27 24") },
    MoodChoice { value: 5, label: "Very good", face: face!("M12 23 Q20 33 28 23") },
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_faces_follow_the_mood_scale() {
        for (c, (value, label)) in super::MOOD_CHOICES.iter().zip(journal_core::emotions::MOOD_SCALE) {
            assert_eq!((c.value, c.label), (value, label));
            assert!(c.face.contains("aria-hidden=\"true\"") && !c.face.contains("style="));
        }
    }
}
