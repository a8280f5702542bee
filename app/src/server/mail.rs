//! Outgoing mail: always recorded in the outbox table; sent through SMTP when
//! SMTP_URL is configured (lettre reads it: `smtp://host:port` plain, `smtps://` TLS,
//! `smtp://…?tls=required` STARTTLS, `user:password@` to log in).

use super::db::{new_id, now, Db};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp_url`: "smtp://host:port" (plain, for a relay on the local network or a
    /// test server), "smtps://user:password@host" (TLS) or
    /// "smtp://user:password@host:587?tls=required" (STARTTLS). `None` keeps mail in the
    /// outbox only.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        let smtp = match smtp_url {
            None => None,
            Some(url) => Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("SMTP_URL: {e}"))?.build()),
        };
        Ok(Self { smtp, from })
    }

    /// Records the mail, then hands it to SMTP in the background.
    pub async fn send(&self, db: &Db, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
        self.send_for(db, None, to, subject, body).await
    }

    /// Like `send`, counted against the account whose action sends it (its hourly
    /// bound, `sent_for_since`).
    pub async fn send_for(&self, db: &Db, account: Option<i64>, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
        let id = new_id();
        sqlx::query("INSERT INTO outbox (id, to_addr, subject, body, created_at, sent_for) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now())
            .bind(account)
            .execute(db)
            .await?;
        let Some(smtp) = self.smtp.clone() else { return Ok(()) };
        let message = to.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_string())
                .map_err(|e| e.to_string())
        });
        let db = db.clone();
        tokio::spawn(async move {
            let result = match message {
                Ok(m) => smtp.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let (sent_at, error) = match result {
                Ok(()) => (Some(now()), None),
                Err(e) => {
                    tracing::warn!("mail {id} not sent: {e}");
                    (None, Some(e))
                }
            };
            let _ = sqlx::query("UPDATE outbox SET sent_at = $1, error = $2 WHERE id = $3")
                .bind(sent_at)
                .bind(error)
                .bind(id)
                .execute(&db)
                .await;
        });
        Ok(())
    }
}

/// How many mails the account's actions made the portal send since `since` (Unix s).
pub async fn sent_for_since(db: &Db, account: i64, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_for = $1 AND created_at > $2")
        .bind(account)
        .bind(since)
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Tells each participant of a validated order about his registration; a participant
/// without an account gets a single-use link to choose his password.
pub async fn announce_order(
    db: &Db,
    mailer: &Mailer,
    url: &str,
    order_id: i64,
    company_id: i64,
    company_name: &str,
    by: &crate::domain::account::CurrentUser,
) -> Result<(), sqlx::Error> {
    for seat in super::orders::ordered_seats(db, order_id).await? {
        let intro = format!(
            "Bonjour {},\n\n{} vous a inscrit(e) pour le compte de {} à la formation « {} » ({}, {}).\n",
            seat.first_name, by.display_name(), company_name, seat.training_title, seat.period, seat.city
        );
        let (subject, body) = if super::accounts::by_email(db, &seat.email).await?.is_some() {
            (
                format!("Inscription à « {} »", seat.training_title),
                format!("{intro}Votre inscription est en attente de confirmation par l'organisme de formation.\n\nRetrouvez-la dans vos espaces : {url}/espaces\n"),
            )
        } else {
            let token = super::invitations::create(db, &seat.email, &seat.first_name, &seat.last_name, Some(company_id), by.id).await?;
            (
                format!("Invitation : votre inscription à « {} »", seat.training_title),
                format!("{intro}Pour suivre votre formation, créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{url}/invitation/{token}\n"),
            )
        };
        mailer.send_for(db, Some(by.id), &seat.email, &subject, &body).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Mailer;

    fn accepts(url: &str) -> bool {
        Mailer::new(Some(url), "Espace Entreprise <ne-pas-repondre@example.fr>").is_ok()
    }

    #[tokio::test]
    async fn smtp_urls_as_lettre_reads_them() {
        assert!(accepts("smtp://127.0.0.1:2525"));
        assert!(accepts("smtp://relay.example.fr"));
        assert!(accepts("smtps://portail:secret@smtp.example.fr"));
        assert!(accepts("smtps://portail:secret@smtp.example.fr:465"));
        assert!(accepts("smtp://portail:s%40cret@smtp.example.fr:587?tls=required"));
        assert!(accepts("smtp://smtp.example.fr?tls=opportunistic"));
        assert!(!accepts("http://smtp.example.fr"));
        assert!(!accepts("smtp://smtp.example.fr?tls=sometimes"));
        assert!(!accepts("smtp://"));
        assert!(!accepts("127.0.0.1:2525"));
        assert!(Mailer::new(None, "pas une adresse").is_err());
    }
}
