//! The invitee's landing page: choose a password, then his own space.

use crate::api::invitation::{get_invitation, AcceptInvitation, InvitedAccount, UNPROVEN_ACCOUNT};
use crate::components::{Field, Notice};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<AcceptInvitation>::new();
    let invitation = Resource::new(token, get_invitation);

    view! {
        <PageHead title="Invitation — Espace Entreprise" description="Acceptez votre invitation à l'Espace Entreprise et choisissez votre mot de passe pour accéder à vos formations et à l'espace de votre structure." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Bienvenue sur l'Espace Entreprise"</h1>
            {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Ok(Some(inv)) if inv.account == InvitedAccount::Existing => view! {
                            <p class="mt-2 text-slate-700" data-testid="invitation-compte-existant">
                                "Bonjour " {inv.first_name.clone()} ", un compte existe déjà pour l'adresse "
                                <strong>{inv.email.clone()}</strong>
                                " : acceptez l'invitation, puis connectez-vous avec votre mot de passe habituel (il ne change pas)."
                            </p>
                            <ActionForm action=action attr:class="mt-4">
                                <input type="hidden" name="token" value=token />
                                <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                                    "Accepter l'invitation"
                                </button>
                            </ActionForm>
                            <p class="mt-4 text-sm">
                                <a class="text-blue-900 underline" href="/connexion?next=/espaces">"Se connecter"</a>
                                " · "
                                <a class="text-blue-900 underline" href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a>
                            </p>
                        }
                        .into_any(),
                        Ok(Some(inv)) if inv.account == InvitedAccount::Unproven => view! {
                            <Notice kind="info">{UNPROVEN_ACCOUNT}</Notice>
                            <p class="mt-4 text-sm">
                                <a class="text-blue-900 underline" href="/connexion?next=/espaces">"Se connecter"</a>
                                " · "
                                <a class="text-blue-900 underline" href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a>
                            </p>
                        }
                        .into_any(),
                        Ok(Some(inv)) => view! {
                            <p class="mt-2 text-slate-700">
                                "Bonjour " {inv.first_name.clone()} ", choisissez votre mot de passe pour accéder à vos formations. "
                                "Votre identifiant : " <strong>{inv.email.clone()}</strong>
                            </p>
                            {
                                let saved = inv.errors.clone();
                                // Errors of the last attempt: from the action with JavaScript,
                                // from the saved draft after a plain form post.
                                move || {
                                    let errors = action.value().get().and_then(|r| r.ok()).unwrap_or_else(|| saved.clone());
                                    view! {
                            <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4">
                                <input type="hidden" name="token" value=token />
                                <Field label="Mot de passe" name="password" kind="password" error=errors.get("password").cloned() required=true autocomplete="new-password" hint="10 caractères au moins" />
                                <Field label="Confirmation du mot de passe" name="password_confirm" kind="password" error=errors.get("password_confirm").cloned() required=true autocomplete="new-password" />
                                <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                                    "Créer mon mot de passe"
                                </button>
                            </ActionForm>
                                    }
                                }
                            }
                        }
                        .into_any(),
                        Ok(None) => view! {
                            <Notice kind="error">
                                "Ce lien d'invitation a déjà servi ou a expiré. Si vous avez déjà choisi votre mot de passe, "
                                <a class="underline" href="/connexion">"connectez-vous"</a> "."
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
