//! Demo and benchmark data: accounts with realistic journal entries, written straight to the
//! store (encrypted exactly as the app would), so a newcomer sees every screen filled and the
//! benchmarks have something real to chew on.

use std::sync::Arc;

use jiff::ToSpan;
use jiff::civil::Date;
use journal_app::{App, Settings};
use journal_core::accounts::new_account;
use journal_core::dates::today_in;
use journal_core::entries::{EntryContent, seal_entry};
use journal_core::ids::new_id;
use journal_core::time_util::now;
use journal_core::validate::{DisplayName, Email, Password};
use journal_core::{Role, Store, UnlockedUser};
use journal_crypto::KdfParams;

pub const DEMO_CLIENT: &str = "demo@example.org";
pub const DEMO_THERAPIST: &str = "therapist@example.org";
pub const DEMO_PASSWORD: &str = "demo journal password";

/// A small deterministic generator (xorshift64*): the same seed gives the same journal.
pub struct Writer {
    state: u64,
}

const OPENINGS: &[&str] = &[
    "This morning",
    "After work",
    "Tonight",
    "At lunch",
    "On the bus home",
    "Before my session",
    "After my session",
    "Around three in the afternoon",
    "While making dinner",
    "When I woke up",
    "Late in the evening",
    "During the team meeting",
];

const EVENTS: &[&str] = &[
    "I walked to the park and sat by the pond for a while",
    "I called my sister and we talked about Mum",
    "I had a hard conversation with my manager about the deadline",
    "I noticed my shoulders were tight and tried slow breathing",
    "I cooked a proper meal instead of snacking",
    "I skipped the gym and felt guilty about it",
    "I wrote down three things that went well",
    "I cried a little in the car, which surprised me",
    "I said no to an extra shift, politely but clearly",
    "I spent an hour in the garden pulling weeds",
    "I scrolled my phone for too long and felt flat",
    "I practised the grounding exercise from therapy",
    "I met Sam for coffee and laughed properly for once",
    "I couldn't stop replaying what I said yesterday",
    "I went for a run even though I didn't want to",
    "I painted for twenty minutes without judging it",
    "I sent the email I had been avoiding for a week",
    "I lay awake worrying about money again",
    "I listened to the rain and let myself rest",
    "I noticed the old thought that I'm not good enough",
];

const FEELINGS: &[&str] = &[
    "and felt a bit lighter afterwards.",
    "and the worry came back later, quieter than before.",
    "and I'm proud of that, even if it's small.",
    "and my chest felt tight for most of the afternoon.",
    "and I noticed I was kinder to myself than usual.",
    "and it reminded me why rest matters.",
    "and I want to bring this up with my therapist.",
    "and the anxiety eased after about ten minutes.",
    "and I slept better than I have in weeks.",
    "and I felt lonely, but also a little hopeful.",
    "and I realised I had been holding my breath.",
    "and I could tell myself it was okay to be tired.",
];

const REFLECTIONS: &[&str] = &[
    "I keep thinking about what my therapist said about boundaries: they are a way of caring for the relationship, not ending it.",
    "Sleep has been patchy. Screens off earlier seems to help, when I manage it.",
    "The evidence against the thought is stronger than I first believed: people do answer my messages, and Jo asked me to stay.",
    "Small wins today: I drank water, I went outside, I answered one hard email.",
    "I notice I'm harsher with myself than I would ever be with a friend.",
    "Next week I want to try the five-four-three-two-one exercise when the panic starts.",
    "Gratitude list: warm tea, the neighbour's cat, a song on the radio that I used to love.",
    "Walking helps more than I expect, every single time.",
    "I'm allowed to take up space in conversations. I'm practising that.",
    "Mood was low in the morning and better by evening; the pattern seems to repeat on Mondays.",
    "I don't have to solve everything tonight. Some things can wait until the session.",
    "It was a grey day, and that's all right. Not every day needs to be good.",
];

const TITLES: &[&str] = &[
    "A slower day",
    "After the session",
    "Rain again",
    "Small wins",
    "Hard conversation",
    "Sunday thoughts",
    "Couldn't sleep",
    "Feeling lighter",
    "Noticing patterns",
    "",
    "",
    "",
];

const TAGS: &[&str] = &[
    "sleep",
    "work",
    "family",
    "anxiety",
    "walks",
    "gratitude",
    "therapy",
    "boundaries",
    "rest",
    "friends",
    "creativity",
];

impl Writer {
    pub fn new(seed: u64) -> Self {
        Self { state: seed.max(1) }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// An entry of roughly `target_bytes` of Markdown.
    pub fn entry(&mut self, target_bytes: usize) -> EntryContent {
        let mut body = String::with_capacity(target_bytes + 200);
        while body.len() < target_bytes {
            let mut paragraph = String::new();
            for _ in 0..2 + self.below(3) {
                let sentence = match self.below(3) {
                    0 => self.pick(REFLECTIONS).to_owned(),
                    _ => format!("{}, {} {}", self.pick(OPENINGS), self.pick(EVENTS), self.pick(FEELINGS)),
                };
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(&sentence);
            }
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&paragraph);
        }
        let mut tags = Vec::new();
        for _ in 0..self.below(3) {
            let t = self.pick(TAGS).to_owned();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let mood = (self.below(5) != 0).then(|| 1 + self.below(5) as u8);
        EntryContent { title: self.pick(TITLES).to_owned(), body, tags, mood, prompt_id: None, thought_record: None }
    }
}

async fn create_user(
    store: &dyn Store,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<UnlockedUser> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?;
    let name = DisplayName::parse(name).map_err(|e| anyhow::anyhow!(e.message))?;
    let password = Password::parse("password", password).map_err(|e| anyhow::anyhow!(e.message))?;
    let mut account =
        tokio::task::spawn_blocking(move || new_account(&email, &name, role, &password, now(), KdfParams::DEFAULT))
            .await?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    account.user.time_zone = "Europe/London".to_owned();
    store
        .insert_user(&account.user)
        .await
        .map_err(|e| anyhow::anyhow!("could not create {}: {e}", account.user.email))?;
    Ok(UnlockedUser::new(account.user, account.dek))
}

/// Writes `count` entries for `user`, spread backwards from today, several a day when many.
async fn write_entries(
    store: &dyn Store,
    user: &UnlockedUser,
    count: usize,
    days: i64,
    bytes: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let mut writer = Writer::new(seed);
    let today: Date = today_in(&user.user().time_zone);
    let now = now();
    let mut batch = Vec::with_capacity(1000);
    for i in 0..count {
        let back = (i as i64 * days) / count.max(1) as i64;
        let date = today.checked_sub(back.days()).unwrap_or(today);
        let content = writer.entry(bytes);
        let created = now - back * 86_400 - (i as i64 % 7) * 3600;
        batch.push(seal_entry(user, &new_id(), date, &content, None, created, created));
        if batch.len() == 1000 {
            store.insert_entries(user.id(), &std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        store.insert_entries(user.id(), &batch).await?;
    }
    Ok(())
}

/// The demo client and therapist, unless they exist already. Returns whether it created them.
pub async fn seed_demo(shared: &Arc<dyn Store>, access_log_key: &journal_crypto::SymmetricKey) -> anyhow::Result<bool> {
    // What the services can do with today's date they do; the backdated history below is sealed
    // and stored as they would store it.
    let app = App::new(Arc::clone(shared), Settings { access_log_key: access_log_key.clone(), ..Settings::default() });
    let store = shared.as_ref();
    if store.user_by_email(DEMO_CLIENT).await?.is_some() {
        return Ok(false);
    }
    let client = demo_account(&app, DEMO_CLIENT, "Robin (demo)", Role::Client).await?;
    let therapist = demo_account(&app, DEMO_THERAPIST, "Dr Ada Moss (demo)", Role::Therapist).await?;
    write_entries(store, &client, 75, 90, 900, 7).await?;
    let metrics_key = journal_app::health::metrics_key::key(&app, &client)
        .await
        .map_err(|e| anyhow::anyhow!(e.message().into_owned()))?;
    demo_health(store, &client, &metrics_key).await?;
    demo_self_care(store, &client).await?;
    demo_link(&app, store, &client, &therapist).await?;
    Ok(true)
}

/// A demo account, made by the sign-up service (whatever the sign-up setting).
async fn demo_account(app: &App, email: &str, name: &str, role: Role) -> anyhow::Result<UnlockedUser> {
    let refused = |e: journal_app::ServiceError| anyhow::anyhow!("could not create {email}: {}", e.message());
    let email_ok = Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?;
    let name = DisplayName::parse(name).map_err(|e| anyhow::anyhow!(e.message))?;
    let password = Password::parse("password", DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e.message))?;
    let account =
        journal_app::accounts::create_account(app, email_ok, name, role, password, "Europe/London".to_owned())
            .await
            .map_err(refused)?;
    Ok(UnlockedUser::new(account.user, account.dek))
}

/// The demo client linked to the demo therapist, sharing a few entries, mood and questionnaires,
/// with a comment and a piece of homework: the bridge's own services, as the two would use it.
async fn demo_link(
    app: &App,
    store: &dyn Store,
    client: &UnlockedUser,
    therapist: &UnlockedUser,
) -> anyhow::Result<()> {
    use journal_app::bridge;
    let refused = |e: journal_app::ServiceError| anyhow::anyhow!(e.message().into_owned());
    let invite = bridge::create_invite(app, therapist).await.map_err(refused)?;
    let link = bridge::accept_invite(app, client, &invite.code).await.map_err(refused)?;
    let sharing = journal_core::bridge::Sharing { mood: true, assessments: true, goals: false };
    bridge::set_sharing(app, client, &link.id, sharing).await.map_err(refused)?;
    let entries = store.all_entries(client.id()).await?;
    for (n, e) in entries.iter().step_by(9).take(4).enumerate() {
        bridge::share_entry(app, client, &e.id, &link.id).await.map_err(refused)?;
        if n == 0 {
            // The therapist reads it (the read goes in the client's access log) and replies.
            bridge::client_entry(app, therapist, client.id(), &e.id).await.map_err(refused)?;
            let body = "Thank you for sharing this. I noticed how much you did for yourself that day. Shall we start there on Thursday?";
            bridge::therapist_comment(app, therapist, client.id(), &e.id, body).await.map_err(refused)?;
        }
    }
    let text =
        "Before we meet, notice one moment this week when you were kind to yourself, and write a few lines about it.";
    bridge::assign(app, therapist, client.id(), text, None).await.map_err(refused)?;
    Ok(())
}

/// Three months of check-ins (a dip, then a slow lift) and fortnightly questionnaires.
async fn demo_health(store: &dyn Store, user: &UnlockedUser, key: &journal_crypto::SymmetricKey) -> anyhow::Result<()> {
    use journal_core::assessments::InstrumentId;
    use journal_core::metrics::{AssessmentContent, MoodContent, seal_assessment, seal_mood};
    let now = now();
    let activities =
        [&["walk", "friends"][..], &["work"][..], &["exercise", "reading"][..], &["work", "family"][..], &[][..]];
    let emotions = [
        &["calm", "hopeful"][..],
        &["tired", "overwhelmed"][..],
        &["content"][..],
        &["anxious", "worried"][..],
        &["relieved"][..],
    ];
    for day in 0..90i64 {
        if day % 5 == 3 {
            continue; // Some days have no check-in, as in life.
        }
        // Lower in the middle of the period, lifting towards today.
        let base: i64 = if (30..55).contains(&day) { 2 } else { 3 };
        let score = (base + (day * 7 % 5 == 0) as i64 + (day < 21) as i64 - (day % 11 == 0) as i64).clamp(1, 5) as u8;
        let i = (day as usize) % activities.len();
        let content = MoodContent {
            score,
            emotions: emotions[i].iter().map(|e| (*e).to_owned()).collect(),
            sleep_hours: Some(4.5 + f32::from(score) * 0.8 + (day % 3) as f32 * 0.5),
            activities: activities[i].iter().map(|a| (*a).to_owned()).collect(),
            note: String::new(),
        };
        let at = now - day * 86_400 - 3600 * (day % 4);
        store.insert_mood(&seal_mood(user, key, &new_id(), at, &content)).await?;
    }
    let phq: [[i64; 9]; 6] = [
        [2, 2, 2, 2, 1, 2, 1, 1, 0],
        [2, 2, 2, 2, 2, 2, 1, 1, 0],
        [2, 1, 2, 2, 1, 1, 1, 1, 0],
        [1, 1, 2, 1, 1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 1, 0, 0, 0],
        [1, 0, 1, 1, 0, 1, 0, 0, 0],
    ];
    let gad: [[i64; 7]; 6] = [
        [2, 2, 2, 1, 1, 2, 1],
        [2, 2, 2, 2, 1, 2, 1],
        [2, 1, 2, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 1, 0],
        [1, 0, 1, 0, 0, 1, 0],
    ];
    for (n, (p, g)) in phq.iter().zip(gad.iter()).enumerate() {
        let at = now - (84 - 14 * n as i64) * 86_400;
        for (instrument, answers) in [(InstrumentId::Phq9, &p[..]), (InstrumentId::Gad7, &g[..])] {
            let score = instrument.instrument().score(answers).map_err(|e| anyhow::anyhow!(e.message))?;
            let content = AssessmentContent {
                answers: answers.iter().map(|a| *a as u8).collect(),
                total: score.total,
                severity: score.severity.to_owned(),
                self_harm: score.self_harm,
            };
            store.insert_assessment(&seal_assessment(user, key, &new_id(), instrument, at, &content)).await?;
        }
    }
    Ok(())
}

/// Goals with a few weeks of check-ins, a thought record, a safety plan and a session date.
async fn demo_self_care(store: &dyn Store, user: &UnlockedUser) -> anyhow::Result<()> {
    use journal_core::goals::{Cadence, CheckinRecord, GoalContent, GoalRecord, Per, Status};
    use journal_core::records::{PROMPT_BOOK, RowTable, SAFETY_PLAN, seal_document, seal_row};
    use journal_core::safety_plan::{Contact, SafetyPlan};
    use journal_core::thought_records::{Feeling, ThoughtRecord};
    let today: Date = today_in(&user.user().time_zone);
    let now = now();
    let goals = [
        ("Ten minutes outside", "physical_activity", 1, Per::Day, 40i64, "Daylight helps me sleep."),
        ("Message a friend", "social_connection", 2, Per::Week, 60, "I feel better when I'm not alone with it."),
        ("Screens off 30 minutes before bed", "rest_sleep", 1, Per::Day, 20, ""),
    ];
    for (n, (title, category, times, per, since, why)) in goals.iter().enumerate() {
        let start = today.checked_sub(since.days()).unwrap_or(today);
        let content = GoalContent {
            title: (*title).to_owned(),
            why: (*why).to_owned(),
            category: (*category).to_owned(),
            cadence: Cadence { times: *times, per: *per },
            start_date: start.to_string(),
            end_date: None,
            status: Status::Active,
            pauses: vec![],
            completed_on: None,
        };
        let id = new_id();
        let created = now - since * 86_400;
        let record = GoalRecord {
            id: id.clone(),
            user_id: user.id().to_owned(),
            created_at: created,
            updated_at: created,
            content: seal_row(user, RowTable::Goals, &id, &content),
        };
        store.insert_goal(&record).await?;
        for back in 1..*since {
            let keep = match per {
                Per::Day => back % (4 + n as i64) != 0,
                Per::Week => back % 3 == 0,
            };
            if !keep {
                continue;
            }
            let day = today.checked_sub(back.days()).unwrap_or(today);
            let c = CheckinRecord {
                id: new_id(),
                goal_id: id.clone(),
                user_id: user.id().to_owned(),
                day: day.to_string(),
                created_at: now - back * 86_400,
                note: vec![],
            };
            store.insert_checkin(&c).await?;
        }
    }
    let record = ThoughtRecord {
        situation: "My manager moved our one-to-one without saying why.".into(),
        thoughts: "She's unhappy with my work. I'm going to be let go.".into(),
        emotions: vec![
            Feeling { name: "anxious".into(), intensity: 85 },
            Feeling { name: "ashamed".into(), intensity: 50 },
        ],
        distortions: vec!["mind-reading".into(), "fortune-telling".into(), "catastrophizing".into()],
        evidence_for: "She seemed busy and short with me this week.".into(),
        evidence_against: "She praised the report last month. Meetings move all the time.".into(),
        balanced_thought: "A moved meeting is most likely about her diary, not about me. I can ask if I'm worried."
            .into(),
        rerated: vec![
            Feeling { name: "anxious".into(), intensity: 40 },
            Feeling { name: "ashamed".into(), intensity: 15 },
        ],
    };
    let content = EntryContent {
        title: record.title(),
        body: record.to_markdown(),
        tags: vec![],
        mood: None,
        prompt_id: None,
        thought_record: Some(record),
    };
    let day = today.checked_sub(9.days()).unwrap_or(today);
    let at = now - 9 * 86_400;
    store.insert_entry(&seal_entry(user, &new_id(), day, &content, None, at, at)).await?;
    let plan = SafetyPlan {
        warning_signs: vec!["Not sleeping for several nights".into(), "Cancelling on everyone".into()],
        internal_coping: vec![
            "A hot shower".into(),
            "Box breathing in the toolbox".into(),
            "Walking the long way round the park".into(),
        ],
        distraction_people: vec![Contact { name: "Sam (neighbour)".into(), phone: String::new() }],
        distraction_places: vec!["The library café".into()],
        help_people: vec![Contact { name: "My sister Jo".into(), phone: "07700 900123".into() }],
        professionals: vec![Contact { name: "Dr Ada Moss".into(), phone: "020 7946 0000".into() }],
        means_safety: vec!["Ask Jo to keep my spare medication".into()],
        reasons_for_living: vec!["My niece".into(), "Seeing the sea again this summer".into()],
    };
    store.put_document(user.id(), SAFETY_PLAN, &seal_document(user, SAFETY_PLAN, &plan), now).await?;
    let book = journal_core::prompts::PromptBook {
        session_date: today.checked_add(2.days()).ok().map(|d| d.to_string()),
        ..Default::default()
    };
    store.put_document(user.id(), PROMPT_BOOK, &seal_document(user, PROMPT_BOOK, &book), now).await?;
    Ok(())
}

/// Benchmark accounts `bench-N@example.org`, each with `entries` entries of about 2 KB.
pub async fn seed_bench(
    store: &dyn Store,
    users: usize,
    entries: usize,
    password: &str,
) -> anyhow::Result<Vec<String>> {
    let mut emails = Vec::with_capacity(users);
    for i in 1..=users {
        let email = format!("bench-{i}@example.org");
        let user = create_user(store, &email, &format!("Bench {i}"), Role::Client, password).await?;
        write_entries(store, &user, entries, 3650, 2000, 1000 + i as u64).await?;
        emails.push(email);
    }
    Ok(emails)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_is_deterministic_and_sized() {
        let a = Writer::new(3).entry(2000);
        let b = Writer::new(3).entry(2000);
        assert_eq!(a, b);
        assert!((2000..3000).contains(&a.body.len()), "{}", a.body.len());
        assert!(a.mood.is_none_or(|m| (1..=5).contains(&m)));
        assert!(EntryContent::parse(Some(&a.title), &a.body, &a.tags, a.mood.map(i64::from), None).is_ok());
    }
}
