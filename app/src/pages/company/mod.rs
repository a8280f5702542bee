//! "Mon espace Entreprise" and MON ENTREPRISE (administrators).

pub mod audit;
pub mod cart;
pub mod orders;
pub mod contacts;
pub mod delegations;
pub mod documents;
pub mod establishments;
pub mod home;
pub mod info;
pub mod people;
pub mod requests;
pub mod surveys;

use crate::components::Notice;
use crate::domain::rights::Tabs;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};

/// The company id of the current URL (/entreprise/:id/...).
pub fn company_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Home,
    Info,
    People,
    Establishments,
    Delegations,
    Contacts,
    Audit,
    Surveys,
    Cart,
    Orders,
    Documents,
}

impl Tab {
    fn path(self, id: i64) -> String {
        let suffix = match self {
            Tab::Home => "",
            Tab::Info => "/informations",
            Tab::People => "/annuaire",
            Tab::Establishments => "/etablissements",
            Tab::Delegations => "/delegations",
            Tab::Contacts => "/interlocuteurs",
            Tab::Audit => "/journal",
            Tab::Surveys => "/questionnaires",
            Tab::Cart => "/panier",
            Tab::Orders => "/commandes",
            Tab::Documents => "/documents",
        };
        format!("/entreprise/{id}{suffix}")
    }
    fn label(self) -> &'static str {
        match self {
            Tab::Home => "Formations",
            Tab::Info => "Informations",
            Tab::People => "Annuaire et habilitations",
            Tab::Establishments => "Mes établissements",
            Tab::Delegations => "Délégations",
            Tab::Contacts => "Interlocuteurs clés",
            Tab::Audit => "Journal des modifications",
            Tab::Surveys => "Questionnaires",
            Tab::Cart => "Panier",
            Tab::Orders => "Commandes",
            Tab::Documents => "Documents",
        }
    }
}

/// The company's name and the tabs its user may open (MON ENTREPRISE for admins only).
#[component]
pub fn CompanyNav(
    id: i64,
    #[prop(into)] name: String,
    current: Tab,
    /// What the server says this user may open.
    tabs: Tabs,
) -> impl IntoView {
    let allowed = tabs;
    let mut tabs = Vec::new();
    for (tab, ok) in [(Tab::Home, allowed.home), (Tab::Cart, allowed.cart), (Tab::Orders, allowed.orders), (Tab::Documents, allowed.documents), (Tab::Surveys, allowed.surveys)] {
        if ok {
            tabs.push(tab);
        }
    }
    if allowed.admin {
        tabs.extend([Tab::Info, Tab::People, Tab::Establishments, Tab::Delegations, Tab::Contacts, Tab::Audit]);
    }
    view! {
        <p class="text-sm text-slate-600">
            <a href="/espaces" class="text-blue-900 underline">"Mes espaces"</a>
            " › Mon espace Entreprise"
        </p>
        <h1 class="mt-1 text-2xl font-semibold">{name}</h1>
        <nav aria-label="MON ENTREPRISE" class="mt-3 border-b border-slate-200">
            <ul class="flex flex-wrap gap-1 text-sm">
                {tabs
                    .into_iter()
                    .map(|t| {
                        let active = t == current;
                        let class = if active {
                            "block rounded-t-md border border-b-0 border-slate-200 bg-white px-3 py-2 font-medium text-blue-900"
                        } else {
                            "block px-3 py-2 text-slate-700 hover:text-blue-900 hover:underline"
                        };
                        view! {
                            <li>
                                <a href=t.path(id) class=class aria-current=active.then_some("page")>{t.label()}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
    .into_any()
}

/// A refusal, shown safely; a visitor who is not logged in is sent to the log-in. A
/// refusal on a company offers to ask its administrators for the right.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    let location = use_location();
    match error {
        AppError::Unauthenticated => {
            let next = location.pathname.get_untracked();
            view! { <Redirect path=crate::api::login_path(&next) /> }.into_any()
        }
        e @ AppError::Forbidden(_) => {
            let path = location.pathname.get_untracked();
            let ask = role_to_ask(&path);
            view! {
                <crate::pages::ErrorBox error=e />
                {ask.map(|(company, role)| view! { <RequestRights company_id=company role=role /> })}
            }
            .into_any()
        }
        e => view! { <crate::pages::ErrorBox error=e /> }.into_any(),
    }
}

/// On a company page (/entreprise/:id/…): the company and the role its tab asks for.
fn role_to_ask(path: &str) -> Option<(i64, crate::domain::Role)> {
    use crate::domain::Role;
    let rest = path.strip_prefix("/entreprise/")?;
    let (id, tab) = rest.split_once('/').unwrap_or((rest, ""));
    let role = match tab {
        "commandes" | "documents" => Role::BillingManager,
        "informations" | "annuaire" | "etablissements" | "delegations" | "interlocuteurs" | "journal" => Role::Admin,
        "demandes" => return None,
        _ => Role::TrainingManager,
    };
    Some((id.parse().ok()?, role))
}

/// "Demander les droits": mails the company's administrators, who grant the role from
/// the mail in one click. Works without JavaScript (the answer comes back as the next
/// page's message).
#[component]
pub fn RequestRights(company_id: i64, role: crate::domain::Role) -> impl IntoView {
    let ask = ServerAction::<crate::api::requests::RequestRights>::new();
    view! {
        <ActionForm action=ask attr:class="mt-3">
            <input type="hidden" name="company_id" value=company_id.to_string() />
            <input type="hidden" name="role" value=role.code() />
            <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                "Demander les droits"
            </button>
        </ActionForm>
        {move || {
            ask.value()
                .get()
                .map(|r| match r {
                    Ok(notice) => view! { <Notice kind="success">{notice}</Notice> }.into_any(),
                    Err(e) => view! { <crate::pages::ErrorBox error=e /> }.into_any(),
                })
        }}
    }
}

/// The answer to a form: its notice, green, or red when the form has errors.
#[component]
pub fn EchoNotice(echo: crate::api::company::Echo) -> impl IntoView {
    let has_errors = !echo.errors.is_empty();
    echo.notice.map(|n| view! { <Notice kind=if has_errors { "warning" } else { "success" }>{n}</Notice> })
}

/// Value typed last in `field`, else `current`.
pub fn typed(echo: &crate::api::company::Echo, field: &str, current: &str) -> String {
    echo.values.get(field).cloned().unwrap_or_else(|| current.to_string())
}
