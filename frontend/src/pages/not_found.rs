use crate::components::status::use_title;
use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    use_title(move || i18n.t().not_found_title.to_owned());
    view! { <NotFound title=|t| t.not_found_title text=|t| t.not_found_text /> }
}

/// The "nothing here" panel, also used for an unknown event.
#[component]
pub fn NotFound(
    title: fn(&crate::i18n::Texts) -> &'static str,
    text: fn(&crate::i18n::Texts) -> &'static str,
) -> impl IntoView {
    view! {
        <section class="container narrow not-found">
            <p class="not-found-code" aria-hidden="true">"404"</p>
            <h1>{tr(title)}</h1>
            <p class="lead">{tr(text)}</p>
            <p>
                <a href="/" class="btn btn-primary">
                    {tr(|t| t.back_to_events)}
                </a>
            </p>
        </section>
    }
}
