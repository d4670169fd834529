//! Every `Store` implementation passes the same suite, each case on a fresh database.

use journal_testkit::conformance;
use journal_testkit::{Backend, fresh_store};

macro_rules! conformance_cases {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    let (store, _fixture) = fresh_store(Backend::Sqlite).await.unwrap();
                    conformance::$case(store.as_ref()).await;
                    store.close().await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some((store, _fixture)) = fresh_store(Backend::Postgres).await {
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
);
