//! Labelled fields with their French error message next to them.

use leptos::prelude::*;
use std::collections::BTreeMap;

/// Turns a field name like `company[siret]` into a valid, stable element id.
pub fn field_id(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect::<String>().trim_matches('-').to_string()
}

pub const INPUT_CLASS: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 \
     shadow-sm focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700 aria-[invalid=true]:border-red-700";

/// Ids of a field's error and hint, and its aria-describedby (hint first).
fn descriptions(id: &str, has_error: bool, has_hint: bool) -> (String, String, Option<String>) {
    let err_id = format!("{id}-erreur");
    let hint_id = format!("{id}-aide");
    let described = match (has_error, has_hint) {
        (true, true) => Some(format!("{hint_id} {err_id}")),
        (true, false) => Some(err_id.clone()),
        (false, true) => Some(hint_id.clone()),
        (false, false) => None,
    };
    (err_id, hint_id, described)
}

/// Required fields get a red star drawn by CSS, so the label's text stays the field's name.
fn label_class(required: bool) -> &'static str {
    if required {
        "block text-sm font-medium text-slate-800 after:ml-0.5 after:text-red-700 after:content-['*']"
    } else {
        "block text-sm font-medium text-slate-800"
    }
}

/// A text input with its label, an optional hint and its error.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(into, default = "text".into())] kind: String,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] inputmode: Option<String>,
    /// Element id, when the same field name appears twice on a page.
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let (err_id, hint_id, described) = descriptions(&id, error.is_some(), hint.is_some());
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="mb-4">
            <label for=id.clone() class=label_class(required)>
                {label}
            </label>
            {hint.map(|h| view! { <p id=hint_id class="text-xs text-slate-600">{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=invalid
                aria-describedby=described
                class=INPUT_CLASS
            />
            {error.map(|e| view! { <p id=err_id class="mt-1 text-sm text-red-700" role="alert">{e}</p> })}
        </div>
    }
    .into_any()
}

/// A select with its label; `options` are (value, label).
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] placeholder: Option<String>,
    /// Element id, when the same field name appears twice on a page.
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let err_id = format!("{id}-erreur");
    let invalid = error.is_some().then_some("true");
    let described = error.is_some().then(|| err_id.clone());
    view! {
        <div class="mb-4">
            <label for=id.clone() class=label_class(required)>
                {label}
            </label>
            <select
                id=id
                name=name
                required=required
                aria-invalid=invalid
                aria-describedby=described
                class=INPUT_CLASS
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == value;
                        view! { <option value=v selected=selected>{l}</option> }
                    })
                    .collect_view()}
            </select>
            {error.map(|e| view! { <p id=err_id class="mt-1 text-sm text-red-700" role="alert">{e}</p> })}
        </div>
    }
    .into_any()
}

/// A multi-line text field with its label and its error.
#[component]
pub fn TextAreaField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] hint: Option<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let (err_id, hint_id, described) = descriptions(&id, error.is_some(), hint.is_some());
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="mb-4">
            <label for=id.clone() class=label_class(required)>{label}</label>
            {hint.map(|h| view! { <p id=hint_id class="text-xs text-slate-600">{h}</p> })}
            <textarea id=id name=name rows="4" required=required aria-invalid=invalid aria-describedby=described class=INPUT_CLASS>
                {value}
            </textarea>
            {error.map(|e| view! { <p id=err_id class="mt-1 text-sm text-red-700" role="alert">{e}</p> })}
        </div>
    }
    .into_any()
}

#[component]
pub fn Checkbox(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional)] checked: bool,
    #[prop(into, default = "on".into())] value: String,
) -> impl IntoView {
    let id = format!("{}-{}", field_id(&name), field_id(&value));
    view! {
        <div class="flex items-start gap-2 py-1">
            <input
                id=id.clone()
                type="checkbox"
                name=name
                value=value
                checked=checked
                class="mt-1 h-4 w-4 rounded border-slate-400 text-blue-800 focus:ring-2 focus:ring-blue-700"
            />
            <label for=id class="text-sm text-slate-800">
                {label}
            </label>
        </div>
    }
    .into_any()
}

/// A message for the whole page: "info", "success" or "error".
#[component]
pub fn Notice(#[prop(into)] kind: String, children: Children) -> impl IntoView {
    let class = match kind.as_str() {
        "error" => "border-red-300 bg-red-50 text-red-900",
        "success" => "border-green-300 bg-green-50 text-green-900",
        "warning" => "border-amber-300 bg-amber-50 text-amber-900",
        _ => "border-blue-200 bg-blue-50 text-blue-900",
    };
    let role = if kind == "error" { "alert" } else { "status" };
    view! { <div role=role class=format!("mb-4 rounded-md border p-3 text-sm {class}")>{children()}</div> }.into_any()
}

/// "N champs sont à corriger", at the top of a form, when there are errors.
#[component]
pub fn ErrorSummary(errors: BTreeMap<String, String>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let n = errors.len();
        view! {
            <Notice kind="error">
                {if n == 1 {
                    "Un champ est à corriger.".to_string()
                } else {
                    format!("{n} champs sont à corriger.")
                }}
            </Notice>
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_valid() {
        assert_eq!(super::field_id("company[siret]"), "company-siret");
        assert_eq!(super::field_id("email"), "email");
    }
}
