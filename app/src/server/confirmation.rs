//! Proof of an account's address: the confirmation link mailed at sign-up (and again on
//! request, within limits), the mail that tells an address's owner that someone tried
//! to sign up with it, and the use of the link. Until the address is proven, nothing
//! granted to it reaches the account (`CurrentUser::proven_email`).

use super::db::{now, Db};
use super::mail::Mailer;
use super::outbox::{self, Mail};
use super::tokens::{self, Purpose};
use sqlx::AnyConnection;

/// At most one link a minute, and five a day, per account (sign-up's included).
pub const RESEND_MIN_INTERVAL_SECS: i64 = 60;
pub const RESEND_MAX_PER_DAY: i64 = 5;

/// Issues a confirmation link for the account and mails it to its address, in `conn`:
/// the transaction that creates the account, or one of its own (a new link).
pub async fn send_link(conn: &mut AnyConnection, public_url: &str, user_id: i64, email: &str, first_name: &str) -> Result<(), sqlx::Error> {
    let token = tokens::issue(&mut *conn, user_id, Purpose::Confirm, email).await?;
    let body = format!(
        "Bonjour {first_name},\n\n\
         Pour confirmer que cette adresse est bien la vôtre et activer votre compte sur l'Espace Entreprise, \
         ouvrez ce lien (valable 24 heures, une seule fois) puis cliquez sur « Confirmer mon adresse » :\n\
         {public_url}/confirmer/{token}\n\n\
         Tant que l'adresse n'est pas confirmée, les droits, inscriptions et documents qui lui sont attribués \
         ne sont pas accessibles depuis le compte.\n\n\
         Si vous n'avez pas créé de compte, ignorez ce message : ne confirmez pas.\n"
    );
    outbox::enqueue(conn, &Mail::new(email, "Confirmez votre adresse e-mail", body)).await
}

/// Tells the owner of an address that already has an account that someone tried to
/// create another one with it (the sign-up page answers as for a new address).
pub async fn mail_existing_owner(db: &Db, mailer: &Mailer, public_url: &str, email: &str) -> Result<(), sqlx::Error> {
    let body = format!(
        "Bonjour,\n\n\
         Quelqu'un a essayé de créer un compte sur l'Espace Entreprise avec cette adresse e-mail. \
         Un compte existe déjà pour elle : aucun autre compte n'a été créé.\n\n\
         Si c'était vous, connectez-vous : {public_url}/connexion\n\
         Mot de passe oublié ? Choisissez-en un nouveau : {public_url}/mot-de-passe-oublie\n\n\
         Si ce n'était pas vous, vous n'avez rien à faire : votre compte et votre mot de passe n'ont pas changé.\n"
    );
    mailer.post(db, &Mail::new(email, "Tentative de création de compte avec votre adresse", body)).await
}

/// Why a new link was not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A link was sent less than a minute ago.
    TooSoon,
    /// Five links were sent in the last 24 hours.
    TooMany,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::TooSoon => "Un lien de confirmation vient de vous être envoyé : attendez une minute avant d'en demander un autre.",
            Refusal::TooMany => {
                "Vous avez demandé 5 liens de confirmation en 24 heures : utilisez le dernier reçu, ou réessayez demain."
            }
        }
    }
}

/// Whether another link may be sent to the account now (the limits above).
pub async fn may_resend(db: &Db, user_id: i64) -> Result<Result<(), Refusal>, sqlx::Error> {
    let t = now();
    if tokens::issued_since(db, user_id, Purpose::Confirm, t - RESEND_MIN_INTERVAL_SECS).await? > 0 {
        return Ok(Err(Refusal::TooSoon));
    }
    if tokens::issued_since(db, user_id, Purpose::Confirm, t - 24 * 3600).await? >= RESEND_MAX_PER_DAY {
        return Ok(Err(Refusal::TooMany));
    }
    Ok(Ok(()))
}

/// The address a usable confirmation link is for, without using it (the page that asks
/// for the click; a link scanner's GET changes nothing).
pub async fn pending(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(tokens::peek(db, token, Purpose::Confirm).await?.map(|u| u.email))
}

/// Uses the link: the account's address is proven if it is still the one the link was
/// sent to; the account's other confirmation links are revoked. The account's id, or
/// `None` for an unknown, used, expired or other-purpose link.
pub async fn confirm(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let Some(used) = tokens::consume(&mut tx, token, Purpose::Confirm).await? else {
        tx.rollback().await?;
        return Ok(None);
    };
    if !super::accounts::mark_confirmed(&mut tx, used.user_id, &used.email).await? {
        // The account's address changed since: this link proves nothing any more.
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    tokens::revoke(db, used.user_id, Purpose::Confirm).await?;
    Ok(Some(used.user_id))
}
