//! Static files, embedded in the binary so one file is the whole app. Each is served under a
//! name that carries a hash of its bytes (`/assets/app.3f2a9c1b5d7e8f01.css`), so browsers may
//! keep it for a year: a new release has new names. Also the web app manifest (per person: the
//! neutral name and icon) and the service worker, which must live at `/` to control every page.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::state::AppState;

struct File {
    /// The name templates ask for; the served name puts the hash before the extension.
    name: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
}

const FILES: &[File] = &[
    File { name: "app.css", bytes: include_bytes!("static/app.css"), content_type: "text/css; charset=utf-8" },
    File { name: "app.js", bytes: include_bytes!("static/app.js"), content_type: "text/javascript; charset=utf-8" },
    File { name: "icon.svg", bytes: include_bytes!("static/icon.svg"), content_type: "image/svg+xml" },
    File { name: "icon-neutral.svg", bytes: include_bytes!("static/icon-neutral.svg"), content_type: "image/svg+xml" },
    File { name: "icon-192.png", bytes: include_bytes!("static/icons/icon-192.png"), content_type: "image/png" },
    File { name: "icon-512.png", bytes: include_bytes!("static/icons/icon-512.png"), content_type: "image/png" },
    File {
        name: "icon-maskable-512.png",
        bytes: include_bytes!("static/icons/icon-maskable-512.png"),
        content_type: "image/png",
    },
    File {
        name: "apple-touch-icon.png",
        bytes: include_bytes!("static/icons/apple-touch-icon.png"),
        content_type: "image/png",
    },
    File {
        name: "neutral-icon-192.png",
        bytes: include_bytes!("static/icons/neutral-icon-192.png"),
        content_type: "image/png",
    },
    File {
        name: "neutral-icon-512.png",
        bytes: include_bytes!("static/icons/neutral-icon-512.png"),
        content_type: "image/png",
    },
    File {
        name: "neutral-icon-maskable-512.png",
        bytes: include_bytes!("static/icons/neutral-icon-maskable-512.png"),
        content_type: "image/png",
    },
    File {
        name: "neutral-apple-touch-icon.png",
        bytes: include_bytes!("static/icons/neutral-apple-touch-icon.png"),
        content_type: "image/png",
    },
];

const SERVICE_WORKER: &str = include_str!("static/sw.js");

/// A year, and `immutable`: the name changes whenever the bytes do.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Hashed {
    file: &'static File,
    /// `app.3f2a9c1b5d7e8f01.css`
    served: String,
    /// `/assets/app.3f2a9c1b5d7e8f01.css`
    url: String,
    /// Weak (`W/"…"`): the compression layer may send the same bytes brotli'd or gzipped, and a
    /// strong tag would claim each of those is byte for byte the same.
    etag: String,
}

/// FNV-1a: names files apart between releases; nothing relies on it resisting collisions on purpose.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn split_name(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or((name, ""))
}

static TABLE: LazyLock<Vec<Hashed>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|file| {
            let hash = format!("{:016x}", fnv1a(file.bytes));
            let (stem, ext) = split_name(file.name);
            let served = format!("{stem}.{hash}.{ext}");
            Hashed { file, url: format!("/assets/{served}"), served, etag: format!("W/\"{hash}\"") }
        })
        .collect()
});

/// The hashed address of an embedded file, for templates: `url("app.css")`.
pub fn url(name: &str) -> &'static str {
    TABLE.iter().find(|h| h.file.name == name).map(|h| h.url.as_str()).unwrap_or("/assets/missing")
}

/// The service worker with this release's file names and cache version filled in. A release
/// changes the script's bytes, so browsers install the new worker, which drops the old caches.
static SW: LazyLock<String> = LazyLock::new(|| {
    let mut all = 0u64;
    for h in TABLE.iter() {
        all = fnv1a(format!("{all:016x}{}", h.etag).as_bytes());
    }
    let precache: Vec<&str> = TABLE.iter().map(|h| h.url.as_str()).collect();
    let precache = serde_json::to_string(&precache).unwrap_or_else(|_| "[]".to_owned());
    SERVICE_WORKER.replace("\"__VERSION__\"", &format!("\"{all:016x}\"")).replace("[\"__PRECACHE__\"]", &precache)
});

/// `If-None-Match` compares weakly: `W/"x"` and `"x"` are the same tag.
fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || opaque(t) == opaque(etag)))
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    if let Some(h) = TABLE.iter().find(|h| h.served == file) {
        let mut res = if etag_matches(&headers, &h.etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut res = h.file.bytes.into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(h.file.content_type));
            res
        };
        let hv = res.headers_mut();
        hv.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        if let Ok(v) = HeaderValue::from_str(&h.etag) {
            hv.insert(header::ETAG, v);
        }
        return res;
    }
    // A page kept from an earlier release (the offline crisis page, say) asks for an old name:
    // it gets today's file, but only for now, since that name no longer means these bytes.
    let (stem_and_hash, ext) = split_name(&file);
    let stem = split_name(stem_and_hash).0;
    match TABLE.iter().find(|h| split_name(h.file.name) == (stem, ext)) {
        Some(h) => plain(h.file.bytes, h.file.content_type, "no-cache"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn plain(body: &'static [u8], content_type: &'static str, cache: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

#[derive(Deserialize)]
pub struct ManifestQuery {
    #[serde(default)]
    app: Option<String>,
}

/// The manifest follows the person's choice of name (the page links `?app=neutral`) or the
/// operator's; browsers fetch it without cookies, so the choice travels in the address.
async fn manifest(State(state): State<AppState>, Query(q): Query<ManifestQuery>) -> Response {
    let neutral = state.config.neutral_app_name || q.app.as_deref() == Some("neutral");
    let (name, short_name, description, prefix, theme) = if neutral {
        ("Journal", "Journal", "A private notebook.", "neutral-", "#4d5960")
    } else {
        ("Therapy Journal", "Journal", "A private journal for the time between therapy sessions.", "", "#2f5d62")
    };
    let icon = |file: &str, size: &str, purpose: &str| serde_json::json!({ "src": url(&format!("{prefix}{file}")), "sizes": size, "type": "image/png", "purpose": purpose });
    let body = serde_json::json!({
        "id": "/",
        "name": name,
        "short_name": short_name,
        "description": description,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f1e9",
        "theme_color": theme,
        "icons": [
            icon("icon-192.png", "192x192", "any"),
            icon("icon-512.png", "512x512", "any"),
            icon("icon-maskable-512.png", "512x512", "maskable"),
        ],
    });
    let mut res = body.to_string().into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/manifest+json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

async fn service_worker() -> Response {
    let mut res = SW.as_str().into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    // Browsers check for a new worker on every visit; this keeps them from using a stale one.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

async fn favicon() -> Response {
    match FILES.iter().find(|f| f.name == "icon.svg") {
        Some(f) => plain(f.bytes, f.content_type, "public, max-age=86400"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/{file}", get(asset))
        .route("/favicon.ico", get(favicon))
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(service_worker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_hashed_name_and_the_worker_lists_them() {
        for f in FILES {
            let u = url(f.name);
            let (stem, ext) = split_name(f.name);
            assert!(u.starts_with(&format!("/assets/{stem}.")) && u.ends_with(&format!(".{ext}")), "{u}");
            assert!(SW.contains(u), "{u} precached");
        }
        assert!(!SW.contains("__VERSION__") && !SW.contains("__PRECACHE__"));
        assert_eq!(url("nothing.css"), "/assets/missing");
    }
}
