//! A service's download (the export) as a response: its bytes streamed as they come, with the
//! type and the file name to save it under.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use journal_app::portability::export::{self, Download};

pub fn response(download: Download) -> Response {
    let body = match download.body {
        export::Body::Stream(rx) => Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk.map(Bytes::from), rx))
        })),
        export::Body::File(file) => file_body(file),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(download.content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", download.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A file as a response body, read in 64 KiB pieces.
pub fn file_body(file: std::fs::File) -> axum::body::Body {
    let file = tokio::fs::File::from_std(file);
    axum::body::Body::from_stream(futures_util::stream::unfold(file, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    }))
}
