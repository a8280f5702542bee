//! The second factor: the log-in's code step (/connexion/code) and its set-up in Mon
//! compte (/mon-compte/double-authentification).

use crate::api::second_factor::{
    get_second_factor, BeginSecondFactor, ConfirmSecondFactor, DisableSecondFactor, LoginCode, RenewRecoveryCodes,
};
use crate::components::{Field, Notice};
use crate::error::AppError;
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

/// The code field of a form, with the answer to its last post: a refused code next to
/// the field, any other error above it.
#[component]
fn CodeField(
    result: Option<Result<(), AppError>>,
    #[prop(into)] label: String,
    #[prop(into)] id: String,
) -> impl IntoView {
    let (field, page) = match result {
        Some(Err(AppError::Validation { field, message })) if field == "code" => (Some(message), None),
        Some(Err(e)) => (None, Some(e)),
        _ => (None, None),
    };
    view! {
        {page.map(|e| view! { <ErrorBox error=e /> })}
        <Field label=label name="code" id=id error=field required=true autocomplete="one-time-code" inputmode="numeric" />
    }
}

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<LoginCode>::new();
    view! {
        <PageHead title="Code de connexion — Espace Entreprise" description="Saisissez le code de votre application d'authentification, ou l'un de vos codes de secours, pour terminer votre connexion à l'Espace Entreprise." />
        <div class="mx-auto max-w-md">
            <h1 class="text-2xl font-semibold">"Double authentification"</h1>
            <p class="mt-2 text-slate-700">
                "Saisissez le code à 6 chiffres affiché par votre application d'authentification, ou l'un de vos codes de secours."
            </p>
            <ActionForm action=action attr:class="mt-4 rounded-lg border border-slate-200 bg-white p-4">
                {move || view! { <CodeField result=action.value().get() label="Code" id="code" /> }}
                <button type="submit" class=BUTTON>"Valider"</button>
            </ActionForm>
            <p class="mt-4 text-sm">
                <a class="text-blue-900 underline" href="/connexion">"Recommencer la connexion"</a>
            </p>
        </div>
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let begin = ServerAction::<BeginSecondFactor>::new();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let page = Resource::new(
        move || (begin.version().get(), confirm.version().get(), renew.version().get(), disable.version().get()),
        |_| get_second_factor(),
    );
    view! {
        <PageHead title="Double authentification — Mon compte" description="Activez ou désactivez la double authentification de votre compte avec une application d'authentification, et renouvelez vos codes de secours." />
        <h1 class="text-2xl font-semibold">"Double authentification"</h1>
        <p class="mt-1 text-slate-700">
            "À la connexion, après votre mot de passe, un code à 6 chiffres donné par une application d'authentification "
            "(FreeOTP, Google Authenticator, Microsoft Authenticator…) vous sera demandé."
        </p>
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(v) => {
                        let codes = v.fresh_codes.clone();
                        view! {
                            {(!codes.is_empty()).then(|| view! {
                                <section class="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-5" aria-labelledby="titre-codes">
                                    <h2 id="titre-codes" class="text-lg font-semibold">"Vos codes de secours"</h2>
                                    <p class="mt-1 text-sm">
                                        "Conservez-les en lieu sûr : chacun permet une connexion sans votre application, une seule fois. "
                                        "Ils ne seront plus affichés."
                                    </p>
                                    <ul class="mt-3 grid grid-cols-2 gap-2 font-mono" data-testid="codes-secours">
                                        {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {if v.enabled {
                                view! { <Enabled v=v.clone() renew=renew disable=disable /> }.into_any()
                            } else {
                                view! { <SetUp v=v.clone() begin=begin confirm=confirm /> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <crate::pages::company::PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetUp(
    v: crate::api::second_factor::SecondFactorView,
    begin: ServerAction<BeginSecondFactor>,
    confirm: ServerAction<ConfirmSecondFactor>,
) -> impl IntoView {
    let required = v.required.then(|| {
        view! { <Notice kind="warning">"Vos fonctions exigent la double authentification : activez-la pour accéder à vos espaces."</Notice> }
    });
    let step = match (v.pending_secret, v.pending_url) {
        (Some(secret), Some(url)) => view! {
            <ol class="mt-3 list-decimal space-y-2 pl-6">
                <li>
                    "Dans votre application, ajoutez un compte avec cette clé : "
                    <code class="break-all rounded bg-slate-100 px-1 font-mono" data-testid="cle-totp">{secret}</code>
                    " (ou, depuis ce téléphone, "
                    <a class="text-blue-900 underline" href=url>"ouvrez ce lien"</a>
                    ")."
                </li>
                <li>"Saisissez le code à 6 chiffres qu'elle affiche."</li>
            </ol>
            <ActionForm action=confirm attr:class="mt-3">
                {move || view! { <CodeField result=confirm.value().get() label="Code de l'application" id="code" /> }}
                <button type="submit" class=BUTTON>"Activer la double authentification"</button>
            </ActionForm>
        }
        .into_any(),
        _ => view! {
            <ActionForm action=begin attr:class="mt-3">
                <button type="submit" class=BUTTON>"Configurer la double authentification"</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-activer">
            <h2 id="titre-activer" class="text-lg font-semibold">"Désactivée"</h2>
            {required}
            {step}
        </section>
    }
}

#[component]
fn Enabled(
    v: crate::api::second_factor::SecondFactorView,
    renew: ServerAction<RenewRecoveryCodes>,
    disable: ServerAction<DisableSecondFactor>,
) -> impl IntoView {
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-active">
            <h2 id="titre-active" class="text-lg font-semibold">"Activée"</h2>
            <p class="mt-1">{format!("Codes de secours restants : {}.", v.codes_left)}</p>
            <ActionForm action=renew attr:class="mt-3">
                {move || view! { <CodeField result=renew.value().get() label="Code de l'application (nouveaux codes de secours)" id="code-renouveler" /> }}
                <button type="submit" class=BUTTON>"Générer de nouveaux codes de secours"</button>
            </ActionForm>
            {(!v.required).then(|| view! {
                <ActionForm action=disable attr:class="mt-6">
                    {move || view! { <CodeField result=disable.value().get() label="Code de l'application (désactivation)" id="code-desactiver" /> }}
                    <button type="submit" class="rounded-md border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50">
                        "Désactiver la double authentification"
                    </button>
                </ActionForm>
            })}
        </section>
    }
}
