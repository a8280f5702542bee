//! The frame every page is shown in, with what it needs of the session.

use crate::api::account::{get_current_user, take_flash, Logout};
use crate::api::support::get_support;
use crate::domain::support::Support;
use crate::error::AppError;
use crate::components::Layout;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Reads who is logged in and the one-time message for the presentational `Layout`.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let location = use_location();
    // Re-read on every navigation: a log-in or log-out changes it.
    let user = Resource::new(move || location.pathname.get(), |_| get_current_user());
    let flash = Resource::new(move || location.pathname.get(), |_| take_flash());
    let logout = ServerAction::<Logout>::new();
    // Read once: the same for every page, and for the error boxes (through context).
    let support = SupportResource(Resource::new(|| (), |_| get_support()));
    provide_context(support);
    view! {
        <Layout
            user_name=move || async move { user.await.ok().flatten().map(|u| u.display_name()) }
            flash=move || async move { flash.await.ok().flatten() }
            logout_form=move || view! {
                <ActionForm action=logout>
                    <button type="submit" class="w-full rounded px-2 py-1 text-left text-slate-800 hover:bg-slate-100">
                        "Se déconnecter"
                    </button>
                </ActionForm>
            }
            account_notice=|| view! { <crate::pages::confirm::UnconfirmedNotice /> }
            support=move || async move { support.0.await.ok() }
        >
            {children()}
        </Layout>
    }
}

/// The help desk, read by the frame, for the error boxes of its pages.
#[derive(Clone, Copy)]
pub struct SupportResource(pub Resource<Result<Support, AppError>>);
