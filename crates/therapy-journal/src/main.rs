//! `therapy-journal`: serve the app, migrate the database, and administer accounts.

mod admin;
mod cli;
mod database;
mod demo;

use std::process::ExitCode;

/// The server allocates and frees many short-lived buffers per request (decrypted text, JSON);
/// mimalloc handles that pattern with less time and less retained memory than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use crate::cli::{Cli, Command};

fn init_logging() {
    let level = match std::env::var("THERAPY_JOURNAL_LOG").as_deref() {
        Ok("debug") => tracing::Level::DEBUG,
        Ok("warn") => tracing::Level::WARN,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    // Colour codes help a person at a terminal and corrupt a log file or a journald pipe, so they
    // are written only when standard error is a terminal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => cli::serve(args).await,
            Command::Migrate(args) => {
                let store = database::open(&args.database_url).await?;
                store.close().await;
                println!("the database schema is up to date");
                Ok(())
            }
            Command::Admin(args) => admin::run(args).await,
            Command::SeedDemo(args) => cli::seed_demo(args).await,
            Command::Export(args) => cli::export(args).await,
            Command::Import(args) => cli::import(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
