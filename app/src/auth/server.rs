//! Request glue: the caller's session and user, cookies, and the one place where
//! rights on a company are checked.

use crate::auth::CurrentUser;
use crate::domain::rights::may_register;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::server::companies::{self, Access};
use crate::server::sessions::{self, SessionRow};
use crate::server::{accounts, AppState};
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// Everything a server function needs to know about its caller.
pub struct Caller {
    pub state: AppState,
    pub session: Option<SessionRow>,
    pub user: Option<CurrentUser>,
}

impl Caller {
    pub fn db(&self) -> &crate::server::Db {
        &self.state.db
    }

    pub fn user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// The session hash, creating an anonymous session (and its cookie) if needed,
    /// so that a visitor's answers can be kept before he logs in.
    pub async fn ensure_session(&mut self) -> AppResult<String> {
        if let Some(s) = &self.session {
            return Ok(s.hash.clone());
        }
        let (token, hash) = sessions::create(self.db(), None).await?;
        set_cookie(&self.state, &token, sessions::LIFETIME_SECS);
        self.session = Some(SessionRow { hash: hash.clone(), user_id: None });
        Ok(hash)
    }

    /// Log-in: a fresh session id (the drafts follow), cookie replaced.
    pub async fn log_in(&mut self, user_id: i64) -> AppResult<()> {
        let old = self.session.as_ref().map(|s| s.hash.clone());
        let (token, hash) = sessions::rotate(self.db(), old.as_deref(), user_id).await?;
        set_cookie(&self.state, &token, sessions::LIFETIME_SECS);
        self.session = Some(SessionRow { hash, user_id: Some(user_id) });
        self.user = accounts::by_id(self.db(), user_id).await?;
        Ok(())
    }

    pub async fn log_out(&mut self) -> AppResult<()> {
        if let Some(s) = self.session.take() {
            sessions::delete(self.db(), &s.hash).await?;
        }
        set_cookie(&self.state, "", 0);
        self.user = None;
        Ok(())
    }

    /// The caller's access to a company, if the need is met. Every server function
    /// that touches a company goes through here; nothing is allowed by default.
    pub async fn require_company(&self, company_id: i64, need: Need) -> AppResult<Access> {
        let user = self.user()?;
        let access = companies::access(self.db(), company_id, &user.email).await?.ok_or(AppError::NotFound)?;
        let allowed = match need {
            Need::Register => may_register(access.policy, &access.roles) || access.delegated.register,
            Need::Member => !access.roles.is_empty() || access.delegated.register,
            Need::Manage => access.roles.iter().any(|r| r.may_register()),
            Need::Orders => {
                access.roles.iter().any(|r| matches!(r, Role::Admin | Role::BillingManager)) || access.delegated.orders
            }
            Need::Billing => access.roles.iter().any(|r| matches!(r, Role::Admin | Role::BillingManager)),
            Need::Admin => access.roles.contains(&Role::Admin),
        };
        if allowed {
            return Ok(access);
        }
        if !matches!(need, Need::Register) && access.roles.is_empty() && !access.delegated.any() {
            // Do not even confirm that the company exists to strangers.
            return Err(AppError::NotFound);
        }
        let admins = companies::admin_names(self.db(), company_id).await?;
        let who = if admins.is_empty() { String::from("son administrateur") } else { admins.join(", ") };
        Err(AppError::forbidden(match need {
            Need::Register => format!(
                "Les inscriptions pour « {} » sont réservées aux personnes habilitées. \
                 Pour obtenir ce droit, contactez un administrateur de la structure : {who}.",
                access.name
            ),
            Need::Billing | Need::Orders => format!(
                "Cette page est réservée aux administrateurs et aux responsables facturation de « {} » ({who}).",
                access.name
            ),
            Need::Manage => format!(
                "Cette action est réservée aux administrateurs et aux responsables de formation de « {} » ({who}).",
                access.name
            ),
            _ => format!("Cette action est réservée aux administrateurs de « {} » ({who}).", access.name),
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Register participants for the company (policy and roles).
    Register,
    /// Hold any role on the company, or a delegation to register its participants.
    Member,
    /// Hold a role that registers participants (administrator, training manager).
    Manage,
    /// Administrator or billing manager, or a delegation to read the orders: the
    /// validated orders.
    Orders,
    /// Administrator or billing manager: billing documents (never delegated).
    Billing,
    /// Be an administrator.
    Admin,
}

/// Reads the caller from the request's cookie.
pub async fn caller() -> AppResult<Caller> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })?;
    let token = use_context::<Parts>().and_then(|parts| {
        parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| sessions::token_from_cookie_header(h).map(str::to_string))
    });
    let session = match token {
        Some(t) => sessions::lookup(&state.db, &t).await?,
        None => None,
    };
    let user = match session.as_ref().and_then(|s| s.user_id) {
        Some(id) => accounts::by_id(&state.db, id).await?,
        None => None,
    };
    Ok(Caller { state, session, user })
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
    let Some(parts) = use_context::<Parts>() else { return };
    // A page being rendered (GET) shows its own errors; only a form posted without
    // JavaScript, which the browser leaves for its page, needs the message kept.
    let accepts_html = parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if parts.method != http::Method::POST {
        return;
    }
    if !accepts_html {
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(e.status());
        }
        return;
    }
    if let Ok(mut caller) = caller().await {
        if let Ok(hash) = caller.ensure_session().await {
            let _ = crate::server::drafts::save(caller.db(), &hash, FLASH, &e.to_string()).await;
        }
    }
}
