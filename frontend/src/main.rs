//! The Hackops web app: Leptos, client-side rendered, compiled to WASM.

mod api;
mod app;
mod components;
mod format;
mod i18n;
mod pages;
mod realtime;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
