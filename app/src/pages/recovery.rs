//! "Mot de passe oublié ?": ask for a link, then choose a new password through it.

use crate::api::recovery::{get_reset, recovery_state, AskRecovery, ResetPassword};
use crate::components::{Field, Notice};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<AskRecovery>::new();
    let saved = Resource::new(|| (), |_| recovery_state());
    view! {
        <PageHead title="Mot de passe oublié — Espace Entreprise" description="Mot de passe oublié : indiquez l'adresse e-mail de votre compte pour recevoir un lien qui vous permet d'en choisir un nouveau." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Mot de passe oublié"</h1>
            <p class="mt-1 text-slate-700">
                "Indiquez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let saved = saved.await;
                    move || match action.value().get().unwrap_or_else(|| saved.clone()) {
                        Ok(s) => view! {
                            {s.notice.clone().map(|n| view! { <div class="mt-4"><Notice kind="success">{n}</Notice></div> })}
                            <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4" attr:data-testid="form-mot-de-passe-oublie">
                                <Field label="Adresse e-mail" name="email" kind="email" value=s.values.email.clone() error=s.errors.get("email").cloned() required=true autocomplete="username" />
                                <button type="submit" class=BUTTON>"Recevoir un lien"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="mt-4 text-sm">
                <a class="text-blue-900 underline" href="/connexion">"Retour à la connexion"</a>
            </p>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ResetPassword>::new();
    let link = Resource::new(token, get_reset);
    view! {
        <PageHead title="Nouveau mot de passe — Espace Entreprise" description="Choisissez un nouveau mot de passe pour votre compte de l'Espace Entreprise à l'aide du lien de réinitialisation reçu par e-mail." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Choisir un nouveau mot de passe"</h1>
            {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(Some(found)) => {
                            let saved = found.errors.clone();
                            view! {
                                <p class="mt-2 text-slate-700">
                                    "Compte : " <strong>{found.email.clone()}</strong>
                                    ". Toutes les sessions ouvertes sur ce compte seront terminées."
                                </p>
                                {move || {
                                    // Errors of the last attempt: from the action with JavaScript,
                                    // from the saved draft after a plain form post.
                                    let errors = action.value().get().and_then(|r| r.ok()).unwrap_or_else(|| saved.clone());
                                    view! {
                                        <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4" attr:data-testid="form-nouveau-mot-de-passe">
                                            <input type="hidden" name="token" value=token />
                                            <Field label="Nouveau mot de passe" name="password" kind="password" error=errors.get("password").cloned() required=true autocomplete="new-password" hint="10 caractères au moins" />
                                            <Field label="Confirmation du mot de passe" name="password_confirm" kind="password" error=errors.get("password_confirm").cloned() required=true autocomplete="new-password" />
                                            <button type="submit" class=BUTTON>"Enregistrer le mot de passe"</button>
                                        </ActionForm>
                                    }
                                }}
                            }
                            .into_any()
                        }
                        Ok(None) => view! {
                            <Notice kind="error">
                                "Ce lien a déjà servi ou a expiré (il est valable 1 heure). "
                                <a class="underline" href="/mot-de-passe-oublie">"Demander un nouveau lien"</a>
                                "."
                            </Notice>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
