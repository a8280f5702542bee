//! MON ENTREPRISE — Délégations: rights delegated to other structures, and revoked.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_delegations, SetDelegation};
use crate::components::{Checkbox, Field};
use crate::domain::command::DelegationCommand;
use crate::domain::date::paris_datetime;
use crate::domain::delegation::DelegationLine;
use crate::domain::rights::Tabs;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn DelegationsPage() -> impl IntoView {
    let id = company_id();
    let set = ServerAction::<SetDelegation>::new();
    let page = Resource::new(move || (id(), set.version().get()), |(id, _)| get_delegations(id));
    view! {
        <PageHead title="Délégations — MON ENTREPRISE" description="Déléguez à d'autres structures le droit d'inscrire vos collaborateurs ou de consulter vos commandes, retirez ces droits et voyez ceux que l'on vous délègue." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let f = p.form("delegation");
                        let errs = f.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        let scope_error = e("scope");
                        let described = scope_error.is_some().then_some("delegation-droits-erreur");
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Delegations tabs=Tabs::ADMIN />
                            <h2 class="mt-4 text-lg font-semibold">"Délégations de droits à d'autres structures"</h2>
                            <p class="mt-1 text-sm text-slate-700">
                                "Une structure à qui vous déléguez des droits agit pour vous par ses propres personnes habilitées : "
                                "ses administrateurs et responsables de formation inscrivent vos collaborateurs, ses administrateurs "
                                "et responsables facturation consultent vos commandes. Elle ne peut rien d'autre, et vous pouvez "
                                "révoquer la délégation à tout moment."
                            </p>
                            <EchoNotice echo=f.clone() />
                            <DelegationList company=company lines=p.data.granted.clone() action=set revocable=true
                                empty="Vous n'avez délégué aucun droit." testid="delegations-accordees" />
                            <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-deleguer">
                                <h2 id="titre-deleguer" class="mb-3 text-lg font-semibold">"Déléguer des droits"</h2>
                                <ActionForm action=set>
                                    <input type="hidden" name="company_id" value=company.to_string() />
                                    <div class="max-w-md">
                                        <Field label="SIRET de la structure" name="siret" id="delegation-siret" value=typed(&f, "siret", "") error=e("siret") inputmode="numeric" required=true />
                                    </div>
                                    <fieldset aria-describedby=described>
                                        <legend class="text-sm font-medium">"Droits délégués"</legend>
                                        <Checkbox label="Inscrire mes collaborateurs (panier et commande en mon nom)" name="register" checked=f.values.contains_key("register") />
                                        <Checkbox label="Consulter mes commandes" name="orders" checked=f.values.contains_key("orders") />
                                        {scope_error.map(|m| view! { <p id="delegation-droits-erreur" class="text-sm text-red-800">{m}</p> })}
                                    </fieldset>
                                    <button type="submit" name="op" value=DelegationCommand::Grant.code() class="mt-3 rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                                        "Déléguer"
                                    </button>
                                </ActionForm>
                            </section>
                            <h2 class="mt-6 text-lg font-semibold">"Délégations reçues"</h2>
                            <DelegationList company=company lines=p.data.received.clone() action=set revocable=false
                                empty="Aucune structure ne vous a délégué de droits." testid="delegations-recues" />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DelegationList(
    company: i64,
    lines: Vec<DelegationLine>,
    action: ServerAction<SetDelegation>,
    revocable: bool,
    empty: &'static str,
    testid: &'static str,
) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="mt-2 text-sm text-slate-700">{empty}</p> }.into_any();
    }
    view! {
        <ul class="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid=testid>
            {lines
                .into_iter()
                .map(|l| {
                    view! {
                        <li class="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
                            <span class="grow">
                                <strong>{l.other_name.clone()}</strong>
                                {format!(" — SIRET {} — {} (depuis le {})", l.other_siret, l.scope.label(), paris_datetime(l.since))}
                            </span>
                            {revocable
                                .then(|| {
                                    view! {
                                        <ActionForm action=action>
                                            <input type="hidden" name="company_id" value=company.to_string() />
                                            <input type="hidden" name="siret" value="" />
                                            <button type="submit" name="op" value=DelegationCommand::Revoke(l.id).code() class="text-red-800 underline">
                                                "Révoquer"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
