//! MON ENTREPRISE — the key contacts (interlocuteurs clés).

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_contacts, SetContact};
use crate::components::Field;
use crate::domain::company::CONTACT_KINDS;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let id = company_id();
    let set = ServerAction::<SetContact>::new();
    let page = Resource::new(move || (id(), set.version().get()), |(id, _)| get_contacts(id));
    view! {
        <Title text="Interlocuteurs clés — MON ENTREPRISE" />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let contacts: Vec<_> = p.data.iter().map(|c| (c.clone(), p.form(&c.kind))).collect();
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Contacts tabs=crate::domain::rights::Tabs::ADMIN />
                            <div class="mt-4 grid gap-6 md:grid-cols-3">
                                {contacts
                                    .into_iter()
                                    .map(|(c, f)| {
                                        let title = CONTACT_KINDS.iter().find(|(k, _)| *k == c.kind).map(|(_, l)| *l).unwrap_or("");
                                        let prefix = format!("contact-{}", c.kind);
                                        let errs = f.errors.clone();
                                        let e = move |k: &str| errs.get(k).cloned();
                                        view! {
                                            <section class="rounded-lg border border-slate-200 bg-white p-5" aria-label=title>
                                                <h2 class="mb-3 text-lg font-semibold">{title}</h2>
                                                <EchoNotice echo=f.clone() />
                                                <ActionForm action=set>
                                                    <input type="hidden" name="company_id" value=company.to_string() />
                                                    <input type="hidden" name="kind" value=c.kind.clone() />
                                                    <Field label="Nom" name="name" id=format!("{prefix}-nom") value=typed(&f, "name", &c.name) error=e("name") required=true />
                                                    <Field label="E-mail" name="email" id=format!("{prefix}-email") kind="email" value=typed(&f, "email", &c.email) error=e("email") required=true />
                                                    <Field label="Téléphone" name="phone" id=format!("{prefix}-tel") kind="tel" value=typed(&f, "phone", &c.phone) error=e("phone") />
                                                    <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">"Enregistrer"</button>
                                                </ActionForm>
                                            </section>
                                        }
                                    })
                                    .collect_view()}
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
