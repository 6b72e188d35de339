//! Serves the built UI (`ui/dist`) over loopback HTTP, so a browser can load
//! the same bundle the app embeds: the Chromium baseline of `startup`.
//!
//! The bundle's scripts are ES modules with absolute paths (`/assets/…`),
//! which a `file://` page cannot load.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::fixture::LOOPBACK;

/// Bind 127.0.0.1 and serve `root` until the runtime stops; the address.
pub async fn serve(root: PathBuf) -> anyhow::Result<SocketAddr> {
    anyhow::ensure!(
        root.join("index.html").is_file(),
        "{} has no index.html: build the UI first (npm --prefix ui run build)",
        root.display()
    );
    let app = Router::new().fallback(file).with_state(Arc::new(root));
    let listener = tokio::net::TcpListener::bind(LOOPBACK).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

async fn file(State(root): State<Arc<PathBuf>>, uri: Uri) -> Response {
    let Some(path) = resolve(&root, uri.path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(&path))], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file under `root` for a request path (`/` is `index.html`); `None`
/// for anything that would leave `root`.
fn resolve(root: &Path, request: &str) -> Option<PathBuf> {
    let relative = Path::new(request.trim_start_matches('/'));
    if relative.as_os_str().is_empty() {
        return Some(root.join("index.html"));
    }
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(root.join(relative))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_the_root_only() {
        let root = Path::new("/srv/dist");
        assert_eq!(resolve(root, "/"), Some(root.join("index.html")));
        assert_eq!(
            resolve(root, "/assets/index.js"),
            Some(root.join("assets/index.js"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/assets/../../x"), None);
    }

    #[test]
    fn names_the_bundle_types() {
        assert_eq!(content_type(Path::new("a.js")), "text/javascript");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("blob")), "application/octet-stream");
    }
}
