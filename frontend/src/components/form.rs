//! Form state and labelled inputs with their inline errors.

use crate::api::ApiError;
use crate::components::status::Spinner;
use crate::i18n::{tr, use_i18n, Texts};
use crate::session::Session;
use hackops_shared::error::FieldCode;
use hackops_shared::validation::Issues;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the banner above a form says.
#[derive(Clone, Debug, PartialEq)]
pub enum Banner {
    /// The browser-side rules refused some fields.
    Invalid,
    /// The server refused the request.
    Failed(ApiError),
}

/// Field errors, the banner and the pending flag of one form.
#[derive(Clone, Copy)]
pub struct FormState {
    errors: RwSignal<Vec<(String, FieldCode)>>,
    banner: RwSignal<Option<Banner>>,
    pending: RwSignal<bool>,
    /// Starts the ids of the inputs, for a form that shares a page with another.
    prefix: &'static str,
}

impl FormState {
    pub fn new() -> Self {
        Self::prefixed("")
    }

    /// A form whose input ids start with `prefix` (`field-<prefix><name>`): two forms with
    /// a field of the same name on one page.
    pub fn prefixed(prefix: &'static str) -> Self {
        Self {
            errors: RwSignal::new(Vec::new()),
            banner: RwSignal::new(None),
            pending: RwSignal::new(false),
            prefix,
        }
    }

    pub fn error(self, field: &str) -> Option<FieldCode> {
        self.errors.with(|errors| errors.iter().find(|(f, _)| f == field).map(|(_, c)| *c))
    }

    pub fn clear_field(self, field: &str) {
        if self.errors.with_untracked(|e| e.iter().any(|(f, _)| f == field)) {
            self.errors.update(|errors| errors.retain(|(f, _)| f != field));
        }
    }

    pub fn is_pending(self) -> bool {
        self.pending.get()
    }

    /// Starts a submission; false when one is already under way.
    pub fn begin(self) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        self.errors.set(Vec::new());
        self.banner.set(None);
        self.pending.set(true);
        true
    }

    /// Shows the browser-side refusals and focuses the first bad field.
    pub fn refuse(self, issues: Issues) {
        self.pending.set(false);
        self.errors.set(issues.0.iter().map(|i| (i.field.to_string(), i.code)).collect());
        self.banner.set(Some(Banner::Invalid));
        focus_first_invalid();
    }

    /// Shows a server refusal: its field details inline, its code in the banner.
    pub fn fail(self, error: ApiError) {
        self.pending.set(false);
        if let ApiError::Api { body, .. } = &error {
            self.errors.set(body.details.iter().map(|d| (d.field.clone(), d.code)).collect());
        }
        let has_fields = self.errors.with_untracked(|e| !e.is_empty());
        self.banner.set(Some(Banner::Failed(error)));
        if has_fields {
            focus_first_invalid();
        }
    }

    pub fn done(self) {
        self.pending.set(false);
    }

    /// Sends this form's authenticated request: on success `on_ok` gets the answer, on
    /// failure the form shows the error.
    pub fn send<T, F, Fut>(self, session: Session, call: F, on_ok: impl FnOnce(T) + 'static)
    where
        T: 'static,
        F: Fn(String) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
    {
        leptos::task::spawn_local(async move {
            match session.authorized(call).await {
                Ok(answer) => {
                    self.done();
                    on_ok(answer);
                }
                Err(error) => self.fail(error),
            }
        });
    }
}

fn focus_first_invalid() {
    request_animation_frame(|| {
        let target = document()
            .query_selector("form [aria-invalid='true']")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = target {
            let _ = el.focus();
        }
    });
}

/// The error banner of a form (role="alert", so it is read out when it appears).
#[component]
pub fn FormBanner(form: FormState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        form.banner.get().map(|banner| {
            let text = move || match &banner {
                Banner::Invalid => i18n.t().form_has_errors,
                Banner::Failed(error) => error.message(i18n.lang()),
            };
            view! {
                <div class="alert alert-error" role="alert" data-testid="form-error">
                    <svg class="icon alert-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <circle cx="12" cy="12" r="9" />
                        <path d="M12 7.5v5.5M12 16.5v.01" />
                    </svg>
                    <p>{text}</p>
                </div>
            }
        })
    }
}

/// A labelled input with its hint and its inline error.
#[component]
pub fn TextField(
    form: FormState,
    /// The JSON field name, as in the server's error details.
    name: &'static str,
    label: fn(&Texts) -> &'static str,
    #[prop(optional)] hint: Option<fn(&Texts) -> &'static str>,
    /// The input type: text, email, password.
    input_type: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    /// Not required (no `required` attribute).
    #[prop(optional)]
    optional: bool,
    /// A multi-line text area of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let (id, error_id) = field_ids(form, name);
    let hint_id = format!("{id}-hint");
    let error = move || form.error(name);
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if error().is_some() {
                ids.push(error_id.clone());
            }
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for=id.clone()>{tr(label)}</label>
            {hint
                .map(|hint| {
                    view! {
                        <p class="field-hint" id=hint_id.clone()>
                            {tr(hint)}
                        </p>
                    }
                })}
            <FieldErrorText form name icon=true />
            {match rows {
                None => view! {
                    <input
                        id=id
                        name=name
                        type=input_type
                        autocomplete=autocomplete
                        list=list
                        required=!optional
                        spellcheck="false"
                        aria-invalid=move || error().map(|_| "true")
                        aria-describedby=described_by
                        bind:value=value
                        on:input=move |_| form.clear_field(name)
                    />
                }
                .into_any(),
                Some(rows) => view! {
                    <textarea
                        id=id
                        name=name
                        rows=rows
                        required=!optional
                        aria-invalid=move || error().map(|_| "true")
                        aria-describedby=described_by
                        bind:value=value
                        on:input=move |_| form.clear_field(name)
                    ></textarea>
                }
                .into_any(),
            }}
        </div>
    }
}

/// A labelled checkbox with its inline error (the terms a person must accept).
#[component]
pub fn CheckField(
    form: FormState,
    /// The JSON field name, as in the error details.
    name: &'static str,
    label: fn(&Texts) -> &'static str,
    checked: RwSignal<bool>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (id, error_id) = field_ids(form, name);
    let error = move || form.error(name);
    let described_by = move || error().map(|_| error_id.clone());
    view! {
        <div class="field field-check" class:field-invalid=move || error().is_some()>
            <input
                id=id.clone()
                name=name
                type="checkbox"
                required=required
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=described_by
                bind:checked=checked
                on:change=move |_| form.clear_field(name)
            />
            <label for=id>{tr(label)}</label>
            <FieldErrorText form name />
        </div>
    }
}

/// The submit button: disabled with a spinner while the request is under way.
#[component]
pub fn SubmitButton(
    form: FormState,
    label: fn(&Texts) -> &'static str,
    pending_label: fn(&Texts) -> &'static str,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="btn btn-primary btn-block"
            disabled=move || form.is_pending()
            aria-busy=move || form.is_pending().then_some("true")
        >
            {move || {
                if form.is_pending() {
                    view! {
                        <Spinner />
                        <span>{tr(pending_label)}</span>
                    }
                        .into_any()
                } else {
                    view! { <span>{tr(label)}</span> }.into_any()
                }
            }}
        </button>
    }
}

/// A labelled drop-down list; its `<option>`s are the children.
#[component]
pub fn SelectField(
    form: FormState,
    /// The JSON field name, as in the server's error details.
    name: &'static str,
    label: fn(&Texts) -> &'static str,
    value: RwSignal<String>,
    children: Children,
) -> impl IntoView {
    let (id, error_id) = field_ids(form, name);
    let error = move || form.error(name);
    let described_by = move || error().map(|_| error_id.clone());
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for=id.clone()>{tr(label)}</label>
            <FieldErrorText form name />
            <select
                id=id
                name=name
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=described_by
                bind:value=value
                on:change=move |_| form.clear_field(name)
            >
                {children()}
            </select>
        </div>
    }
}

/// The ids of a field's input and of its error message.
fn field_ids(form: FormState, name: &str) -> (String, String) {
    let id = format!("field-{}{name}", form.prefix);
    let error_id = format!("{id}-error");
    (id, error_id)
}

/// A field's inline error, when it has one (read out through `aria-describedby`).
#[component]
fn FieldErrorText(
    form: FormState,
    name: &'static str,
    /// With the warning sign (text inputs).
    #[prop(optional)]
    icon: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = field_ids(form, name).1;
    move || {
        form.error(name).map(|code| {
            view! {
                <p class="field-error" id=error_id.clone()>
                    {icon.then(|| view! {
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <circle cx="12" cy="12" r="9" />
                            <path d="M12 7.5v5.5M12 16.5v.01" />
                        </svg>
                    })}
                    {code.message(i18n.lang())}
                </p>
            }
        })
    }
}
