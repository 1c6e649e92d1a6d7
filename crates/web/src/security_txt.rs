//! `/.well-known/security.txt` (RFC 9116): where to report a vulnerability in this deployment.
//! Served only when the deployment names a contact (`security_contact`); a file without one
//! would not be valid, so without it the answer is 404. It expires 180 days after it is served
//! (the RFC asks for less than a year), so it never goes stale while the server runs.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// How long a served file is valid.
const VALID_DAYS: i64 = 180;

/// Checks a configured contact: an `mailto:`, `https:` or `tel:` URI without spaces (RFC 9116
/// section 2.5.3). Returns it trimmed.
pub fn check_contact(contact: &str) -> Result<String, String> {
    let c = contact.trim();
    let scheme_ok = ["mailto:", "https://", "tel:"]
        .iter()
        .any(|s| c.len() > s.len() && c.to_ascii_lowercase().starts_with(s));
    if !scheme_ok || c.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        return Err(format!(
            "security_contact must be a mailto:, https:// or tel: URI without spaces, not {c:?}"
        ));
    }
    Ok(c.to_string())
}

/// The file for `contact`, valid from `now`.
pub fn body(contact: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let expires = now + chrono::Duration::days(VALID_DAYS);
    format!(
        "Contact: {contact}\nExpires: {}\nPreferred-Languages: th, en\n",
        expires.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// `GET /.well-known/security.txt`.
pub async fn security_txt(State(state): State<AppState>) -> Response {
    match &state.web.security_contact {
        Some(contact) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            body(contact, chrono::Utc::now()),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no security contact is configured\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_uris_and_the_file_expires_within_a_year() {
        assert_eq!(
            check_contact(" mailto:security@example.go.th ").unwrap(),
            "mailto:security@example.go.th"
        );
        assert!(check_contact("https://example.go.th/report").is_ok());
        assert!(check_contact("security@example.go.th").is_err());
        assert!(check_contact("mailto:").is_err());
        assert!(check_contact("https://a b").is_err());
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let b = body("mailto:s@example.go.th", now);
        assert!(b.starts_with("Contact: mailto:s@example.go.th\n"));
        assert!(b.contains("Expires: 2027-06-05T00:00:00Z\n"));
    }
}
