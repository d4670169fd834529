//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_store {
    ($store:ident) => {
        pub(crate) mod store {
            //! The `Store` implementation: users and sessions here, journal queries in `entries.rs`.

            use async_trait::async_trait;
            use journal_core::entries::{EntryQuery, EntryRecord};
            use journal_core::store::{ImportWrite, PasswordCredentials, RecoveryCredentials, StoreResult};
            use journal_core::time_util::Timestamp;
            use journal_core::{Role, SessionKind, SessionRecord, Store, StoreError, UserRecord};
            use journal_crypto::KdfParams;
            use sqlx::Row;

            use super::{
                DbConnection, DbRow, $store, backend_error, bridge, documents, entries, goals, health,
                limits, reminder_delivery,
            };
            use journal_core::metrics::{AssessmentRecord, MoodRecord};

            const USER_COLUMNS: &str = "id, email, display_name, role, created_at, disabled, pw_kdf_memory_kib, \
                                        pw_kdf_iterations, pw_kdf_parallelism, pw_salt, pw_verifier, dek_by_password, \
                                        rc_kdf_memory_kib, rc_kdf_iterations, rc_kdf_parallelism, rc_salt, \
                                        dek_by_recovery, public_key, secret_key_wrapped, time_zone, content_version, \
                                        country, week_start";

            const SESSION_COLUMNS: &str = "s.id AS s_id, s.user_id AS s_user_id, s.token_hash AS s_token_hash, s.kind \
                                           AS s_kind, s.name AS s_name, s.dek_wrapped AS s_dek_wrapped, s.created_at \
                                           AS s_created_at, s.last_seen_at AS s_last_seen_at, s.expires_at AS \
                                           s_expires_at";

            /// Built once: the session's columns prefixed `s_`, then every user column.
            static SESSION_AND_USER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
                format!(
                    "SELECT {SESSION_COLUMNS}, {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash \
                     = $1",
                    USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
                )
            });

            fn kdf(row: &DbRow, prefix: &str) -> Result<KdfParams, sqlx::Error> {
                let get = |name: &str| -> Result<u32, sqlx::Error> {
                    let v: i64 = row.try_get(format!("{prefix}_kdf_{name}").as_str())?;
                    u32::try_from(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
                };
                Ok(KdfParams {
                    memory_kib: get("memory_kib")?,
                    iterations: get("iterations")?,
                    parallelism: get("parallelism")?,
                })
            }

            fn user_from_row(row: &DbRow) -> Result<UserRecord, sqlx::Error> {
                let role: String = row.try_get("role")?;
                Ok(UserRecord {
                    id: row.try_get("id")?,
                    email: row.try_get("email")?,
                    display_name: row.try_get("display_name")?,
                    role: Role::parse(&role)
                        .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
                    created_at: row.try_get("created_at")?,
                    disabled: row.try_get("disabled")?,
                    time_zone: row.try_get("time_zone")?,
                    country: row.try_get("country")?,
                    week_start: u8::try_from(row.try_get::<i16, _>("week_start")?).unwrap_or(1),
                    content_version: row.try_get("content_version")?,
                    password: PasswordCredentials {
                        kdf: kdf(row, "pw")?,
                        salt: row.try_get("pw_salt")?,
                        verifier: row.try_get("pw_verifier")?,
                        dek_wrapped: row.try_get("dek_by_password")?,
                    },
                    recovery: RecoveryCredentials {
                        kdf: kdf(row, "rc")?,
                        salt: row.try_get("rc_salt")?,
                        dek_wrapped: row.try_get("dek_by_recovery")?,
                    },
                    public_key: row.try_get("public_key")?,
                    secret_key_wrapped: row.try_get("secret_key_wrapped")?,
                })
            }

            /// Sessions are always read with their columns prefixed `s_` (`SESSION_COLUMNS`), so the same
            /// mapper serves queries that join the user's columns.
            fn session_from_row(row: &DbRow) -> Result<SessionRecord, sqlx::Error> {
                let kind: String = row.try_get("s_kind")?;
                Ok(SessionRecord {
                    id: row.try_get("s_id")?,
                    user_id: row.try_get("s_user_id")?,
                    token_hash: row.try_get("s_token_hash")?,
                    kind: SessionKind::parse(&kind)
                        .ok_or_else(|| sqlx::Error::Decode(format!("unknown kind {kind}").into()))?,
                    name: row.try_get("s_name")?,
                    dek_wrapped: row.try_get("s_dek_wrapped")?,
                    created_at: row.try_get("s_created_at")?,
                    last_seen_at: row.try_get("s_last_seen_at")?,
                    expires_at: row.try_get("s_expires_at")?,
                })
            }

            async fn insert_user_in(conn: &mut DbConnection, u: &UserRecord) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO users (id, email, display_name, role, created_at, disabled, pw_kdf_memory_kib, \
                     pw_kdf_iterations, pw_kdf_parallelism, pw_salt, pw_verifier, dek_by_password, rc_kdf_memory_kib, \
                     rc_kdf_iterations, rc_kdf_parallelism, rc_salt, dek_by_recovery, public_key, secret_key_wrapped, \
                     time_zone, content_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                     $15, $16, $17, $18, $19, $20, $21)",
                )
                .bind(&u.id)
                .bind(&u.email)
                .bind(&u.display_name)
                .bind(u.role.as_str())
                .bind(u.created_at)
                .bind(u.disabled)
                .bind(i64::from(u.password.kdf.memory_kib))
                .bind(i64::from(u.password.kdf.iterations))
                .bind(i64::from(u.password.kdf.parallelism))
                .bind(&u.password.salt)
                .bind(&u.password.verifier)
                .bind(&u.password.dek_wrapped)
                .bind(i64::from(u.recovery.kdf.memory_kib))
                .bind(i64::from(u.recovery.kdf.iterations))
                .bind(i64::from(u.recovery.kdf.parallelism))
                .bind(&u.recovery.salt)
                .bind(&u.recovery.dek_wrapped)
                .bind(&u.public_key)
                .bind(&u.secret_key_wrapped)
                .bind(&u.time_zone)
                .bind(u.content_version)
                .execute(conn)
                .await
                .map(|_| ())
            }

            #[async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    super::BACKEND
                }

                async fn ping(&self) -> StoreResult<()> {
                    sqlx::query("SELECT 1").execute(self.pool()).await.map(|_| ()).map_err(backend_error)
                }

                async fn close(&self) {
                    self.close_pools().await;
                }

                async fn purge_freed_space(&self) -> StoreResult<()> {
                    self.purge().await
                }

                async fn insert_user(&self, user: &UserRecord) -> StoreResult<()> {
                    let mut conn = self.writer().acquire().await.map_err(backend_error)?;
                    insert_user_in(&mut conn, user).await.map_err(|e| match backend_error(e) {
                        StoreError::Conflict(_) => StoreError::Conflict("email"),
                        other => other,
                    })
                }

                async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(email)
                        .fetch_optional(self.pool())
                        .await
                        .and_then(|r| r.as_ref().map(user_from_row).transpose())
                        .map_err(backend_error)
                }

                async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_optional(self.pool())
                        .await
                        .and_then(|r| r.as_ref().map(user_from_row).transpose())
                        .map_err(backend_error)
                }

                async fn list_users(&self) -> StoreResult<Vec<UserRecord>> {
                    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY created_at, email");
                    let rows =
                        sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await.map_err(backend_error)?;
                    rows.iter().map(user_from_row).collect::<Result<_, _>>().map_err(backend_error)
                }

                async fn set_user_disabled(&self, id: &str, disabled: bool) -> StoreResult<bool> {
                    let mut tx = super::begin(self.writer()).await.map_err(backend_error)?;
                    let n = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                        .bind(disabled)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?
                        .rows_affected();
                    if disabled {
                        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(backend_error)?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(n > 0)
                }

                async fn replace_credentials(
                    &self,
                    user_id: &str,
                    password: &PasswordCredentials,
                    recovery: Option<&RecoveryCredentials>,
                    keep_session: Option<&str>,
                ) -> StoreResult<()> {
                    let mut tx = super::begin(self.writer()).await.map_err(backend_error)?;
                    sqlx::query(
                        "UPDATE users SET pw_kdf_memory_kib = $1, pw_kdf_iterations = $2, pw_kdf_parallelism = $3, \
                         pw_salt = $4, pw_verifier = $5, dek_by_password = $6 WHERE id = $7",
                    )
                    .bind(i64::from(password.kdf.memory_kib))
                    .bind(i64::from(password.kdf.iterations))
                    .bind(i64::from(password.kdf.parallelism))
                    .bind(&password.salt)
                    .bind(&password.verifier)
                    .bind(&password.dek_wrapped)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                    if let Some(rc) = recovery {
                        sqlx::query(
                            "UPDATE users SET rc_kdf_memory_kib = $1, rc_kdf_iterations = $2, rc_kdf_parallelism = $3, \
                             rc_salt = $4, dek_by_recovery = $5 WHERE id = $6",
                        )
                        .bind(i64::from(rc.kdf.memory_kib))
                        .bind(i64::from(rc.kdf.iterations))
                        .bind(i64::from(rc.kdf.parallelism))
                        .bind(&rc.salt)
                        .bind(&rc.dek_wrapped)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    }
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2")
                        .bind(user_id)
                        .bind(keep_session)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                    tx.commit().await.map_err(backend_error)
                }

                async fn reset_user(&self, user: &UserRecord) -> StoreResult<bool> {
                    let mut tx = super::begin(self.writer()).await.map_err(backend_error)?;
                    // The access log outlives the reset: it is the person's record of who saw what.
                    let kept = bridge::take_access_log(&mut tx, &user.id).await?;
                    let n = sqlx::query("DELETE FROM users WHERE id = $1")
                        .bind(&user.id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?
                        .rows_affected();
                    if n == 0 {
                        return Ok(false);
                    }
                    insert_user_in(&mut tx, user).await.map_err(backend_error)?;
                    bridge::restore_access_log(&mut tx, &kept).await?;
                    tx.commit().await.map_err(backend_error)?;
                    Ok(true)
                }

                async fn delete_user(&self, id: &str) -> StoreResult<bool> {
                    // Every other table references users with ON DELETE CASCADE.
                    let n = sqlx::query("DELETE FROM users WHERE id = $1")
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?
                        .rows_affected();
                    Ok(n > 0)
                }

                async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO sessions (id, user_id, token_hash, kind, name, dek_wrapped, created_at, \
                         last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(&s.id)
                    .bind(&s.user_id)
                    .bind(&s.token_hash)
                    .bind(s.kind.as_str())
                    .bind(&s.name)
                    .bind(&s.dek_wrapped)
                    .bind(s.created_at)
                    .bind(s.last_seen_at)
                    .bind(s.expires_at)
                    .execute(self.writer())
                    .await
                    .map(|_| ())
                    .map_err(backend_error)
                }

                async fn session_by_token_hash(&self, token_hash: &[u8]) -> StoreResult<Option<SessionRecord>> {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.token_hash = $1"
                    )))
                    .bind(token_hash)
                    .fetch_optional(self.pool())
                    .await
                    .and_then(|r| r.as_ref().map(session_from_row).transpose())
                    .map_err(backend_error)
                }

                async fn session_and_user(
                    &self,
                    token_hash: &[u8],
                ) -> StoreResult<Option<(SessionRecord, UserRecord)>> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(SESSION_AND_USER.as_str()))
                        .bind(token_hash)
                        .fetch_optional(self.pool())
                        .await
                        .map_err(backend_error)?;
                    row.map(|r| Ok((session_from_row(&r)?, user_from_row(&r)?))).transpose().map_err(backend_error)
                }

                async fn touch_session(&self, id: &str, at: Timestamp) -> StoreResult<()> {
                    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                        .bind(at)
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map(|_| ())
                        .map_err(backend_error)
                }

                async fn list_sessions(&self, user_id: &str) -> StoreResult<Vec<SessionRecord>> {
                    let sql = format!(
                        "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.user_id = $1 ORDER BY s.created_at, s.id"
                    );
                    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(user_id)
                        .fetch_all(self.pool())
                        .await
                        .map_err(backend_error)?;
                    rows.iter().map(session_from_row).collect::<Result<_, _>>().map_err(backend_error)
                }

                async fn delete_session(&self, user_id: &str, id: &str) -> StoreResult<bool> {
                    let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
                        .bind(user_id)
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(backend_error)?
                        .rows_affected();
                    Ok(n > 0)
                }

                async fn delete_expired_sessions(&self, now: Timestamp, idle_before: Timestamp) -> StoreResult<u64> {
                    sqlx::query(
                        "DELETE FROM sessions WHERE (expires_at IS NOT NULL AND expires_at <= $1) OR (kind = 'browser' \
                         AND last_seen_at < $2)",
                    )
                    .bind(now)
                    .bind(idle_before)
                    .execute(self.writer())
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(backend_error)
                }

                async fn hit_counter(&self, key: &[u8], window: i64, now: Timestamp) -> StoreResult<(u32, Timestamp)> {
                    limits::hit(self.writer(), key, window, now).await
                }

                async fn clear_counter(&self, key: &[u8]) -> StoreResult<()> {
                    limits::clear(self.writer(), key).await
                }

                async fn delete_expired_counters(&self, now: Timestamp) -> StoreResult<u64> {
                    limits::delete_expired(self.writer(), now).await
                }

                async fn server_secret(&self, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
                    limits::server_secret(self.writer(), candidate, now).await
                }

                async fn set_preferences(
                    &self,
                    user_id: &str,
                    country: Option<&str>,
                    week_start: u8,
                ) -> StoreResult<()> {
                    sqlx::query("UPDATE users SET country = $1, week_start = $2 WHERE id = $3")
                        .bind(country)
                        .bind(i16::from(week_start))
                        .bind(user_id)
                        .execute(self.writer())
                        .await
                        .map(|_| ())
                        .map_err(backend_error)
                }

                async fn set_time_zone(&self, user_id: &str, time_zone: &str) -> StoreResult<()> {
                    sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
                        .bind(time_zone)
                        .bind(user_id)
                        .execute(self.writer())
                        .await
                        .map(|_| ())
                        .map_err(backend_error)
                }

                async fn insert_entry(&self, entry: &EntryRecord) -> StoreResult<i64> {
                    entries::insert(self.writer(), entry).await
                }

                async fn insert_entries(&self, user_id: &str, list: &[EntryRecord]) -> StoreResult<i64> {
                    entries::insert_many(self.writer(), user_id, list).await
                }

                async fn import(&self, user_id: &str, batch: &ImportWrite) -> StoreResult<i64> {
                    let mut tx = super::begin(self.writer()).await.map_err(backend_error)?;
                    let version = entries::insert_rows(&mut tx, user_id, &batch.entries).await?;
                    for m in batch.moods.iter().filter(|m| m.user_id == user_id) {
                        health::insert_mood(&mut *tx, m).await?;
                    }
                    for a in batch.assessments.iter().filter(|a| a.user_id == user_id) {
                        health::insert(&mut *tx, a).await?;
                    }
                    for g in batch.goals.iter().filter(|g| g.user_id == user_id) {
                        goals::insert_goal(&mut *tx, g).await?;
                    }
                    for c in batch.checkins.iter().filter(|c| c.user_id == user_id) {
                        goals::insert_checkin(&mut *tx, c).await?;
                    }
                    for (kind, content) in &batch.documents {
                        documents::put_document(&mut *tx, user_id, kind, content, batch.at).await?;
                    }
                    tx.commit().await.map_err(backend_error)?;
                    Ok(version)
                }

                async fn update_entry(&self, entry: &EntryRecord) -> StoreResult<Option<i64>> {
                    entries::update(self.writer(), entry).await
                }

                async fn delete_entry(&self, user_id: &str, id: &str) -> StoreResult<Option<i64>> {
                    entries::delete(self.writer(), user_id, id).await
                }

                async fn entry(&self, user_id: &str, id: &str) -> StoreResult<Option<EntryRecord>> {
                    entries::get(self.pool(), user_id, id).await
                }

                async fn entries_by_ids(&self, user_id: &str, ids: &[String]) -> StoreResult<Vec<EntryRecord>> {
                    entries::by_ids(self.pool(), user_id, ids).await
                }

                async fn list_entries(&self, user_id: &str, query: &EntryQuery) -> StoreResult<Vec<EntryRecord>> {
                    entries::list(self.pool(), user_id, query).await
                }

                async fn all_entries(&self, user_id: &str) -> StoreResult<Vec<EntryRecord>> {
                    entries::all(self.pool(), user_id).await
                }

                async fn entry_days(&self, user_id: &str, from: &str, to: &str) -> StoreResult<Vec<(String, i64)>> {
                    entries::days(self.pool(), user_id, from, to).await
                }

                async fn entries_on_month_day(
                    &self,
                    user_id: &str,
                    month_day: &str,
                    day_of_month: &str,
                    before: &str,
                ) -> StoreResult<Vec<EntryRecord>> {
                    entries::on_month_day(self.pool(), user_id, month_day, day_of_month, before).await
                }

                async fn create_invite(&self, invite: &journal_core::bridge::InviteRecord) -> StoreResult<()> {
                    bridge::create_invite(self.writer(), invite).await
                }

                async fn invite(&self, code_hash: &[u8]) -> StoreResult<Option<journal_core::bridge::InviteRecord>> {
                    bridge::invite(self.pool(), code_hash).await
                }

                async fn redeem_invite(
                    &self,
                    code_hash: &[u8],
                    connection: &journal_core::bridge::ConnectionRecord,
                    now: Timestamp,
                ) -> StoreResult<bool> {
                    bridge::redeem_invite(self.writer(), code_hash, connection, now).await
                }

                async fn connections(&self, user_id: &str) -> StoreResult<Vec<journal_core::bridge::ConnectionRecord>> {
                    bridge::connections(self.pool(), user_id).await
                }

                async fn delete_connection(
                    &self,
                    user_id: &str,
                    id: &str,
                ) -> StoreResult<Option<journal_core::bridge::ConnectionRecord>> {
                    bridge::delete_connection(self.writer(), user_id, id).await
                }

                async fn set_metrics_sharing(
                    &self,
                    client_id: &str,
                    connection_id: &str,
                    sharing: journal_core::bridge::Sharing,
                    metrics_box: Option<&[u8]>,
                ) -> StoreResult<bool> {
                    bridge::set_metrics_sharing(self.writer(), client_id, connection_id, sharing, metrics_box).await
                }

                async fn put_share(
                    &self,
                    client_id: &str,
                    share: &journal_core::bridge::ShareRecord,
                ) -> StoreResult<bool> {
                    bridge::put_share(self.writer(), client_id, share).await
                }

                async fn delete_share(
                    &self,
                    client_id: &str,
                    entry_id: &str,
                    connection_id: &str,
                ) -> StoreResult<bool> {
                    bridge::delete_share(self.writer(), client_id, entry_id, connection_id).await
                }

                async fn shares_of_client(
                    &self,
                    client_id: &str,
                ) -> StoreResult<Vec<journal_core::bridge::ShareRecord>> {
                    bridge::shares_of_client(self.pool(), client_id).await
                }

                async fn shared_entries(
                    &self,
                    therapist_id: &str,
                    client_id: &str,
                ) -> StoreResult<Vec<(EntryRecord, journal_core::bridge::ShareRecord)>> {
                    bridge::shared_entries(self.pool(), therapist_id, client_id).await
                }

                async fn insert_comment(&self, comment: &journal_core::bridge::CommentRecord) -> StoreResult<()> {
                    bridge::insert_comment(self.writer(), comment).await
                }

                async fn comments(&self, entry_id: &str) -> StoreResult<Vec<journal_core::bridge::CommentRecord>> {
                    bridge::comments(self.pool(), entry_id).await
                }

                async fn insert_assignment(&self, a: &journal_core::bridge::AssignmentRecord) -> StoreResult<()> {
                    bridge::insert_assignment(self.writer(), a).await
                }

                async fn assignments(
                    &self,
                    connection_ids: &[String],
                ) -> StoreResult<Vec<journal_core::bridge::AssignmentRecord>> {
                    bridge::assignments(self.pool(), connection_ids).await
                }

                async fn answer_assignment(
                    &self,
                    client_id: &str,
                    id: &str,
                    entry_id: &str,
                    at: Timestamp,
                ) -> StoreResult<bool> {
                    bridge::answer_assignment(self.writer(), client_id, id, entry_id, at).await
                }

                async fn append_access(
                    &self,
                    key: &journal_crypto::SymmetricKey,
                    row: &journal_core::bridge::NewAccess,
                ) -> StoreResult<()> {
                    bridge::append_access(self.writer(), key, row).await
                }

                async fn access_log_head(&self, user_id: &str) -> StoreResult<Option<journal_core::bridge::Head>> {
                    bridge::access_log_head(self.pool(), user_id).await
                }

                async fn set_access_log_head_mac(&self, user_id: &str, head: &[u8], mac: &[u8]) -> StoreResult<bool> {
                    bridge::set_access_log_head_mac(self.writer(), user_id, head, mac).await
                }

                async fn access_log(&self, client_id: &str) -> StoreResult<Vec<journal_core::bridge::AccessRow>> {
                    bridge::access_log(self.pool(), client_id).await
                }

                async fn access_log_all(
                    &self,
                ) -> StoreResult<(Vec<journal_core::bridge::AccessRow>, journal_core::bridge::Heads)> {
                    bridge::access_log_all(self.pool()).await
                }

                async fn metrics_rotation_pending(&self, user_id: &str) -> StoreResult<bool> {
                    bridge::metrics_rotation_pending(self.pool(), user_id).await
                }

                async fn rotate_metrics(
                    &self,
                    user_id: &str,
                    wrapped: &[u8],
                    moods: &[MoodRecord],
                    assessments: &[AssessmentRecord],
                    boxes: &[(String, Vec<u8>)],
                ) -> StoreResult<()> {
                    bridge::rotate_metrics(self.writer(), user_id, wrapped, moods, assessments, boxes).await
                }

                async fn insert_goal(&self, goal: &journal_core::goals::GoalRecord) -> StoreResult<()> {
                    goals::insert_goal(self.writer(), goal).await
                }

                async fn update_goal(&self, goal: &journal_core::goals::GoalRecord) -> StoreResult<bool> {
                    goals::update_goal(self.writer(), goal).await
                }

                async fn delete_goal(&self, user_id: &str, id: &str) -> StoreResult<bool> {
                    goals::delete_goal(self.writer(), user_id, id).await
                }

                async fn goals(&self, user_id: &str) -> StoreResult<Vec<journal_core::goals::GoalRecord>> {
                    goals::goals(self.pool(), user_id).await
                }

                async fn insert_checkin(&self, checkin: &journal_core::goals::CheckinRecord) -> StoreResult<bool> {
                    goals::insert_checkin(self.writer(), checkin).await
                }

                async fn delete_checkin(&self, user_id: &str, goal_id: &str, id: &str) -> StoreResult<bool> {
                    goals::delete_checkin(self.writer(), user_id, goal_id, id).await
                }

                async fn checkins(&self, user_id: &str) -> StoreResult<Vec<journal_core::goals::CheckinRecord>> {
                    goals::checkins(self.pool(), user_id).await
                }

                async fn reminders(&self, user_id: &str) -> StoreResult<Option<journal_core::goals::ReminderRecord>> {
                    goals::reminders(self.pool(), user_id).await
                }

                async fn reminders_by_feed(
                    &self,
                    token_hash: &[u8],
                ) -> StoreResult<Option<journal_core::goals::ReminderRecord>> {
                    goals::reminders_by_feed(self.pool(), token_hash).await
                }

                async fn put_reminders(&self, r: &journal_core::goals::ReminderRecord) -> StoreResult<()> {
                    goals::put_reminders(self.writer(), r).await
                }

                async fn insert_reminder_channel(
                    &self,
                    channel: &journal_core::reminder_delivery::ChannelRecord,
                ) -> StoreResult<()> {
                    reminder_delivery::insert_channel(self.writer(), channel).await
                }

                async fn reminder_channels(
                    &self,
                    user_id: &str,
                ) -> StoreResult<Vec<journal_core::reminder_delivery::ChannelRecord>> {
                    reminder_delivery::channels(self.pool(), user_id).await
                }

                async fn delete_reminder_channel(&self, user_id: &str, id: &str) -> StoreResult<bool> {
                    reminder_delivery::delete_channel(self.writer(), user_id, id).await
                }

                async fn verify_reminder_channel(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Option<String>> {
                    reminder_delivery::verify_channel(self.writer(), token_hash, now).await
                }

                async fn insert_reminder_job(&self, job: &journal_core::reminder_delivery::JobRecord) -> StoreResult<()> {
                    reminder_delivery::insert_job(self.writer(), job).await
                }

                async fn reminder_jobs(&self, user_id: &str) -> StoreResult<Vec<journal_core::reminder_delivery::JobRecord>> {
                    reminder_delivery::jobs(self.pool(), user_id).await
                }

                async fn delete_reminder_job(&self, user_id: &str, id: &str) -> StoreResult<bool> {
                    reminder_delivery::delete_job(self.writer(), user_id, id).await
                }

                async fn reminder_job(&self, id: &str) -> StoreResult<Option<journal_core::reminder_delivery::JobRecord>> {
                    reminder_delivery::job(self.pool(), id).await
                }

                async fn set_reminder_due(&self, id: &str, due_at: Option<Timestamp>) -> StoreResult<bool> {
                    reminder_delivery::set_due(self.writer(), id, due_at).await
                }

                async fn claim_reminder_jobs(
                    &self,
                    worker: &str,
                    now: Timestamp,
                    lease: i64,
                    limit: i64,
                ) -> StoreResult<Vec<journal_core::reminder_delivery::ClaimedJob>> {
                    reminder_delivery::claim(self.writer(), worker, now, lease, limit).await
                }

                async fn finish_reminder_job(
                    &self,
                    id: &str,
                    worker: &str,
                    next_due: Option<Timestamp>,
                    delivered: bool,
                ) -> StoreResult<bool> {
                    reminder_delivery::finish(self.writer(), id, worker, next_due, delivered).await
                }

                async fn fail_reminder_job(
                    &self,
                    id: &str,
                    worker: &str,
                    retry_at: Option<Timestamp>,
                    attempts: i64,
                    error: &str,
                    now: Timestamp,
                ) -> StoreResult<bool> {
                    reminder_delivery::fail(self.writer(), id, worker, retry_at, attempts, error, now).await
                }

                async fn put_document(
                    &self,
                    user_id: &str,
                    kind: &str,
                    content: &[u8],
                    at: Timestamp,
                ) -> StoreResult<()> {
                    documents::put_document(self.writer(), user_id, kind, content, at).await
                }

                async fn document(&self, user_id: &str, kind: &str) -> StoreResult<Option<(Vec<u8>, Timestamp)>> {
                    documents::document(self.pool(), user_id, kind).await
                }

                async fn put_draft(&self, user_id: &str, key: &str, content: &[u8], at: Timestamp) -> StoreResult<()> {
                    entries::put_draft(self.writer(), user_id, key, content, at).await
                }

                async fn draft(&self, user_id: &str, key: &str) -> StoreResult<Option<(Vec<u8>, Timestamp)>> {
                    entries::draft(self.pool(), user_id, key).await
                }

                async fn delete_draft(&self, user_id: &str, key: &str) -> StoreResult<()> {
                    entries::delete_draft(self.writer(), user_id, key).await
                }

                async fn metrics_key(&self, user_id: &str) -> StoreResult<Option<Vec<u8>>> {
                    health::key(self.pool(), user_id).await
                }

                async fn create_metrics_key(
                    &self,
                    user_id: &str,
                    wrapped: &[u8],
                    at: Timestamp,
                ) -> StoreResult<Vec<u8>> {
                    health::create_key(self.writer(), user_id, wrapped, at).await
                }

                async fn insert_assessment(&self, record: &AssessmentRecord) -> StoreResult<()> {
                    health::insert(self.writer(), record).await
                }

                async fn insert_assessment_once(
                    &self,
                    record: &AssessmentRecord,
                    token_hash: &[u8],
                    forget_before: Timestamp,
                ) -> StoreResult<String> {
                    health::insert_once(self.writer(), record, token_hash, forget_before).await
                }

                async fn list_assessments(
                    &self,
                    user_id: &str,
                    instrument: Option<&str>,
                ) -> StoreResult<Vec<AssessmentRecord>> {
                    health::list(self.pool(), user_id, instrument).await
                }

                async fn insert_mood(&self, record: &MoodRecord) -> StoreResult<()> {
                    health::insert_mood(self.writer(), record).await
                }

                async fn mood(&self, user_id: &str, id: &str) -> StoreResult<Option<MoodRecord>> {
                    health::mood(self.pool(), user_id, id).await
                }

                async fn update_mood(&self, record: &MoodRecord) -> StoreResult<bool> {
                    health::update_mood(self.writer(), record).await
                }

                async fn delete_mood(&self, user_id: &str, id: &str) -> StoreResult<bool> {
                    health::delete_mood(self.writer(), user_id, id).await
                }

                async fn list_moods(
                    &self,
                    user_id: &str,
                    from: Timestamp,
                    to: Timestamp,
                ) -> StoreResult<Vec<MoodRecord>> {
                    health::list_moods(self.pool(), user_id, from, to).await
                }
            }
        }
    };
}
