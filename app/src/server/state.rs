use super::mail::Mailer;
use super::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

/// What every handler and server function can reach (through Leptos context).
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub mailer: Mailer,
    pub config: Config,
    /// This instance's copy of the public catalogue.
    pub catalogue: std::sync::Arc<super::catalogue::CatalogueCache>,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Address users reach the site at ("https://portail.example.fr"); builds links in
    /// emails. Defaults to http://<site address>.
    pub public_url: String,
    /// Adds `Secure` to cookies (set when served over HTTPS).
    pub secure_cookies: bool,
    /// How many mails one account may make the portal send in an hour
    /// (`MAIL_PER_ACCOUNT_HOUR`).
    pub mail_per_hour: i64,
    /// The help desk shown in the footer and beside errors (`SUPPORT_*`).
    pub support: crate::domain::support::Support,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
