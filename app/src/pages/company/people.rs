//! MON ENTREPRISE — the directory and the rights (habilitations) of its people.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_people, AddPerson, ChangeRole, ImportDirectory, InvitePerson, RemovePerson};
use crate::api::privacy::ErasePerson;
use crate::components::form::INPUT_CLASS;
use crate::components::pagination::{query_pairs, Pagination};
use crate::components::{Field, Notice, SelectField};
use crate::domain::command::RoleCommand;
use crate::domain::page::{count_fr, PageRequest};
use crate::domain::{Email, Role};
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const SMALL: &str = "rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-800 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-blue-700";

#[component]
pub fn PeoplePage() -> impl IntoView {
    let id = company_id();
    let add = ServerAction::<AddPerson>::new();
    let role = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemovePerson>::new();
    let import = ServerAction::<ImportDirectory>::new();
    let invite = ServerAction::<InvitePerson>::new();
    let erase = ServerAction::<ErasePerson>::new();
    let versions = move || {
        (add.version().get(), role.version().get(), remove.version().get(), import.version().get(), invite.version().get(), erase.version().get())
    };
    let query = use_query_map();
    let asked = move || PageRequest::from_query(query.read().get_str("page"));
    let page = Resource::new(move || (id(), asked(), versions()), |(id, asked, _)| get_people(id, asked));
    view! {
        <PageHead title="Annuaire et habilitations — MON ENTREPRISE" description="Annuaire et habilitations : ajoutez, invitez ou importez vos collaborateurs et attribuez les rôles d'administrateur, responsable de formation ou facturation." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let kept = query_pairs(&query.read());
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let info = p.data.info();
                        let person = p.form("person");
                        let roles = p.form("roles");
                        let imported = p.form("import");
                        let errs = person.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::People tabs=crate::domain::rights::Tabs::ADMIN />
                            <section class="mt-4" aria-labelledby="titre-annuaire">
                                <h2 id="titre-annuaire" class="text-lg font-semibold">"Annuaire de mes collaborateurs"</h2>
                                <EchoNotice echo=roles.clone() />
                                {roles.errors.get("roles").cloned().map(|m| view! { <Notice kind="error">{m}</Notice> })}
                                <p class="mt-1 text-sm text-slate-700" data-testid="total">{format!("{}, par ordre alphabétique.", count_fr(info.total, "collaborateur", "collaborateurs"))}</p>
                                <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
                                    <table class="min-w-full text-left text-sm" data-testid="annuaire">
                                        <thead class="bg-slate-100">
                                            <tr>
                                                <th scope="col" class="px-3 py-2">"Collaborateur"</th>
                                                <th scope="col" class="px-3 py-2">"Compte"</th>
                                                {Role::ALL.into_iter().map(|r| view! { <th scope="col" class="px-3 py-2">{r.label()}</th> }).collect_view()}
                                                <th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.data
                                                .items
                                                .clone()
                                                .into_iter()
                                                .map(|person| {
                                                    let email = person.email.clone();
                                                    let (invite_email, remove_email, erase_email) = (email.clone(), email.clone(), email.clone());
                                                    let name = person.name();
                                                    let invite_label = format!("Inviter {name}");
                                                    let remove_label = format!("Retirer {name} de l'annuaire");
                                                    let has_account = person.has_account;
                                                    let held_roles = person.roles.clone();
                                                    view! {
                                                        <tr class="border-t border-slate-200">
                                                            <td class="px-3 py-2">{name.clone()}<br /><span class="text-slate-600">{email.clone()}</span></td>
                                                            <td class="px-3 py-2">
                                                                {if has_account {
                                                                    view! { <span>"Oui"</span> }.into_any()
                                                                } else {
                                                                    view! {
                                                                        <ActionForm action=invite>
                                                                            <input type="hidden" name="company_id" value=company.to_string() />
                                                                            <input type="hidden" name="email" value=invite_email />
                                                                            <button type="submit" class=SMALL aria-label=invite_label>"Inviter"</button>
                                                                        </ActionForm>
                                                                    }
                                                                    .into_any()
                                                                }}
                                                            </td>
                                                            {Role::ALL
                                                                .into_iter()
                                                                .map(|r| {
                                                                    let held = held_roles.contains(&r);
                                                                    let op = Email::parse(&email)
                                                                        .map(|email| if held { RoleCommand::Revoke { role: r, email } } else { RoleCommand::Grant { role: r, email } }.code())
                                                                        .unwrap_or_default();
                                                                    let label = format!("{name} — {} : {}", r.label(), if held { "retirer" } else { "attribuer" });
                                                                    view! {
                                                                        <td class="px-3 py-2">
                                                                            <ActionForm action=role>
                                                                                <input type="hidden" name="company_id" value=company.to_string() />
                                                                                <button type="submit" name="op" value=op class=SMALL aria-label=label aria-pressed=if held { "true" } else { "false" }>
                                                                                    {if held { "✔ Oui" } else { "Non" }}
                                                                                </button>
                                                                            </ActionForm>
                                                                        </td>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                            <td class="px-3 py-2">
                                                                <ActionForm action=remove>
                                                                    <input type="hidden" name="company_id" value=company.to_string() />
                                                                    <input type="hidden" name="email" value=remove_email />
                                                                    <button type="submit" class="text-xs text-red-800 underline" aria-label=remove_label>"Retirer"</button>
                                                                </ActionForm>
                                                                <EraseForm action=erase company=company email=erase_email name=name.clone() />
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pagination info query=kept />
                            </section>
                            <div class="mt-6 grid gap-6 md:grid-cols-2">
                                <section class="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-ajout">
                                    <h2 id="titre-ajout" class="mb-3 text-lg font-semibold">"Ajouter un collaborateur"</h2>
                                    <EchoNotice echo=person.clone() />
                                    <ActionForm action=add>
                                        <input type="hidden" name="company_id" value=company.to_string() />
                                        <Field label="Adresse e-mail" name="email" kind="email" value=typed(&person, "email", "") error=e("email") required=true />
                                        <div class="grid grid-cols-2 gap-x-4">
                                            <Field label="Prénom" name="first_name" value=typed(&person, "first_name", "") error=e("first_name") required=true />
                                            <Field label="Nom" name="last_name" value=typed(&person, "last_name", "") error=e("last_name") required=true />
                                        </div>
                                        <SelectField
                                            label="Rôle"
                                            name="role"
                                            options=Role::ALL.iter().map(|r| (r.code().to_string(), r.label().to_string())).collect()
                                            value=typed(&person, "role", "")
                                            placeholder="Aucun (collaborateur)"
                                        />
                                        <button type="submit" class=BUTTON>"Ajouter"</button>
                                    </ActionForm>
                                </section>
                                <section class="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-import">
                                    <h2 id="titre-import" class="mb-3 text-lg font-semibold">"Importer des collaborateurs (CSV)"</h2>
                                    {imported.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                                    {(!imported.errors.is_empty()).then(|| view! {
                                        <div role="alert" class="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
                                            <p class="font-medium">"Lignes refusées :"</p>
                                            <ul class="list-disc pl-5" data-testid="lignes-refusees">
                                                {imported.errors.iter().map(|(line, why)| view! { <li>{format!("{} : {why}", line.trim_start_matches("ligne ").trim_start_matches('0'))}</li> }).collect_view()}
                                            </ul>
                                        </div>
                                    })}
                                    <ActionForm action=import>
                                        <input type="hidden" name="company_id" value=company.to_string() />
                                        <CsvFilePicker target="csv".to_string() />
                                        <label for="csv" class="block text-sm font-medium">"Contenu du fichier"</label>
                                        <p id="csv-aide" class="text-xs text-slate-600">"Une ligne par personne : prénom ; nom ; e-mail (séparateur « ; » ou « , »)."</p>
                                        <textarea id="csv" name="csv" rows="6" aria-describedby="csv-aide" class=INPUT_CLASS></textarea>
                                        <button type="submit" class=format!("mt-3 {BUTTON}")>"Importer"</button>
                                    </ActionForm>
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Supprimer les données" of a former collaborator, behind a disclosure and a
/// confirmation box (both work without JavaScript).
#[component]
fn EraseForm(action: ServerAction<ErasePerson>, company: i64, email: String, name: String) -> impl IntoView {
    let id = format!("effacer-{}", email.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    view! {
        <details class="mt-1">
            <summary class="cursor-pointer text-xs text-red-800 underline">"Supprimer les données"<span class="sr-only">{format!(" de {name}")}</span></summary>
            <ActionForm action=action attr:class="mt-1 w-56 rounded border border-red-200 bg-red-50 p-2 text-xs">
                <input type="hidden" name="company_id" value=company.to_string() />
                <input type="hidden" name="email" value=email />
                <p class="mb-1">"Pour un ancien collaborateur : son compte et ses données sont effacés s'il n'a de lien qu'avec votre structure ; sinon il est seulement retiré de l'annuaire."</p>
                <input type="checkbox" id=id.clone() name="confirm" required=true class="mr-1" />
                <label for=id>"Je confirme"</label>
                <button type="submit" class="ml-2 rounded bg-red-800 px-2 py-0.5 text-white">"Supprimer"</button>
            </ActionForm>
        </details>
    }
}

/// With JavaScript: choose the CSV file instead of pasting it; its text fills the
/// `target` text area (checked and sent by the same form). An island: the only part of
/// the directory page that runs in the browser. Shown only once hydrated, so that a
/// browser without JavaScript is not offered a control that would do nothing.
#[island]
fn CsvFilePicker(target: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let status = RwSignal::new(String::new());
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let name = file.name();
            let promise = file.array_buffer();
            let target = target.clone();
            leptos::task::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|bytes| decode_file(&bytes));
                let area = leptos::prelude::document()
                    .get_element_by_id(&target)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
                match (text, area) {
                    (Some(text), Some(area)) => {
                        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
                        area.set_value(&text);
                        status.set(format!("« {name} » chargé : {lines} ligne(s). Vérifiez-les, puis importez."));
                    }
                    _ => status.set(format!("« {name} » n'a pas pu être lu : collez son contenu ci-dessous.")),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &target, status);
    };
    move || {
        hydrated.get().then(|| {
            view! {
                <div class="mb-2">
                    <label for="csv-fichier" class="block text-sm font-medium">"Fichier CSV"</label>
                    <input id="csv-fichier" type="file" accept=".csv,text/csv,text/plain" on:change=on_change.clone() class="mt-1 text-sm" />
                    <p class="text-xs text-slate-700" role="status">{move || status.get()}</p>
                </div>
            }
        })
    }
}

/// A chosen file's text, by the browser's own decoder: UTF-8 (its byte-order mark
/// dropped) or, if the bytes are not UTF-8, Windows-1252, as French spreadsheets save CSV.
#[cfg(feature = "hydrate")]
fn decode_file(bytes: &leptos::wasm_bindgen::JsValue) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    let bytes: &web_sys::js_sys::Object = bytes.unchecked_ref();
    let strict = web_sys::TextDecoderOptions::new();
    strict.set_fatal(true);
    match web_sys::TextDecoder::new_with_label_and_options("utf-8", &strict).ok()?.decode_with_buffer_source(bytes) {
        Ok(text) => Some(text),
        Err(_) => web_sys::TextDecoder::new_with_label("windows-1252").ok()?.decode_with_buffer_source(bytes).ok(),
    }
}
