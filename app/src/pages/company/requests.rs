//! A request of rights, opened by an administrator from the mail: one click grants it.

use super::{company_id, PageError};
use crate::api::requests::{get_rights_request, GrantRightsRequest};
use crate::components::Notice;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn RightsRequestPage() -> impl IntoView {
    let id = company_id();
    let request_id = crate::pages::id_param("request");
    let grant = ServerAction::<GrantRightsRequest>::new();
    let page = Resource::new(move || (id(), request_id(), grant.version().get()), |(c, r, _)| get_rights_request(c, r));
    view! {
        <PageHead title="Demande de droits — MON ENTREPRISE" description="Demande de droits sur votre espace entreprise : l'administrateur voit qui demande quel rôle et l'accorde en un clic depuis le lien reçu par e-mail." />
        <h1 class="text-2xl font-semibold">"Demande de droits"</h1>
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(r) => view! {
                        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-5" aria-label="Demande">
                            <p>
                                <strong>{r.person.clone()}</strong>
                                " ("{r.email.clone()}") demande le rôle « "{r.role_label.clone()}" » dans l'espace entreprise de "
                                {r.company_name.clone()}"."
                            </p>
                            {if r.granted {
                                view! { <Notice kind="success">"Ce rôle a été accordé."</Notice> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=grant attr:class="mt-4">
                                        <input type="hidden" name="company_id" value=id().to_string() />
                                        <input type="hidden" name="request_id" value=request_id().to_string() />
                                        <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                                            "Accorder le rôle"
                                        </button>
                                    </ActionForm>
                                }
                                .into_any()
                            }}
                            <p class="mt-4">
                                <a class="text-blue-900 underline" href=format!("/entreprise/{}/annuaire", id())>"Voir les habilitations"</a>
                            </p>
                        </section>
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
