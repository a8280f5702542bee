//! Proof of the address: the page a confirmation link opens (a button, since link
//! scanners open links too), and the notice with "Renvoyer le lien" shown to a
//! logged-in user whose address is not proven yet.

use crate::api::account::{get_confirmation, get_unconfirmed, ConfirmEmail, ResendConfirmation};
use crate::components::Notice;
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const PRIMARY: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

/// `/confirmer/<jeton>`: opening the link changes nothing; the button does.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ConfirmEmail>::new();
    let pending = Resource::new(token, get_confirmation);
    view! {
        <PageHead title="Confirmer mon adresse — Espace Entreprise" description="Confirmez l'adresse e-mail de votre compte pour accéder aux droits, inscriptions et documents qui lui sont attribués dans l'Espace Entreprise." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Confirmer votre adresse e-mail"</h1>
            {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(Some(email)) => view! {
                            <p class="mt-2 text-slate-700">
                                "Confirmez que l'adresse " <strong>{email}</strong>
                                " est bien la vôtre : votre compte accèdera ensuite à ce qui lui est attribué (droits, inscriptions, documents)."
                            </p>
                            <ActionForm action=action attr:class="mt-4">
                                <input type="hidden" name="token" value=token />
                                <button type="submit" class=PRIMARY>"Confirmer mon adresse"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Ok(None) => view! {
                            <Notice kind="error">
                                "Ce lien de confirmation n'est pas valable : il a déjà servi, a expiré ou est incomplet. "
                                "Connectez-vous pour en demander un nouveau."
                            </Notice>
                            <a class="text-blue-900 underline" href="/connexion">"Se connecter"</a>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The "Renvoyer le lien" button (a plain form, also without JavaScript).
#[component]
pub fn ResendButton(action: ServerAction<ResendConfirmation>) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="inline">
            <button type="submit" class="rounded border border-blue-900 bg-white px-2 py-1 font-medium text-blue-900 hover:bg-blue-100">
                "Renvoyer le lien"
            </button>
        </ActionForm>
    }
}

/// For a logged-in user whose address is not proven: why his spaces are empty, and the
/// button to get a new link. Nothing for a visitor or a proven address.
#[component]
pub fn UnconfirmedNotice() -> impl IntoView {
    let resend = ServerAction::<ResendConfirmation>::new();
    let location = leptos_router::hooks::use_location();
    let state = Resource::new(move || (location.pathname.get(), resend.version().get()), |_| get_unconfirmed());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                state.await.ok().flatten().map(|u| {
                    view! {
                        <div role="status" class="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="adresse-a-confirmer">
                            // A <div>, not a <p>: a form inside a paragraph is not valid HTML (the
                            // parser closes the paragraph, and hydration finds another tree).
                            <div>
                                "Confirmez votre adresse e-mail " <strong>{u.email.clone()}</strong>
                                " : ouvrez le lien que nous vous avons envoyé. D'ici là, les droits, inscriptions et documents attribués à cette adresse ne sont pas accessibles. "
                                <ResendButton action=resend />
                            </div>
                            {u.message.map(|m| view! { <p class="mt-2 font-medium">{m}</p> })}
                            {move || resend.value().get().and_then(|r| r.err()).map(|e| view! { <p class="mt-2 font-medium" role="alert">{e.to_string()}</p> })}
                        </div>
                    }
                })
            })}
        </Transition>
    }
}
