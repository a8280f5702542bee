//! Log-in and account creation; both forms are also the first step of the wizard.

use crate::api::account::{login_state, signup_state, Login, Signup};
use crate::components::{ErrorSummary, Field, Notice, SelectField};
use crate::domain::account::{FormState, CIVILITIES, PROFESSIONS};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page to go back to after the form: a local path only (`api::safe_next`).
fn next_param() -> String {
    use_query_map().read_untracked().get("next").map(|n| crate::api::safe_next(&n)).unwrap_or_else(|| crate::api::DEFAULT_NEXT.to_string())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = next_param();
    view! {
        <PageHead title="Connexion — Espace Entreprise" description="Connectez-vous à l'Espace Entreprise avec votre compte individuel et nominatif pour suivre vos formations et gérer les inscriptions de votre structure." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Connexion"</h1>
            <LoginForm next=next.clone() />
            <p class="mt-3 text-sm">
                <a class="text-blue-900 underline" href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a>
            </p>
            <p class="mt-2 text-sm">
                "Pas encore de compte ? "
                <a class="text-blue-900 underline" href=format!("/creer-un-compte?next={}", crate::api::query_value(&next))>"Créer un compte individuel"</a>
            </p>
        </div>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let next = next_param();
    view! {
        <PageHead title="Créer un compte — Espace Entreprise" description="Créez votre compte individuel et nominatif avec vos informations personnelles, professionnelles et de contact pour vous inscrire aux formations." />
        <div class="mx-auto max-w-2xl">
            <h1 class="text-2xl font-semibold">"Créer votre compte individuel"</h1>
            <p class="mt-1 text-slate-700">"Un compte nominatif par personne : il vous suivra tout au long de votre parcours professionnel."</p>
            <SignupForm next />
        </div>
    }
}

#[component]
pub fn LoginForm(#[prop(into)] next: String) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    // The saved state for a page load; then, with JavaScript, each answer of the action.
    let saved = Resource::new(|| (), |_| login_state());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    let saved = saved.await;
                    let next = next.clone();
                    move || match action.value().get().unwrap_or_else(|| saved.clone()) {
                        Ok(s) => {
                            let next = next.clone();
                            view! {
                            <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4" attr:data-testid="form-connexion">
                                <input type="hidden" name="next" value=next />
                                <Field label="Adresse e-mail" name="email" id="connexion-email" kind="email" value=s.values.email required=true autocomplete="username" />
                                <Field label="Mot de passe" name="password" id="connexion-mot-de-passe" kind="password" error=s.errors.get("password").cloned() required=true autocomplete="current-password" />
                                <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2">
                                    "Se connecter"
                                </button>
                            </ActionForm>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn SignupForm(#[prop(into)] next: String) -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let saved = Resource::new(|| (), |_| signup_state());
    let options = |list: &[(&str, &str)]| list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect::<Vec<_>>();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let next = next.clone();
                Suspend::new(async move {
                    let saved = saved.await;
                    let next = next.clone();
                    move || match action.value().get().unwrap_or_else(|| saved.clone()) {
                        Ok(FormState { notice: Some(notice), .. }) => view! {
                            <div class="mt-4" data-testid="confirmation-envoyee">
                                <Notice kind="success">{notice}</Notice>
                            </div>
                        }
                        .into_any(),
                        Ok(s) => {
                            let next = next.clone();
                            let v = s.values;
                            let errors = s.errors.clone();
                            let e = move |k: &str| errors.get(k).cloned();
                            view! {
                                <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4" attr:data-testid="form-compte">
                                    <ErrorSummary errors=s.errors.clone() />
                                    <input type="hidden" name="next" value=next />
                                    <fieldset>
                                        <legend class="mb-2 font-semibold">"Informations personnelles"</legend>
                                        <div class="grid gap-x-4 md:grid-cols-3">
                                            <SelectField label="Civilité" name="form[civility]" options=options(&CIVILITIES) value=v.civility error=e("civility") required=true placeholder="—" />
                                            <Field label="Prénom" name="form[first_name]" value=v.first_name error=e("first_name") required=true autocomplete="given-name" />
                                            <Field label="Nom" name="form[last_name]" value=v.last_name error=e("last_name") required=true autocomplete="family-name" />
                                        </div>
                                    </fieldset>
                                    <fieldset>
                                        <legend class="mb-2 font-semibold">"Informations professionnelles"</legend>
                                        <div class="grid gap-x-4 md:grid-cols-2">
                                            <SelectField label="Profession" name="form[profession]" options=options(&PROFESSIONS) value=v.profession error=e("profession") required=true placeholder="—" />
                                            <Field label="Numéro d'inscription professionnelle" name="form[professional_number]" value=v.professional_number error=e("professional_number") hint="CNCC ou Ordre, obligatoire pour les CAC et EC" />
                                        </div>
                                    </fieldset>
                                    <fieldset>
                                        <legend class="mb-2 font-semibold">"Coordonnées"</legend>
                                        <div class="grid gap-x-4 md:grid-cols-2">
                                            <Field label="Adresse e-mail" name="form[email]" kind="email" value=v.email error=e("email") required=true autocomplete="email" />
                                            <Field label="Téléphone" name="form[phone]" kind="tel" value=v.phone error=e("phone") required=true autocomplete="tel" />
                                            <Field label="Adresse" name="form[address_line]" value=v.address_line error=e("address_line") required=true autocomplete="address-line1" />
                                            <div class="grid grid-cols-2 gap-x-4">
                                                <Field label="Code postal" name="form[postal_code]" value=v.postal_code error=e("postal_code") required=true autocomplete="postal-code" inputmode="numeric" />
                                                <Field label="Ville" name="form[city]" value=v.city error=e("city") required=true autocomplete="address-level2" />
                                            </div>
                                        </div>
                                    </fieldset>
                                    <fieldset>
                                        <legend class="mb-2 font-semibold">"Mot de passe"</legend>
                                        <div class="grid gap-x-4 md:grid-cols-2">
                                            <Field label="Mot de passe" name="password" kind="password" error=e("password") required=true autocomplete="new-password" hint="10 caractères au moins" />
                                            <Field label="Confirmation du mot de passe" name="password_confirm" kind="password" error=e("password_confirm") required=true autocomplete="new-password" />
                                        </div>
                                    </fieldset>
                                    <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2">
                                        "Créer mon compte"
                                    </button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
