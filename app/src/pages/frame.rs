//! The frame every page is shown in, with what it needs of the session.

use crate::api::account::{get_current_user, take_flash, Logout};
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
        >
            {children()}
        </Layout>
    }
}
