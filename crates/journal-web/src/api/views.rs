//! Shapes the API shows, shared by several handlers.

use journal_core::UserRecord;
use journal_core::time_util::rfc3339;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// `client` or `therapist`
    pub role: String,
    /// RFC 3339 UTC
    pub created_at: String,
}

impl From<&UserRecord> for UserView {
    fn from(u: &UserRecord) -> Self {
        Self {
            id: u.id.clone(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str().to_owned(),
            created_at: rfc3339(u.created_at),
        }
    }
}
