//! `GET /healthz`: whether this server and its database answer, for load balancers and monitors.
//! (Not to be confused with health data, the mood check-ins and questionnaires.)

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// How long the health check waits for the database. Load balancers usually give a check a few
/// seconds; answering well within that takes a server out of rotation on the first failed check
/// instead of after its timeouts pile up.
const DATABASE_CHECK_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
    /// `ok`: the database answered within a second.
    pub database: &'static str,
}

/// Answers 200 when the database answers within a second, 503 (`database_unavailable`) if not.
#[utoipa::path(get, path = "/healthz", operation_id = "checkHealth", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let unavailable = || {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "The journal can't reach its database right now.",
        )
    };
    match tokio::time::timeout(DATABASE_CHECK_TIMEOUT, state.ping()).await {
        Ok(Ok(())) => Ok(Json(Health { status: "ok", database: "ok" })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: the database failed");
            Err(unavailable())
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer in time");
            Err(unavailable())
        }
    }
}
