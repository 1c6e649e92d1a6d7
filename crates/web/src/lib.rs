//! Karuna's HTTP adapter: server-rendered pages (askama + htmx), the JSON API under `/api/v1`
//! with its OpenAPI document, authentication, i18n and embedded static assets. Thin: every
//! rule lives in `karuna-app`, `karuna-domain` or `karuna-thai`.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod pages;
pub mod routes;
pub mod security_txt;
pub mod state;

pub use routes::{route_specs, router, RouteKind, RouteSpec};
pub use state::{AppState, WebSettings};

use std::future::Future;
use tokio::net::TcpListener;

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
