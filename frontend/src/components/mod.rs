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
