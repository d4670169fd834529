//! Every `Store` implementation passes the same suite, each case on a fresh database.

use journal_testkit::conformance;
use journal_testkit::{Backend, fresh_store};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

macro_rules! conformance_cases {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    let (store, _fixture) = fresh_store(Backend::Sqlite).await.unwrap();
                    assert_eq!(store.backend(), "sqlite");
                    conformance::$case(store.as_ref()).await;
                    store.close().await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some((store, _fixture)) = fresh_store(Backend::Postgres).await {
                        assert_eq!(store.backend(), "postgres");
                        conformance::$case(store.as_ref()).await;
                        store.close().await;
                    }
                }
            }
        )*
    };
}

conformance_cases!(
    ping_answers,
    users_round_trip,
    duplicate_email_is_a_conflict,
    sessions_are_scoped_to_their_owner,
    replacing_credentials_ends_other_sessions,
    disabling_ends_sessions,
    reset_replaces_keys_and_erases_sessions,
    deleting_a_user_removes_every_row,
    expired_sessions_are_swept,
    attempt_counters_count_in_windows,
    attempts_at_once_are_each_counted,
    the_server_secret_is_created_once,
    entries_are_scoped_and_versioned,
    entry_pages_never_repeat_or_skip,
    on_this_day_finds_earlier_years_and_months,
    drafts_are_kept_per_user_and_key,
    documents_are_replaced_whole_and_leave_with_their_owner,
    goals_and_check_ins_stay_with_their_owner,
    health_data_is_scoped_and_ordered,
    check_ins_are_corrected_and_deleted_only_by_their_owner,
    a_submission_token_stores_one_result,
    an_invite_links_two_people_once,
    shares_are_the_clients_and_end_with_the_link,
    comments_and_homework_stay_on_their_link,
    the_access_log_is_one_chain_that_outlives_a_reset,
    a_session_is_found_with_its_user,
    an_import_is_written_whole_or_not_at_all,
    reminder_jobs_are_claimed_once,
);

/// VACUUM is per table, so a list written by hand falls behind the migrations; every table of the
/// schema must be vacuumed, including any a later migration adds.
#[tokio::test]
async fn postgres_purge_vacuums_every_table() {
    let Some((store, fixture)) = fresh_store(Backend::Postgres).await else { return };
    let journal_testkit::Fixture::Postgres(db) = &fixture else { panic!("a PostgreSQL fixture") };
    store.purge_freed_space().await.unwrap();
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(tables.len() >= 17, "every migration's tables: {tables:?}");
    let missed: Vec<String> = sqlx::query_scalar(
        "SELECT t.tablename::text FROM pg_tables t LEFT JOIN pg_stat_user_tables s \
         ON s.schemaname = t.schemaname AND s.relname = t.tablename \
         WHERE t.schemaname = current_schema() AND s.last_vacuum IS NULL ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(missed.is_empty(), "not vacuumed: {missed:?}");
    conn.close().await.unwrap();
    store.close().await;
}
