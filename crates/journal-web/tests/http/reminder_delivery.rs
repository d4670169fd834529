//! Reminders that are sent, through the real delivery worker to a real local webhook receiver:
//! neutral wording with no content canary, a stop link that works, the next occurrence scheduled,
//! failures counted, stale jobs dropped after an outage, and, with two app servers on one
//! PostgreSQL database, each due reminder delivered exactly once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use journal_testkit::{PASSWORD, TestApp, backend_tests, test_config};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CANARY: &str = "canary-7f3e-plum-lantern";

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    head: String,
    body: String,
    at: Instant,
}

/// A local webhook receiver: answers every POST with `status` and keeps what it got.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(status: u16) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/topic", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let keep = got.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let keep = keep.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        let Ok(n) = sock.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf).to_string();
                        let Some(end) = text.find("\r\n\r\n") else { continue };
                        let head = text[..end].to_owned();
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                            })
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        if buf.len() < end + 4 + length {
                            continue;
                        }
                        let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string();
                        keep.lock().unwrap().push(Received { head, body, at: Instant::now() });
                        let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                        let _ = sock.write_all(reply.as_bytes()).await;
                        return;
                    }
                });
            }
        });
        Receiver { url, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let start = Instant::now();
        while self.received().len() < n && start.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.received()
    }
}

/// The job id a message's stop link names.
fn job_of(r: &Received) -> String {
    let at = r.body.find("/reminders/stop/").expect("a stop link in every message");
    r.body[at + "/reminders/stop/".len()..].split('/').next().unwrap().to_owned()
}

fn fast() -> journal_web::Config {
    let mut config = test_config();
    config.delivery.poll = Duration::from_millis(200);
    config
}

async fn client(app: &TestApp, email: &str) -> String {
    app.register(email, "client").await;
    app.token(email, PASSWORD).await
}

async fn webhook(app: &TestApp, t: &str, url: &str) -> String {
    let (status, c) =
        app.api(t, "POST", "/api/v1/reminders/channels", Some(json!({"kind": "webhook", "destination": url}))).await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

async fn nudge(app: &TestApp, t: &str, channel: &str, extra: Value) -> String {
    let mut body = json!({"channel_id": channel, "kind": "nudge", "time": "21:00"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let (status, r) = app.api(t, "POST", "/api/v1/reminders/scheduled", Some(body)).await;
    assert_eq!(status, 201, "{r}");
    r["id"].as_str().unwrap().to_owned()
}

/// Makes every reminder due `ago` seconds ago, as if that time had come.
async fn due_now(app: &TestApp, ago: i64) -> i64 {
    let due = journal_core::time_util::now() - ago;
    app.fixture.tamper(&format!("UPDATE reminder_jobs SET due_at = {due}")).await;
    due
}

async fn a_reminder_arrives_neutral_once_and_stops_with_its_link(app: &TestApp) {
    let receiver = Receiver::start(200).await;
    let t = client(app, "remind@example.org").await;
    // Content that must never travel: an entry, a goal and a mood note carrying the canary.
    let (s, _) = app.api(&t, "POST", "/api/v1/entries", Some(json!({"title": CANARY, "body": CANARY}))).await;
    assert_eq!(s, 201);
    let goal = json!({"title": CANARY, "category": "physical_activity", "cadence": {"times": 1, "per": "day"}});
    assert_eq!(app.api(&t, "POST", "/api/v1/goals", Some(goal)).await.0, 201);
    assert_eq!(app.api(&t, "POST", "/api/v1/moods", Some(json!({"score": 2, "note": CANARY}))).await.0, 201);

    let channel = webhook(app, &t, &receiver.url).await;
    let neutral = nudge(app, &t, &channel, json!({})).await;
    let specific =
        nudge(app, &t, &channel, json!({"kind": "session_eve", "date": "2099-01-02", "specific_wording": true})).await;
    due_now(app, 5).await;
    let got = receiver.wait_for(2, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let got_after = receiver.received();
    assert_eq!(got_after.len(), 2, "each once: {got_after:?}");
    let by_job: HashMap<String, &Received> = got.iter().map(|r| (job_of(r), r)).collect();
    let plain = by_job[&neutral];
    assert!(plain.body.starts_with("A moment for you\n"), "{}", plain.body);
    assert!(plain.head.contains("Title: A moment for you") || plain.head.contains("title: A moment for you"));
    assert!(by_job[&specific].body.starts_with("A few minutes to note what you want to bring."));
    for r in &got {
        for word in [CANARY, "Therapy", "therapy", "journal", "mood", "goal"] {
            assert!(!r.head.contains(word) && !r.body.contains(word), "{word} travelled: {r:?}");
        }
    }

    // The next occurrence is scheduled (21:00 tomorrow or so), not sent again.
    let (_, list) = app.api(&t, "GET", "/api/v1/reminders/scheduled", None).await;
    let next = list.as_array().unwrap().iter().find(|r| r["id"] == neutral.as_str()).unwrap()["next_due"].clone();
    let next: jiff::Timestamp = next.as_str().unwrap().parse().unwrap();
    assert!(next > jiff::Timestamp::now(), "{next}");
    let eve = list.as_array().unwrap().iter().find(|r| r["id"] == specific.as_str()).unwrap();
    assert!(eve["next_due"].as_str().unwrap().starts_with("2099-01-01T"), "the evening before: {eve}");

    // One click on the stop link, no sign-in: the reminder is gone; the link again finds nothing.
    let stop = plain.body.lines().find_map(|l| l.strip_prefix("Stop these reminders: ")).unwrap();
    let path = &stop[stop.find("/reminders/").unwrap()..];
    let res = reqwest::get(app.url(path)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Reminder stopped"));
    assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), 404);
    let forged = format!("/reminders/stop/{specific}/{}", "0".repeat(64));
    assert_eq!(reqwest::get(app.url(&forged)).await.unwrap().status(), 404);
    let (_, list) = app.api(&t, "GET", "/api/v1/reminders/scheduled", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Destinations are sealed at rest; the logs never name them (checked by the canary sweep
    // over the database file: the receiver's address is not in it).
    let raw = app.fixture.raw_bytes();
    let needle = receiver.url.as_bytes();
    assert!(!raw.windows(needle.len()).any(|w| w == needle), "the webhook URL is sealed");
    assert!(!raw.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()));
}

async fn failures_are_counted_and_stale_reminders_are_dropped(app: &TestApp) {
    let failing = Receiver::start(500).await;
    let t = client(app, "fails@example.org").await;
    let channel = webhook(app, &t, &failing.url).await;
    nudge(app, &t, &channel, json!({})).await;
    due_now(app, 5).await;
    failing.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(failing.received().len(), 1, "the retry waits its backoff");
    let (_, channels) = app.api(&t, "GET", "/api/v1/reminders/channels", None).await;
    assert_eq!(channels[0]["failures"], 1, "{channels}");
    assert_eq!(channels[0]["last_error"], "http_500");
    let (_, list) = app.api(&t, "GET", "/api/v1/reminders/scheduled", None).await;
    assert_eq!(list[0]["last_error"], "http_500");

    // A server that was down: a reminder due two hours ago is not sent, only moved on.
    let fresh = Receiver::start(200).await;
    let t2 = client(app, "late@example.org").await;
    let channel = webhook(app, &t2, &fresh.url).await;
    let id = nudge(app, &t2, &channel, json!({})).await;
    let stale = journal_core::time_util::now() - 7200;
    app.fixture.tamper(&format!("UPDATE reminder_jobs SET due_at = {stale} WHERE id = '{id}'")).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(fresh.received().is_empty(), "no burst of stale reminders");
    let (_, list) = app.api(&t2, "GET", "/api/v1/reminders/scheduled", None).await;
    let next: jiff::Timestamp = list[0]["next_due"].as_str().unwrap().parse().unwrap();
    assert!(next > jiff::Timestamp::now());
}

async fn bad_input_is_a_clear_422(app: &TestApp) {
    let t = client(app, "input@example.org").await;
    for (body, field) in [
        (json!({"kind": "webhook", "destination": "ftp://x"}), "destination"),
        (json!({"kind": "webhook", "destination": "https://ntfy.sh/x"}), "destination"),
        (json!({"kind": "email", "destination": "a@example.org"}), "kind"),
        (json!({"kind": "pigeon", "destination": "x"}), "kind"),
    ] {
        let (status, e) = app.api(&t, "POST", "/api/v1/reminders/channels", Some(body)).await;
        assert_eq!((status, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
    }
    let other = client(app, "other@example.org").await;
    let theirs = webhook(app, &other, "http://127.0.0.1:9/x").await;
    for (body, field) in [
        (json!({"channel_id": theirs, "kind": "nudge", "time": "21:00"}), "channel_id"),
        (json!({"channel_id": theirs, "kind": "nudge", "time": "25:00"}), "time"),
        (json!({"channel_id": theirs, "kind": "nudge", "time": "21:00", "weekdays": [0]}), "weekdays"),
        (json!({"channel_id": theirs, "kind": "homework_due", "time": "21:00"}), "date"),
        (json!({"channel_id": theirs, "kind": "quiet_days", "time": "21:00", "days": 0}), "days"),
        (json!({"channel_id": theirs, "kind": "nudge", "time": "21:00", "quiet_start": "22:00"}), "quiet_end"),
    ] {
        let (status, e) = app.api(&t, "POST", "/api/v1/reminders/scheduled", Some(body)).await;
        assert_eq!((status, e["error"]["field"].as_str()), (422, Some(field)), "{e}");
    }
    assert_eq!(app.api(&t, "DELETE", &format!("/api/v1/reminders/channels/{theirs}"), None).await.0, 404);
}

async fn the_page_adds_and_removes_channels_and_reminders(app: &TestApp) {
    app.register("page@example.org", "client").await;
    let s = app.login("page@example.org", PASSWORD).await;
    let page = |path: &'static str| {
        let (client, url) = (s.client.clone(), app.url(path));
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(page("/reminders").await.contains("href=\"/reminders/sent\""));
    let empty = page("/reminders/sent").await;
    assert!(empty.contains("Nowhere yet.") && !empty.contains("Add reminder"));
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (client, url, csrf) = (s.client.clone(), app.url(path), s.csrf.clone());
        async move {
            let mut form = form;
            form.push(("csrf_token", csrf));
            client.post(url).header("origin", app.base.clone()).form(&form).send().await.unwrap()
        }
    };
    let bad = post("/reminders/sent/channels", vec![("destination", "https://ntfy.sh/x".into())]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("only reach http://"));
    let ok = post("/reminders/sent/channels", vec![("destination", "http://127.0.0.1:9/topic".into())]).await;
    assert_eq!(ok.status(), 303);
    assert!(page("/reminders/sent").await.contains("<code>http://127.0.0.1:9/topic</code>"));
    let (_, channels) =
        app.api(&app.token("page@example.org", PASSWORD).await, "GET", "/api/v1/reminders/channels", None).await;
    let channel = channels[0]["id"].as_str().unwrap().to_owned();
    let form = vec![
        ("channel_id", channel.clone()),
        ("kind", "session_eve".to_owned()),
        ("time", "19:30".to_owned()),
        ("date", "2099-05-06".to_owned()),
        ("quiet_start", String::new()),
        ("quiet_end", String::new()),
        ("days", String::new()),
    ];
    let added = post("/reminders/sent/scheduled", form).await;
    assert_eq!(added.status(), 303);
    let shown = page("/reminders/sent").await;
    assert!(shown.contains("The evening before a session at 19:30; next: 2099-05-05T"), "{shown}");
    let missing_date = post(
        "/reminders/sent/scheduled",
        vec![("channel_id", channel), ("kind", "homework_due".into()), ("time", "18:00".into())],
    )
    .await;
    assert_eq!(missing_date.status(), 422);
}

backend_tests!(config = fast(); the_page_adds_and_removes_channels_and_reminders, a_reminder_arrives_neutral_once_and_stops_with_its_link, failures_are_counted_and_stale_reminders_are_dropped, bad_input_is_a_clear_422);

/// Two app servers, each with its own pool on one PostgreSQL database: 50 reminders due at the
/// same minute are each delivered exactly once between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_deliver_each_reminder_exactly_once() {
    let Some(app) = TestApp::spawn_with(journal_testkit::Backend::Postgres, fast()).await else { return };
    let _second = app.sibling_with((*app.state.config).clone()).await;
    let receiver = Receiver::start(200).await;
    let t = client(&app, "two@example.org").await;
    let channel = webhook(&app, &t, &receiver.url).await;
    for _ in 0..50 {
        nudge(&app, &t, &channel, json!({})).await;
    }
    due_now(&app, 1).await;
    receiver.wait_for(50, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let got = receiver.received();
    let mut jobs: Vec<String> = got.iter().map(job_of).collect();
    jobs.sort();
    jobs.dedup();
    assert_eq!((got.len(), jobs.len()), (50, 50), "each of the 50 once");
    app.stop().await;
}

/// The delay from due time to receipt with 1,000 reminders due at the same second, on both
/// backends. Run with `TJ_MEASURE_REMINDERS=1 cargo test -p journal-web --test http
/// reminder_delivery::measure -- --nocapture`; it prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn measure_one_thousand_due_at_once() {
    if !journal_testkit::required("TJ_MEASURE_REMINDERS") {
        return;
    }
    for backend in [journal_testkit::Backend::Sqlite, journal_testkit::Backend::Postgres] {
        let Some(app) = TestApp::spawn_with(backend, fast()).await else { continue };
        let receiver = Receiver::start(200).await;
        let t = client(&app, "many@example.org").await;
        let channel = webhook(&app, &t, &receiver.url).await;
        for _ in 0..1000 {
            nudge(&app, &t, &channel, json!({})).await;
        }
        // Due one second from now, so the clock starts with every job already waiting.
        let due = journal_core::time_util::now() + 1;
        app.fixture.tamper(&format!("UPDATE reminder_jobs SET due_at = {due}")).await;
        let due_instant = Instant::now()
            + Duration::from_millis(u64::try_from((due * 1000) - jiff::Timestamp::now().as_millisecond()).unwrap_or(0));
        let got = receiver.wait_for(1000, Duration::from_secs(120)).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let got_all = receiver.received();
        let mut jobs: Vec<String> = got_all.iter().map(job_of).collect();
        jobs.sort();
        jobs.dedup();
        let mut delays: Vec<f64> =
            got.iter().map(|r| r.at.saturating_duration_since(due_instant).as_secs_f64()).collect();
        delays.sort_by(f64::total_cmp);
        let p = |q: f64| delays[((delays.len() as f64 * q).ceil() as usize).clamp(1, delays.len()) - 1];
        println!(
            "{backend:?}: {} received, {} distinct; delay after due: p50 {:.2} s, p99 {:.2} s, max {:.2} s",
            got_all.len(),
            jobs.len(),
            p(0.5),
            p(0.99),
            p(1.0)
        );
        assert_eq!((got_all.len(), jobs.len()), (1000, 1000));
        app.stop().await;
    }
}
