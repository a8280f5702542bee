//! MON ENTREPRISE — MES ETABLISSEMENTS.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_establishments, AddEstablishment, Echo, RemoveEstablishment, SetThirdParty, UpdateEstablishment};
use crate::domain::company::Establishment;
use crate::domain::command::ThirdPartyCommand;
use crate::domain::company::ThirdPartyMode;
use crate::components::Field;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn EstablishmentsPage() -> impl IntoView {
    let id = company_id();
    let add = ServerAction::<AddEstablishment>::new();
    let update = ServerAction::<UpdateEstablishment>::new();
    let remove = ServerAction::<RemoveEstablishment>::new();
    let third = ServerAction::<SetThirdParty>::new();
    let versions = move || [add.version().get(), update.version().get(), remove.version().get(), third.version().get()];
    let page = Resource::new(move || (id(), versions()), |(id, _)| get_establishments(id));
    view! {
        <PageHead title="Mes établissements — MON ENTREPRISE" description="Déclarez les établissements de votre structure (SIRET, adresse, e-mail de facturation) et autorisez des tiers à vous choisir comme entité de facturation." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let f = p.form("establishment");
                        let errs = f.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Establishments tabs=crate::domain::rights::Tabs::ADMIN />
                            <h2 class="mt-4 text-lg font-semibold">"Mes établissements"</h2>
                            <EchoNotice echo=p.form("removal") />
                            {if p.data.establishments.is_empty() {
                                view! { <p class="mt-2 text-slate-700">"Aucun établissement déclaré : la structure est facturée à son siège."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="etablissements">
                                        {p.data.establishments.iter().map(|es| {
                                            let echo = p.form(&format!("establishment-{}", es.id));
                                            view! { <EstablishmentItem company=company es=es.clone() echo=echo update=update remove=remove /> }
                                        }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                            <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-nouvel">
                                <h2 id="titre-nouvel" class="mb-3 text-lg font-semibold">"Ajouter un établissement"</h2>
                                <EchoNotice echo=f.clone() />
                                <ActionForm action=add>
                                    <input type="hidden" name="company_id" value=company.to_string() />
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Nom de l'établissement" name="establishment[name]" value=typed(&f, "name", "") error=e("name") required=true />
                                        <Field label="SIRET" name="establishment[siret]" value=typed(&f, "siret", "") error=e("siret") required=true inputmode="numeric" />
                                        <Field label="Adresse" name="establishment[address_line]" value=typed(&f, "address_line", "") error=e("address_line") required=true />
                                        <div class="grid grid-cols-2 gap-x-4">
                                            <Field label="Code postal" name="establishment[postal_code]" value=typed(&f, "postal_code", "") error=e("postal_code") required=true />
                                            <Field label="Ville" name="establishment[city]" value=typed(&f, "city", "") error=e("city") required=true />
                                        </div>
                                        <Field label="E-mail de facturation" name="billing_email" kind="email" value=typed(&f, "billing_email", "") error=e("billing_email") required=true />
                                    </div>
                                    <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">"Ajouter l'établissement"</button>
                                </ActionForm>
                            </section>
                            <ThirdParty company=company data=p.data.clone() echo=p.form("third_party") action=third />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One establishment: what it is, a form to change it (opened without JavaScript by its
/// <details>) and the button that removes it.
#[component]
fn EstablishmentItem(
    company: i64,
    es: Establishment,
    echo: Echo,
    update: ServerAction<UpdateEstablishment>,
    remove: ServerAction<RemoveEstablishment>,
) -> impl IntoView {
    let errs = echo.errors.clone();
    let e = move |k: &str| errs.get(k).cloned();
    let prefix = format!("etablissement-{}", es.id);
    let fid = |k: &str| format!("{prefix}-{k}");
    let ids = [fid("nom"), fid("siret"), fid("adresse"), fid("cp"), fid("ville"), fid("email")];
    let [id_name, id_siret, id_address, id_postal, id_city, id_email] = ids;
    let values = [
        typed(&echo, "name", &es.name),
        typed(&echo, "siret", &es.siret),
        typed(&echo, "address_line", &es.address_line),
        typed(&echo, "postal_code", &es.postal_code),
        typed(&echo, "city", &es.city),
        typed(&echo, "billing_email", &es.billing_email),
    ];
    let [name, siret, address_line, postal_code, city, billing_email] = values;
    let (id, id_removed) = (es.id.to_string(), es.id.to_string());
    let remove_label = format!("Supprimer l'établissement {}", es.name);
    let refused = !echo.errors.is_empty();
    view! {
        <li class="px-4 py-3 text-sm">
            <strong>{es.name.clone()}</strong> " — SIRET " {es.siret.clone()}<br />
            {format!("{}, {} {}", es.address_line, es.postal_code, es.city)} " · facturation : " {es.billing_email.clone()}
            <EchoNotice echo=echo.clone() />
            <div class="mt-2 flex flex-wrap items-start gap-4">
                <details class="min-w-0 flex-1" open=refused>
                    <summary class="cursor-pointer text-blue-900 underline">"Modifier"</summary>
                    <ActionForm action=update attr:class="mt-3">
                        <input type="hidden" name="company_id" value=company.to_string() />
                        <input type="hidden" name="establishment_id" value=id />
                        <div class="grid gap-x-4 md:grid-cols-2">
                            <Field label="Nom de l'établissement" name="establishment[name]" id=id_name value=name error=e("name") required=true />
                            <Field label="SIRET" name="establishment[siret]" id=id_siret value=siret error=e("siret") required=true inputmode="numeric" />
                            <Field label="Adresse" name="establishment[address_line]" id=id_address value=address_line error=e("address_line") required=true />
                            <div class="grid grid-cols-2 gap-x-4">
                                <Field label="Code postal" name="establishment[postal_code]" id=id_postal value=postal_code error=e("postal_code") required=true />
                                <Field label="Ville" name="establishment[city]" id=id_city value=city error=e("city") required=true />
                            </div>
                            <Field label="E-mail de facturation" name="establishment[billing_email]" id=id_email kind="email" value=billing_email error=e("billing_email") required=true />
                        </div>
                        <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">"Enregistrer les modifications"</button>
                    </ActionForm>
                </details>
                <ActionForm action=remove>
                    <input type="hidden" name="company_id" value=company.to_string() />
                    <input type="hidden" name="establishment_id" value=id_removed />
                    <button type="submit" class="text-red-800 underline">{remove_label}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// "Autorisation des tiers": who may choose this company as the entity invoiced.
#[component]
fn ThirdParty(
    company: i64,
    data: crate::domain::company::BillingSettings,
    echo: crate::api::company::Echo,
    action: ServerAction<SetThirdParty>,
) -> impl IntoView {
    let errs = echo.errors.clone();
    let e = move |k: &str| errs.get(k).cloned();
    view! {
        <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-tiers">
            <h2 id="titre-tiers" class="mb-1 text-lg font-semibold">"Autorisation des tiers"</h2>
            <p class="mb-3 text-sm text-slate-700">
                "Autoriser d'autres structures à me choisir comme entité de facturation (réseau de cabinets, par exemple)."
            </p>
            <EchoNotice echo=echo.clone() />
            <ActionForm action=action>
                <input type="hidden" name="company_id" value=company.to_string() />
                <input type="hidden" name="siret" value="" />
                <fieldset>
                    <legend class="sr-only">"Qui peut me choisir comme entité de facturation ?"</legend>
                    {ThirdPartyMode::ALL
                        .into_iter()
                        .map(|m| {
                            let rid = format!("tiers-{}", m.code());
                            view! {
                                <div class="flex items-center gap-2 py-1">
                                    <input type="radio" id=rid.clone() name="mode" value=m.code() checked=data.third_party_mode == m class="h-4 w-4" />
                                    <label for=rid>{m.label()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" name="op" value=ThirdPartyCommand::SetMode.code() class="mt-2 rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                    "Enregistrer"
                </button>
            </ActionForm>
            <h3 class="mt-4 font-semibold">"Tiers autorisés"</h3>
            {if data.allowed.is_empty() {
                view! { <p class="text-sm text-slate-700">"Aucune structure listée."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 text-sm" data-testid="tiers-autorises">
                        {data.allowed.clone().into_iter().map(|(other, name, siret)| view! {
                            <li class="flex items-center gap-3 py-1">
                                <span>{format!("{name} — SIRET {siret}")}</span>
                                <ActionForm action=action>
                                    <input type="hidden" name="company_id" value=company.to_string() />
                                    <input type="hidden" name="siret" value="" />
                                    <button type="submit" name="op" value=ThirdPartyCommand::Disallow(other).code() class="text-red-800 underline">"Retirer"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <ActionForm action=action attr:class="mt-3 flex flex-wrap items-end gap-3">
                <input type="hidden" name="company_id" value=company.to_string() />
                <div class="min-w-64">
                    <Field label="SIRET de la structure à autoriser" name="siret" id="tiers-siret" value=typed(&echo, "siret", "") error=e("siret") inputmode="numeric" />
                </div>
                <button type="submit" name="op" value=ThirdPartyCommand::Allow.code() class="mb-4 rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100">
                    "Autoriser cette structure"
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}
