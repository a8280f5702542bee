use crate::components::{Notice, SupportContact};
use crate::domain::support::Support;
use leptos::prelude::*;
use std::future::Future;

/// The frame of every page: the header with "Mes espaces" and the account menu ("Mon
/// compte", "Accéder à mes Espaces", "Se déconnecter").
/// It reads nothing itself: the caller (`pages::Frame`) says who is logged in and which
/// message to show, as futures awaited inside the frame's transitions, and gives the
/// log-out form (its action is a server function, which a component does not call).
#[component]
pub fn Layout<U, UF, F, FF, S, SF>(
    /// The logged-in user's name, or `None` for a visitor.
    user_name: U,
    /// A message left for this page by the previous request, shown once.
    flash: F,
    /// The log-out form, shown to a logged-in user.
    #[prop(into)]
    logout_form: ViewFn,
    /// What the user must do about his account, at the top of every page (the notice to
    /// confirm his address).
    #[prop(optional, into)]
    account_notice: ViewFn,
    /// The help desk shown in the footer ("Assistance à l'utilisation").
    support: S,
    children: Children,
) -> impl IntoView
where
    U: Fn() -> UF + Copy + Send + Sync + 'static,
    UF: Future<Output = Option<String>> + Send + 'static,
    F: Fn() -> FF + Copy + Send + Sync + 'static,
    FF: Future<Output = Option<String>> + Send + 'static,
    S: Fn() -> SF + Copy + Send + Sync + 'static,
    SF: Future<Output = Option<Support>> + Send + 'static,
{
    view! {
        <a href="#contenu" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
            "Aller au contenu"
        </a>
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3">
                <a href="/" class="text-lg font-semibold text-blue-900">
                    "Espace Entreprise"
                    <span class="ml-2 text-sm font-normal text-slate-600">"Formations CAC et EC"</span>
                </a>
                <nav aria-label="Navigation principale" class="flex items-center gap-4 text-sm">
                    <a href="/catalogue" class="text-slate-800 hover:underline">"Catalogue"</a>
                    <Transition fallback=|| ()>
                        {move || {
                            let logout_form = logout_form.clone();
                            Suspend::new(async move {
                            match user_name().await {
                                Some(name) => view! {
                                    <a href="/espaces" class="font-medium text-blue-900 hover:underline">"Mes espaces"</a>
                                    // The account menu: a <details>, so it opens without JavaScript.
                                    <details class="relative" data-testid="menu-compte">
                                        <summary class="cursor-pointer list-none rounded px-2 py-1 text-slate-800 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-blue-700">
                                            <span data-testid="utilisateur">{name}</span>
                                            <span aria-hidden="true" class="ml-1 text-xs">"▾"</span>
                                        </summary>
                                        <div class="absolute right-0 z-10 mt-2 flex w-56 flex-col gap-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
                                            <a href="/mon-compte" class="rounded px-2 py-1 text-slate-800 hover:bg-slate-100">"Mon compte"</a>
                                            <a href="/espaces" class="rounded px-2 py-1 text-slate-800 hover:bg-slate-100">"Accéder à mes Espaces"</a>
                                            {logout_form.run()}
                                        </div>
                                    </details>
                                }
                                .into_any(),
                                _ => view! {
                                    <a href="/connexion" class="text-slate-800 hover:underline">"Se connecter"</a>
                                    <a href="/creer-un-compte" class="rounded bg-blue-900 px-3 py-1.5 text-white hover:bg-blue-800">
                                        "Créer un compte"
                                    </a>
                                }
                                .into_any(),
                            }
                            })
                        }}
                    </Transition>
                </nav>
            </div>
        </header>
        <main id="contenu" class="mx-auto max-w-6xl px-4 py-6">
            {account_notice.run()}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    flash().await.map(|message| view! { <Notice kind="error">{message}</Notice> })
                })}
            </Transition>
            {children()}
        </main>
        <footer class="mx-auto max-w-6xl px-4 py-6 text-xs text-slate-600">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    support().await.map(|s| view! { <SupportContact support=s title="Assistance à l'utilisation" /> })
                })}
            </Transition>
            <p class="mt-2"><a href="/confidentialite" class="underline">"Données personnelles et confidentialité"</a></p>
        </footer>
    }
    .into_any()
}
