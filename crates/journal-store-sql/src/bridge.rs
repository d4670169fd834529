//! Expanded once per backend by [`crate::sql_store`]: see there for what it may use.

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_bridge {
    () => {
        pub(crate) mod bridge {
            //! The therapist bridge: invites, links, shares, comments, homework, the access log, and the
            //! metrics-key rotation that follows an ended link.

            use journal_core::bridge::{
                AccessRow, AssignmentRecord, CommentRecord, ConnectionRecord, GENESIS, Head, InviteRecord, NewAccess,
                ShareRecord, head_mac, row_mac,
            };
            use journal_core::entries::EntryRecord;
            use journal_core::metrics::{AssessmentRecord, MoodRecord};
            use journal_core::store::StoreResult;
            use journal_core::time_util::Timestamp;
            use journal_crypto::SymmetricKey;
            use sqlx::Row;

            use super::{Db, DbPool, DbRow, backend_error};

            fn invite_from_row(row: &DbRow) -> Result<InviteRecord, sqlx::Error> {
                Ok(InviteRecord {
                    code_hash: row.try_get("code_hash")?,
                    therapist_id: row.try_get("therapist_id")?,
                    created_at: row.try_get("created_at")?,
                    expires_at: row.try_get("expires_at")?,
                    used_at: row.try_get("used_at")?,
                })
            }

            fn connection_from_row(row: &DbRow) -> Result<ConnectionRecord, sqlx::Error> {
                Ok(ConnectionRecord {
                    id: row.try_get("id")?,
                    therapist_id: row.try_get("therapist_id")?,
                    client_id: row.try_get("client_id")?,
                    created_at: row.try_get("created_at")?,
                    share_mood: row.try_get("share_mood")?,
                    share_assessments: row.try_get("share_assessments")?,
                    share_goals: row.try_get("share_goals")?,
                    metrics_box: row.try_get("metrics_box")?,
                })
            }

            fn share_from_row(row: &DbRow) -> Result<ShareRecord, sqlx::Error> {
                Ok(ShareRecord {
                    entry_id: row.try_get("s_entry_id")?,
                    connection_id: row.try_get("s_connection_id")?,
                    key_box: row.try_get("s_key_box")?,
                    created_at: row.try_get("s_created_at")?,
                })
            }

            fn assignment_from_row(row: &DbRow) -> Result<AssignmentRecord, sqlx::Error> {
                Ok(AssignmentRecord {
                    id: row.try_get("id")?,
                    connection_id: row.try_get("connection_id")?,
                    created_at: row.try_get("created_at")?,
                    due_date: row.try_get("due_date")?,
                    content: row.try_get("content")?,
                    key_box: row.try_get("key_box")?,
                    answered_at: row.try_get("answered_at")?,
                    answer_entry_id: row.try_get("answer_entry_id")?,
                })
            }

            fn access_from_row(row: &DbRow) -> Result<AccessRow, sqlx::Error> {
                Ok(AccessRow {
                    seq: row.try_get("seq")?,
                    client_id: row.try_get("client_id")?,
                    therapist_id: row.try_get("therapist_id")?,
                    therapist_name: row.try_get("therapist_name")?,
                    item_kind: row.try_get("item_kind")?,
                    item_id: row.try_get("item_id")?,
                    at: row.try_get("at")?,
                    prev_hash: row.try_get("prev_hash")?,
                    hash: row.try_get("hash")?,
                    version: row.try_get("version")?,
                    event: row.try_get("event")?,
                    actor: row.try_get("actor")?,
                    detail: row.try_get("detail")?,
                })
            }

            const SHARE_COLUMNS: &str = "s.entry_id AS s_entry_id, s.connection_id AS s_connection_id, s.key_box AS \
                                         s_key_box, s.created_at AS s_created_at";
            const CONNECTION_COLUMNS: &str =
                "id, therapist_id, client_id, created_at, share_mood, share_assessments, share_goals, metrics_box";

            pub async fn create_invite(pool: &DbPool, i: &InviteRecord) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO invites (code_hash, therapist_id, created_at, expires_at, used_at) VALUES ($1, $2, \
                     $3, $4, NULL)",
                )
                .bind(&i.code_hash)
                .bind(&i.therapist_id)
                .bind(i.created_at)
                .bind(i.expires_at)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn invite(pool: &DbPool, hash: &[u8]) -> StoreResult<Option<InviteRecord>> {
                let row = sqlx::query(
                    "SELECT code_hash, therapist_id, created_at, expires_at, used_at FROM invites WHERE code_hash = $1",
                )
                .bind(hash)
                .fetch_optional(pool)
                .await
                .map_err(backend_error)?;
                row.as_ref().map(invite_from_row).transpose().map_err(backend_error)
            }

            pub async fn redeem_invite(
                pool: &DbPool,
                hash: &[u8],
                c: &ConnectionRecord,
                now: Timestamp,
            ) -> StoreResult<bool> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                let used = sqlx::query(
                    "UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND therapist_id = $3 AND used_at IS NULL \
                     AND expires_at > $1",
                )
                .bind(now)
                .bind(hash)
                .bind(&c.therapist_id)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                if used.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO connections (id, therapist_id, client_id, created_at, share_mood, share_assessments, \
                     share_goals, metrics_box) VALUES ($1, $2, $3, $4, $5, $5, $5, NULL)",
                )
                .bind(&c.id)
                .bind(&c.therapist_id)
                .bind(&c.client_id)
                .bind(c.created_at)
                .bind(false)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)?;
                Ok(true)
            }

            pub async fn connections(pool: &DbPool, user_id: &str) -> StoreResult<Vec<ConnectionRecord>> {
                let sql = format!(
                    "SELECT {CONNECTION_COLUMNS} FROM connections WHERE therapist_id = $1 OR client_id = $1 ORDER BY \
                     created_at, id"
                );
                let rows =
                    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await.map_err(backend_error)?;
                rows.iter().map(connection_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn delete_connection(
                pool: &DbPool,
                user_id: &str,
                id: &str,
            ) -> StoreResult<Option<ConnectionRecord>> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                let sql = format!(
                    "SELECT {CONNECTION_COLUMNS} FROM connections WHERE id = $1 AND (therapist_id = $2 OR client_id = \
                     $2)"
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(id)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                let Some(c) = row.as_ref().map(connection_from_row).transpose().map_err(backend_error)? else {
                    return Ok(None);
                };
                sqlx::query("DELETE FROM connections WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                sqlx::query("UPDATE metrics_keys SET rotate_pending = $1 WHERE user_id = $2")
                    .bind(true)
                    .bind(&c.client_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)?;
                Ok(Some(c))
            }

            pub async fn set_metrics_sharing(
                pool: &DbPool,
                client_id: &str,
                id: &str,
                sharing: journal_core::bridge::Sharing,
                metrics_box: Option<&[u8]>,
            ) -> StoreResult<bool> {
                sqlx::query(
                    "UPDATE connections SET share_mood = $1, share_assessments = $2, share_goals = $6, metrics_box = \
                     $3 WHERE id = $4 AND client_id = $5",
                )
                .bind(sharing.mood)
                .bind(sharing.assessments)
                .bind(metrics_box)
                .bind(id)
                .bind(client_id)
                .bind(sharing.goals)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() > 0)
                .map_err(backend_error)
            }

            pub async fn put_share(pool: &DbPool, client_id: &str, s: &ShareRecord) -> StoreResult<bool> {
                sqlx::query(
                    "INSERT INTO entry_shares (entry_id, connection_id, key_box, created_at) SELECT $1, $2, $3, $4 \
                     WHERE EXISTS (SELECT 1 FROM entries WHERE id = $1 AND user_id = $5) AND EXISTS (SELECT 1 FROM \
                     connections WHERE id = $2 AND client_id = $5) ON CONFLICT (entry_id, connection_id) DO UPDATE SET \
                     key_box = excluded.key_box",
                )
                .bind(&s.entry_id)
                .bind(&s.connection_id)
                .bind(&s.key_box)
                .bind(s.created_at)
                .bind(client_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() > 0)
                .map_err(backend_error)
            }

            pub async fn delete_share(
                pool: &DbPool,
                client_id: &str,
                entry_id: &str,
                connection_id: &str,
            ) -> StoreResult<bool> {
                sqlx::query(
                    "DELETE FROM entry_shares WHERE entry_id = $1 AND connection_id = $2 AND connection_id IN (SELECT \
                     id FROM connections WHERE client_id = $3)",
                )
                .bind(entry_id)
                .bind(connection_id)
                .bind(client_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() > 0)
                .map_err(backend_error)
            }

            pub async fn shares_of_client(pool: &DbPool, client_id: &str) -> StoreResult<Vec<ShareRecord>> {
                let sql = format!(
                    "SELECT {SHARE_COLUMNS} FROM entry_shares s JOIN connections c ON c.id = s.connection_id WHERE \
                     c.client_id = $1"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(client_id)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                rows.iter().map(share_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn shared_entries(
                pool: &DbPool,
                therapist_id: &str,
                client_id: &str,
            ) -> StoreResult<Vec<(EntryRecord, ShareRecord)>> {
                let sql = format!(
                    "SELECT e.id, e.user_id, e.entry_date, e.key_wrapped, e.content, e.created_at, e.updated_at, \
                     {SHARE_COLUMNS} FROM entry_shares s JOIN connections c ON c.id = s.connection_id JOIN entries e \
                     ON e.id = s.entry_id WHERE c.therapist_id = $1 AND c.client_id = $2 AND e.user_id = $2 ORDER BY \
                     e.entry_date DESC, e.created_at DESC, e.id DESC"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(therapist_id)
                    .bind(client_id)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                rows.iter()
                    .map(|r| Ok((super::entries::entry_from_row(r)?, share_from_row(r)?)))
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(backend_error)
            }

            pub async fn insert_comment(pool: &DbPool, c: &CommentRecord) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO comments (id, entry_id, author_id, created_at, body) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&c.id)
                .bind(&c.entry_id)
                .bind(&c.author_id)
                .bind(c.created_at)
                .bind(&c.body)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn comments(pool: &DbPool, entry_id: &str) -> StoreResult<Vec<CommentRecord>> {
                let sql = format!(
                    "SELECT id, entry_id, author_id, created_at, body FROM comments WHERE entry_id = $1 ORDER BY \
                     created_at, {}",
                    super::dialect::INSERTION_ORDER
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(entry_id)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                rows.iter()
                    .map(|r| {
                        Ok(CommentRecord {
                            id: r.try_get("id")?,
                            entry_id: r.try_get("entry_id")?,
                            author_id: r.try_get("author_id")?,
                            created_at: r.try_get("created_at")?,
                            body: r.try_get("body")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(backend_error)
            }

            pub async fn insert_assignment(pool: &DbPool, a: &AssignmentRecord) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO assignments (id, connection_id, created_at, due_date, content, key_box, answered_at, \
                     answer_entry_id) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)",
                )
                .bind(&a.id)
                .bind(&a.connection_id)
                .bind(a.created_at)
                .bind(&a.due_date)
                .bind(&a.content)
                .bind(&a.key_box)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(backend_error)
            }

            pub async fn assignments(pool: &DbPool, connection_ids: &[String]) -> StoreResult<Vec<AssignmentRecord>> {
                if connection_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let marks: Vec<String> = (1..=connection_ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT id, connection_id, created_at, due_date, content, key_box, answered_at, answer_entry_id \
                     FROM assignments WHERE connection_id IN ({}) ORDER BY created_at DESC, id DESC",
                    marks.join(", ")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in connection_ids {
                    q = q.bind(id);
                }
                let rows = q.fetch_all(pool).await.map_err(backend_error)?;
                rows.iter().map(assignment_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            pub async fn answer_assignment(
                pool: &DbPool,
                client_id: &str,
                id: &str,
                entry_id: &str,
                at: Timestamp,
            ) -> StoreResult<bool> {
                sqlx::query(
                    "UPDATE assignments SET answered_at = $1, answer_entry_id = $2 WHERE id = $3 AND connection_id IN \
                     (SELECT id FROM connections WHERE client_id = $4) AND EXISTS (SELECT 1 FROM entries WHERE id = $2 \
                     AND user_id = $4)",
                )
                .bind(at)
                .bind(entry_id)
                .bind(id)
                .bind(client_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() > 0)
                .map_err(backend_error)
            }

            pub async fn append_access(pool: &DbPool, key: &SymmetricKey, a: &NewAccess) -> StoreResult<()> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                // The head is read and moved inside one transaction that holds the user row (SQLite: the
                // write lock of `BEGIN IMMEDIATE`; PostgreSQL: `FOR UPDATE`), so two events at once cannot
                // fork the chain.
                let sql = format!("SELECT access_log_head FROM users WHERE id = $1{}", super::dialect::LOCK_ROW);
                let head: Option<Option<Vec<u8>>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(&a.client_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                let Some(head) = head else { return Ok(()) };
                let prev = head.unwrap_or_else(|| GENESIS.to_vec());
                let hash = row_mac(key, &prev, a);
                sqlx::query(
                    "INSERT INTO access_log (client_id, therapist_id, therapist_name, item_kind, item_id, at, \
                     prev_hash, hash, version, event, actor, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12)",
                )
                .bind(&a.client_id)
                .bind(&a.therapist_id)
                .bind(&a.therapist_name)
                .bind(&a.item_kind)
                .bind(&a.item_id)
                .bind(a.at)
                .bind(&prev)
                .bind(&hash)
                .bind(2_i64)
                .bind(&a.event)
                .bind(&a.actor)
                .bind(&a.detail)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
                sqlx::query("UPDATE users SET access_log_head = $1, access_log_head_mac = $2 WHERE id = $3")
                    .bind(&hash)
                    .bind(head_mac(key, &a.client_id, &hash))
                    .bind(&a.client_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                tx.commit().await.map_err(backend_error)
            }

            pub const ACCESS_COLUMNS: &str = "seq, client_id, therapist_id, therapist_name, item_kind, item_id, at, \
                                              prev_hash, hash, version, event, actor, detail";

            pub async fn access_log(pool: &DbPool, client_id: &str) -> StoreResult<Vec<AccessRow>> {
                let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_log WHERE client_id = $1 ORDER BY seq");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(client_id)
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                rows.iter().map(access_from_row).collect::<Result<_, _>>().map_err(backend_error)
            }

            fn head_from_row(r: &DbRow) -> Result<Head, sqlx::Error> {
                Ok(Head {
                    user_id: r.try_get("id")?,
                    head: r.try_get("access_log_head")?,
                    mac: r.try_get("access_log_head_mac")?,
                })
            }

            pub async fn access_log_head(pool: &DbPool, user_id: &str) -> StoreResult<Option<Head>> {
                sqlx::query("SELECT id, access_log_head, access_log_head_mac FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await
                    .and_then(|r| r.as_ref().map(head_from_row).transpose())
                    .map_err(backend_error)
            }

            /// Only while the head is still `head`, so a row appended meanwhile is never sealed over.
            pub async fn set_access_log_head_mac(
                pool: &DbPool,
                user_id: &str,
                head: &[u8],
                mac: &[u8],
            ) -> StoreResult<bool> {
                sqlx::query("UPDATE users SET access_log_head_mac = $1 WHERE id = $2 AND access_log_head = $3")
                    .bind(mac)
                    .bind(user_id)
                    .bind(head)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() > 0)
                    .map_err(backend_error)
            }

            pub async fn access_log_all(pool: &DbPool) -> StoreResult<(Vec<AccessRow>, journal_core::bridge::Heads)> {
                let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_log ORDER BY client_id, seq");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.map_err(backend_error)?;
                let rows = rows.iter().map(access_from_row).collect::<Result<_, _>>().map_err(backend_error)?;
                let heads = sqlx::query("SELECT id, access_log_head, access_log_head_mac FROM users ORDER BY id")
                    .fetch_all(pool)
                    .await
                    .map_err(backend_error)?;
                let heads =
                    heads.iter().map(head_from_row).collect::<Result<_, sqlx::Error>>().map_err(backend_error)?;
                Ok((rows, heads))
            }

            /// A user's access log and head, read inside a reset before the user's rows go.
            pub struct KeptLog {
                rows: Vec<AccessRow>,
                head: Option<Head>,
            }

            pub async fn take_access_log(tx: &mut sqlx::Transaction<'_, Db>, user_id: &str) -> StoreResult<KeptLog> {
                let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_log WHERE client_id = $1 ORDER BY seq");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user_id)
                    .fetch_all(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                let rows = rows.iter().map(access_from_row).collect::<Result<_, _>>().map_err(backend_error)?;
                let head = sqlx::query("SELECT id, access_log_head, access_log_head_mac FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut **tx)
                    .await
                    .and_then(|r| r.as_ref().map(head_from_row).transpose())
                    .map_err(backend_error)?;
                Ok(KeptLog { rows, head })
            }

            /// Puts the rows back with their own sequence numbers and hashes, so the chain still verifies.
            pub async fn restore_access_log(tx: &mut sqlx::Transaction<'_, Db>, kept: &KeptLog) -> StoreResult<()> {
                for r in &kept.rows {
                    sqlx::query(
                        "INSERT INTO access_log (seq, client_id, therapist_id, therapist_name, item_kind, item_id, at, \
                         prev_hash, hash, version, event, actor, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                         $10, $11, $12, $13)",
                    )
                    .bind(r.seq)
                    .bind(&r.client_id)
                    .bind(&r.therapist_id)
                    .bind(&r.therapist_name)
                    .bind(&r.item_kind)
                    .bind(&r.item_id)
                    .bind(r.at)
                    .bind(&r.prev_hash)
                    .bind(&r.hash)
                    .bind(r.version)
                    .bind(&r.event)
                    .bind(&r.actor)
                    .bind(&r.detail)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                }
                if let Some(h) = &kept.head {
                    sqlx::query("UPDATE users SET access_log_head = $1, access_log_head_mac = $2 WHERE id = $3")
                        .bind(&h.head)
                        .bind(&h.mac)
                        .bind(&h.user_id)
                        .execute(&mut **tx)
                        .await
                        .map_err(backend_error)?;
                }
                Ok(())
            }

            pub async fn metrics_rotation_pending(pool: &DbPool, user_id: &str) -> StoreResult<bool> {
                let v: Option<bool> = sqlx::query_scalar("SELECT rotate_pending FROM metrics_keys WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_optional(pool)
                    .await
                    .map_err(backend_error)?;
                Ok(v.unwrap_or(false))
            }

            pub async fn rotate_metrics(
                pool: &DbPool,
                user_id: &str,
                wrapped: &[u8],
                moods: &[MoodRecord],
                assessments: &[AssessmentRecord],
                boxes: &[(String, Vec<u8>)],
            ) -> StoreResult<()> {
                let mut tx = super::begin(pool).await.map_err(backend_error)?;
                sqlx::query("UPDATE metrics_keys SET key_wrapped = $1, rotate_pending = $2 WHERE user_id = $3")
                    .bind(wrapped)
                    .bind(false)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                for m in moods {
                    sqlx::query("UPDATE moods SET content = $1 WHERE id = $2 AND user_id = $3")
                        .bind(&m.content)
                        .bind(&m.id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                }
                for a in assessments {
                    sqlx::query("UPDATE assessments SET content = $1 WHERE id = $2 AND user_id = $3")
                        .bind(&a.content)
                        .bind(&a.id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                }
                for (connection, b) in boxes {
                    sqlx::query("UPDATE connections SET metrics_box = $1 WHERE id = $2 AND client_id = $3")
                        .bind(b)
                        .bind(connection)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend_error)?;
                }
                tx.commit().await.map_err(backend_error)
            }
        }
    };
}
