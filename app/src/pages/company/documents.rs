//! "Conventions et certificats": the documents of the company's trainings — collective
//! and individual agreements, e-learning protocols, completion certificates.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::{get_company_documents, CompanyDocuments};
use crate::components::pagination::{query_pairs, Pagination};
use crate::domain::page::{count_fr, PageRequest, Paged};
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A link in a list: a block of 24 px at least, so that a finger (WCAG 2.2 target size)
/// does not hit its neighbour.
const LINK: &str = "inline-block py-0.5 text-blue-900 underline";

/// The lists of the page: (name, title). The name is its section's id (the points de
/// repère link to it), the query parameter of its page and its test id.
const LISTS: [(&str, &str); 4] = [
    ("conventions", "Conventions collectives"),
    ("conventions-individuelles", "Conventions individuelles"),
    ("protocoles", "Protocole Individuel de Formation (e-learning)"),
    ("certificats", "Certificats de réalisation"),
];

#[component]
pub fn CompanyDocumentsPage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    // Each list has its page in the URL, under its own name.
    let asked = move |list: &str| PageRequest::from_query(query.read().get_str(list));
    let page = Resource::new(
        move || (id(), [asked(LISTS[0].0), asked(LISTS[1].0), asked(LISTS[2].0), asked(LISTS[3].0)]),
        |(id, [collective, individual, protocols, certificates])| get_company_documents(id, collective, individual, protocols, certificates),
    );
    view! {
        <PageHead title="Conventions et certificats — Mon espace Entreprise" description="Conventions collectives et individuelles, protocoles individuels de formation (e-learning) et certificats de réalisation des formations de vos collaborateurs." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let kept = query_pairs(&query.read());
                match page.await {
                    Ok(p) => view! { <DocumentsView p company=id() query=kept /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A titled list of download links, with its number and its own pages; "Aucun
/// document." when empty.
#[component]
fn DocumentList(
    /// Its place in [`LISTS`].
    list: usize,
    /// (href, label) of each document of the page.
    links: Paged<(String, String)>,
    /// The query parameters of the address, kept in the links to its other pages.
    query: Vec<(String, String)>,
) -> impl IntoView {
    let (anchor, title) = LISTS[list];
    let info = links.info();
    view! {
        <section id=anchor aria-labelledby=format!("{anchor}-titre")>
            <h2 id=format!("{anchor}-titre") class="mt-6 text-lg font-semibold">{title}</h2>
            {if links.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-700">"Aucun document."</p> }.into_any()
            } else {
                view! {
                    <p class="mt-1 text-sm text-slate-700">{format!("{}, les sessions à venir d'abord.", count_fr(info.total, "document", "documents"))}</p>
                    <ul class="mt-2 text-sm" data-testid=anchor>
                        {links.items.into_iter().map(|(href, label)| view! { <li><a class=LINK href=href download="">{label}</a></li> }).collect_view()}
                    </ul>
                    <Pagination info query param=anchor anchor=anchor label=format!("Pagination — {}", short(title)) />
                }
                .into_any()
            }}
        </section>
    }
}

/// A list's title without its parenthesis (for the name of its pagination).
fn short(title: &str) -> &str {
    title.split(" (").next().unwrap_or(title)
}

#[component]
fn DocumentsView(p: CompanyDocuments, company: i64, query: Vec<(String, String)>) -> impl IntoView {
    let collective =
        p.agreements.map(|(session, label)| (format!("/documents/convention-collective/{session}?entreprise={company}"), format!("Convention collective — {label}")));
    let individual = p.individual_agreements.map(|(reg, label)| (format!("/documents/convention/{reg}"), format!("Convention individuelle — {label}")));
    let protocols = p.protocols.map(|(reg, label)| (format!("/documents/protocole/{reg}"), format!("Protocole — {label}")));
    let certificates = p.certificates.map(|(reg, label)| (format!("/documents/certificat/{reg}"), format!("Certificat — {label}")));
    view! {
        <CompanyNav id=company name=p.company_name.clone() current=Tab::Documents tabs=p.tabs />
        <DocumentList list=0 links=collective query=query.clone() />
        <DocumentList list=1 links=individual query=query.clone() />
        <DocumentList list=2 links=protocols query=query.clone() />
        <DocumentList list=3 links=certificates query />
    }
    .into_any()
}
