//! "Partager mon suivi avec mon cabinet": the person's consent, per firm, on his own
//! obligations page. Plain forms: they work without JavaScript.

use crate::api::obligation_sharing::{get_sharing, SetSharing};
use crate::components::Notice;
use leptos::prelude::*;

#[component]
pub fn SharingPanel() -> impl IntoView {
    let set = ServerAction::<SetSharing>::new();
    let firms = Resource::new(move || set.version().get(), |_| get_sharing());
    view! {
        <section class="mt-8 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="partage-cabinet">
            <h2 id="partage-cabinet" class="text-lg font-semibold">"Partager mon suivi avec mon cabinet"</h2>
            <p class="mt-1 text-sm text-slate-700">
                "Les administrateurs et responsables de formation du cabinet voient alors vos heures, ce qu'il vous "
                "manque et vos justificatifs. Vous pouvez retirer ce partage à tout moment."
            </p>
            {move || set.value().get().and_then(|r| r.err()).map(|e| view! { <Notice kind="error">{e.to_string()}</Notice> })}
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match firms.await {
                        Ok(firms) if firms.is_empty() => view! {
                            <p class="mt-2 text-sm">"Vous ne figurez dans l'annuaire d'aucun cabinet."</p>
                        }
                        .into_any(),
                        Ok(firms) => view! {
                            <ul class="mt-3 space-y-2" data-testid="partages">
                                {firms.into_iter().map(|f| {
                                    let (state, next, button) = if f.shared {
                                        ("Partagé", "off", "Ne plus partager")
                                    } else {
                                        ("Non partagé", "on", "Partager mon suivi")
                                    };
                                    view! {
                                        <li class="flex flex-wrap items-center gap-3">
                                            <span class="font-medium">{f.name.clone()}</span>
                                            <span class="text-sm text-slate-700">{state}</span>
                                            <ActionForm action=set>
                                                <input type="hidden" name="company_id" value=f.company_id.to_string() />
                                                <input type="hidden" name="share" value=next />
                                                <button type="submit" class="rounded-md border border-blue-900 px-3 py-1 text-sm font-medium text-blue-900 hover:bg-blue-50">
                                                    {button} <span class="sr-only">{format!(" avec {}", f.name)}</span>
                                                </button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <Notice kind="error">{e.to_string()}</Notice> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
