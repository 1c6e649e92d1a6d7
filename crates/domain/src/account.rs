//! Account rules: usernames, the password policy, lockout back-off, preferences.

use crate::error::{FieldError, Validation};
use chrono::Duration;

/// Shortest accepted password; long passphrases beat complexity rules (NIST SP 800-63B).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest accepted password, so hashing cost stays bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Failed logins allowed before the account locks with back-off.
pub const LOCKOUT_THRESHOLD: i64 = 5;

/// Passwords too common to accept whatever their length: SecLists' 10,000 most common
/// (lower-cased; see data/scripts/common_passwords.py and NOTICE) and a few of Karuna's own.
const COMMON_PASSWORDS: &str = include_str!("../../../data/common-passwords.txt");
const KARUNA_COMMON: &[&str] = &["karunakaruna", "karuna1234", "karuna12345"];

static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        COMMON_PASSWORDS
            .lines()
            .chain(KARUNA_COMMON.iter().copied())
            .collect()
    });

/// True when the password, lower-cased, is a common one, or its letters are once leading and
/// trailing digits, symbols and spaces are taken off (`Password1!`, `!!iloveyou2024`).
pub fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| {
        c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
    });
    COMMON.contains(lower.as_str()) || core.is_empty() || COMMON.contains(core)
}

/// Checks a new password against the policy; `field` names the form field for the error.
pub fn check_password(field: &str, password: &str, username: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(field, "password.too_short").arg("min", PASSWORD_MIN_CHARS));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(field, "password.too_long").arg("max", PASSWORD_MAX_CHARS));
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(FieldError::new(field, "password.contains_username"));
    }
    if is_common_password(password) || password.chars().all(|c| password.starts_with(c)) {
        return Err(FieldError::new(field, "password.too_common"));
    }
    Ok(())
}

/// Normalises and checks a username: 3–40 characters of a–z, 0–9, `.`, `_`, `-`.
pub fn normalize_username(field: &str, input: &str) -> Result<String, FieldError> {
    let name = input.trim().to_lowercase();
    if name.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    let ok_len = (3..=40).contains(&name.chars().count());
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok_len || !ok_chars || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(FieldError::new(field, "username.invalid"));
    }
    Ok(name)
}

/// Checks a display name: 1–200 characters after trimming.
pub fn check_display_name(v: &mut Validation, field: &str, input: &str) -> String {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    v.check(name.is_empty(), field, "required");
    v.check(name.chars().count() > 200, field, "too_long");
    name
}

/// The longest e-mail address accepted (RFC 5321's limit on a path).
pub const EMAIL_MAX_CHARS: usize = 254;

/// Normalises and checks an e-mail address for the daily digest: blank means none; otherwise
/// one plain address (`name@example.org`, no display name, no spaces), checked against
/// RFC 5322 by the `email_address` crate (the parser the mailer itself uses), with a dot in
/// its domain (a mail to a bare host name is a typing slip, not a worker's mailbox).
pub fn normalize_email(field: &str, input: &str) -> Result<Option<String>, FieldError> {
    let email = input.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldError::new(field, "too_long"));
    }
    let parsed = email_address::EmailAddress::parse_with_options(
        email,
        email_address::Options::default()
            .without_display_text()
            .without_domain_literal(),
    );
    match parsed {
        Ok(a) if a.domain().contains('.') && !a.domain().ends_with('.') => Ok(Some(a.to_string())),
        _ => Err(FieldError::new(field, "email.invalid")),
    }
}

/// How long an account stays locked after `failures` consecutive failed logins: nothing below
/// the threshold, then 1, 2, 4 … minutes, capped at one hour.
pub fn lockout_for(failures: i64) -> Option<Duration> {
    if failures < LOCKOUT_THRESHOLD {
        return None;
    }
    let exp = (failures - LOCKOUT_THRESHOLD).min(6) as u32;
    Some(Duration::minutes(2i64.pow(exp).min(60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_plain_and_checked() {
        assert_eq!(normalize_email("email", "  "), Ok(None));
        assert_eq!(
            normalize_email("email", " somsri@pmj.go.th "),
            Ok(Some("somsri@pmj.go.th".into()))
        );
        for bad in [
            "somsri",
            "somsri@localhost",
            "Somsri <somsri@pmj.go.th>",
            "a b@pmj.go.th",
            "somsri@pmj.go.th\r\nBcc: x@y.z",
            "<script>@x.org",
        ] {
            assert_eq!(
                normalize_email("email", bad).map_err(|e| e.code),
                Err("email.invalid".to_string()),
                "{bad}"
            );
        }
        let long = format!("{}@pmj.go.th", "a".repeat(300));
        assert_eq!(
            normalize_email("email", &long).map_err(|e| e.code),
            Err("too_long".to_string())
        );
    }

    #[test]
    fn password_policy() {
        assert!(check_password("p", "karuna-demo", "demo-manager").is_ok());
        assert_eq!(
            check_password("p", "short", "x").unwrap_err().code,
            "password.too_short"
        );
        assert_eq!(
            check_password("p", "somchai-2569!", "somchai")
                .unwrap_err()
                .code,
            "password.contains_username"
        );
        assert_eq!(
            check_password("p", "1234567890", "x").unwrap_err().code,
            "password.too_common"
        );
        assert_eq!(
            check_password("p", "zzzzzzzzzzzz", "x").unwrap_err().code,
            "password.too_common"
        );
        assert_eq!(
            check_password("p", &"a1".repeat(70), "x").unwrap_err().code,
            "password.too_long"
        );
        assert!(check_password("p", "รหัสผ่านยาวพอแล้ว", "x").is_ok());
    }

    #[test]
    fn common_passwords_and_their_decorations_are_refused() {
        for weak in [
            "Password1!",
            "password123",
            "Qwerty123456",
            "!!iloveyou2024",
            "1234567890",
            "1qaz2wsx3edc",
            "!!!!!!!!!!!!",
            "Karuna12345",
        ] {
            assert_eq!(
                check_password("p", weak, "somchai").unwrap_err().code,
                "password.too_common",
                "{weak}"
            );
        }
        for fine in [
            "a much longer pass phrase",
            "dragon-2569-long",
            "ส้มตำไก่ย่าง2569",
        ] {
            assert!(check_password("p", fine, "somchai").is_ok(), "{fine}");
        }
    }

    #[test]
    fn usernames() {
        assert_eq!(
            normalize_username("u", " Demo-Manager ").unwrap(),
            "demo-manager"
        );
        assert!(normalize_username("u", "ab").is_err());
        assert!(normalize_username("u", "สมชาย").is_err());
        assert!(normalize_username("u", "-lead").is_err());
        assert_eq!(normalize_username("u", "").unwrap_err().code, "required");
    }

    #[test]
    fn lockout_backs_off_and_caps() {
        assert_eq!(lockout_for(4), None);
        assert_eq!(lockout_for(5), Some(Duration::minutes(1)));
        assert_eq!(lockout_for(6), Some(Duration::minutes(2)));
        assert_eq!(lockout_for(8), Some(Duration::minutes(8)));
        assert_eq!(lockout_for(50), Some(Duration::minutes(60)));
    }
}
