//! "Demander les droits": a refused person asks the company's administrators for the
//! role that meets what he needs; an administrator grants it from the mail's link.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Any logged-in person with a proven address: asks the administrators of the company
/// for `role`. The answer is the same whether or not the company exists (its ids are
/// not to be probed); each person makes at most `PER_DAY` requests a day, and one at a
/// time per company, so nobody can make the portal mail an administrator at will.
#[server(endpoint = "company/request-rights")]
pub async fn request_rights(company_id: i64, role: String) -> Result<String, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::Role;
        use crate::server::companies;
        use crate::server::outbox::Mail;
        use crate::server::rights_requests::{self, AskOutcome};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let role = Role::from_code(&role).ok_or_else(|| AppError::validation("role", "Choisissez le rôle demandé."))?;
        if user.proven_email().is_none() {
            // A right goes to an address: its owner asks for it, once he has proven it.
            return Err(AppError::forbidden("Confirmez d'abord votre adresse e-mail (le lien reçu à l'inscription), puis demandez les droits."));
        }
        let sent = "Votre demande a été transmise aux administrateurs de la structure : vous recevrez un e-mail dès qu'ils vous auront accordé ce droit.".to_string();
        let Some(access) = caller.access_to_ask(company_id).await? else {
            crate::auth::server::tell_next_page(&sent).await;
            return Ok(sent);
        };
        if access.roles.contains(&role) {
            return Err(AppError::conflict("Vous avez déjà ce rôle dans cette structure."));
        }
        caller.require_mail_allowance().await?;
        // The request and the mails to the administrators, together.
        let mut tx = crate::server::db::begin(caller.db()).await?;
        let notice = match rights_requests::ask(&mut tx, company_id, user.id, role).await? {
            AskOutcome::Recorded(request_id) => {
                let link = format!("{}/entreprise/{company_id}/demandes/{request_id}", caller.state.config.public_url);
                let body = format!(
                    "Bonjour,\n\n{} ({}) demande le rôle « {} » dans l'espace entreprise de {}.\n\n\
                     Pour l'accorder en un clic, ouvrez ce lien (connecté en administrateur) :\n{link}\n\n\
                     Si vous ne connaissez pas cette personne, ignorez ce message : rien ne change sans votre accord.\n",
                    user.display_name(),
                    user.email(),
                    role.label(),
                    access.name
                );
                let subject = format!("Demande de droits : {}", user.display_name());
                for admin in companies::admin_emails(&mut *tx, company_id).await? {
                    let mail = Mail::new(admin, subject.as_str(), body.as_str()).sent_for(Some(user.id));
                    caller.state.mailer.enqueue(&mut tx, &mail).await?;
                }
                caller.state.mailer.commit(tx).await?;
                sent
            }
            AskOutcome::AlreadyPending => {
                tx.rollback().await?;
                "Votre demande est déjà entre les mains des administrateurs de la structure.".to_string()
            }
            AskOutcome::TooMany => {
                tx.rollback().await?;
                return Err(AppError::conflict("Vous avez fait trop de demandes de droits aujourd'hui : réessayez demain."));
            }
        };
        crate::auth::server::tell_next_page(&notice).await;
        Ok(notice)
    }
    .await)
    .await
}

/// A request of rights, as its administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsRequestView {
    pub company_name: String,
    pub person: String,
    pub email: String,
    pub role_label: String,
    pub granted: bool,
}

/// Administrators of the company: one request made to them.
#[server(endpoint = "company/rights-request")]
pub async fn get_rights_request(company_id: i64, request_id: i64) -> Result<RightsRequestView, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::Role;
        use crate::server::rights_requests;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Admin).await?;
        let r = rights_requests::find(caller.db(), company_id, request_id).await?.ok_or(AppError::NotFound)?;
        Ok(RightsRequestView {
            company_name: access.name,
            person: format!("{} {}", r.first_name, r.last_name),
            email: r.email,
            role_label: Role::from_code(&r.role).map(|r| r.label()).unwrap_or_default().to_string(),
            granted: r.granted_at.is_some(),
        })
    }
    .await)
    .await
}

/// Administrators of the company: grants the role asked for; the person is told by mail.
#[server(endpoint = "company/grant-request")]
pub async fn grant_rights_request(company_id: i64, request_id: i64) -> Result<String, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::Role;
        use crate::server::rights_requests;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Admin).await?;
        let actor = caller.user()?.id;
        let r = rights_requests::find(caller.db(), company_id, request_id).await?.ok_or(AppError::NotFound)?;
        caller.require_mail_allowance().await?;
        let label = Role::from_code(&r.role).map(|r| r.label()).unwrap_or_default();
        // The grant and the mail telling of it, together.
        let mut tx = crate::server::audit::begin_change(caller.db(), company_id).await?;
        let notice = if rights_requests::grant(&mut tx, actor, &r).await? {
            let body = format!(
                "Bonjour {},\n\nVous avez désormais le rôle « {label} » dans l'espace entreprise de {} :\n{}/entreprise/{company_id}\n",
                r.first_name, access.name, caller.state.config.public_url
            );
            let mail = crate::server::outbox::Mail::new(r.email.as_str(), format!("Droits accordés : {}", access.name), body).sent_for(Some(actor));
            caller.state.mailer.enqueue(&mut tx, &mail).await?;
            caller.state.mailer.commit(tx).await?;
            format!("{} {} a désormais le rôle « {label} ».", r.first_name, r.last_name)
        } else {
            tx.commit().await?;
            "Cette demande a déjà été accordée.".to_string()
        };
        crate::auth::server::tell_next_page(&notice).await;
        Ok(notice)
    }
    .await)
    .await
}
