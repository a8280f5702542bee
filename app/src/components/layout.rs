use crate::components::Notice;
use leptos::prelude::*;
use std::future::Future;

/// The frame of every page: the header with the logged-in user and "Mes espaces".
/// It reads nothing itself: the caller (`pages::Frame`) says who is logged in and which
/// message to show, as futures awaited inside the frame's transitions, and gives the
/// log-out form (its action is a server function, which a component does not call).
#[component]
pub fn Layout<U, UF, F, FF>(
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
    children: Children,
) -> impl IntoView
where
    U: Fn() -> UF + Copy + Send + Sync + 'static,
    UF: Future<Output = Option<String>> + Send + 'static,
    F: Fn() -> FF + Copy + Send + Sync + 'static,
    FF: Future<Output = Option<String>> + Send + 'static,
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
                                    <span class="text-slate-700" data-testid="utilisateur">{name}</span>
                                    {logout_form.run()}
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
            "Assistance : du lundi au vendredi de 9h à 18h, hors jours fériés."
        </footer>
    }
    .into_any()
}
