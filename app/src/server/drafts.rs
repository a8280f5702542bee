//! Form drafts: what a visitor typed, kept per browser session and form name.

use super::db::{now, Db};
use serde::{de::DeserializeOwned, Serialize};

pub async fn load<T: DeserializeOwned>(db: &Db, session_hash: &str, form: &str) -> Result<Option<T>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT data FROM form_drafts WHERE session_hash = $1 AND form = $2")
        .bind(session_hash)
        .bind(form)
        .fetch_optional(db)
        .await?;
    Ok(row.and_then(|(data,)| serde_json::from_str(&data).ok()))
}

pub async fn save<T: Serialize>(db: &Db, session_hash: &str, form: &str, value: &T) -> Result<(), sqlx::Error> {
    let data = serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO form_drafts (session_hash, form, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (session_hash, form) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
    )
    .bind(session_hash)
    .bind(form)
    .bind(data)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn clear(db: &Db, session_hash: &str, form: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM form_drafts WHERE session_hash = $1 AND form = $2")
        .bind(session_hash)
        .bind(form)
        .execute(db)
        .await?;
    Ok(())
}
