//! Request glue: the caller's session and user, cookies, and the one place where
//! rights are checked — on a company (through the table `domain::rights::allows`), on
//! a provider's space, on what belongs to the caller himself.

use crate::auth::CurrentUser;
use crate::domain::rights::{self, Access};
use crate::domain::survey::SurveyView;
use crate::error::{AppError, AppResult};
use crate::server::backoffice;
use crate::server::documents::Document;
use crate::server::security::{self, Event};
use crate::server::sessions::{self, SessionRow};
use crate::server::{accounts, companies, invoicing, provider, surveys, AppState};
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub use crate::domain::rights::Need;

/// Everything a server function needs to know about its caller.
#[derive(Clone)]
pub struct Caller {
    pub state: AppState,
    pub session: Option<SessionRow>,
    pub user: Option<CurrentUser>,
    /// The browser's User-Agent, kept with a session it opens ("Mon compte" lists them).
    pub user_agent: String,
}

impl Caller {
    pub fn db(&self) -> &crate::server::Db {
        &self.state.db
    }

    pub fn user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// The caller's draft of `form` (a form's answer, the flash message), without a
    /// query when his session held none as it was read.
    pub async fn draft<T: serde::de::DeserializeOwned>(&self, form: &str) -> AppResult<Option<T>> {
        match &self.session {
            Some(s) if s.drafts => Ok(crate::server::drafts::load(self.db(), &s.hash, form).await?),
            _ => Ok(None),
        }
    }

    /// The caller's draft of `form`, removed as it is read (shown once).
    pub async fn take_draft<T: serde::de::DeserializeOwned>(&self, form: &str) -> AppResult<Option<T>> {
        let value = self.draft(form).await?;
        if let (Some(s), Some(_)) = (&self.session, &value) {
            crate::server::drafts::clear(self.db(), &s.hash, form).await?;
        }
        Ok(value)
    }

    /// The session hash, creating an anonymous session (and its cookie) if needed,
    /// so that a visitor's answers can be kept before he logs in.
    pub async fn ensure_session(&mut self) -> AppResult<String> {
        if let Some(s) = &self.session {
            return Ok(s.hash.clone());
        }
        let (token, hash) = sessions::create(self.db(), None, &self.user_agent).await?;
        set_cookie(&self.state, &token, sessions::IDLE_SECS);
        // This request may save drafts in it and read them back: look for them.
        self.session = Some(SessionRow { hash: hash.clone(), user_id: None, drafts: true });
        Ok(hash)
    }

    /// Log-in: a fresh session id (the drafts follow), cookie replaced.
    pub async fn log_in(&mut self, user_id: i64) -> AppResult<()> {
        let old = self.session.as_ref().map(|s| s.hash.clone());
        let (token, hash) = sessions::rotate(self.db(), old.as_deref(), user_id, &self.user_agent).await?;
        set_cookie(&self.state, &token, sessions::IDLE_SECS);
        // The drafts follow the session: look for them.
        self.session = Some(SessionRow { hash, user_id: Some(user_id), drafts: true });
        self.user = accounts::by_id(self.db(), user_id).await?;
        Ok(())
    }

    /// After a right password: logs in, or, when the account has a second factor, keeps
    /// the half-done log-in in the visitor's session (five minutes) and answers the
    /// code page. Returns where to send the browser.
    pub async fn password_accepted(&mut self, user_id: i64, next: &str) -> AppResult<String> {
        if !crate::server::second_factor::enabled(self.db(), user_id).await? {
            self.log_in(user_id).await?;
            return Ok(next.to_string());
        }
        let hash = self.ensure_session().await?;
        let pending = PendingLogin { user_id, next: next.to_string(), until: crate::server::db::now() + 300, failures: 0 };
        crate::server::drafts::save(self.db(), &hash, PENDING_LOGIN, &pending).await?;
        Ok("/connexion/code".to_string())
    }

    pub async fn log_out(&mut self) -> AppResult<()> {
        if let Some(s) = self.session.take() {
            sessions::delete(self.db(), &s.hash).await?;
            if s.user_id.is_some() {
                security::log(Event::SessionEnded, s.user_id, None, "log-out");
            }
        }
        set_cookie(&self.state, "", 0);
        self.user = None;
        Ok(())
    }

    /// The signed-in caller as the sender of his action's mails (`server::mail`).
    pub fn sender(&self) -> AppResult<crate::server::mail::Sender<'_>> {
        Ok(crate::server::mail::Sender { url: &self.state.config.public_url, by: self.user()? })
    }

    /// Before an action that sends mail: the account must not have made the portal send
    /// `Config::mail_per_hour` mails in the last hour (counted in the outbox, so on
    /// every instance). The action's own mails are then written with `Mailer::enqueue`,
    /// counted for the account (`outbox::Mail::sent_for`).
    pub async fn require_mail_allowance(&self) -> AppResult<()> {
        let user = self.user()?;
        let since = crate::server::db::now() - 3600;
        let sent = crate::server::outbox::sent_for_since(self.db(), user.id, since).await?;
        if sent < self.state.config.mail_per_hour {
            return Ok(());
        }
        crate::server::security::log(crate::server::security::Event::RateLimited, Some(user.id), client_addr().as_deref(), "mails per hour");
        Err(AppError::TooManyRequests(
            "Votre compte a fait envoyer trop de messages depuis une heure : réessayez un peu plus tard.".into(),
        ))
    }

    /// The caller's access to a company, if the need is met (`rights::allows`). Every
    /// server function that touches a company goes through here; nothing is allowed by
    /// default, and a stranger is not even told that the company exists.
    pub async fn require_company(&self, company_id: i64, need: Need) -> AppResult<Access> {
        let (access, unsecured) = self.access(company_id).await?.ok_or(AppError::NotFound)?;
        if rights::allows(&access, need) {
            return Ok(access);
        }
        if unsecured.as_ref().is_some_and(|full| rights::allows(full, need)) {
            return Err(AppError::forbidden(rights::second_factor_refusal(&access)));
        }
        if rights::hides_company(&access, need) {
            return Err(AppError::NotFound);
        }
        Err(AppError::forbidden(rights::refusal(&access, need)))
    }

    /// The caller's access to the company, and, when the company requires a second
    /// factor that the caller has not set up, the access he would have with it (his
    /// administrator and billing manager roles do not count without it).
    async fn access(&self, company_id: i64) -> AppResult<Option<(Access, Option<Access>)>> {
        let user = self.user()?;
        let Some(found) = companies::access(self.db(), company_id, user.proven_email()).await? else { return Ok(None) };
        let access = found.access;
        if user.second_factor || !rights::needs_second_factor(&access.roles) || !found.second_factor_required {
            return Ok(Some((access, None)));
        }
        Ok(Some((rights::without_second_factor(&access), Some(access))))
    }

    /// The caller's access to the company, deciding nothing: only for asking its
    /// administrators for a right ("Demander les droits"), which grants nothing itself.
    pub async fn access_to_ask(&self, company_id: i64) -> AppResult<Option<Access>> {
        let user = self.user()?;
        Ok(companies::access(self.db(), company_id, user.proven_email()).await?.map(|found| found.access))
    }

    /// Whether the caller meets the need on the company, without a refusal (for what a
    /// page shows; an unknown company meets none).
    pub async fn may(&self, company_id: i64, need: Need) -> AppResult<bool> {
        Ok(self.access(company_id).await?.is_some_and(|(a, _)| rights::allows(&a, need)))
    }

    /// Whose registrations of the company the caller may cancel: any (`None`) for its
    /// managers; only those he made himself (`Some(his id)`) for anyone else (open
    /// mode), which reveals nothing of a company he is not in.
    pub async fn registrations_to_cancel(&self, company_id: i64) -> AppResult<Option<i64>> {
        let user_id = self.user()?.id;
        match self.require_company(company_id, Need::Manage).await {
            Ok(_) => Ok(None),
            Err(AppError::NotFound | AppError::Forbidden(_)) => Ok(Some(user_id)),
            Err(e) => Err(e),
        }
    }

    /// The need met on one of these companies (a document shared by the ordering and the
    /// invoiced company). The refusal of a company that knows the caller wins over
    /// "not found".
    pub async fn require_any_company(&self, companies: &[i64], need: Need) -> AppResult<()> {
        self.user()?;
        let mut refusal = AppError::NotFound;
        for c in companies {
            match self.require_company(*c, need).await {
                Ok(_) => return Ok(()),
                Err(e @ AppError::Forbidden(_)) => refusal = e,
                Err(AppError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Err(refusal)
    }

    /// A document: to the participant it names (his own certificate or protocol), to
    /// the one who placed its order (his purchase order, while he may see the orders he
    /// placed), or to those of one of its companies whom the rights table lets have it.
    pub async fn require_document(&self, document: &Document) -> AppResult<()> {
        let user = self.user()?;
        if user.proven_email().is_some_and(|email| document.names_participant(email)) {
            return Ok(());
        }
        if let Document::PurchaseOrder { ordering, placed_by, .. } = document {
            if *placed_by == user.id && self.may(*ordering, Need::PlacedOrders).await? {
                return Ok(());
            }
        }
        self.require_any_company(&document.companies(), document.need()).await
    }

    /// The caller's own questionnaire: one of his registrations, after its session.
    pub async fn require_own_survey(&self, registration_id: i64) -> AppResult<SurveyView> {
        let email = self.user()?.proven_email().ok_or(AppError::NotFound)?;
        surveys::for_participant(self.db(), registration_id, email).await?.ok_or(AppError::NotFound)
    }

    /// The provider the caller works for, if he is on a provider's staff.
    pub async fn provider(&self) -> AppResult<Option<ProviderStaff>> {
        let Some(email) = self.user()?.proven_email() else { return Ok(None) };
        let staff = provider::of_staff(self.db(), email).await?;
        Ok(staff.map(|(provider_id, provider_name)| ProviderStaff { provider_id, provider_name }))
    }

    /// The caller's provider, if he is on a provider's staff: the provider's space is
    /// for them only, and nothing there takes a provider id.
    pub async fn require_provider_staff(&self) -> AppResult<ProviderStaff> {
        let staff = self
            .provider()
            .await?
            .ok_or_else(|| AppError::forbidden("Cet espace est réservé au personnel des organismes de formation."))?;
        if !self.user()?.second_factor {
            return Err(AppError::forbidden(
                "L'espace organisme exige la double authentification : activez-la dans Mon compte (Double authentification).",
            ));
        }
        Ok(staff)
    }

    /// The caller's provider, and the session if it is one of that provider's.
    pub async fn require_provider_session(&self, session_id: i64) -> AppResult<(ProviderStaff, backoffice::SessionRow)> {
        let staff = self.require_provider_staff().await?;
        let session = backoffice::session(self.db(), staff.provider_id, session_id).await?.ok_or(AppError::NotFound)?;
        Ok((staff, session))
    }

    /// The caller's provider and session, if the invoice is one of that session's.
    pub async fn require_provider_invoice(&self, session_id: i64, invoice_id: i64) -> AppResult<(ProviderStaff, backoffice::SessionRow)> {
        let (staff, session) = self.require_provider_session(session_id).await?;
        if !invoicing::for_session(self.db(), session.id).await?.iter().any(|i| i.id == invoice_id) {
            return Err(AppError::NotFound);
        }
        Ok((staff, session))
    }
}

/// The visitor's draft holding a log-in that awaits its second factor.
pub const PENDING_LOGIN: &str = "login:second_factor";

/// A log-in whose password was right, awaiting the code (kept server-side, in the
/// visitor's session; never the password).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PendingLogin {
    pub user_id: i64,
    pub next: String,
    pub until: i64,
    pub failures: u32,
}

/// A member of a provider's staff: his provider.
#[derive(Clone, Debug)]
pub struct ProviderStaff {
    pub provider_id: i64,
    pub provider_name: String,
}

/// The caller of a server function, from the request in its context.
pub async fn caller() -> AppResult<Caller> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })?;
    match (use_context::<Parts>(), use_context::<CallerOnce>()) {
        // A page being rendered asks for its caller many times (the frame, the page,
        // its parts): read once. A post may change the session (log-in, log-out), so
        // it always reads afresh.
        (Some(parts), Some(once)) if parts.method == http::Method::GET => {
            once.0.get_or_try_init(|| caller_from(state, &parts.headers)).await.cloned()
        }
        (Some(parts), _) => caller_from(state, &parts.headers).await,
        (None, _) => caller_from(state, &HeaderMap::new()).await,
    }
}

/// The caller of one GET request, read at its first use; provided afresh for each
/// request by the router.
#[derive(Clone, Default)]
pub struct CallerOnce(std::sync::Arc<tokio::sync::OnceCell<Caller>>);

/// The client's address as the server's outer layer found it (peer, or the trusted
/// proxy's X-Forwarded-For), for the security log.
pub fn client_addr() -> Option<String> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<crate::server::throttle::ClientAddr>().map(|c| c.0.to_string()))
}

/// The caller of a request, from its session cookie: server functions (through
/// `caller`) and the plain routes (document downloads) alike.
pub async fn caller_from(state: AppState, headers: &HeaderMap) -> AppResult<Caller> {
    let secure = state.config.secure_cookies;
    let token = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| sessions::token_from_cookie_header(h, secure).map(str::to_string));
    let found = match &token {
        Some(t) => sessions::lookup(&state.db, t).await?,
        None => None,
    };
    // A session renewed by this request: the cookie's lifetime follows.
    if let (Some(t), Some(max_age)) = (&token, found.as_ref().and_then(|f| f.refresh)) {
        set_cookie(&state, t, max_age);
    }
    let (session, user) = match found {
        Some(f) => (Some(f.session), f.user),
        None => (None, None),
    };
    let user_agent = headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    Ok(Caller { state, session, user, user_agent })
}

fn set_cookie(state: &AppState, token: &str, max_age: i64) {
    if let Some(res) = use_context::<ResponseOptions>() {
        let cookie = sessions::cookie_header(token, max_age, state.config.secure_cookies);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.append_header(SET_COOKIE, v);
        }
    }
}

/// The form name under which a message for the next page is kept.
pub const FLASH: &str = "flash";

/// Tells the browser about a failed server function: as an HTTP status to JavaScript,
/// as a message shown on the next page to a plain form post.
pub async fn report_error(e: &AppError) {
    if !is_plain_form_post() {
        if let Some(res) = use_context::<ResponseOptions>() {
            if use_context::<Parts>().is_some_and(|p| p.method == http::Method::POST) {
                res.set_status(e.status());
            }
        }
        return;
    }
    tell_next_page(&e.to_string()).await;
}

/// A form posted without JavaScript (the browser leaves for the page it is sent back
/// to), as opposed to a call from the page's script or a page being rendered.
fn is_plain_form_post() -> bool {
    let Some(parts) = use_context::<Parts>() else { return false };
    let accepts_html = parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    parts.method == http::Method::POST && accepts_html
}

/// Keeps a message for the next page when the form was posted without JavaScript
/// (with JavaScript, the page shows the server function's answer itself).
pub async fn tell_next_page(message: &str) {
    if !is_plain_form_post() {
        return;
    }
    if let Ok(mut caller) = caller().await {
        if let Ok(hash) = caller.ensure_session().await {
            let _ = crate::server::drafts::save(caller.db(), &hash, FLASH, &message.to_string()).await;
        }
    }
}

/// Every server function's result passes here. An error gets its HTTP status (a
/// refusal is a 403, not a 500); for a plain form post from a page without JavaScript,
/// which is sent back to its page, the message is kept to be shown there.
pub async fn respond<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(e) = &result {
        if matches!(e, AppError::Forbidden(_)) {
            log_refusal().await;
        }
        report_error(e).await;
    }
    result
}

/// A refusal (403) in the security log: who, from where, on what.
async fn log_refusal() {
    use crate::server::security::{self, Event};
    let path = use_context::<Parts>().map(|p| p.uri.path().to_string()).unwrap_or_default();
    let user_id = match caller().await {
        Ok(c) => c.user.map(|u| u.id),
        Err(_) => None,
    };
    security::log(Event::Forbidden, user_id, None, &path);
}
