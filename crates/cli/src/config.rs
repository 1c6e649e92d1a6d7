//! Configuration: `karuna.toml` (or `--config`), then `KARUNA_*` environment variables, then
//! flags; later sources win. clap reads flags and environment together (a flag beats its
//! variable); the file fills what both leave unset.

use clap::Args;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The options every command takes to find its database.
#[derive(Args, Debug, Clone, Default)]
pub struct DbOptions {
    /// TOML configuration file (default: ./karuna.toml when present).
    #[arg(long, env = "KARUNA_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Folder for the embedded SQLite database (default ./karuna-data).
    #[arg(long, env = "KARUNA_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// A database URL instead of the embedded one: postgres://user:pass@host/db or sqlite://path.
    #[arg(long, env = "KARUNA_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

impl DbOptions {
    /// The database URL after precedence: flag/env URL, file URL, flag/env folder, file
    /// folder, `./karuna-data`.
    pub fn database_url(&self, file: &FileConfig) -> Result<String, String> {
        if let Some(url) = self.database_url.clone().filter(|u| !u.is_empty()) {
            return Ok(url);
        }
        if self.data_dir.is_none() {
            if let Some(url) = file.database_url.clone().filter(|u| !u.is_empty()) {
                return Ok(url);
            }
        }
        let dir = self
            .data_dir
            .clone()
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("karuna-data"));
        karuna_store::Db::sqlite_url_for_dir(&dir).map_err(|e| format!("data folder: {e}"))
    }
}

/// The TOML file's settings; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Listen address.
    pub addr: Option<String>,
    /// SQLite data folder.
    pub data_dir: Option<PathBuf>,
    /// Database URL.
    pub database_url: Option<String>,
    /// Demo mode.
    pub demo: Option<bool>,
    /// `pretty` or `json`.
    pub log_format: Option<String>,
    /// Force the cookies' Secure flag on or off (default: on unless listening on loopback).
    pub secure_cookies: Option<bool>,
    /// Minutes without a request after which a session ends (default 30).
    pub idle_timeout_minutes: Option<u64>,
    /// Login attempts allowed per client address per minute (default 60; behind a reverse
    /// proxy every client has the proxy's address).
    pub login_attempts_per_address_per_minute: Option<u32>,
    /// Login attempts allowed per submitted name per minute (default 10).
    pub login_attempts_per_name_per_minute: Option<u32>,
    /// Days before a promise, task or follow-up falls due that its reminder is written
    /// (default 3, at most 60).
    pub reminder_days: Option<u32>,
    /// Days after which a directory entry not verified is flagged stale (default 365).
    pub resource_stale_days: Option<u32>,
    /// Where to report a vulnerability, served as `/.well-known/security.txt` (a `mailto:`,
    /// `https://` or `tel:` URI); none: no such file.
    pub security_contact: Option<String>,
    /// A file holding the key files kept on cases are sealed with at rest (64 hexadecimal
    /// digits, as `karuna attachments new-key` writes; `KARUNA_ATTACHMENT_KEY_FILE` wins);
    /// none: files are stored in clear.
    pub attachment_key_file: Option<PathBuf>,
    /// Outgoing mail (the daily digest); none: no mail is sent.
    pub mail: Option<MailConfig>,
}

/// The `[mail]` table. `smtp_url` may instead come from `KARUNA_SMTP_URL` (it may hold a
/// password, which is better kept out of a file).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// `smtp://host:587?tls=required`, `smtps://user:pass@host:465`, `smtp://relay:25`.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Karuna <karuna@pmj.go.th>`.
    pub from: Option<String>,
    /// Karuna's address as users reach it (for the link in the mail).
    pub public_url: Option<String>,
    /// The Bangkok hour from which the day's digests go out (default 7).
    pub digest_hour: Option<u32>,
}

/// The mail settings after precedence (`smtp_url` from the environment beats the file); none
/// when no SMTP server is given; an error naming the missing or wrong setting otherwise.
pub fn mail_settings(
    file: &FileConfig,
    env_smtp_url: Option<String>,
) -> Result<Option<karuna_web::mail::MailSettings>, String> {
    let m = file.mail.clone().unwrap_or_default();
    let Some(smtp_url) = env_smtp_url
        .filter(|u| !u.trim().is_empty())
        .or(m.smtp_url.filter(|u| !u.trim().is_empty()))
    else {
        return Ok(None);
    };
    let from = m
        .from
        .filter(|f| !f.trim().is_empty())
        .ok_or("mail.from: the sender address is required when SMTP is configured")?;
    let public_url = m
        .public_url
        .filter(|u| !u.trim().is_empty())
        .ok_or("mail.public_url: Karuna's public address is required when SMTP is configured")?;
    Ok(Some(karuna_web::mail::MailSettings {
        smtp_url,
        from,
        public_url,
        digest_hour: m.digest_hour.unwrap_or(7),
    }))
}

impl FileConfig {
    /// Reads `path`, or `./karuna.toml` when no path is given and it exists.
    pub fn load(path: Option<&Path>) -> Result<FileConfig, String> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("karuna.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(FileConfig::default())
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let config: FileConfig =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(f) = &config.log_format {
            if f != "pretty" && f != "json" {
                return Err(format!(
                    "{}: log_format must be \"pretty\" or \"json\", not \"{f}\"",
                    path.display()
                ));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file() {
        let file: FileConfig = toml::from_str("database_url = \"postgres://file/db\"").unwrap();
        let opts = DbOptions {
            database_url: Some("postgres://flag/db".into()),
            ..DbOptions::default()
        };
        assert_eq!(opts.database_url(&file).unwrap(), "postgres://flag/db");
        let none = DbOptions::default();
        assert_eq!(none.database_url(&file).unwrap(), "postgres://file/db");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<FileConfig>("adress = \"x\"").is_err());
    }

    #[test]
    fn mail_is_off_unless_a_server_is_given_and_then_needs_a_sender() {
        let none = FileConfig::default();
        assert!(mail_settings(&none, None).unwrap().is_none());
        let file: FileConfig = toml::from_str(
            "[mail]\nfrom = \"Karuna <k@pmj.go.th>\"\npublic_url = \"https://k.pmj.go.th\"",
        )
        .unwrap();
        assert!(mail_settings(&file, None).unwrap().is_none());
        let on = mail_settings(&file, Some("smtp://relay:25".into()))
            .unwrap()
            .unwrap();
        assert_eq!(on.smtp_url, "smtp://relay:25");
        assert_eq!(on.digest_hour, 7);
        let no_from: FileConfig = toml::from_str("[mail]\nsmtp_url = \"smtp://relay:25\"").unwrap();
        assert!(mail_settings(&no_from, None)
            .unwrap_err()
            .starts_with("mail.from"));
        assert!(toml::from_str::<FileConfig>("[mail]\nsmtp = \"x\"").is_err());
    }

    #[test]
    fn a_named_file_must_exist() {
        let err = FileConfig::load(Some(Path::new("/nonexistent/karuna.toml"))).unwrap_err();
        assert!(err.contains("/nonexistent/karuna.toml"));
    }
}
