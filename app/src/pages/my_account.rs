//! "Mon compte": personal, professional and contact details, address, password, and
//! the open sessions of the account; and the page of the link that changes the address.

use crate::api::profile::{get_email_link, get_profile, AskEmailChange, ChangePassword, ConfirmEmailChange, EndSession, UpdateDetails};
use crate::components::{ErrorSummary, Field, Notice, SelectField};
use crate::domain::account::{CIVILITIES, PROFESSIONS};
use crate::error::AppError;
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-5";

fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

#[component]
pub fn MyAccountPage() -> impl IntoView {
    let details = ServerAction::<UpdateDetails>::new();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<AskEmailChange>::new();
    let end = ServerAction::<EndSession>::new();
    let page = Resource::new(
        move || (details.version().get(), password.version().get(), email.version().get(), end.version().get()),
        |_| get_profile(),
    );
    view! {
        <PageHead title="Mon compte — Espace Entreprise" description="Gérez votre compte : informations personnelles et professionnelles, adresse e-mail, mot de passe, double authentification, sessions ouvertes et données." />
        <h1 class="text-2xl font-semibold">"Mon compte"</h1>
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let v = p.details.values.clone();
                        let errs = p.details.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        let pw = p.password.clone();
                        let em = p.email_form.clone();
                        view! {
                            <section class=SECTION aria-labelledby="titre-informations">
                                <h2 id="titre-informations" class="mb-3 text-lg font-semibold">"Mes informations"</h2>
                                {p.details.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                                <ActionForm action=details attr:data-testid="form-informations">
                                    <ErrorSummary errors=p.details.errors.clone() />
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
                                            <Field label="Téléphone" name="form[phone]" kind="tel" value=v.phone error=e("phone") required=true autocomplete="tel" />
                                            <Field label="Adresse" name="form[address_line]" value=v.address_line error=e("address_line") required=true autocomplete="address-line1" />
                                            <Field label="Code postal" name="form[postal_code]" value=v.postal_code error=e("postal_code") required=true autocomplete="postal-code" inputmode="numeric" />
                                            <Field label="Ville" name="form[city]" value=v.city error=e("city") required=true autocomplete="address-level2" />
                                        </div>
                                    </fieldset>
                                    <button type="submit" class=BUTTON>"Enregistrer mes informations"</button>
                                </ActionForm>
                            </section>
                            <section class=SECTION aria-labelledby="titre-adresse">
                                <h2 id="titre-adresse" class="mb-3 text-lg font-semibold">"Mon adresse e-mail"</h2>
                                <p class="mb-3 text-sm text-slate-700">"Adresse actuelle : " <strong data-testid="adresse-actuelle">{p.email.clone()}</strong></p>
                                {em.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                                <ActionForm action=email attr:data-testid="form-adresse">
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Nouvelle adresse e-mail" name="new_email" kind="email" value=em.values.get("new_email").cloned().unwrap_or_default() error=em.errors.get("new_email").cloned() required=true autocomplete="email" hint="Un lien de confirmation lui sera envoyé." />
                                        <Field label="Mot de passe actuel" name="current_password" id="adresse-mot-de-passe" kind="password" error=em.errors.get("current_password").cloned() required=true autocomplete="current-password" />
                                    </div>
                                    <button type="submit" class=BUTTON>"Changer d'adresse"</button>
                                </ActionForm>
                            </section>
                            <section class=SECTION aria-labelledby="titre-mot-de-passe">
                                <h2 id="titre-mot-de-passe" class="mb-3 text-lg font-semibold">"Mot de passe"</h2>
                                {pw.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                                <ActionForm action=password attr:data-testid="form-mot-de-passe">
                                    <Field label="Mot de passe actuel" name="current_password" id="mot-de-passe-actuel" kind="password" error=pw.errors.get("current_password").cloned() required=true autocomplete="current-password" />
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Nouveau mot de passe" name="password" kind="password" error=pw.errors.get("password").cloned() required=true autocomplete="new-password" hint="10 caractères au moins" />
                                        <Field label="Confirmation du mot de passe" name="password_confirm" kind="password" error=pw.errors.get("password_confirm").cloned() required=true autocomplete="new-password" />
                                    </div>
                                    <p class="mb-3 text-sm text-slate-700">"Vos autres sessions ouvertes seront terminées."</p>
                                    <button type="submit" class=BUTTON>"Changer de mot de passe"</button>
                                </ActionForm>
                            </section>
                            <crate::pages::obligations::ProfessionsSection />
                            <section class=SECTION aria-labelledby="titre-2fa">
                                <h2 id="titre-2fa" class="mb-3 text-lg font-semibold">"Double authentification"</h2>
                                <p class="text-sm text-slate-700">
                                    "Un code donné par une application d'authentification, demandé après votre mot de passe. "
                                    <a class="text-blue-900 underline" href="/mon-compte/double-authentification">"Gérer la double authentification"</a>
                                </p>
                            </section>
                            <section class=SECTION aria-labelledby="titre-sessions">
                                <h2 id="titre-sessions" class="mb-3 text-lg font-semibold">"Mes sessions ouvertes"</h2>
                                <p class="mb-3 text-sm text-slate-700">"Une session se termine après 1 heure sans activité, et au plus tard 12 heures après la connexion."</p>
                                {p.sessions_notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                                <table class="w-full text-left text-sm" data-testid="sessions">
                                    <thead>
                                        <tr class="border-b border-slate-200">
                                            <th scope="col" class="py-2 pr-4">"Appareil"</th>
                                            <th scope="col" class="py-2 pr-4">"Dernière utilisation"</th>
                                            <th scope="col" class="py-2 pr-4">"Connexion"</th>
                                            <th scope="col" class="py-2"><span class="sr-only">"Action"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.sessions.clone().into_iter().map(|s| view! {
                                            <tr class="border-b border-slate-100">
                                                <td class="py-2 pr-4">
                                                    {s.device.clone()}
                                                    {s.current.then(|| view! { <span class="ml-2 rounded bg-blue-50 px-1.5 py-0.5 text-xs text-blue-900">"cette session"</span> })}
                                                </td>
                                                <td class="py-2 pr-4">{s.last_used.clone()}</td>
                                                <td class="py-2 pr-4">{s.started.clone()}</td>
                                                <td class="py-2">
                                                    <ActionForm action=end>
                                                        <input type="hidden" name="id" value=s.id.clone() />
                                                        <button type="submit" class="rounded border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-100">
                                                            "Terminer"
                                                            <span class="sr-only">{format!(" la session {}", s.device)}</span>
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <crate::pages::privacy::MyDataSections />
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/connexion?next=/mon-compte" /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The link mailed to a new address: the account's owner, logged in, confirms with a
/// button (a mail scanner that opens the link changes nothing).
#[component]
pub fn EmailChangePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let link = Resource::new(token, get_email_link);
    view! {
        <PageHead title="Changer d'adresse — Espace Entreprise" description="Confirmez la nouvelle adresse e-mail de votre compte de l'Espace Entreprise à l'aide du lien de changement d'adresse reçu par e-mail." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Changer l'adresse de mon compte"</h1>
            {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(found) => match found.new_email {
                            Some(new_email) => view! {
                                <p class="mt-2 text-slate-700">
                                    "Votre compte utilisera désormais l'adresse " <strong>{new_email}</strong>
                                    " : c'est elle qui vous servira à vous connecter."
                                </p>
                                <ActionForm action=action attr:class="mt-4" attr:data-testid="form-changer-adresse">
                                    <input type="hidden" name="token" value=token />
                                    <button type="submit" class=BUTTON>"Confirmer ma nouvelle adresse"</button>
                                </ActionForm>
                            }
                            .into_any(),
                            None => view! {
                                <Notice kind="error">
                                    "Ce lien a déjà servi, a expiré (il est valable 24 heures) ou concerne un autre compte. "
                                    <a class="underline" href="/mon-compte">"Retour à mon compte"</a>
                                </Notice>
                            }
                            .into_any(),
                        },
                        Err(AppError::Unauthenticated) => {
                            // Back to this link after the log-in, if it looks like one.
                            let t = token();
                            let path = if t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()) {
                                format!("/connexion?next=/changer-adresse/{t}")
                            } else {
                                "/connexion?next=/mon-compte".to_string()
                            };
                            view! { <Redirect path /> }.into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
