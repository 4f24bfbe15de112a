//! The datasets handed out to teams: on the event page, a team's datasets (released live when
//! hacking starts, downloaded through signed links once the licence is accepted); in the
//! control room, the organisers attach datasets to challenges and follow the downloads.

use crate::api;
use crate::components::form::{CheckField, FormBanner, FormState, SelectField, SubmitButton};
use crate::components::status::{use_announcer, LoadError, Loading};
use crate::components::{download, dynamic};
use crate::i18n::{tr, use_i18n, Texts};
use crate::pages::event_ops::Ops;
use crate::session::use_session;
use hackops_shared::handout::HandoutDatasetDto;
use hackops_shared::ids::ChallengeId;
use leptos::prelude::*;
use serde_json::json;

/// The signed-in team member's datasets. Nothing for people outside a team.
#[component]
pub fn TeamDatasets(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let resource = LocalResource::new(move || {
        ops.changed.track();
        let signed_in = session.user().is_some();
        let lang = i18n.lang_untracked();
        async move {
            if !signed_in {
                return None;
            }
            session.authorized(|token| api::handout::handout(ops.id, lang, token)).await.ok()
        }
    });
    dynamic(move || {
        let Some(Some(handout)) = resource.get() else { return ().into_any() };
        if handout.team_id.is_none() {
            return ().into_any();
        }
        view! {
            <section class="panel handout" aria-labelledby="handout-heading" data-testid="team-datasets">
                <h2 id="handout-heading">{tr(|t| t.handout.team_heading)}</h2>
                <p class="muted">{tr(|t| t.handout.team_lead)}</p>
                {if handout.items.is_empty() {
                    view! { <p class="empty-state">{tr(|t| t.handout.none_yet)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="handout-list">
                            {handout
                                .items
                                .into_iter()
                                .map(|item| view! { <HandoutItem ops item refetch=Callback::new(move |()| resource.refetch()) /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        }
        .into_any()
    })
}

#[component]
fn HandoutItem(ops: Ops, item: HandoutDatasetDto, refetch: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let name = item.dataset.name.clone();
    let accepted = item.accepted_at.is_some();
    let accept = {
        let name = name.clone();
        move |_| {
            if !form.begin() {
                return;
            }
            let lang = i18n.lang_untracked();
            let name = name.clone();
            form.send(
                session,
                move |token| {
                    let name = name.clone();
                    async move { api::handout::accept(ops.id, &name, lang, token).await }
                },
                move |_| {
                    announcer.say(i18n.texts_untracked().handout.unlocked);
                    refetch.run(());
                },
            );
        }
    };
    let download = move |resource: uuid::Uuid, name: String| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let name = name.clone();
                async move { api::handout::link(ops.id, &name, resource, lang, token).await }
            },
            move |link| {
                download(&link.url, "");
            },
        );
    };
    let licence = item.licence.clone();
    view! {
        <li class="handout-item" data-testid="handout-item">
            <h3>{item.dataset.title.clone()}</h3>
            <p class="muted">
                {tr(|t| t.handout.licence)} " "
                <a href=licence.url.clone() rel="external noopener">{licence.name.clone()}</a>
                {licence.share_alike.then(|| view! { " · " {tr(|t| t.handout.share_alike)} })}
            </p>
            <FormBanner form />
            {if accepted {
                view! {
                    <ul class="setup-list">
                        {item
                            .dataset
                            .resources
                            .into_iter()
                            .map(|r| {
                                let size = r.size.map(|s| (i18n.t().pool.size)(s));
                                let name = name.clone();
                                let id = r.id;
                                view! {
                                    <li>
                                        <div>
                                            <p class="setup-item-title">{r.title.clone()}</p>
                                            <p class="muted">{r.format.clone()} {size.map(|s| format!(" · {s}"))}</p>
                                        </div>
                                        <button type="button" class="btn btn-secondary btn-small" disabled=move || form.is_pending()
                                            on:click=move |_| download(id, name.clone())>
                                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                                <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
                                            </svg>
                                            {tr(|t| t.handout.download)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            } else {
                view! {
                    <div class="handout-terms">
                        <p>{tr(|t| t.handout.terms)}</p>
                        <button type="button" class="btn btn-primary btn-small" disabled=move || form.is_pending() on:click=accept>
                            {tr(|t| t.handout.accept)}
                        </button>
                    </div>
                }
                .into_any()
            }}
        </li>
    }
}

/// The control room's datasets: attach pool datasets to challenges (under embargo or not),
/// detach them, and see each team's downloads.
#[component]
pub fn DatasetsSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let challenge = RwSignal::new(String::new());
    let dataset = RwSignal::new(String::new());
    let embargo = RwSignal::new(true);
    let attached = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move { session.authorized(|token| api::handout::handout(ops.id, lang, token)).await }
    });
    let downloads = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move { session.authorized(|token| api::handout::downloads(ops.id, lang, token)).await }
    });
    // The pool's first hundred datasets, for the attach form's list.
    let pool = LocalResource::new(move || api::pool::search("per_page=100", i18n.lang_untracked()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut issues = hackops_shared::validation::Issues::default();
        let target = challenge.get_untracked().parse::<ChallengeId>().ok();
        if target.is_none() {
            issues.push("challenge", hackops_shared::error::FieldCode::Required);
        }
        if dataset.get_untracked().is_empty() {
            issues.push("dataset", hackops_shared::error::FieldCode::Required);
        }
        let Some(target) = target.filter(|_| issues.is_empty()) else {
            return form.refuse(issues);
        };
        let body =
            json!({ "dataset": dataset.get_untracked(), "embargo": embargo.get_untracked() });
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::handout::attach(ops.id, target, &body, lang, token).await }
            },
            move |_| {
                attached.refetch();
                announcer.say(i18n.texts_untracked().setup.saved);
            },
        );
    };
    let detach = move |target: ChallengeId, name: String| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let name = name.clone();
                async move { api::handout::detach(ops.id, target, &name, lang, token).await }
            },
            move |()| {
                attached.refetch();
                announcer.say(i18n.texts_untracked().setup.deleted);
            },
        );
    };
    let dataset_options = move || {
        pool.get().and_then(Result::ok).map(|list| {
            list.items
                .into_iter()
                .map(|d| view! { <option value=d.name.clone()>{d.title}</option> })
                .collect_view()
        })
    };
    let attached_list = move || {
        match attached.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry=Callback::new(move |()| attached.refetch()) /> }.into_any(),
        Some(Ok(h)) if h.items.is_empty() => {
            view! { <p class="muted">{tr(|t| t.handout.none_attached)}</p> }.into_any()
        }
        Some(Ok(h)) => view! {
            <ul class="setup-list" data-testid="attached-datasets">
                {h.items
                    .into_iter()
                    .map(|item| {
                        let target = item.challenge_id;
                        let name = item.dataset.name.clone();
                        let state: fn(&Texts) -> &'static str = match (item.embargo, item.released) {
                            (true, false) => |t| t.handout.embargoed,
                            (true, true) => |t| t.handout.released,
                            (false, _) => |t| t.handout.open,
                        };
                        view! {
                            <li>
                                <div>
                                    <p class="setup-item-title">{item.dataset.title.clone()}</p>
                                    <p class="muted">
                                        {ops.challenge_title(Some(target))} " · "
                                        <span class="tag">{tr(state)}</span>
                                    </p>
                                </div>
                                <button type="button" class="btn btn-ghost btn-small" disabled=move || form.is_pending()
                                    on:click=move |_| detach(target, name.clone())>{tr(|t| t.handout.detach)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    let downloads_view = move || match downloads.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| downloads.refetch()) /> }
                .into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="muted">{tr(|t| t.handout.no_downloads)}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let total = list.total;
            view! {
                <p>{move || (i18n.t().handout.total)(total)}</p>
                <div class="table-wrap">
                    <table class="data-table" data-testid="downloads">
                        <thead>
                            <tr>
                                <th scope="col">{tr(|t| t.ops.team_label)}</th>
                                <th scope="col">{tr(|t| t.handout.dataset)}</th>
                                <th scope="col" class="num">{tr(|t| t.handout.count)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.items.into_iter().map(|d| view! {
                                <tr>
                                    <td>{d.team_name}</td>
                                    <td>{d.dataset_title}</td>
                                    <td class="num">{d.count}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="setup-grid">
            <section class="panel" aria-labelledby="attached-heading">
                <h2 id="attached-heading">{tr(|t| t.handout.attached_heading)}</h2>
                <FormBanner form />
                {dynamic(attached_list)}
            </section>
            <section class="panel" aria-labelledby="attach-heading">
                <h2 id="attach-heading">{tr(|t| t.handout.attach_heading)}</h2>
                <form class="form" novalidate=true on:submit=submit data-testid="attach-form">
                    <SelectField form name="challenge" label=|t| t.ops.challenge_label value=challenge>
                        <option value="">{tr(|t| t.handout.choose_challenge)}</option>
                        {move || ops.challenge_options()}
                    </SelectField>
                    <SelectField form name="dataset" label=|t| t.handout.dataset value=dataset>
                        <option value="">{tr(|t| t.handout.choose_dataset)}</option>
                        {dataset_options}
                    </SelectField>
                    <CheckField form name="embargo" label=|t| t.handout.embargo_label checked=embargo />
                    <SubmitButton form label=|t| t.handout.attach pending_label=|t| t.ops.sending />
                </form>
            </section>
            <section class="panel setup-wide" aria-labelledby="downloads-heading">
                <h2 id="downloads-heading">{tr(|t| t.handout.downloads_heading)}</h2>
                {dynamic(downloads_view)}
            </section>
        </div>
    }
}
