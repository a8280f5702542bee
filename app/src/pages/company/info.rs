//! MON ENTREPRISE — company information and registration policy.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_company_info, SetRegistrationPolicy, UpdateCompanyInfo};
use crate::components::{Field, Notice};
use crate::domain::RegistrationPolicy;
use crate::pages::head::PageHead;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

#[component]
pub fn CompanyInfoPage() -> impl IntoView {
    let id = company_id();
    let update = ServerAction::<UpdateCompanyInfo>::new();
    let policy = ServerAction::<SetRegistrationPolicy>::new();
    let second = ServerAction::<crate::api::second_factor::SetCompanySecondFactor>::new();
    let page = Resource::new(
        move || (id(), update.version().get(), policy.version().get(), second.version().get()),
        |(id, _, _, _)| get_company_info(id),
    );
    view! {
        <PageHead title="Informations — MON ENTREPRISE" description="Information sur votre société (siège, TVA, facturation), droits d'inscription ouverts ou restreints, et double authentification exigée à la connexion." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let c = p.data.clone();
                        let f = p.form("info");
                        let pol = p.form("policy");
                        let echo = f.clone();
                        let v = move |k: &str, cur: &str| typed(&echo, k, cur);
                        let errs = f.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        view! {
                            <CompanyNav id=c.id name=p.company_name.clone() current=Tab::Info tabs=crate::domain::rights::Tabs::ADMIN />
                            <section class="mt-4 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-infos">
                                <h2 id="titre-infos" class="mb-3 text-lg font-semibold">"Information sur ma société"</h2>
                                <EchoNotice echo=f.clone() />
                                <p class="mb-3 text-sm text-slate-700">"SIRET : " <strong>{c.siret.clone()}</strong> " (identifie la structure, non modifiable)"</p>
                                <ActionForm action=update>
                                    <input type="hidden" name="company_id" value=c.id.to_string() />
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Raison sociale" name="info[legal_name]" value=v("legal_name", &c.legal_name) error=e("legal_name") required=true />
                                        <Field label="Forme juridique" name="info[legal_form]" value=v("legal_form", &c.legal_form) error=e("legal_form") required=true />
                                        <Field label="Numéro de TVA intracommunautaire" name="info[vat_number]" value=v("vat_number", &c.vat_number) error=e("vat_number") />
                                        <Field label="Adresse du siège" name="info[address_line]" value=v("address_line", &c.address_line) error=e("address_line") required=true />
                                        <Field label="Code postal" name="info[postal_code]" value=v("postal_code", &c.postal_code) error=e("postal_code") required=true />
                                        <Field label="Ville" name="info[city]" value=v("city", &c.city) error=e("city") required=true />
                                        <Field label="E-mail de facturation" name="info[billing_email]" kind="email" value=v("billing_email", &c.billing_email) error=e("billing_email") required=true />
                                        <Field label="Adresse de facturation" name="info[billing_address_line]" value=v("billing_address_line", &c.billing_address_line) error=e("billing_address_line") required=true />
                                        <Field label="Code postal de facturation" name="info[billing_postal_code]" value=v("billing_postal_code", &c.billing_postal_code) error=e("billing_postal_code") required=true />
                                        <Field label="Ville de facturation" name="info[billing_city]" value=v("billing_city", &c.billing_city) error=e("billing_city") required=true />
                                    </div>
                                    <button type="submit" class=BUTTON>"Enregistrer les informations"</button>
                                </ActionForm>
                            </section>
                            <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-droits">
                                <h2 id="titre-droits" class="mb-3 text-lg font-semibold">"Droits d'inscription"</h2>
                                <EchoNotice echo=pol />
                                <Notice kind="warning">
                                    <strong>"Ce choix est structurant. "</strong>
                                    "En mode ouvert, n'importe quel utilisateur du portail peut inscrire des participants pour la structure."
                                </Notice>
                                <ActionForm action=policy>
                                    <input type="hidden" name="company_id" value=c.id.to_string() />
                                    <fieldset>
                                        <legend class="font-semibold">"Qui peut inscrire des participants ?"</legend>
                                        {[RegistrationPolicy::Restricted, RegistrationPolicy::Open]
                                            .into_iter()
                                            .map(|pv| {
                                                let rid = format!("policy-{}", pv.code());
                                                view! {
                                                    <div class="flex items-center gap-2 py-1">
                                                        <input type="radio" id=rid.clone() name="policy" value=pv.code() checked=c.policy == pv class="h-4 w-4" />
                                                        <label for=rid>{pv.label()}</label>
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                    <button type="submit" class=format!("mt-2 {BUTTON}")>"Enregistrer ce choix"</button>
                                </ActionForm>
                            </section>
                            <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-2fa">
                                <h2 id="titre-2fa" class="mb-3 text-lg font-semibold">"Double authentification"</h2>
                                {move || second.value().get().and_then(|r| r.err()).map(|e| view! { <crate::pages::ErrorBox error=e /> })}
                                <ActionForm action=second>
                                    <input type="hidden" name="company_id" value=c.id.to_string() />
                                    <div class="flex items-center gap-2 py-1">
                                        <input type="checkbox" id="exiger-2fa" name="required" value="on" checked=c.require_second_factor class="h-4 w-4" />
                                        <label for="exiger-2fa">
                                            "Exiger un code d'application d'authentification à la connexion des administrateurs et responsables facturation"
                                        </label>
                                    </div>
                                    <button type="submit" class=format!("mt-2 {BUTTON}")>"Enregistrer"</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
