use crate::api;
use crate::components::dynamic;
use crate::components::event_card::EventCard;
use crate::components::status::{use_title, LoadError, Loading};
use crate::i18n::{tr, use_i18n};
use crate::realtime::use_topic;
use crate::session::use_session;
use hackops_shared::events::EventList;
use hackops_shared::ws::Topic;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t().nav_events.to_owned());
    // Event content is not translated by the server: no refetch on a language switch.
    let events = LocalResource::new(move || api::events::list(i18n.lang_untracked()));
    // The REST answer paints first; the live list replaces it and follows every change. A
    // snapshot equal to what is shown changes nothing on the page.
    let live = use_topic::<EventList>(Topic::Events);
    let current = move || live.get().map(Ok).or_else(|| events.get());
    let retry = Callback::new(move |()| events.refetch());
    let show_sign_up = move || session.is_ready() && session.user().is_none();

    let list = dynamic(move || match current() {
        None => view! { <Loading label=|t| t.events_loading cards=3 /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry /> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => view! {
            <p class="empty-state">{tr(|t| t.events_empty)}</p>
        }
        .into_any(),
        Some(Ok(list)) => {
            let count = list.items.len();
            view! {
                <p class="section-meta" aria-live="polite">
                    {move || (i18n.t().events_count)(count)}
                </p>
                <ul class="card-grid" data-testid="event-list">
                    {list
                        .items
                        .into_iter()
                        .map(|event| view! { <EventCard event /> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    });

    view! {
        <section class="hero">
            <div class="container hero-inner">
                <div class="hero-text">
                    <p class="kicker">{tr(|t| t.home_kicker)}</p>
                    <h1>{tr(|t| t.home_title)}</h1>
                    <p class="lead">{tr(|t| t.home_lead)}</p>
                    {move || {
                        show_sign_up()
                            .then(|| {
                                view! {
                                    <p class="hero-actions">
                                        <a href="/sign-up" class="btn btn-accent btn-large">
                                            {tr(|t| t.home_cta_sign_up)}
                                        </a>
                                    </p>
                                }
                            })
                    }}
                </div>
                <ul class="hero-points">
                    {(0..3)
                        .map(|i| {
                            view! {
                                <li>
                                    <span class="hero-point-mark" aria-hidden="true">
                                        {i + 1}
                                    </span>
                                    <span>
                                        <strong>{move || i18n.t().home_points[i].0}</strong>
                                        <span>{move || i18n.t().home_points[i].1}</span>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </section>
        <section class="container section" aria-labelledby="events-heading">
            <div class="section-head">
                <h2 id="events-heading">{tr(|t| t.events_heading)}</h2>
            </div>
            {list}
        </section>
    }
}
