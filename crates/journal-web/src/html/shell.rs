//! What every page's layout needs (title, who is signed in, the CSRF token for forms, the theme,
//! where in the app the page is, the app's name), and `PageUser`, the signed-in person a page is
//! for (its extractor, which sends anonymous visitors to the sign-in page, is in `page.rs`).

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use journal_core::Role;

use crate::auth::{CurrentUser, cookie};
use crate::state::AppState;

/// The person's choice, on this device, of the plain name and icon ("Journal"), for a phone
/// that someone else may look at. Readable without a session, like the theme.
pub const APP_NAME_COOKIE: &str = "tj_app";

pub fn neutral_cookie(headers: &HeaderMap) -> bool {
    cookie::find(headers, APP_NAME_COOKIE) == Some("neutral")
}

/// What the layout knows about the request itself. Set once per request by [`presentation`], so
/// that each of the many page handlers need not pass it along to its `Shell`.
#[derive(Clone, Default)]
struct Presentation {
    path: String,
    neutral: bool,
}

tokio::task_local! {
    static PRESENTATION: Presentation;
}

pub async fn presentation(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let p = Presentation {
        path: req.uri().path().to_owned(),
        neutral: state.config.neutral_app_name || neutral_cookie(req.headers()),
    };
    PRESENTATION.scope(p, next.run(req)).await
}

fn current_presentation() -> Presentation {
    PRESENTATION.try_with(Presentation::clone).unwrap_or_default()
}

pub struct Shell {
    pub title: String,
    pub user_name: Option<String>,
    pub is_therapist: bool,
    pub csrf: String,
    pub theme: &'static str,
    /// The request's path, for marking the current place in the navigation.
    pub path: String,
    /// The plain name and icon.
    pub neutral: bool,
}

impl Shell {
    pub fn anonymous(title: &str, theme: &'static str) -> Self {
        let p = current_presentation();
        Self {
            title: title.to_owned(),
            user_name: None,
            is_therapist: false,
            csrf: String::new(),
            theme,
            path: p.path,
            neutral: p.neutral,
        }
    }

    pub fn for_user(title: &str, user: &PageUser) -> Self {
        let p = current_presentation();
        Self {
            title: title.to_owned(),
            user_name: Some(user.current.unlocked.user().display_name.clone()),
            is_therapist: user.current.unlocked.user().role == Role::Therapist,
            csrf: user.current.csrf_token(),
            theme: user.theme,
            path: p.path,
            neutral: p.neutral,
        }
    }

    pub fn app_name(&self) -> &'static str {
        if self.neutral { "Journal" } else { "Therapy Journal" }
    }

    pub fn asset(&self, name: &str) -> &'static str {
        super::assets::url(name)
    }

    pub fn icon(&self) -> &'static str {
        super::assets::url(if self.neutral { "icon-neutral.svg" } else { "icon.svg" })
    }

    pub fn apple_icon(&self) -> &'static str {
        super::assets::url(if self.neutral { "neutral-apple-touch-icon.png" } else { "apple-touch-icon.png" })
    }

    pub fn manifest(&self) -> &'static str {
        if self.neutral { "/manifest.webmanifest?app=neutral" } else { "/manifest.webmanifest" }
    }

    /// Which of the five tabs this page belongs to.
    pub fn tab(&self) -> &'static str {
        let p = self.path.as_str();
        let under = |prefix: &str| p == prefix || p.starts_with(&format!("{prefix}/"));
        if p == "/" {
            "home"
        } else if p == "/journal/new" {
            "write"
        } else if under("/journal") || under("/search") {
            "journal"
        } else if under("/mood") && !self.is_therapist {
            "checkin"
        } else if self.is_therapist && (under("/therapist") || under("/connections")) {
            "clients"
        } else if p == "/crisis" {
            ""
        } else {
            "more"
        }
    }
}

pub struct PageUser {
    pub current: CurrentUser,
    pub theme: &'static str,
}

/// Where to send someone after they sign in: only paths on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
