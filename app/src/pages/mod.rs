//! One page per file, and the frame they are shown in (`frame`).

pub mod account;
pub mod catalogue;
pub mod company;
pub mod confirm;
pub mod frame;
pub mod head;
pub mod provider;
pub mod provider_catalogue;
pub mod provider_session;
pub mod second_factor;
pub mod invitation;
pub mod knowledge;
pub mod my_account;
pub mod obligations;
pub mod obligation_sharing;
pub mod privacy;
pub mod recovery;
pub mod spaces;
pub mod survey;
pub mod waitlist;
pub mod wizard;

pub use frame::Frame;

use crate::components::Notice;
use crate::error::AppError;
use leptos::prelude::*;
use head::PageHead;

/// The route's parameter `name` as an id, followed as the route changes; 0 when it is
/// absent or not a number (the server then answers "not found").
pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get(name).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageHead title="Page introuvable — Espace Entreprise" description="Cette adresse ne correspond à aucune page de l'Espace Entreprise : retrouvez les formations depuis le catalogue ou contactez l'assistance." />
        <h1 class="text-2xl font-semibold">"Page introuvable"</h1>
        <p class="mt-2">
            "Cette adresse ne correspond à aucune page. "
            <a class="text-blue-900 underline" href="/catalogue">"Retour au catalogue"</a>
        </p>
        <div class="mt-4">
            <SupportLine />
        </div>
    }
}

/// An error from a server function, shown safely (its text is already French and free
/// of technical detail).
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! {
        <Notice kind="error">{error.to_string()}</Notice>
        <SupportLine />
    }
}

/// The help desk, under an error or on an error page (when the frame has read it).
#[component]
fn SupportLine() -> impl IntoView {
    use_context::<frame::SupportResource>().map(|support| {
        view! {
            <div class="-mt-2 mb-4 text-sm text-slate-700">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        support.0.await.ok().map(|s| view! { <crate::components::SupportContact support=s title="Besoin d'aide ? Assistance" /> })
                    })}
                </Transition>
            </div>
        }
    })
}
