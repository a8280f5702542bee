//! The documents' download links: plain GETs (a PDF, a CSV) routed by the server
//! binary. Like a server function, each finds out who calls (`auth::server::caller_from`,
//! the same code) and checks his right before handing over to `crate::server::documents`.

use crate::auth::server::{caller_from, Need};
use crate::error::{AppError, AppResult};
use crate::server::documents::{self, File};
use crate::server::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use http::HeaderMap;

/// Administrators and billing managers: the company's billing documents as CSV.
pub async fn export(state: AppState, headers: &HeaderMap, company_id: i64) -> AppResult<File> {
    let caller = caller_from(state, headers).await?;
    caller.require_company(company_id, Need::Billing).await?;
    documents::export_csv(caller.db(), company_id).await
}

/// A document (`documents::find` for `kind` and `id`), to those it belongs to.
pub async fn download(state: AppState, headers: &HeaderMap, kind: &str, id: i64, company: Option<i64>) -> AppResult<File> {
    let caller = caller_from(state, headers).await?;
    let document = documents::find(caller.db(), kind, id, company).await?;
    caller.require_document(&document).await?;
    documents::render(caller.db(), &document).await
}

/// A file to save, never cached.
pub fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A refusal of a download, as plain text with its status.
pub fn refusal(e: &AppError) -> Response {
    (e.status(), [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], e.to_string()).into_response()
}
