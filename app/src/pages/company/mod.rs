//! "Mon espace Entreprise" and MON ENTREPRISE (administrators).

pub mod audit;
pub mod cart;
pub mod orders;
pub mod contacts;
pub mod delegations;
pub mod documents;
pub mod establishments;
pub mod home;
pub mod invoices;
pub mod info;
pub mod obligations;
pub mod people;
pub mod requests;
pub mod substitution;
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

pub use crate::domain::rights::Tab;

const TAB_CLASS: &str = "block px-3 py-2 text-slate-700 hover:text-blue-900 hover:underline";
const ACTIVE_TAB_CLASS: &str = "block rounded-t-md border border-b-0 border-slate-200 bg-white px-3 py-2 font-medium text-blue-900";

/// One link of a tab bar.
#[component]
fn TabLink(href: String, label: &'static str, active: bool) -> impl IntoView {
    view! {
        <li>
            <a href=href class=if active { ACTIVE_TAB_CLASS } else { TAB_CLASS } aria-current=active.then_some("page")>{label}</a>
        </li>
    }
}

/// The company's name and the tabs its user may open: the points de repère, and MON
/// ENTREPRISE (administrators) as one tab holding its own pages.
#[component]
pub fn CompanyNav(
    id: i64,
    #[prop(into)] name: String,
    current: Tab,
    /// What the server says this user may open.
    tabs: Tabs,
) -> impl IntoView {
    let daily: Vec<Tab> = Tab::ALL.into_iter().filter(|t| !t.is_mon_entreprise() && tabs.has(*t)).collect();
    let in_admin = current.is_mon_entreprise();
    view! {
        <p class="text-sm text-slate-600">
            <a href="/espaces" class="text-blue-900 underline">"Mes espaces"</a>
            " › Mon espace Entreprise"
        </p>
        <h1 class="mt-1 text-2xl font-semibold">{name}</h1>
        <nav aria-label="Mon espace Entreprise" class="mt-3 border-b border-slate-200">
            <ul class="flex flex-wrap gap-1 text-sm">
                {daily.into_iter().map(|t| view! { <TabLink href=t.path(id) label=t.label() active=t == current /> }).collect_view()}
                {tabs.admin.then(|| view! { <TabLink href=Tab::Info.path(id) label="MON ENTREPRISE" active=in_admin /> })}
            </ul>
        </nav>
        {(in_admin && tabs.admin).then(|| view! {
            <nav aria-label="MON ENTREPRISE" class="border-b border-slate-200 bg-slate-50">
                <ul class="flex flex-wrap gap-1 text-sm">
                    {Tab::MON_ENTREPRISE.into_iter().map(|t| view! { <TabLink href=t.path(id) label=t.label() active=t == current /> }).collect_view()}
                </ul>
            </nav>
        })}
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

/// On a company page (/entreprise/:id/…): the company and the role its tab asks for
/// (the least role that meets the tab's need).
fn role_to_ask(path: &str) -> Option<(i64, crate::domain::Role)> {
    let rest = path.strip_prefix("/entreprise/")?;
    let (id, suffix) = match rest.split_once('/') {
        Some((id, tab)) => (id, format!("/{tab}")),
        None => (rest, String::new()),
    };
    let tab = Tab::of_suffix(&suffix)?;
    Some((id.parse().ok()?, crate::domain::rights::role_for(tab.need())))
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
