use crate::components::phase_badge::PhaseBadge;
use crate::format::{date_range, Detail};
use crate::i18n::{tr, use_i18n};
use hackops_shared::events::EventDto;
use leptos::prelude::*;

/// One event in a list: the whole card is a link to the event page.
#[component]
pub fn EventCard(event: EventDto) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/events/{}", event.id);
    let (start, end, zone) = (event.starts_at, event.ends_at, event.timezone.clone());
    let dates = move || date_range(start, end, i18n.t().locale, &zone, Detail::Days);
    let count = event.challenge_count;
    let title = event.title.clone();
    view! {
        <li class="event-card">
            <article>
                <div class="event-card-top">
                    <PhaseBadge phase=event.phase />
                    <span class="event-card-count">
                        {move || (i18n.t().challenge_count)(count)}
                    </span>
                </div>
                <h3 class="event-card-title">
                    <a href=href class="stretched-link">
                        {title}
                    </a>
                </h3>
                <p class="event-card-org">
                    <span class="visually-hidden">{tr(|t| t.organised_by)} " "</span>
                    {event.organisation.name.clone()}
                </p>
                <ul class="event-card-meta">
                    <li>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <rect x="3" y="5" width="18" height="16" rx="2" />
                            <path d="M3 10h18M8 3v4M16 3v4" />
                        </svg>
                        <span>{dates}</span>
                    </li>
                    {event
                        .venue
                        .clone()
                        .map(|venue| {
                            view! {
                                <li>
                                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                        <path d="M12 21s-7-6.2-7-12a7 7 0 0 1 14 0c0 5.8-7 12-7 12z" />
                                        <circle cx="12" cy="9" r="2.5" />
                                    </svg>
                                    <span>{venue}</span>
                                </li>
                            }
                        })}
                    {event.online.then(|| view! {
                        <li>
                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                <rect x="3" y="4" width="18" height="12" rx="2" />
                                <path d="M8 20h8M12 16v4" />
                            </svg>
                            <span>{tr(|t| t.online)}</span>
                        </li>
                    })}
                </ul>
            </article>
        </li>
    }
}
