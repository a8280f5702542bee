//! The data table used by the lists of the portal: a scrollable frame, a header row of
//! column names, the rows given as children.

use leptos::prelude::*;

#[component]
pub fn DataTable(
    /// Column names, in order.
    headers: Vec<&'static str>,
    /// `data-testid` of the table, for the end-to-end tests.
    #[prop(optional)]
    testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="min-w-full text-left text-sm" data-testid=testid>
                <thead class="bg-slate-100">
                    <tr>{headers.into_iter().map(|h| view! { <th scope="col" class="px-3 py-2">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
