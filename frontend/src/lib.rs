//! The browser side: the server renders every page; only its islands (`#[island]`
//! components of the `app` crate, exported by wasm-bindgen) run here.

// Links the app crate, whose islands are the exports the page's script looks up.
pub use app::App;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
