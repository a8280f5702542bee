//! The first-inscription wizard, one step per URL (/inscription/<étape>). Every step is
//! a plain form posted to a server function: it works without JavaScript, and with it
//! the page changes without a reload.

use crate::api::account::ResendConfirmation;
use crate::api::wizard::{get_wizard, WizardAdmin, WizardParticipants, WizardReview, WizardRights, WizardStructure, UNCONFIRMED};
use crate::pages::confirm::ResendButton;
use crate::components::{Checkbox, ErrorSummary, Field, Notice, SelectField};
use crate::domain::command::{AdminCommand, ParticipantsCommand, ReviewCommand, RightsCommand};
use crate::domain::company::ContactKind;
use crate::domain::wizard::{RegistrantKind, Step, WizardView};
use crate::domain::{Email, RegistrationPolicy, Role};
use crate::pages::account::{LoginForm, SignupForm};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

const PRIMARY: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const SECONDARY: &str = "rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

/// The server actions of the steps; their versions tell the page to read the draft again.
#[derive(Clone, Copy)]
struct Actions {
    structure: ServerAction<WizardStructure>,
    admin: ServerAction<WizardAdmin>,
    rights: ServerAction<WizardRights>,
    review: ServerAction<WizardReview>,
    participants: ServerAction<WizardParticipants>,
}

impl Actions {
    fn versions(&self) -> [usize; 5] {
        [
            self.structure.version().get(),
            self.admin.version().get(),
            self.rights.version().get(),
            self.review.version().get(),
            self.participants.version().get(),
        ]
    }

    /// An error that is not about a field (refusal, expired draft...).
    fn error(&self) -> Option<crate::error::AppError> {
        [
            self.structure.value().get().and_then(|r| r.err()),
            self.admin.value().get().and_then(|r| r.err()),
            self.rights.value().get().and_then(|r| r.err()),
            self.review.value().get().and_then(|r| r.err()),
            self.participants.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

#[component]
pub fn WizardPage() -> impl IntoView {
    let params = use_params_map();
    let step = move || params.read().get("step").unwrap_or_default();
    let actions = Actions {
        structure: ServerAction::new(),
        admin: ServerAction::new(),
        rights: ServerAction::new(),
        review: ServerAction::new(),
        participants: ServerAction::new(),
    };
    let wizard = Resource::new(move || (step(), actions.versions()), |(s, _)| get_wizard(s));
    view! {
        <PageHead title="Inscription — Espace Entreprise" description="Inscrivez des participants à une formation étape par étape : votre structure, l'administrateur, les droits, les paramètres de l'espace et les participants." />
        {move || actions.error().map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match wizard.await {
                    Ok(Some(v)) if v.step.slug() != step() => view! { <Redirect path=v.step.path() /> }.into_any(),
                    Ok(Some(v)) => view! { <WizardFrame v actions /> }.into_any(),
                    Ok(None) => view! {
                        <h1 class="text-2xl font-semibold">"Inscription"</h1>
                        <Notice kind="info">
                            "Aucune inscription n'est en cours. Choisissez une formation et une session dans le "
                            <a class="underline" href="/catalogue">"catalogue"</a>
                            ", puis cliquez sur INSCRIPTION."
                        </Notice>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WizardFrame(v: WizardView, actions: Actions) -> impl IntoView {
    let steps = v.draft.path_steps();
    let current = v.step;
    view! {
        <h1 class="text-2xl font-semibold">"Inscription : " {v.training_title.clone()}</h1>
        <p class="text-slate-700" data-testid="session-choisie">
            {v.session_label.clone()} " · " {v.seats_left} " place(s) restante(s)"
        </p>
        <nav aria-label="Étapes de l'inscription" class="mt-4">
            <ol class="flex flex-wrap gap-2 text-sm">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let is_current = s == current;
                        let class = if is_current {
                            "rounded-full bg-blue-900 px-3 py-1 text-white"
                        } else if s < current {
                            "rounded-full bg-blue-100 px-3 py-1 text-blue-900"
                        } else {
                            "rounded-full bg-slate-200 px-3 py-1 text-slate-700"
                        };
                        view! {
                            <li class=class aria-current=is_current.then_some("step")>
                                {format!("{}. {}", i + 1, s.title())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-etape">
            {v.draft.notice.clone().map(|n| {
                let kind = if n.contains("réservées") || n.contains("Aucune") || n.contains("Non inscrit") { "error" } else { "success" };
                view! { <Notice kind=kind>{n}</Notice> }
            })}
            {v.draft.refused_company.map(|company| {
                view! { <crate::pages::company::RequestRights company_id=company role=crate::domain::Role::TrainingManager /> }
            })}
            {match current {
                Step::Login => view! { <LoginStep /> }.into_any(),
                Step::Structure => view! { <StructureStep v=v.clone() action=actions.structure /> }.into_any(),
                Step::Admin => view! { <AdminStep v=v.clone() action=actions.admin /> }.into_any(),
                Step::Rights => view! { <RightsStep v=v.clone() action=actions.rights /> }.into_any(),
                Step::Review => view! { <ReviewStep v=v.clone() action=actions.review /> }.into_any(),
                Step::Participants => view! { <ParticipantsStep v=v.clone() action=actions.participants /> }.into_any(),
                Step::Done => view! { <DoneStep v=v.clone() /> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn StepTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <h2 id="titre-etape" class="mb-3 text-xl font-semibold">{text}</h2> }
}

#[component]
fn LoginStep() -> impl IntoView {
    let next = Step::Structure.path();
    view! {
        <StepTitle text="Connectez-vous pour poursuivre votre inscription" />
        <p class="text-slate-700">"Votre inscription est gardée : vous la retrouverez juste après."</p>
        <div class="mt-4 grid gap-8 md:grid-cols-2">
            <div>
                <h3 class="text-lg font-semibold">"J'ai déjà un compte"</h3>
                <LoginForm next=next.clone() />
            </div>
            <div>
                <h3 class="text-lg font-semibold">"Je crée mon compte individuel"</h3>
                <SignupForm next />
            </div>
        </div>
    }
    .into_any()
}

fn radio(name: &'static str, value: String, label: String, checked: bool) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="flex items-center gap-2 py-1">
            <input type="radio" id=id.clone() name=name value=value checked=checked class="h-4 w-4 text-blue-900 focus:ring-2 focus:ring-blue-700" />
            <label for=id>{label}</label>
        </div>
    }
}

fn field_error(errors: &std::collections::BTreeMap<String, String>, key: &str) -> impl IntoView {
    errors.get(key).cloned().map(|m| {
        view! { <p id=format!("{key}-erreur") class="mt-1 text-sm text-red-700" role="alert">{m}</p> }
    })
}

const LEGAL_FORMS: [&str; 10] =
    ["SA", "SAS", "SASU", "SARL", "EURL", "SELARL", "SELAS", "SCP", "Entreprise individuelle", "Association"];

#[component]
fn StructureStep(v: WizardView, action: ServerAction<WizardStructure>) -> impl IntoView {
    let d = v.draft;
    let e = d.errors.clone();
    let err = move |k: &str| e.get(k).cloned();
    let c = d.company.clone();
    let existing = d.structure_mode == "existing";
    view! {
        <StepTitle text="Pour quelle structure inscrivez-vous ?" />
        <ActionForm action=action>
            <ErrorSummary errors=d.errors.clone() />
            <fieldset class="mb-5" aria-describedby=d.errors.contains_key("kind").then_some("kind-erreur")>
                <legend class="font-semibold">"Vous inscrivez en tant que"</legend>
                {RegistrantKind::ALL
                    .into_iter()
                    .map(|k| radio("kind", k.code().into(), k.label().into(), d.kind == Some(k)))
                    .collect_view()}
                <p class="mt-1 text-sm text-slate-600">
                    "Indépendant : la structure que vous déclarez, c'est vous ; vous en êtes l'administrateur, sans droits à donner à d'autres."
                </p>
                {field_error(&d.errors, "kind")}
            </fieldset>
            <fieldset class="mb-5">
                <legend class="font-semibold">"Structure"</legend>
                {radio("mode", "existing".into(), "Une structure existante (déjà inscrite sur le portail)".into(), existing)}
                {radio("mode", "new".into(), "Déclarer une nouvelle structure".into(), !existing)}
            </fieldset>
            <div class="grid gap-6 md:grid-cols-2">
                <fieldset class="rounded-md border border-slate-200 p-4">
                    <legend class="px-1 font-semibold">"Structure existante"</legend>
                    {if v.my_companies.is_empty() {
                        view! { <p class="mb-3 text-sm text-slate-700">"Vous n'avez encore de droits sur aucune structure."</p> }.into_any()
                    } else {
                        view! {
                            <p class="text-sm text-slate-700">"Mes structures :"</p>
                            {v.my_companies
                                .iter()
                                .map(|co| {
                                    radio(
                                        "existing_company_id",
                                        co.id.to_string(),
                                        format!("{} — SIRET {} — {}", co.name, co.siret, co.city),
                                        d.existing_company_id == Some(co.id),
                                    )
                                })
                                .collect_view()}
                            {field_error(&d.errors, "existing_company_id")}
                        }
                        .into_any()
                    }}
                    <Field label="Ou SIRET d'une structure déjà inscrite" name="existing_siret" value=d.existing_siret.clone() error=err("existing_siret") inputmode="numeric" />
                </fieldset>
                <fieldset class="rounded-md border border-slate-200 p-4">
                    <legend class="px-1 font-semibold">"Nouvelle structure"</legend>
                    <Field label="Raison sociale" name="company[legal_name]" value=c.legal_name error=err("legal_name") autocomplete="organization" />
                    <SelectField
                        label="Forme juridique"
                        name="company[legal_form]"
                        options=LEGAL_FORMS.iter().map(|f| (f.to_string(), f.to_string())).collect()
                        value=c.legal_form
                        error=err("legal_form")
                        placeholder="—"
                    />
                    <Field label="SIRET" name="company[siret]" value=c.siret error=err("siret") inputmode="numeric" hint="14 chiffres, vérifiés par leur clé" />
                    <Field label="Numéro de TVA intracommunautaire" name="company[vat_number]" value=c.vat_number error=err("vat_number") hint="Facultatif" />
                    <Field label="Adresse du siège" name="company[address_line]" value=c.address_line error=err("address_line") />
                    <div class="grid grid-cols-2 gap-x-4">
                        <Field label="Code postal" name="company[postal_code]" value=c.postal_code error=err("postal_code") inputmode="numeric" />
                        <Field label="Ville" name="company[city]" value=c.city error=err("city") />
                    </div>
                </fieldset>
            </div>
            <div class="mt-4 flex gap-3">
                <button type="submit" class=PRIMARY>"Continuer"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn AdminStep(v: WizardView, action: ServerAction<WizardAdmin>) -> impl IntoView {
    let d = v.draft;
    let name = d.company.legal_name.clone();
    view! {
        <StepTitle text="Se déclarer en tant qu'administrateur pour cette structure ?" />
        <p class="text-slate-700">
            "L'administrateur enregistre les informations administratives de la structure, crée, modifie et supprime "
            "les droits des personnes habilitées. Vous pourrez ensuite donner les droits d'administration à d'autres personnes."
        </p>
        <ActionForm action=action attr:class="mt-4">
            <div class="rounded-md border border-slate-200 bg-slate-50 p-3">
                <Checkbox
                    label=format!("Je m'engage à être habilité(e) par « {name} » à disposer de tous les droits d'administrateur de son espace entreprise.")
                    name="attest"
                    checked=d.admin_attested
                />
                {field_error(&d.errors, "attest")}
            </div>
            <div class="mt-4 flex gap-3">
                <button type="submit" name="op" value=AdminCommand::Back.code() class=SECONDARY formnovalidate=true>"Précédent"</button>
                <button type="submit" name="op" value=AdminCommand::Next.code() class=PRIMARY>"Oui, je me déclare administrateur"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn RightsStep(v: WizardView, action: ServerAction<WizardRights>) -> impl IntoView {
    let d = v.draft;
    let f = d.person_form.clone();
    let e = d.errors.clone();
    let err = move |k: &str| e.get(k).cloned();
    let me = v.user_email.clone().unwrap_or_default();
    view! {
        <StepTitle text="Configurer votre espace entreprise" />
        <Notice kind="warning">
            <strong>"Ce choix est structurant. "</strong>
            "Vous pouvez restreindre les droits d'inscription à une liste de personnes habilitées, ou laisser ce droit "
            "ouvert à n'importe quel utilisateur du portail. Un administrateur pourra le modifier plus tard dans MON ENTREPRISE."
        </Notice>
        <RightsExample />
        <ActionForm action=action>
            <fieldset class="mb-5">
                <legend class="font-semibold">"Qui pourra inscrire des participants pour la structure ?"</legend>
                {radio(
                    "policy",
                    RegistrationPolicy::Restricted.code().into(),
                    "Restreindre les droits d'inscription aux personnes habilitées listées ci-dessous (recommandé)".into(),
                    d.policy == Some(RegistrationPolicy::Restricted),
                )}
                {radio(
                    "policy",
                    RegistrationPolicy::Open.code().into(),
                    "Laisser ouvert ce droit à n'importe quel utilisateur".into(),
                    d.policy == Some(RegistrationPolicy::Open),
                )}
                {field_error(&d.errors, "policy")}
            </fieldset>
            <h3 class="font-semibold">"Personnes habilitées"</h3>
            <table class="mt-2 min-w-full text-left text-sm" data-testid="personnes-habilitees">
                <thead class="bg-slate-100">
                    <tr>
                        <th scope="col" class="px-3 py-2">"Personne"</th>
                        <th scope="col" class="px-3 py-2">"Rôles"</th>
                        <th scope="col" class="px-3 py-2"><span class="sr-only">"Action"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="border-t border-slate-200">
                        <td class="px-3 py-2">"Vous (" {me} ")"</td>
                        <td class="px-3 py-2">{Role::Admin.label()}</td>
                        <td></td>
                    </tr>
                    {d.authorized
                        .iter()
                        .map(|p| {
                            let roles = p.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
                            view! {
                                <tr class="border-t border-slate-200">
                                    <td class="px-3 py-2">{format!("{} {} ({})", p.first_name, p.last_name, p.email)}</td>
                                    <td class="px-3 py-2">{roles}</td>
                                    <td class="px-3 py-2 text-right">
                                        <button type="submit" name="op" value=Email::parse(&p.email).map(|e| RightsCommand::Remove(e).code()).unwrap_or_default() class="text-red-800 underline" formnovalidate=true>
                                            "Retirer"
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <fieldset class="mt-4 rounded-md border border-slate-200 p-4">
                <legend class="px-1 font-semibold">"Ajouter une personne habilitée"</legend>
                <div class="grid gap-x-4 md:grid-cols-3">
                    <Field label="Adresse e-mail" name="email" kind="email" value=f.email error=err("email") />
                    <Field label="Prénom" name="first_name" value=f.first_name error=err("first_name") />
                    <Field label="Nom" name="last_name" value=f.last_name error=err("last_name") />
                </div>
                <fieldset>
                    <legend class="text-sm font-medium">"Rôles"</legend>
                    <Checkbox label=Role::Admin.label() name="role_admin" checked=f.roles.contains(&Role::Admin) />
                    <Checkbox label=Role::TrainingManager.label() name="role_training" checked=f.roles.contains(&Role::TrainingManager) />
                    <Checkbox label=Role::BillingManager.label() name="role_billing" checked=f.roles.contains(&Role::BillingManager) />
                    {field_error(&d.errors, "roles")}
                </fieldset>
                <button type="submit" name="op" value=RightsCommand::Add.code() class=format!("mt-2 {SECONDARY}")>"Ajouter cette personne"</button>
            </fieldset>
            <div class="mt-4 flex gap-3">
                <button type="submit" name="op" value=RightsCommand::Back.code() class=SECONDARY formnovalidate=true>"Précédent"</button>
                <button type="submit" name="op" value=RightsCommand::Next.code() class=PRIMARY>"Continuer"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// "Exemple de mise en place des droits": the roles in the guide's words, beside the
/// step that gives them (a <details>: it opens without JavaScript).
#[component]
fn RightsExample() -> impl IntoView {
    let roles = [
        (
            Role::Admin.label(),
            "Enregistre les informations administratives de la société ; crée, modifie et supprime les droits des personnes habilitées ; donne les droits d'inscription.",
        ),
        (Role::TrainingManager.label(), "Peut inscrire les participants."),
        (Role::BillingManager.label(), "Peut accéder aux documents liés à la commande (bons de commande, factures, avoirs, règlements)."),
        ("Collaborateur participant", "Aucun droit à donner : il retrouve ses formations, ses documents et ses questionnaires dans son espace."),
    ];
    view! {
        <details class="mb-5 rounded-md border border-blue-200 bg-blue-50 p-4 text-sm" data-testid="exemple-droits">
            <summary class="cursor-pointer font-semibold text-blue-900">"Exemple de mise en place des droits"</summary>
            <p class="mt-2">
                "La définition des rôles dépend de votre organisation. A minima seul le rôle d'administrateur est obligatoire. "
                "Celui-ci peut donner les droits d'administration à plusieurs personnes."
            </p>
            <table class="mt-3 min-w-full text-left">
                <caption class="sr-only">"Les rôles de l'espace entreprise"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="py-1 pr-4">"Rôle"</th>
                        <th scope="col" class="py-1">"Ce qu'il fait"</th>
                    </tr>
                </thead>
                <tbody>
                    {roles
                        .into_iter()
                        .map(|(role, does)| view! {
                            <tr class="border-t border-blue-200 align-top">
                                <th scope="row" class="py-1 pr-4 font-medium">{role}</th>
                                <td class="py-1">{does}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="mt-3">
                "Par exemple, dans un cabinet : l'associé qui crée l'espace en est l'administrateur et nomme un second "
                "administrateur pour le remplacer ; l'assistante qui organise les formations est responsable de formation ; "
                "le service comptable est responsable facturation ; les autres collaborateurs sont participants, sans droits à donner."
            </p>
        </details>
    }
}

#[component]
fn ReviewStep(v: WizardView, action: ServerAction<WizardReview>) -> impl IntoView {
    let d = v.draft;
    let s = d.settings.clone();
    let e = d.errors.clone();
    let err = move |k: &str| e.get(k).cloned();
    let c = d.company.clone();
    let policy = if d.is_own_structure() {
        "Vous seul(e) : une structure d'indépendant n'a pas d'autres personnes habilitées"
    } else {
        d.policy.map(|p| p.label()).unwrap_or("—")
    };
    let me = v.user_email.clone().unwrap_or_default();
    let people = d.people((&me, "Vous".into()));
    let people: Vec<(String, String)> = people.into_iter().map(|(email, name)| (email.clone(), format!("{name} ({email})"))).collect();
    let listed = d.creation_authorized().to_vec();
    let contacts: Vec<(ContactKind, &str, String)> = ContactKind::ALL
        .iter()
        .map(|&kind| {
            let (field, chosen) = s.contact(kind);
            (kind, field, chosen.to_string())
        })
        .collect();
    // The space is created only for a proven address: say so before the click, and as
    // an error after it, with the button for a new link (a form of its own).
    let unconfirmed = (!v.user_confirmed).then(|| {
        let kind = if d.errors.contains_key("confirm") { "error" } else { "warning" };
        let resend = ServerAction::<ResendConfirmation>::new();
        view! {
            <div data-testid="creation-a-confirmer">
                <Notice kind=kind>
                    {UNCONFIRMED} " "
                    <ResendButton action=resend />
                    {move || resend.value().get().map(|r| match r {
                        Ok(m) => view! { <span class="ml-2 font-medium">{m}</span> }.into_any(),
                        Err(e) => view! { <span class="ml-2 font-medium text-red-900" role="alert">{e.to_string()}</span> }.into_any(),
                    })}
                </Notice>
            </div>
        }
    });
    let mut field_errors = d.errors.clone();
    field_errors.remove("confirm");
    view! {
        <StepTitle text="Vérifier vos paramètres" />
        {unconfirmed}
        {d.is_own_structure().then(|| view! {
            <Notice kind="info">
                "Indépendant : vous êtes votre propre structure, vous en êtes l'administrateur et vous seul(e) y inscrivez des participants. "
                "Vous pourrez donner des droits à d'autres personnes plus tard dans MON ENTREPRISE."
            </Notice>
        })}
        <ActionForm action=action>
            <ErrorSummary errors=field_errors />
            <div class="grid gap-6 md:grid-cols-2">
                <fieldset class="rounded-md border border-slate-200 p-4">
                    <legend class="px-1 font-semibold">"Entité de facturation"</legend>
                    <p class="mb-2 text-sm text-slate-700">{c.legal_name.clone()}</p>
                    <Field label="E-mail de facturation" name="settings[billing_email]" kind="email" value=s.billing_email error=err("billing_email") required=true />
                    <Field label="Adresse de facturation" name="settings[billing_address_line]" value=s.billing_address_line error=err("billing_address_line") required=true />
                    <div class="grid grid-cols-2 gap-x-4">
                        <Field label="Code postal" name="settings[billing_postal_code]" value=s.billing_postal_code error=err("billing_postal_code") required=true />
                        <Field label="Ville" name="settings[billing_city]" value=s.billing_city error=err("billing_city") required=true />
                    </div>
                </fieldset>
                <fieldset class="rounded-md border border-slate-200 p-4" data-testid="interlocuteurs">
                    <legend class="px-1 font-semibold">"Interlocuteurs entreprise"</legend>
                    <p class="mb-2 text-sm text-slate-700">"Choisis dans l'annuaire de la structure ; modifiables ensuite dans MON ENTREPRISE."</p>
                    {contacts
                        .into_iter()
                        .map(|(kind, field, chosen)| {
                            view! {
                                <SelectField
                                    label=kind.label()
                                    name=format!("settings[{field}]")
                                    options=people.clone()
                                    value=chosen
                                    error=err(field)
                                    placeholder="— Choisir —"
                                    required=true
                                />
                            }
                        })
                        .collect_view()}
                </fieldset>
                <section class="rounded-md border border-slate-200 p-4">
                    <h3 class="font-semibold">"Informations générales"</h3>
                    <dl class="mt-2 grid grid-cols-3 gap-1 text-sm">
                        <dt class="text-slate-600">"Raison sociale"</dt><dd class="col-span-2">{c.legal_name.clone()} " (" {c.legal_form.clone()} ")"</dd>
                        <dt class="text-slate-600">"SIRET"</dt><dd class="col-span-2">{c.siret.clone()}</dd>
                        <dt class="text-slate-600">"TVA"</dt><dd class="col-span-2">{if c.vat_number.is_empty() { "—".to_string() } else { c.vat_number.clone() }}</dd>
                        <dt class="text-slate-600">"Siège"</dt><dd class="col-span-2">{format!("{}, {} {}", c.address_line, c.postal_code, c.city)}</dd>
                        <dt class="text-slate-600">"Vous inscrivez en tant que"</dt><dd class="col-span-2">{d.kind.map(|k| k.label()).unwrap_or("—")}</dd>
                        <dt class="text-slate-600">"Inscriptions"</dt><dd class="col-span-2">{policy}</dd>
                    </dl>
                </section>
                <section class="rounded-md border border-slate-200 p-4">
                    <h3 class="font-semibold">"Annuaire"</h3>
                    <ul class="mt-2 text-sm" data-testid="annuaire">
                        <li>{me.clone()} " — " {Role::Admin.label()}</li>
                        {listed
                            .iter()
                            .map(|p| {
                                let roles = p.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
                                view! { <li>{format!("{} {} ({}) — {}", p.first_name, p.last_name, p.email, roles)}</li> }
                            })
                            .collect_view()}
                    </ul>
                </section>
            </div>
            <div class="mt-4 flex gap-3">
                <button type="submit" name="op" value=ReviewCommand::Back.code() class=SECONDARY formnovalidate=true>"Précédent"</button>
                <button type="submit" name="op" value=ReviewCommand::Finalise.code() class=PRIMARY>"Finaliser la création de mon espace entreprise"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn ParticipantsStep(v: WizardView, action: ServerAction<WizardParticipants>) -> impl IntoView {
    let d = v.draft;
    let f = d.participant_form.clone();
    let e = d.errors.clone();
    let err = move |k: &str| e.get(k).cloned();
    let title = match &v.company_name {
        Some(company) => format!("Inscrire des participants pour « {company} »"),
        None => "Inscrire des participants".to_string(),
    };
    let directory: Vec<(String, String)> = v
        .directory
        .iter()
        .filter(|p| !d.participants.iter().any(|x| x.email == p.email))
        .map(|p| (p.email.clone(), format!("{} {} ({})", p.first_name, p.last_name, p.email)))
        .collect();
    view! {
        <StepTitle text=title />
        <ActionForm action=action>
            <h3 class="font-semibold">"Participants à inscrire"</h3>
            {if d.participants.is_empty() {
                view! { <p class="text-sm text-slate-700" data-testid="participants">"Aucun participant pour le moment."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200" data-testid="participants">
                        {d.participants
                            .iter()
                            .map(|p| {
                                let how = if p.has_account { "compte existant" } else { "sera invité(e) par e-mail" };
                                view! {
                                    <li class="flex items-center justify-between px-3 py-2 text-sm">
                                        <span>{format!("{} {} ({}) — {how}", p.first_name, p.last_name, p.email)}</span>
                                        <button type="submit" name="op" value=Email::parse(&p.email).map(|e| ParticipantsCommand::Remove(e).code()).unwrap_or_default() class="text-red-800 underline">"Retirer"</button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {field_error(&d.errors, "participants")}
            <div class="mt-4 grid gap-6 md:grid-cols-2">
                <fieldset class="rounded-md border border-slate-200 p-4">
                    <legend class="px-1 font-semibold">"Depuis l'annuaire"</legend>
                    <SelectField label="Collaborateur" name="directory_email" options=directory error=err("directory_email") placeholder="— choisir —" />
                    <button type="submit" name="op" value=ParticipantsCommand::AddFromDirectory.code() class=SECONDARY>"Ajouter depuis l'annuaire"</button>
                </fieldset>
                <fieldset class="rounded-md border border-slate-200 p-4">
                    <legend class="px-1 font-semibold">"Par adresse e-mail nominative"</legend>
                    <p class="mb-2 text-xs text-slate-600">
                        "Une personne sans compte recevra un e-mail l'invitant à se connecter."
                    </p>
                    <Field label="Adresse e-mail" name="email" kind="email" value=f.email error=err("email") />
                    <div class="grid grid-cols-2 gap-x-4">
                        <Field label="Prénom" name="first_name" value=f.first_name error=err("first_name") />
                        <Field label="Nom" name="last_name" value=f.last_name error=err("last_name") />
                    </div>
                    <button type="submit" name="op" value=ParticipantsCommand::Add.code() class=SECONDARY>"Ajouter ce participant"</button>
                </fieldset>
            </div>
            <div class="mt-6 flex flex-wrap items-center gap-3">
                <button type="submit" name="op" value=ParticipantsCommand::Confirm.code() class=PRIMARY>"Confirmer l'inscription"</button>
                <a href="/espaces" class="text-blue-900 underline">"Accéder à mes Espaces"</a>
            </div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn DoneStep(v: WizardView) -> impl IntoView {
    let n = v.draft.registered.len();
    let cart = v.draft.company_id.map(|id| format!("/entreprise/{id}/panier")).unwrap_or_else(|| "/espaces".into());
    view! {
        <StepTitle text="Inscription ajoutée au panier" />
        <Notice kind="success">
            {if n == 1 {
                "1 participant ajouté au panier : sa place est réservée 30 minutes, le temps de valider la commande. Il sera prévenu par e-mail une fois la commande validée.".to_string()
            } else {
                format!("{n} participants ajoutés au panier : leurs places sont réservées 30 minutes, le temps de valider la commande. Ils seront prévenus par e-mail une fois la commande validée.")
            }}
        </Notice>
        <div class="flex flex-wrap gap-3">
            <a href=cart class=PRIMARY>"Valider la commande"</a>
            <a href="/catalogue" class=SECONDARY>"Inscrire à une autre formation"</a>
            <a href="/espaces" class=SECONDARY>"Accéder à mes Espaces"</a>
        </div>
    }
    .into_any()
}
