use crate::domain::catalogue::{CatalogueQuery, CataloguePage, TrainingDetail};
use crate::domain::page::PageRequest;
use crate::error::AppError;
use leptos::prelude::*;

/// Public: anyone may search the catalogue; one page of the trainings found, and their
/// number.
#[server(endpoint = "catalogue/search")]
pub async fn search_catalogue(#[server(default)] query: CatalogueQuery, #[server(default)] page: PageRequest) -> Result<CataloguePage, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::{catalogue, AppState};
        let state = expect_context::<AppState>();
        Ok(catalogue::search(&state.db, &state.catalogue, &query, page).await?)
    }
    .await)
    .await
}

/// Public: a training's page.
#[server(endpoint = "catalogue/training")]
pub async fn get_training(id: i64) -> Result<TrainingDetail, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::{catalogue, AppState};
        let state = expect_context::<AppState>();
        catalogue::detail(&state.db, &state.catalogue, id).await?.ok_or(AppError::NotFound)
    }
    .await)
    .await
}
