//! The home page: who I am, my role, and where my work is.

use super::{render, Chrome};
use crate::auth::PageUser;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    role_key: String,
    role_help_key: String,
    is_admin: bool,
    is_auditor: bool,
}

/// `GET /`.
pub async fn show(u: PageUser) -> Response {
    let role = u.user.role().code().replace('_', "-");
    let page = HomePage {
        c: Chrome::for_user(&u, "/"),
        role_key: format!("role-{role}"),
        role_help_key: format!("home-role-help-{role}"),
        is_admin: u.user.role() == karuna_domain::access::Role::Admin,
        is_auditor: u.user.role() == karuna_domain::access::Role::Auditor,
    };
    render(StatusCode::OK, &page)
}
