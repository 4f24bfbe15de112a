use crate::i18n::use_i18n;
use hackops_shared::events::EventPhase;
use leptos::prelude::*;

/// The phase of an event as a coloured label (the colour is never the only cue: the
/// label says it in words).
#[component]
pub fn PhaseBadge(phase: EventPhase) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge badge-{}", phase.as_str())>
            <span class="badge-dot" aria-hidden="true"></span>
            {move || phase.label(i18n.lang())}
        </span>
    }
}
