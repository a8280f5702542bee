//! The daily purge: removes what has no reason to stay, each kind after the duration of
//! the one table `domain::retention::RULES` (the privacy page shows the same table).
//! Invoices, agreements, certificates, registrations and the audit logs are not here:
//! the law and the firms' training obligations keep them.

use super::db::Db;
use crate::domain::retention::{keep_secs, Kind};
use std::collections::BTreeMap;

/// How many rows of each kind one purge removed (or blanked, for mail bodies).
pub type Purged = BTreeMap<Kind, u64>;

/// Purges everything past its duration at `now` (Unix seconds).
pub async fn purge(db: &Db, now: i64) -> Result<Purged, sqlx::Error> {
    let mut out = Purged::new();
    // Blanked, not deleted: the row still counts in the sender's hourly allowance and
    // tells the person, in his export, that the mail was sent.
    let blanked = sqlx::query("UPDATE outbox SET body = '' WHERE created_at <= $1 AND body <> ''")
        .bind(now - keep_secs(Kind::MailBody))
        .execute(db)
        .await?
        .rows_affected();
    out.insert(Kind::MailBody, blanked);
    out.insert(Kind::EndedSession, super::sessions::purge(db, now).await?);
    let drafts = sqlx::query("DELETE FROM form_drafts WHERE updated_at <= $1")
        .bind(now - keep_secs(Kind::Draft))
        .execute(db)
        .await?
        .rows_affected();
    out.insert(Kind::Draft, drafts);
    out.insert(Kind::AccountLink, super::tokens::purge(db, now).await?);
    let t = now - keep_secs(Kind::Invitation);
    let invitations = sqlx::query("DELETE FROM invitations WHERE expires_at <= $1 OR (used_at IS NOT NULL AND used_at <= $2)")
        .bind(t)
        .bind(t)
        .execute(db)
        .await?
        .rows_affected();
    out.insert(Kind::Invitation, invitations);
    out.insert(Kind::FailedLogin, super::throttle::purge(db, now).await?);
    Ok(out)
}
