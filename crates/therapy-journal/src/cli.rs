//! Command-line arguments and `serve`.

use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use journal_app::{App, ServiceError, Settings, UnlockedUser};
use journal_web::{AppState, Config, RateLimits};

use crate::database::{self, DEFAULT_URL};

#[derive(Parser)]
#[command(name = "therapy-journal", version, about = "A private journal for the time between therapy sessions")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web app and the JSON API.
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate(DatabaseArgs),
    /// Operator tasks: list, create, disable and reset accounts.
    Admin(crate::admin::AdminArgs),
    /// Add demo accounts with three months of writing, or benchmark accounts with --users.
    SeedDemo(SeedArgs),
    /// Write everything in one account as JSON (see docs/export.schema.json). The password is
    /// read from standard input.
    Export(ExportArgs),
    /// Import a file into one account (our JSON export, Day One, jrnl or Daylio). Shows a preview
    /// with --dry-run. The password is read from standard input.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub email: String,
    #[arg(long, value_parser = ["therapy-journal", "dayone", "jrnl", "daylio"])]
    pub format: String,
    /// Only read the file and print what would be imported.
    #[arg(long)]
    pub dry_run: bool,
    /// Daylio: mood labels to scores, e.g. `rad:5,good:4,meh:3,bad:2,awful:1`.
    #[arg(long)]
    pub mood_map: Option<String>,
    pub file: std::path::PathBuf,
}

/// A service's refusal, in the words the server would use.
fn refused(e: ServiceError) -> anyhow::Error {
    anyhow::anyhow!(e.message().into_owned())
}

/// Signs in as the account owner, with the password read from standard input, and runs `f`
/// with the same services the server uses.
async fn as_owner<T, F, Fut>(database: &DatabaseArgs, email: &str, f: F) -> anyhow::Result<T>
where
    F: FnOnce(App, UnlockedUser) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    use std::io::BufRead;
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let (store, access_log_key) = database.open().await?;
    let app = App::new(store.clone(), Settings { access_log_key, ..Settings::default() });
    let result = async {
        let who = app.sign_in(email, &password).await.map_err(refused)?;
        f(app.clone(), who).await
    }
    .await;
    store.close().await;
    result
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("could not read {}", args.file.display()))?;
    let (format, dry_run, mood_map) = (args.format.clone(), args.dry_run, args.mood_map.clone());
    as_owner(&args.database, &args.email, |app, who| async move {
        let (format, batch) =
            journal_app::portability::import::read(&who, &format, &bytes, mood_map.as_deref()).map_err(refused)?;
        if dry_run {
            let p = journal_app::portability::import::preview(&app, &who, format, &batch).await.map_err(refused)?;
            println!("{}", serde_json::to_string_pretty(&p)?);
        } else {
            let done = journal_app::portability::import::apply(&app, &who, batch).await.map_err(refused)?;
            println!("{}", serde_json::to_string_pretty(&done)?);
        }
        Ok(())
    })
    .await
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub email: String,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Streams the account's export to the output, signed in as its owner.
pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let output = args.output.clone();
    as_owner(&args.database, &args.email, |app, who| async move {
        let event = journal_core::bridge::Event::Exported;
        journal_app::accounts::access_log::by_owner(&app, &who, event, "export", "account", "json")
            .await
            .map_err(refused)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel(8);
        let writer = tokio::spawn(journal_app::portability::export::write_json(app, who, tx));
        let mut out: Box<dyn Write> = match &output {
            Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        let mut failed = None;
        while let Some(chunk) = rx.recv().await {
            match chunk {
                Ok(bytes) => out.write_all(&bytes)?,
                Err(e) => failed = Some(e),
            }
        }
        out.flush()?;
        writer.await?;
        match failed {
            Some(e) => Err(anyhow::anyhow!("the export stopped: {e}")),
            None => Ok(()),
        }
    })
    .await
}

#[derive(Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Create this many benchmark accounts (bench-N@example.org) instead of the demo accounts.
    #[arg(long)]
    pub users: Option<usize>,
    /// Entries (about 2 KB each) per benchmark account.
    #[arg(long, default_value = "100")]
    pub entries_per_user: usize,
    /// Password of the benchmark accounts.
    #[arg(long, default_value = "bench password 1234")]
    pub password: String,
    /// Add the demo accounts even though the database has other accounts.
    #[arg(long, conflicts_with = "users")]
    pub force_demo: bool,
}

pub async fn seed_demo(args: SeedArgs) -> anyhow::Result<()> {
    let (store, key) = args.database.open().await?;
    let result = async {
        match args.users {
            Some(users) => {
                let started = std::time::Instant::now();
                let emails =
                    crate::demo::seed_bench(store.as_ref(), users, args.entries_per_user, &args.password).await?;
                println!(
                    "created {} accounts with {} entries each in {:.1} s: {}",
                    emails.len(),
                    args.entries_per_user,
                    started.elapsed().as_secs_f64(),
                    emails.join(", ")
                );
            }
            None => {
                demo_allowed(store.as_ref(), args.force_demo).await?;
                print_demo(crate::demo::seed_demo(&store, &key).await?);
            }
        }
        anyhow::Ok(())
    }
    .await;
    store.close().await;
    result
}

/// The demo accounts' password is published, so beside other people's accounts they would be a
/// door anyone can open; an operator must say so explicitly to add them there.
async fn demo_allowed(store: &dyn journal_core::Store, forced: bool) -> anyhow::Result<()> {
    use crate::demo::{DEMO_CLIENT, DEMO_THERAPIST};
    if forced {
        return Ok(());
    }
    let others =
        store.list_users().await?.iter().filter(|u| u.email != DEMO_CLIENT && u.email != DEMO_THERAPIST).count();
    if others > 0 {
        let accounts = if others == 1 { "another account".to_owned() } else { format!("{others} other accounts") };
        anyhow::bail!(
            "this database already has {accounts}, so the demo accounts were not added: anyone who knows \
             their published password could sign in to them. Use a separate database for the demo \
             (e.g. --database-url sqlite://demo.db), or add --force-demo to add them here anyway"
        );
    }
    Ok(())
}

fn print_demo(created: bool) {
    use crate::demo::{DEMO_CLIENT, DEMO_PASSWORD, DEMO_THERAPIST};
    if created {
        println!("demo accounts created (password for both: {DEMO_PASSWORD}):");
    } else {
        println!("the demo accounts already exist (password for both: {DEMO_PASSWORD}):");
    }
    println!("  client:    {DEMO_CLIENT}");
    println!("  therapist: {DEMO_THERAPIST}");
}

#[derive(Args)]
pub struct DatabaseArgs {
    /// `sqlite://PATH` (created if missing) or `postgres://USER@HOST/DATABASE`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL)]
    pub database_url: String,
    /// The access log's server key (created, readable by this user only, on first use). Default:
    /// beside the SQLite file (`<file>.access-log.key`), or `therapy-journal.access-log.key` in
    /// the working directory for PostgreSQL. Back it up apart from the database; every app server
    /// of one database needs the same file.
    #[arg(long, env = "THERAPY_JOURNAL_ACCESS_LOG_KEY", value_name = "FILE")]
    pub access_log_key: Option<std::path::PathBuf>,
}

impl DatabaseArgs {
    /// The store and the access log's server key.
    pub async fn open(
        &self,
    ) -> anyhow::Result<(std::sync::Arc<dyn journal_core::Store>, journal_crypto::SymmetricKey)> {
        let store = database::open(&self.database_url).await?;
        match database::access_log_key(&self.database_url, self.access_log_key.as_deref(), store.as_ref()).await {
            Ok(key) => Ok((store, key)),
            Err(e) => {
                store.close().await;
                Err(e)
            }
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Registration {
    /// Anyone who can reach the server may create an account.
    Open,
    /// Only `therapy-journal admin create-user` creates accounts.
    Closed,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "THERAPY_JOURNAL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The address people use, e.g. https://journal.example.org (HTTPS turns on Secure cookies and HSTS).
    #[arg(long, env = "THERAPY_JOURNAL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Who may sign up.
    #[arg(long, env = "THERAPY_JOURNAL_REGISTRATION", value_enum, default_value = "open")]
    pub registration: Registration,
    /// End a browser session after this long without activity (e.g. 30m, 1h, 90s).
    #[arg(long, env = "THERAPY_JOURNAL_SESSION_IDLE", default_value = "30m", value_parser = parse_duration)]
    pub session_idle: Duration,
    /// End a browser session this long after sign-in, however active.
    #[arg(long, env = "THERAPY_JOURNAL_SESSION_MAX", default_value = "12h", value_parser = parse_duration)]
    pub session_max: Duration,
    /// Trust X-Forwarded-For for rate limiting (only behind your own load balancer).
    #[arg(long, env = "THERAPY_JOURNAL_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Add a demo client and therapist with three months of writing (once). Their password is
    /// published; refused on a database that has other accounts unless --force-demo is given.
    #[arg(long)]
    pub demo: bool,
    /// Add the demo accounts even though the database has other accounts.
    #[arg(long, requires = "demo")]
    pub force_demo: bool,
    /// Do not offer the WHO-5 questionnaire (its licence allows non-commercial use only).
    #[arg(long, env = "THERAPY_JOURNAL_DISABLE_WHO5")]
    pub disable_who5: bool,
    /// Offer a questionnaire whose licence the operator has confirmed (`pss10`: the PSS-10,
    /// free for non-commercial use; commercial use needs permission). Repeat for more.
    #[arg(
        long = "enable-instrument",
        value_name = "ID",
        env = "THERAPY_JOURNAL_ENABLE_INSTRUMENT",
        value_delimiter = ','
    )]
    pub enable_instrument: Vec<String>,
    /// Your own crisis lines and emergency numbers, as JSON in the shape of
    /// `GET /api/v1/crisis-resources` (`emergency_numbers`, `lines`, `last_reviewed`), in place
    /// of the list shipped with the app.
    #[arg(long, env = "THERAPY_JOURNAL_CRISIS_LINES", value_name = "FILE")]
    pub crisis_lines: Option<std::path::PathBuf>,
    /// Call the app "Journal" with a plain icon for everyone (home screen, titles, header), for
    /// people whose phone may be looked at by someone else.
    #[arg(long, env = "THERAPY_JOURNAL_NEUTRAL_APP_NAME")]
    pub neutral_app_name: bool,
}

pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("'{s}' is not a duration like 30m, 12h or 90s"))?;
    let secs = match unit {
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => return Err(format!("'{s}': use s, m, h or d, as in 30m")),
    };
    if secs == 0 {
        return Err("the duration must be more than zero".to_owned());
    }
    Ok(Duration::from_secs(secs))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// `--enable-instrument` values: only instruments that wait for the operator can be turned on.
fn enabled_instruments(names: &[String]) -> anyhow::Result<Vec<journal_core::assessments::InstrumentId>> {
    use journal_core::assessments::{InstrumentId, Offer, id_list};
    let optional: Vec<InstrumentId> =
        InstrumentId::ALL.into_iter().filter(|i| i.instrument().offer == Offer::WhenEnabled).collect();
    let mut out = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        match InstrumentId::parse(&name.to_ascii_lowercase()) {
            Some(i) if optional.contains(&i) => {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            Some(_) => anyhow::bail!(
                "--enable-instrument {name}: it is always offered; only {} can be turned on",
                id_list(&optional)
            ),
            None => anyhow::bail!("--enable-instrument {name}: unknown questionnaire; choose {}", id_list(&optional)),
        }
    }
    Ok(out)
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if let Some(url) = &args.public_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        anyhow::bail!("--public-url must start with http:// or https://");
    }
    let crisis = match &args.crisis_lines {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
            journal_core::crisis::Directory::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => journal_core::crisis::Directory::builtin(),
    };
    let enabled_instruments = enabled_instruments(&args.enable_instrument)?;
    let (store, access_log_key) = args.database.open().await?;
    if args.demo {
        let seeded = async {
            demo_allowed(store.as_ref(), args.force_demo).await?;
            crate::demo::seed_demo(&store, &access_log_key).await
        }
        .await;
        match seeded {
            Ok(created) => print_demo(created),
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        }
    }
    let config = Config {
        public_url: args.public_url.map(|u| u.trim_end_matches('/').to_owned()),
        registration_open: matches!(args.registration, Registration::Open),
        session_idle: args.session_idle,
        session_max: args.session_max,
        trust_proxy: args.trust_proxy,
        rate_limits: RateLimits::default(),
        who5_enabled: !args.disable_who5,
        enabled_instruments,
        crisis,
        access_log_key,
        neutral_app_name: args.neutral_app_name,
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(backend = store.backend(), "database ready");
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{addr}")?;
        out.flush()?;
    }
    let state = AppState::new(store.clone(), config);
    journal_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43200)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5y").is_err());
    }

    #[test]
    fn only_instruments_that_wait_for_the_operator_can_be_enabled() {
        use journal_core::assessments::InstrumentId;
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(enabled_instruments(&names(&["pss10"])).unwrap(), [InstrumentId::Pss10]);
        assert_eq!(enabled_instruments(&names(&[" PSS10 ", "pss10", ""])).unwrap(), [InstrumentId::Pss10]);
        assert!(enabled_instruments(&[]).unwrap().is_empty());
        let e = enabled_instruments(&names(&["phq9"])).unwrap_err().to_string();
        assert!(e.contains("always offered") && e.contains("pss10"), "{e}");
        let e = enabled_instruments(&names(&["pcl5"])).unwrap_err().to_string();
        assert!(e.contains("unknown questionnaire; choose pss10"), "{e}");
    }
}
