//! Operator commands. None of them can read anyone's journal: the operator never holds a key.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use journal_core::accounts::{new_account, reset_account};
use journal_core::time_util::{now, rfc3339};
use journal_core::validate::{DisplayName, Email, Password};
use journal_core::{Role, Store, UserRecord};
use journal_crypto::{KdfParams, SymmetricKey};

use crate::cli::DatabaseArgs;

#[derive(Args)]
pub struct AdminArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// List every account (email, role, status; never content).
    ListUsers {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Create an account, even when sign-up is closed. Prints its recovery code.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "client", value_parser = ["client", "therapist"])]
        role: String,
        /// Read the password from standard input instead of generating a temporary one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Stop an account from signing in and end its sessions.
    DisableUser {
        #[arg(long)]
        email: String,
    },
    /// Let a disabled account sign in again.
    EnableUser {
        #[arg(long)]
        email: String,
    },
    /// Check every client's access log against the server key: each row's MAC (or, for rows from
    /// before the key, its hash), its link to the row before, and the sealed head. Exits with
    /// status 1 and names the rows if any was edited or deleted.
    VerifyAccessLog,
    /// Erase everything in an account (it cannot be decrypted by anyone) and give it a new
    /// temporary password and recovery code. For a person who lost both. The access log is kept,
    /// with the reset recorded in it.
    ResetUser {
        #[arg(long)]
        email: String,
        /// Confirms that the account's content will be erased.
        #[arg(long)]
        yes: bool,
    },
}

async fn find(store: &dyn Store, email: &str) -> anyhow::Result<UserRecord> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?;
    store.user_by_email(email.as_str()).await?.with_context(|| format!("no account has the email {}", email.as_str()))
}

/// A readable temporary password: 4 groups of 5 from a 32-letter alphabet, 100 bits.
fn temporary_password() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let bytes = journal_crypto::random_bytes::<20>();
    let chars: Vec<char> = bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect();
    chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type the password, then press Enter:");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let (store, key) = args.database.open().await?;
    let result = run_command(store.as_ref(), &key, args.command).await;
    store.close().await;
    result
}

async fn run_command(store: &dyn Store, key: &SymmetricKey, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::ListUsers { json } => {
            let users = store.list_users().await?;
            if json {
                let rows: Vec<_> = users
                    .iter()
                    .map(|u| {
                        serde_json::json!({
                            "id": u.id, "email": u.email, "display_name": u.display_name,
                            "role": u.role.as_str(), "created_at": rfc3339(u.created_at), "disabled": u.disabled,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if users.is_empty() {
                println!("no accounts yet");
            } else {
                println!("{:<32}  {:<10}  {:<10}  {:<8}  email", "id", "role", "created", "status");
                for u in users {
                    let status = if u.disabled { "disabled" } else { "active" };
                    let created = rfc3339(u.created_at);
                    println!(
                        "{:<32}  {:<10}  {:<10}  {:<8}  {}",
                        u.id,
                        u.role.as_str(),
                        &created[..10],
                        status,
                        u.email
                    );
                }
            }
        }
        AdminCommand::CreateUser { email, name, role, password_stdin } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!(e.message))?;
            let name = DisplayName::parse(&name).map_err(|e| anyhow::anyhow!(e.message))?;
            let role = Role::parse(&role).context("role must be client or therapist")?;
            let (password_text, generated) =
                if password_stdin { (read_password()?, false) } else { (temporary_password(), true) };
            let password = Password::parse("password", &password_text).map_err(|e| anyhow::anyhow!(e.message))?;
            let account = tokio::task::spawn_blocking(move || {
                new_account(&email, &name, role, &password, now(), KdfParams::DEFAULT)
            })
            .await?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            match store.insert_user(&account.user).await {
                Err(journal_core::StoreError::Conflict(_)) => {
                    bail!("an account with that email already exists")
                }
                other => other?,
            }
            println!("created {} ({}, id {})", account.user.email, account.user.role.as_str(), account.user.id);
            if generated {
                println!("temporary password: {password_text}");
                println!("(ask them to change it in Settings after signing in)");
            }
            println!("recovery code: {}", account.recovery_code.display());
            println!("(give it to them privately; it is the only way back in if the password is lost)");
        }
        AdminCommand::DisableUser { email } => {
            let user = find(store, &email).await?;
            store.set_user_disabled(&user.id, true).await?;
            println!("{} can no longer sign in; their sessions have ended", user.email);
        }
        AdminCommand::EnableUser { email } => {
            let user = find(store, &email).await?;
            store.set_user_disabled(&user.id, false).await?;
            println!("{} can sign in again", user.email);
        }
        AdminCommand::VerifyAccessLog => {
            let (rows, heads) = store.access_log_all().await?;
            let problems = journal_core::bridge::verify(&rows, &heads, key);
            let clients = heads.iter().filter(|h| h.head.is_some()).count();
            if problems.is_empty() {
                println!("access log intact: {} rows across {clients} clients", rows.len());
            } else {
                for p in &problems {
                    match p.seq {
                        Some(seq) => eprintln!("client {}: row {seq} {}", p.client_id, p.what),
                        None => eprintln!("client {}: {}", p.client_id, p.what),
                    }
                }
                bail!("the access log has been tampered with ({} problems)", problems.len());
            }
        }
        AdminCommand::ResetUser { email, yes } => {
            let user = find(store, &email).await?;
            if !yes {
                bail!(
                    "this erases everything in {}'s account and cannot be undone; run again with --yes to confirm",
                    user.email
                );
            }
            let password_text = temporary_password();
            let password = Password::parse("password", &password_text).map_err(|e| anyhow::anyhow!(e.message))?;
            let account = tokio::task::spawn_blocking(move || reset_account(&user, &password, KdfParams::DEFAULT))
                .await?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            store.reset_user(&account.user).await?;
            if account.user.role == Role::Client {
                let note = journal_app::accounts::access_log::Note {
                    event: journal_core::bridge::Event::AdminReset,
                    actor: journal_app::accounts::access_log::ADMINISTRATOR,
                    therapist: None,
                    item_kind: "account",
                    item_id: &account.user.id,
                    detail: String::new(),
                };
                journal_app::accounts::access_log::append(store, key, &account.user.id, note)
                    .await
                    .map_err(|e| anyhow::anyhow!(e.message().into_owned()))?;
            }
            store.purge_freed_space().await?;
            println!("{} is now an empty account", account.user.email);
            println!("temporary password: {password_text}");
            println!("recovery code: {}", account.recovery_code.display());
        }
    }
    Ok(())
}
