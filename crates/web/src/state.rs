//! The state every handler receives.

use crate::i18n::Catalog;
use karuna_app::App;
use std::sync::Arc;

/// Settings of the HTTP adapter.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Send cookies with `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Demo mode: the login page lists the demo accounts.
    pub demo: bool,
    /// SMTP is configured: the daily digest goes out to those who ask for it.
    pub mail_enabled: bool,
    /// Where to report a vulnerability (`/.well-known/security.txt`), if the deployment says.
    pub security_contact: Option<String>,
}

/// Shared by all handlers; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// Message catalogues.
    pub catalog: Arc<Catalog>,
    /// Adapter settings.
    pub web: WebSettings,
}
