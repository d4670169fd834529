//! What every page shares: rendering a template, the error page, and `PageUser`'s way in.
//! A leaf of `html/`, so pages depend on it and not on the router that lists them.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use journal_app::ServiceError;

use super::shell::{PageUser, Shell, url_encode};
use crate::auth::{authenticate, cookie, presented_token};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    heading: String,
    message: String,
}

/// The host a request came to, for addresses given back to the person (when no public URL is set).
pub fn request_host(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok())
}

/// An error as a page, for people rather than programs.
pub fn error_page(err: impl Into<AppError>, theme: &'static str) -> Response {
    let err = err.into();
    let heading = match err.status.as_u16() {
        _ if err.code == ServiceError::Damaged.code() => "This item can't be opened",
        404 => "We couldn't find that page",
        403 => "That didn't go through",
        413 => "That was too much at once",
        429 => "Let's pause for a moment",
        s if s >= 500 => "Something went wrong on our side",
        _ => "That didn't work",
    };
    let page = ErrorPage { shell: Shell::anonymous(heading, theme), heading: heading.to_owned(), message: err.message };
    let mut res = render(&page).into_response();
    *res.status_mut() = err.status;
    if let Some(secs) = err.retry_after
        && let Ok(v) = secs.to_string().parse()
    {
        res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
    }
    res
}

/// A page that could not be shown: the error, and the theme to show it in. Handlers return
/// `Result<Response, PageError>` and use `?`; the response is the page `error_page` makes.
pub struct PageError {
    err: AppError,
    theme: &'static str,
}

impl PageError {
    pub fn new(err: impl Into<AppError>, theme: &'static str) -> Self {
        Self { err: err.into(), theme }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.err, self.theme)
    }
}

/// `service(…).await.or_page(theme)?` in a page handler.
pub trait OrPage<T> {
    fn or_page(self, theme: &'static str) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> OrPage<T> for Result<T, E> {
    fn or_page(self, theme: &'static str) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, theme))
    }
}

pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response()
        }
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let theme = cookie::theme(&parts.headers);
        let cookie_name = state.config.session_cookie_name();
        let to_login = || {
            let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let next: String = url_encode(path);
            let mut res = Redirect::to(&format!("/login?next={next}")).into_response();
            // A cookie that got someone sent here names no live session; the browser can drop it.
            if cookie::find(&parts.headers, cookie_name).is_some() {
                res.headers_mut().append(header::SET_COOKIE, cookie::clear_session_cookie(&state.config));
            }
            res
        };
        let Some((token, via)) = presented_token(&parts.headers, state.config.session_cookie_name()) else {
            return Err(to_login());
        };
        match authenticate(state, token, via).await {
            Ok(current) => Ok(PageUser { current, theme }),
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Err(to_login()),
            Err(e) => Err(error_page(e, theme)),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;

    use super::*;

    async fn parts(res: Response) -> (StatusCode, Option<String>, String) {
        let status = res.status();
        let retry = res.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = to_bytes(res.into_body(), 1 << 20).await.unwrap_or_default();
        (status, retry, String::from_utf8_lossy(&body).into_owned())
    }

    /// `?` in a page must show exactly what `error_page` showed before: status, header and page.
    #[tokio::test]
    async fn a_page_error_is_the_error_page() {
        let cases = [
            AppError::from(ServiceError::Damaged),
            AppError::not_found(),
            AppError::rate_limited(30),
            AppError::from(ServiceError::Internal),
        ];
        for err in cases {
            let again = AppError { field: None, message: err.message.clone(), ..err };
            let expected = parts(error_page(again, "dark")).await;
            let got = parts(Err::<Response, _>(err).or_page("dark").into_response()).await;
            assert_eq!(got, expected);
            assert!(got.2.contains("data-theme=\"dark\""));
        }
        let (status, _, html) = parts(PageError::new(ServiceError::Damaged, "light").into_response()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("This item can"), "{html}");
    }
}
