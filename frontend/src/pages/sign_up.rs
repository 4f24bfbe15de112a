use crate::api;
use crate::components::form::{FormBanner, FormState, SubmitButton, TextField};
use crate::components::status::{use_announcer, use_title};
use crate::i18n::{tr, use_i18n};
use crate::session::use_session;
use hackops_shared::auth::RegisterRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let navigate = use_navigate();
    use_title(move || i18n.t().sign_up_title.to_owned());

    let form = FormState::new();
    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = RegisterRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            display_name: display_name.get_untracked(),
            locale: Some(i18n.lang_untracked()),
        };
        // The very rules the server applies: a bad form never leaves the browser.
        if let Err(issues) = request.validate() {
            form.refuse(issues);
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::auth::register(&request, i18n.lang_untracked()).await;
            session
                .conclude_form(result, form, announcer, i18n, || navigate("/", Default::default()));
        });
    };

    view! {
        <section class="container auth-page">
            <div class="auth-card panel">
                <h1>{tr(|t| t.sign_up_title)}</h1>
                <p class="lead">{tr(|t| t.sign_up_lead)}</p>
                <p class="form-note">{tr(|t| t.required_fields_note)}</p>
                <FormBanner form />
                <form class="form" novalidate=true on:submit=submit data-testid="sign-up-form">
                    <TextField
                        form
                        name="display_name"
                        label=|t| t.display_name_label
                        hint=|t| t.display_name_hint
                        input_type="text"
                        autocomplete="name"
                        value=display_name
                    />
                    <TextField
                        form
                        name="email"
                        label=|t| t.email_label
                        input_type="email"
                        autocomplete="email"
                        value=email
                    />
                    <TextField
                        form
                        name="password"
                        label=|t| t.password_label
                        hint=|t| t.password_hint
                        input_type="password"
                        autocomplete="new-password"
                        value=password
                    />
                    <SubmitButton form label=|t| t.sign_up_submit pending_label=|t| t.creating_account />
                </form>
                <p class="auth-switch">
                    {tr(|t| t.have_account)}
                    " "
                    <a href="/sign-in">{tr(|t| t.sign_in_link)}</a>
                </p>
            </div>
        </section>
    }
}
