//! "Assistance à l'utilisation": the help desk's number, address and hours.

use crate::domain::support::Support;
use leptos::prelude::*;

/// The help desk, as the operator set it; nothing when it has neither number nor
/// address.
#[component]
pub fn SupportContact(support: Support, #[prop(into)] title: String) -> impl IntoView {
    support.is_shown().then(|| {
        let tel = support.tel_href();
        let mailto = format!("mailto:{}", support.email);
        view! {
            <div data-testid="assistance">
                <strong class="font-semibold">{title}</strong>
                {(!support.phone.is_empty()).then(|| view! {
                    " · " <a class="underline" href=tel>{support.phone.clone()}</a>
                })}
                {(!support.email.is_empty()).then(|| view! {
                    " · " <a class="underline" href=mailto>{support.email.clone()}</a>
                })}
                " · " {support.hours.clone()}
            </div>
        }
    })
}
