//! "Remplacer le participant": a registration of the firm, its history, and the
//! replacement of its participant by another person of the firm before the session
//! (administrators and training managers: `Need::Manage`).

use crate::api::company::AdminPage;
use crate::domain::registration::RegistrationLine;
use crate::domain::rights::Tabs;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of a registration's history, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// "05/12/2026 à 14h32" (Paris time).
    pub when: String,
    pub text: String,
}

/// A registration of the firm as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub tabs: Tabs,
    pub registration: RegistrationLine,
    pub history: Vec<HistoryLine>,
    /// The caller may replace participants (administrator, training manager).
    pub may_manage: bool,
    /// Why this registration's participant cannot be replaced now, if so.
    pub refusal: Option<String>,
    /// The directory (e-mail, "Nom Prénom (e-mail)"), the current participant left out;
    /// empty for whoever may not replace.
    pub directory: Vec<(String, String)>,
}

/// The form's name for its answers (`api::company::ssr::answer`).
pub fn form_name(registration_id: i64) -> String {
    format!("remplacer-{registration_id}")
}

/// Any member of the company: one of its registrations with its history; for its
/// administrators and training managers, what the replacement form needs.
#[server(endpoint = "company/registration")]
pub async fn get_registration(company_id: i64, registration_id: i64) -> Result<AdminPage<RegistrationView>, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::date::paris_datetime;
        use crate::domain::registration::substitution_refusal;
        use crate::domain::rights::allows;
        use crate::server::substitution::{self, EventKind};
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Member).await?;
        let seat = substitution::seat(caller.db(), company_id, registration_id).await?.ok_or(AppError::NotFound)?;
        let history = seat
            .history
            .iter()
            .map(|e| {
                let by = e.by.as_deref().map(|b| format!(", par {b}")).unwrap_or_default();
                let text = match &e.what {
                    EventKind::Registered { participant } => format!("Inscription de {}{by}.", participant.name()),
                    EventKind::Substituted(r) => format!("{} remplace {}{by}.", r.to.name(), r.from.name()),
                    EventKind::Other(kind) => format!("{kind}{by}."),
                };
                HistoryLine { when: paris_datetime(e.at), text }
            })
            .collect();
        let may_manage = allows(&access, Need::Manage);
        let line = seat.line;
        let refusal = substitution_refusal(line.status, line.upcoming).map(String::from);
        let directory = if may_manage && refusal.is_none() {
            crate::server::companies::directory(caller.db(), company_id)
                .await?
                .into_iter()
                .filter(|p| p.email != line.participant_email)
                .map(|p| {
                    let label = format!("{} {} ({})", p.last_name, p.first_name, p.email);
                    (p.email, label)
                })
                .collect()
        } else {
            Vec::new()
        };
        let view = RegistrationView { tabs: access.tabs(), registration: line, history, may_manage, refusal, directory };
        let form = form_name(registration_id);
        crate::api::company::ssr::page(&caller, &access, &[form.as_str()], view).await
    }
    .await)
    .await
}

/// Administrators and training managers of the company: replaces the participant of one
/// of its registrations, before its session, by a person of the directory
/// (`directory_email`) or a new one (first name, last name, e-mail; then added to the
/// directory). The seat, the order and the invoices stay; the new participant is
/// convened, the former one and the provider's staff are told.
#[server(endpoint = "company/registrations/substitute")]
pub async fn substitute_participant(
    company_id: i64,
    registration_id: i64,
    #[server(default)] directory_email: String,
    #[server(default)] email: String,
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::ssr;
        use crate::auth::server::Need;
        use crate::domain::directory::CollaboratorForm;
        use crate::server::registrations::Participant;
        use crate::server::substitution::{self, Firm, Outcome};
        let mut caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Manage).await?;
        let typed = [
            ("directory_email", directory_email.as_str()),
            ("email", email.as_str()),
            ("first_name", first_name.as_str()),
            ("last_name", last_name.as_str()),
        ];
        let form = form_name(registration_id);
        let directory = crate::server::companies::directory(caller.db(), company_id).await?;
        let chosen = directory_email.trim();
        let person = if !chosen.is_empty() {
            if !email.trim().is_empty() {
                Err(("directory_email", "Choisissez une personne de l'annuaire ou saisissez une nouvelle personne, pas les deux."))
            } else {
                directory
                    .iter()
                    .find(|p| p.email == chosen)
                    .map(|p| Participant { email: p.email.clone(), first_name: p.first_name.clone(), last_name: p.last_name.clone() })
                    .ok_or(("directory_email", "Choisissez une personne de l'annuaire."))
            }
        } else if email.trim().is_empty() && first_name.trim().is_empty() && last_name.trim().is_empty() {
            Err(("directory_email", "Choisissez une personne de l'annuaire ou saisissez une nouvelle personne."))
        } else {
            let typed_form = CollaboratorForm { first_name: first_name.clone(), last_name: last_name.clone(), email: email.clone() };
            // A person of the directory typed by address alone takes its names.
            let known = crate::domain::Email::parse(&email)
                .ok()
                .and_then(|e| directory.iter().find(|p| p.email == e.as_str()))
                .filter(|_| first_name.trim().is_empty() && last_name.trim().is_empty());
            match (known, typed_form.parse()) {
                (Some(p), _) => Ok(Participant { email: p.email.clone(), first_name: p.first_name.clone(), last_name: p.last_name.clone() }),
                (None, Ok(v)) => Ok(Participant { email: v.email.to_string(), first_name: v.first_name, last_name: v.last_name }),
                (None, Err(errors)) => return ssr::answer(&mut caller, company_id, &form, ssr::refused(&typed, errors)).await,
            }
        };
        let person = match person {
            Ok(p) => p,
            Err((field, message)) => return ssr::answer(&mut caller, company_id, &form, ssr::invalid(&typed, field, message)).await,
        };
        caller.require_mail_allowance().await?;
        let outcome = {
            let sender = caller.sender()?;
            let firm = Firm { id: company_id, name: &access.name };
            substitution::substitute(caller.db(), &caller.state.mailer, &sender, firm, registration_id, &person).await?
        };
        let name = format!("{} {}", person.first_name, person.last_name);
        match outcome {
            Outcome::Replaced { previous } => {
                let notice = format!(
                    "{name} remplace {} : la place, la commande et la facture sont conservées. \
                     {name} a reçu sa convocation ; l'organisme de formation est prévenu.",
                    previous.name()
                );
                ssr::answer(&mut caller, company_id, &form, ssr::notice(notice)).await
            }
            Outcome::NotFound => Err(AppError::NotFound),
            Outcome::Refused(why) => Err(AppError::conflict(why)),
            Outcome::SamePerson => Err(AppError::conflict(format!("{name} est déjà le participant de cette inscription."))),
            Outcome::AlreadyRegistered(status) => Err(AppError::conflict(format!(
                "{name} a déjà une inscription à cette session (statut : {}) : choisissez une autre personne.",
                status.label()
            ))),
            Outcome::Changed => Err(AppError::conflict("Cette inscription vient d'être modifiée : rechargez la page et recommencez.")),
        }
    }
    .await)
    .await
}
