//! Static assets (CSS, fonts, htmx) embedded in the binary: nothing to deploy beside it.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets"]
#[exclude = "vendor/LICENSES/*"]
struct Assets;

/// `GET /static/{*path}`: an embedded file with a long cache lifetime.
pub async fn serve_asset(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            (
                [
                    (header::CONTENT_TYPE, mime.as_ref().to_string()),
                    (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
                ],
                file.data.into_owned(),
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

/// `GET /favicon.ico`: the embedded icon (an SVG, which browsers accept under this name too).
pub async fn favicon() -> Response {
    serve_asset(Path("favicon.svg".to_string())).await
}
