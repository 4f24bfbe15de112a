//! Loading, error and live-announcement helpers.

use crate::api::ApiError;
use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

/// A polite live region for news that happen off-screen ("You are signed out").
#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    pub fn new() -> Self {
        Self(RwSignal::new(String::new()))
    }

    pub fn say(self, message: impl Into<String>) {
        self.0.set(message.into());
    }
}

pub fn use_announcer() -> Announcer {
    expect_context::<Announcer>()
}

#[component]
pub fn LiveRegion() -> impl IntoView {
    let announcer = use_announcer();
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcer.0.get()}
        </div>
    }
}

/// Keeps the document title as "<page> · Hackops".
pub fn use_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| set_title(&title()));
}

/// Sets the document title to "<page> · Hackops".
pub fn set_title(page: &str) {
    let full = if page.is_empty() { "Hackops".to_owned() } else { format!("{page} · Hackops") };
    document().set_title(&full);
}

#[component]
pub fn Spinner() -> impl IntoView {
    view! { <span class="spinner" aria-hidden="true"></span> }
}

/// A loading placeholder that screen readers hear as one sentence.
#[component]
pub fn Loading(
    label: fn(&crate::i18n::Texts) -> &'static str,
    #[prop(optional)] cards: usize,
) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <p class="loading-line">
                <Spinner />
                <span>{tr(label)}</span>
            </p>
            {(cards > 0)
                .then(|| {
                    view! {
                        <ul class="card-grid skeletons" aria-hidden="true">
                            {(0..cards).map(|_| view! { <li class="skeleton-card"></li> }).collect_view()}
                        </ul>
                    }
                })}
        </div>
    }
}

/// The error banner of a failed load, with a retry button.
#[component]
pub fn LoadError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-error" role="alert">
            <p class="alert-title">{tr(|t| t.load_failed)}</p>
            <p>{move || error.message(i18n.lang())}</p>
            <button type="button" class="btn btn-secondary btn-small" on:click=move |_| retry.run(())>
                {tr(|t| t.try_again)}
            </button>
        </div>
    }
}

/// In place of a page that needs an account: why (`text`, else "to see your events"), and
/// the way to sign in.
#[component]
pub fn SignInFirst(
    #[prop(optional)] text: Option<fn(&crate::i18n::Texts) -> &'static str>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p>{tr(text.unwrap_or(|t| t.setup.sign_in_first))}</p>
            <a class="btn btn-primary" href="/sign-in">{tr(|t| t.sign_in)}</a>
        </div>
    }
}
