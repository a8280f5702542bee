//! The waiting list of a full session (issue 13): a firm puts participants on it, takes
//! an offered seat in one click (it joins the cart like a registration), or withdraws an
//! entry; the provider's staff see each session's list in its order.

use crate::domain::account::FormState;
use crate::domain::waitlist::{ProviderWaitlistLine, WaitlistLine};
use crate::domain::wizard::CompanyChoice;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A session's waiting-list page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistPage {
    pub session_id: i64,
    pub training_id: i64,
    pub training_title: String,
    /// "du 14/01/2027 au 15/01/2027 — Lyon".
    pub session_label: String,
    pub seats_left: i64,
    /// Open and not begun.
    pub takes_offers: bool,
    /// How many wait for a seat.
    pub waiting: i64,
    pub logged_in: bool,
    /// The companies for which the caller may register participants.
    pub companies: Vec<CompanyChoice>,
    /// The caller's entries on this session's list (those he asked for, those naming
    /// him, those of the companies he manages).
    pub entries: Vec<WaitlistLine>,
    /// The join form's last submission (values, errors) and what it did.
    pub echo: FormState<BTreeMap<String, String>>,
    /// What the last "Accepter la place" or "Retirer" did.
    pub notice: Option<String>,
    /// The caller's (e-mail, first name, last name), to put himself on the list.
    pub me: Option<(String, String, String)>,
}

/// Mes espaces: the caller's entries on waiting lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWaitlist {
    pub lines: Vec<WaitlistLine>,
    pub notice: Option<String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::{Caller, Need};
    use crate::domain::waitlist::WaitlistLine;
    use crate::domain::wizard::CompanyChoice;
    use crate::error::AppResult;
    use crate::server::{companies, delegations, waitlist};

    /// The draft of a session's join form.
    pub fn form(session_id: i64) -> String {
        format!("liste-d-attente:{session_id}")
    }

    /// The draft of what the last claim or withdrawal did.
    pub const NOTICE: &str = "liste-d-attente:avis";

    /// The companies for which the caller may register (his own and those that
    /// delegated registering to him), and the ids of those he manages.
    pub async fn companies(caller: &Caller) -> AppResult<(Vec<CompanyChoice>, Vec<i64>)> {
        let Some(email) = caller.user()?.proven_email() else { return Ok((Vec::new(), Vec::new())) };
        let mut candidates: Vec<CompanyChoice> = companies::of_user(caller.db(), email).await?.into_iter().map(|(c, _)| c).collect();
        for (c, _, scope) in delegations::companies_for(caller.db(), email).await? {
            if scope.register && !candidates.iter().any(|m| m.id == c.id) {
                candidates.push(c);
            }
        }
        let mut register = Vec::new();
        let mut managed = Vec::new();
        for c in candidates {
            if caller.may(c.id, Need::Manage).await? {
                managed.push(c.id);
            }
            if caller.may(c.id, Need::Register).await? {
                register.push(c);
            }
        }
        Ok((register, managed))
    }

    /// The caller's entries (of one session with `session`), each marked with whether
    /// he may act on it (take the offer, withdraw): he may register for its company.
    pub async fn lines(caller: &Caller, managed: &[i64], session: Option<i64>) -> AppResult<Vec<WaitlistLine>> {
        let user = caller.user()?;
        let viewer = waitlist::Viewer { user_id: user.id, email: user.proven_email().map(|e| e.as_str()), managed_companies: managed };
        let mut lines = waitlist::of_viewer(caller.db(), &viewer, session).await?;
        let mut allowed: Vec<(i64, bool)> = Vec::new();
        for l in &mut lines {
            let may = match allowed.iter().find(|(c, _)| *c == l.company_id) {
                Some((_, may)) => *may,
                None => {
                    let may = caller.may(l.company_id, Need::Register).await?;
                    allowed.push((l.company_id, may));
                    may
                }
            };
            l.may_act = may;
        }
        Ok(lines)
    }
}

/// Public: a session's waiting list as the caller may use it (the session, the
/// companies he registers for, his entries on it). Lapsed offers are handed on first.
#[server(endpoint = "waitlist/session")]
pub async fn get_waitlist_page(session_id: i64) -> Result<WaitlistPage, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::waitlist;
        let caller = crate::auth::server::caller().await?;
        waitlist::sweep_session(caller.db(), session_id).await?;
        let info = waitlist::session_info(caller.db(), session_id).await?.ok_or(AppError::NotFound)?;
        let (companies, entries, me) = match &caller.user {
            Some(user) => {
                let (companies, managed) = ssr::companies(&caller).await?;
                let entries = ssr::lines(&caller, &managed, Some(session_id)).await?;
                (companies, entries, Some((user.email().to_string(), user.first_name.clone(), user.last_name.clone())))
            }
            None => (Vec::new(), Vec::new(), None),
        };
        let echo = caller.take_draft(&ssr::form(session_id)).await?.unwrap_or_default();
        let notice = match caller.user {
            Some(_) => caller.take_draft::<String>(ssr::NOTICE).await?,
            None => None,
        };
        Ok(WaitlistPage {
            session_id,
            training_id: info.training_id,
            training_title: info.training_title,
            session_label: info.label,
            seats_left: info.seats_left,
            takes_offers: info.takes_offers,
            waiting: info.waiting,
            logged_in: caller.user.is_some(),
            companies,
            entries,
            echo,
            notice,
            me,
        })
    }
    .await)
    .await
}

/// Those who may register for the company: puts a participant on the session's waiting
/// list, last in order (only when the session is full). The form's answer is kept for
/// the page (with or without JavaScript).
#[server(endpoint = "waitlist/join")]
pub async fn join_waitlist(
    company_id: i64,
    session_id: i64,
    email: String,
    first_name: String,
    last_name: String,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::waitlist::JoinOutcome;
        use crate::domain::wizard::ParticipantForm;
        use crate::server::waitlist::{self, Participant};
        use crate::server::accounts;
        let mut caller = crate::auth::server::caller().await?;
        caller.require_company(company_id, Need::Register).await?;
        let user_id = caller.user()?.id;
        let form = ParticipantForm { email: email.clone(), first_name: first_name.clone(), last_name: last_name.clone() };
        let mut echo: FormState<BTreeMap<String, String>> = FormState {
            values: [("company_id", company_id.to_string()), ("email", email), ("first_name", first_name), ("last_name", last_name)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            ..Default::default()
        };
        let has_account = match form.email() {
            Ok(e) => accounts::by_email(caller.db(), e.as_str()).await?.is_some(),
            Err(_) => false,
        };
        match form.person(has_account) {
            Err(errors) => echo.errors = errors.into_map(),
            Ok(p) => {
                let participant = Participant { email: p.email.clone(), first_name: p.first_name.clone(), last_name: p.last_name.clone() };
                let mut tx = crate::server::db::begin(caller.db()).await?;
                let Some(outcome) = waitlist::join(&mut tx, session_id, company_id, &participant, user_id).await? else {
                    tx.rollback().await?;
                    return Err(AppError::NotFound);
                };
                // Lapsed offers may have been handed on, with their mails: committed whatever the outcome.
                caller.state.mailer.commit(tx).await?;
                let message = outcome.message(&format!("{} {}", p.first_name, p.last_name));
                match outcome {
                    JoinOutcome::Joined { .. } => {
                        echo.values.retain(|k, _| k == "company_id");
                        echo.notice = Some(message);
                    }
                    JoinOutcome::AlreadyOnList | JoinOutcome::AlreadyRegistered => {
                        echo.errors.insert("email".into(), message);
                    }
                    JoinOutcome::NotFull | JoinOutcome::SessionClosed => {
                        echo.errors.insert("form".into(), message);
                    }
                }
            }
        }
        let hash = caller.ensure_session().await?;
        crate::server::drafts::save(caller.db(), &hash, &ssr::form(session_id), &echo).await?;
        Ok(())
    }
    .await)
    .await
}

/// Those who may register for the company: takes the seat offered to one of its entries,
/// in one click. The seat becomes a registration in the caller's cart (as if registered
/// from the catalogue), and the browser goes to that cart. Anything else is a clear
/// refusal (409): the offer lapsed, was taken already, nothing is offered yet…
#[server(endpoint = "waitlist/claim")]
pub async fn claim_offer(company_id: i64, entry_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::mail::{invite_participant, Addressee};
        use crate::server::waitlist::{self, Claim};
        use crate::server::{accounts, companies, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Register).await?;
        let user_id = caller.user()?.id;
        let mut tx = crate::server::db::begin(caller.db()).await?;
        let held_until = crate::server::db::now() + crate::server::orders::HOLD_SECS;
        let claimed = match waitlist::claim(&mut tx, company_id, entry_id, user_id, held_until).await? {
            None => {
                tx.rollback().await?;
                return Err(AppError::NotFound);
            }
            Some(Claim::Refused(outcome)) => {
                // Lapsed offers may have been handed on, with their mails.
                caller.state.mailer.commit(tx).await?;
                return Err(AppError::conflict(outcome.refusal().unwrap_or("Cette place ne peut pas être acceptée.")));
            }
            Some(Claim::Done(seat)) => seat,
        };
        let p = &claimed.participant;
        companies::add_collaborator(&mut tx, company_id, &p.email, &p.first_name, &p.last_name).await?;
        // A participant without an account is invited, as when put in the cart from the catalogue.
        if !accounts::exists(&mut *tx, &p.email).await? {
            let sender = caller.sender()?;
            let added = Addressee { email: &p.email, first_name: &p.first_name, last_name: &p.last_name };
            invite_participant(&mut tx, &sender, company_id, &access.name, &added, &claimed.training_title, &claimed.session_label, claimed.provider_id)
                .await?;
        }
        caller.state.mailer.commit(tx).await?;
        let hash = caller.ensure_session().await?;
        let done = format!(
            "La place de {} {} à « {} » est dans votre panier : validez la commande pour l'inscrire.",
            p.first_name, p.last_name, claimed.training_title
        );
        drafts::save(caller.db(), &hash, crate::auth::server::FLASH, &done).await?;
        leptos_axum::redirect(&format!("/entreprise/{company_id}/panier"));
        Ok(())
    }
    .await)
    .await
}

/// Those who may register for the company: takes one of its entries off the waiting
/// list; a seat offered to it goes to the next person.
#[server(endpoint = "waitlist/withdraw")]
pub async fn withdraw_entry(company_id: i64, entry_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::waitlist;
        let mut caller = crate::auth::server::caller().await?;
        caller.require_company(company_id, Need::Register).await?;
        let mut tx = crate::server::db::begin(caller.db()).await?;
        if !waitlist::withdraw(&mut tx, company_id, entry_id).await? {
            tx.rollback().await?;
            return Err(AppError::conflict("Cette demande n'est plus sur la liste d'attente."));
        }
        caller.state.mailer.commit(tx).await?;
        let hash = caller.ensure_session().await?;
        crate::server::drafts::save(caller.db(), &hash, ssr::NOTICE, &"Demande retirée de la liste d'attente.".to_string()).await?;
        Ok(())
    }
    .await)
    .await
}

/// The caller's entries on waiting lists (those he asked for, those naming his proven
/// address, those of the companies he manages), for Mes espaces.
#[server(endpoint = "waitlist/mine")]
pub async fn get_my_waitlist() -> Result<MyWaitlist, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        caller.user()?;
        let (_, managed) = ssr::companies(&caller).await?;
        let mut lines = ssr::lines(&caller, &managed, None).await?;
        // Lapsed offers are handed on as they are looked at.
        let mut changed = false;
        for session in lines.iter().map(|l| l.session_id).collect::<std::collections::BTreeSet<_>>() {
            changed |= crate::server::waitlist::sweep_session(caller.db(), session).await?;
        }
        if changed {
            lines = ssr::lines(&caller, &managed, None).await?;
        }
        Ok(MyWaitlist { lines, notice: caller.take_draft(ssr::NOTICE).await? })
    }
    .await)
    .await
}

/// Staff of the session's provider: its waiting list, in order.
#[server(endpoint = "waitlist/provider")]
pub async fn get_provider_waitlist(session_id: i64) -> Result<Vec<ProviderWaitlistLine>, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::waitlist;
        let caller = crate::auth::server::caller().await?;
        let (_, session) = caller.require_provider_session(session_id).await?;
        waitlist::sweep_session(caller.db(), session.id).await?;
        Ok(waitlist::of_session(caller.db(), session.id).await?)
    }
    .await)
    .await
}
