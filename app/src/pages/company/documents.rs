//! "Conventions et certificats": the documents of the company's trainings — collective
//! and individual agreements, e-learning protocols, completion certificates.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::{get_company_documents, CompanyDocuments};
use crate::pages::head::PageHead;
use leptos::prelude::*;

/// A link in a list: a block of 24 px at least, so that a finger (WCAG 2.2 target size)
/// does not hit its neighbour.
const LINK: &str = "inline-block py-0.5 text-blue-900 underline";

#[component]
pub fn CompanyDocumentsPage() -> impl IntoView {
    let id = company_id();
    let page = Resource::new(id, get_company_documents);
    view! {
        <PageHead title="Conventions et certificats — Mon espace Entreprise" description="Conventions collectives et individuelles, protocoles individuels de formation (e-learning) et certificats de réalisation des formations de vos collaborateurs." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <DocumentsView p company=id() /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A titled list of download links; "Aucun document." when empty.
#[component]
fn DocumentList(
    anchor: &'static str,
    title: &'static str,
    testid: &'static str,
    /// (href, label) of each document.
    links: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <h2 id=anchor class="mt-6 text-lg font-semibold">{title}</h2>
        {if links.is_empty() {
            view! { <p class="mt-2 text-sm text-slate-700">"Aucun document."</p> }.into_any()
        } else {
            view! {
                <ul class="mt-2 text-sm" data-testid=testid>
                    {links.into_iter().map(|(href, label)| view! { <li><a class=LINK href=href download="">{label}</a></li> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn DocumentsView(p: CompanyDocuments, company: i64) -> impl IntoView {
    let collective = p
        .agreements
        .iter()
        .map(|(session, label)| (format!("/documents/convention-collective/{session}?entreprise={company}"), format!("Convention collective — {label}")))
        .collect();
    let individual = p
        .individual_agreements
        .iter()
        .map(|(reg, label)| (format!("/documents/convention/{reg}"), format!("Convention individuelle — {label}")))
        .collect();
    let protocols =
        p.protocols.iter().map(|(reg, label)| (format!("/documents/protocole/{reg}"), format!("Protocole — {label}"))).collect();
    let certificates =
        p.certificates.iter().map(|(reg, label)| (format!("/documents/certificat/{reg}"), format!("Certificat — {label}"))).collect();
    view! {
        <CompanyNav id=company name=p.company_name.clone() current=Tab::Documents tabs=p.tabs />
        <DocumentList anchor="conventions" title="Conventions collectives" testid="conventions" links=collective />
        <DocumentList anchor="conventions-individuelles" title="Conventions individuelles" testid="conventions-individuelles" links=individual />
        <DocumentList anchor="protocoles" title="Protocole Individuel de Formation (e-learning)" testid="protocoles" links=protocols />
        <DocumentList anchor="certificats" title="Certificats de réalisation" testid="certificats" links=certificates />
    }
    .into_any()
}
