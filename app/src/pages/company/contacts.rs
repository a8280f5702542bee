//! MON ENTREPRISE — "Habilitation des interlocuteurs clés": for each kind (direction,
//! formation, facturation), a person chosen from the directory.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::company::{get_contacts, SetContact};
use crate::components::{Field, SelectField};
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let id = company_id();
    let set = ServerAction::<SetContact>::new();
    let page = Resource::new(move || (id(), set.version().get()), |(id, _)| get_contacts(id));
    view! {
        <PageHead title="Interlocuteurs clés — MON ENTREPRISE" description="Habilitation des interlocuteurs clés : choisissez dans l'annuaire la personne à joindre pour la direction, la formation et la facturation de votre structure." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let directory = p.data.directory.clone();
                        let contacts: Vec<_> = p.data.contacts.iter().map(|c| (c.clone(), p.form(c.kind.code()))).collect();
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Contacts tabs=crate::domain::rights::Tabs::ADMIN />
                            <h2 class="mt-4 text-lg font-semibold">"Habilitation des interlocuteurs clés"</h2>
                            <p class="mt-1 text-sm text-slate-700">
                                "Choisissez dans l'annuaire de vos collaborateurs la personne à joindre pour chaque sujet. "
                                "Une personne absente de la liste s'ajoute d'abord dans l'annuaire."
                            </p>
                            <div class="mt-4 grid gap-6 md:grid-cols-3">
                                {contacts
                                    .into_iter()
                                    .map(|(c, f)| {
                                        let title = c.kind.label();
                                        let prefix = format!("contact-{}", c.kind.code());
                                        let errs = f.errors.clone();
                                        let e = move |k: &str| errs.get(k).cloned();
                                        let current = if !c.is_set() {
                                            view! { <p class="mb-3 text-sm text-slate-700">"Personne n'est désigné."</p> }.into_any()
                                        } else if c.in_directory {
                                            view! { <p class="mb-3 text-sm" data-testid=format!("{prefix}-actuel")>{c.describe()}</p> }.into_any()
                                        } else {
                                            view! {
                                                <p class="mb-3 text-sm text-amber-900" data-testid=format!("{prefix}-actuel")>
                                                    {c.describe()} " — saisi hors annuaire : choisissez une personne de l'annuaire."
                                                </p>
                                            }
                                            .into_any()
                                        };
                                        let chosen = typed(&f, "email", if c.in_directory { c.email.as_str() } else { "" });
                                        let options = directory.clone();
                                        view! {
                                            <section class="rounded-lg border border-slate-200 bg-white p-5" aria-label=title>
                                                <h3 class="mb-2 font-semibold">{title}</h3>
                                                {current}
                                                <EchoNotice echo=f.clone() />
                                                <ActionForm action=set>
                                                    <input type="hidden" name="company_id" value=company.to_string() />
                                                    <input type="hidden" name="kind" value=c.kind.code() />
                                                    <SelectField
                                                        label="Personne de l'annuaire"
                                                        name="email"
                                                        id=format!("{prefix}-personne")
                                                        options=options
                                                        value=chosen
                                                        error=e("email")
                                                        placeholder="— Choisir —"
                                                        required=true
                                                    />
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
