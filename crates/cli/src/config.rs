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
    fn a_named_file_must_exist() {
        let err = FileConfig::load(Some(Path::new("/nonexistent/karuna.toml"))).unwrap_err();
        assert!(err.contains("/nonexistent/karuna.toml"));
    }
}
