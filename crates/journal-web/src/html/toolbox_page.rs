//! The coping toolbox (`/toolbox`): breathing, grounding and one small suggestion for each
//! self-care area.

use askama::Template;
use axum::response::Response;

use super::page::render;
use super::shell::{PageUser, Shell};

pub struct Strategy {
    pub goal_category: &'static str,
    pub title: &'static str,
    pub suggestion: &'static str,
}

/// The nine self-care areas, one per goal category (`journal_core::goals::CATEGORIES`), each with one thing to try.
pub const STRATEGIES: &[Strategy] = &[
    Strategy {
        goal_category: "rest_sleep",
        title: "Rest and sleep",
        suggestion: "Pick a time to put screens away tonight, and do something quiet in the half hour before bed.",
    },
    Strategy {
        goal_category: "mindfulness",
        title: "Mindfulness and relaxation",
        suggestion: "Try one round of the breathing exercise above, or notice five slow breaths while the kettle boils.",
    },
    Strategy {
        goal_category: "physical_activity",
        title: "Physical activity",
        suggestion: "Ten minutes outside counts. A walk around the block, at whatever pace feels right.",
    },
    Strategy {
        goal_category: "social_connection",
        title: "Social connection",
        suggestion: "Send one message to someone you'd like to hear from. It can be as short as \u{201c}thinking of you\u{201d}.",
    },
    Strategy {
        goal_category: "creative",
        title: "Creative outlets",
        suggestion: "Doodle, hum, cook something new or rearrange a shelf. Making anything at all is the point.",
    },
    Strategy {
        goal_category: "boundaries",
        title: "Boundaries",
        suggestion: "Notice one thing you said yes to this week that you'd rather have declined. What would a kind no sound like?",
    },
    Strategy {
        goal_category: "self_compassion",
        title: "Self-compassion",
        suggestion: "Speak to yourself the way you'd speak to a friend going through the same thing.",
    },
    Strategy {
        goal_category: "joy",
        title: "Activities that bring joy",
        suggestion: "Put one small pleasure in your day on purpose: a song you love, a favourite drink, five minutes of a hobby.",
    },
    Strategy {
        goal_category: "support_resources",
        title: "Other support",
        suggestion: "Write down who and what you can lean on, and save one number in your phone. Your safety plan is a good place for it.",
    },
];

#[derive(Template)]
#[template(path = "toolbox.html")]
struct ToolboxPage {
    shell: Shell,
    strategies: &'static [Strategy],
}

pub async fn toolbox(user: PageUser) -> Response {
    render(&ToolboxPage { shell: Shell::for_user("Coping toolbox", &user), strategies: STRATEGIES })
}

/// One thing from the toolbox to try, offered right after a check-in.
pub struct Suggestion {
    pub title: &'static str,
    pub text: &'static str,
    pub href: &'static str,
}

fn strategy(category: &str) -> Suggestion {
    let s = STRATEGIES.iter().find(|s| s.goal_category == category).unwrap_or(&STRATEGIES[0]);
    Suggestion { title: s.title, text: s.suggestion, href: "/toolbox#selfcare-h" }
}

/// Picks from the toolbox by where the named feelings sit (or, with none named, by the mood):
/// settling the body when energy is high and unpleasant, kindness when it is low, and sharing or
/// keeping a good moment when it is pleasant. Nothing here is new advice; it all links back.
pub fn suggestion_for(quadrant: Option<journal_core::emotions::Quadrant>, score: u8) -> Suggestion {
    use journal_core::emotions::Quadrant;
    let breathing = Suggestion {
        title: "Breathing",
        text: "Slow breathing tells your body it's safe to settle.",
        href: "/toolbox#breathing-h",
    };
    match quadrant {
        Some(Quadrant::HighEnergyUnpleasant) => breathing,
        Some(Quadrant::LowEnergyUnpleasant) => strategy("self_compassion"),
        Some(Quadrant::HighEnergyPleasant) => strategy("social_connection"),
        Some(Quadrant::LowEnergyPleasant) => strategy("joy"),
        None if score <= 2 => strategy("self_compassion"),
        None if score == 3 => breathing,
        None => strategy("joy"),
    }
}

#[cfg(test)]
mod tests {
    use journal_core::emotions::Quadrant;

    #[test]
    fn suggestions_come_from_the_toolbox() {
        for q in Quadrant::ALL.into_iter().map(Some).chain([None]) {
            for score in 1..=5 {
                let s = super::suggestion_for(q, score);
                assert!(s.href.starts_with("/toolbox#"));
                let known = super::STRATEGIES.iter().any(|t| t.suggestion == s.text && t.title == s.title)
                    || include_str!("templates/toolbox.html").contains(s.text);
                assert!(known, "{} is not in the toolbox", s.title);
            }
        }
    }
}
