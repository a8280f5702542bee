//! The pagination links under a paginated list: "Précédente", the page numbers,
//! "Suivante", as plain links to the same address with another `?page=` (the list's
//! other query parameters, its filters, kept), so they work with and without
//! JavaScript. Nothing when the list fits in one page.

use crate::domain::page::{query_string, PageInfo};
use leptos::prelude::*;

const LINK: &str = "inline-block min-w-9 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-center text-blue-900 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-blue-700";
const CURRENT: &str = "inline-block min-w-9 rounded-md border border-blue-900 bg-blue-900 px-3 py-1.5 text-center font-semibold text-white focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const DISABLED: &str = "inline-block rounded-md border border-slate-200 px-3 py-1.5 text-slate-600";

#[component]
pub fn Pagination(
    /// The page shown and its list's size.
    info: PageInfo,
    /// The query parameters of the current address, kept in the links (the one named
    /// `param` is replaced).
    #[prop(optional)]
    query: Vec<(String, String)>,
    /// The query parameter that carries this list's page.
    #[prop(default = "page")]
    param: &'static str,
    /// The id of the list's section, where the links lead (`#…`), if any.
    #[prop(optional)]
    anchor: Option<&'static str>,
    /// The name of the navigation landmark: "Pagination", or "Pagination — <list>" when
    /// a page holds several lists.
    #[prop(default = "Pagination".to_string(), into)]
    label: String,
) -> impl IntoView {
    if info.pages <= 1 {
        return ().into_any();
    }
    let kept: Vec<(String, String)> = query.into_iter().filter(|(k, _)| k != param).collect();
    let href = move |n: u32| {
        let mut pairs = vec![(param.to_string(), n.to_string())];
        pairs.extend(kept.iter().cloned());
        let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        format!("?{}{fragment}", query_string(&pairs))
    };
    let (first, last) = info.range();
    let previous = match info.previous() {
        Some(n) => view! { <a href=href(n) rel="prev" class=LINK>"Précédente"</a> }.into_any(),
        None => view! { <span class=DISABLED>"Précédente"</span> }.into_any(),
    };
    let next = match info.next() {
        Some(n) => view! { <a href=href(n) rel="next" class=LINK>"Suivante"</a> }.into_any(),
        None => view! { <span class=DISABLED>"Suivante"</span> }.into_any(),
    };
    let numbers = info
        .numbers()
        .into_iter()
        .map(|n| match n {
            Some(n) if n == info.page => {
                view! { <li><a href=href(n) class=CURRENT aria-current="page" aria-label=format!("Page {n}, page actuelle")>{n}</a></li> }.into_any()
            }
            Some(n) => view! { <li><a href=href(n) class=LINK aria-label=format!("Page {n}")>{n}</a></li> }.into_any(),
            None => view! { <li aria-hidden="true" class="px-1 text-slate-600">"…"</li> }.into_any(),
        })
        .collect_view();
    view! {
        <nav aria-label=label class="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" data-testid="pagination">
            <ul class="flex flex-wrap items-center gap-1">
                <li>{previous}</li>
                {numbers}
                <li>{next}</li>
            </ul>
            <p class="text-slate-700">{format!("Page {} sur {} — {first} à {last} sur {}", info.page, info.pages, info.total)}</p>
        </nav>
    }
    .into_any()
}

/// The query parameters of an address, in order (to keep them in the links).
pub fn query_pairs(query: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    query.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
