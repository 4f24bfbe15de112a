//! Pieces shared by the pages.

use leptos::prelude::AnyView;

pub mod event_card;
pub mod footer;
pub mod form;
pub mod header;
pub mod phase_badge;
pub mod rich_text;
pub mod status;

/// A part of a view that follows signals (`{dynamic(move || ... .into_any())}`).
///
/// Boxed, every such part has one type, so the renderer behind it is compiled once instead
/// of once per closure (a few KiB of WASM each).
pub fn dynamic(view: impl Fn() -> AnyView + Send + 'static) -> Box<dyn FnMut() -> AnyView + Send> {
    Box::new(view)
}

/// Moves keyboard focus to the element `id` once the view has been drawn.
pub fn focus_later(id: &'static str) {
    use leptos::prelude::{document, request_animation_frame};
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        if let Some(el) =
            document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Starts the browser's download of `href` (same origin or a blob URL), saved under `file_name`
/// (empty: the server's `Content-Disposition` decides).
pub fn download(href: &str, file_name: &str) -> Option<()> {
    use wasm_bindgen::JsCast;
    let link = leptos::prelude::document().create_element("a").ok()?;
    link.set_attribute("href", href).ok()?;
    link.set_attribute("download", file_name).ok()?;
    link.dyn_into::<web_sys::HtmlElement>().ok()?.click();
    Some(())
}
