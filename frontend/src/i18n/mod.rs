//! Every string a person sees, in English and French.
//!
//! Pages never spell out text themselves: they read a field of [`Texts`] for the current
//! [`Lang`]. Adding a string means adding a field, and the compiler then asks for it in
//! both languages.

mod en;
mod fr;
mod handout;
mod ops;
mod pool;
mod setup;

pub use handout::HandoutTexts;
pub use ops::OpsTexts;
pub use pool::PoolTexts;
pub use setup::SetupTexts;

use hackops_shared::lang::Lang;
use leptos::prelude::*;

/// The words of the interface in one language.
pub struct Texts {
    /// The language tag used by `Intl` for dates.
    pub locale: &'static str,
    /// ": " in English, " : " in French.
    pub colon: &'static str,
    pub skip_to_content: &'static str,
    pub site_tagline: &'static str,
    pub main_nav: &'static str,
    pub nav_events: &'static str,
    pub language: &'static str,
    pub account: &'static str,
    pub sign_in: &'static str,
    pub sign_up: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub checking_session: &'static str,
    pub loading: &'static str,
    pub try_again: &'static str,
    pub load_failed: &'static str,
    pub network_error: &'static str,
    pub unexpected_error: &'static str,

    pub home_kicker: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_cta_sign_up: &'static str,
    pub home_points: [(&'static str, &'static str); 3],
    pub events_heading: &'static str,
    pub events_loading: &'static str,
    pub events_empty: &'static str,
    pub events_count: fn(usize) -> String,
    pub challenge_count: fn(u32) -> String,
    pub organised_by: &'static str,

    pub breadcrumb: &'static str,
    pub all_events: &'static str,
    pub event_loading: &'static str,
    pub key_facts: &'static str,
    pub event_phase: &'static str,
    pub event_dates: &'static str,
    pub event_timezone: &'static str,
    pub event_venue: &'static str,
    pub venue_tba: &'static str,
    pub online: &'static str,
    pub online_too: &'static str,
    pub about_event: &'static str,
    pub no_description: &'static str,
    pub challenges_heading: &'static str,
    pub challenges_loading: &'static str,
    pub challenges_empty: &'static str,
    pub prize: &'static str,
    pub challenge_details: &'static str,
    pub your_role: &'static str,
    pub join_cta_title: &'static str,
    pub join_cta_text: &'static str,
    pub event_not_found_title: &'static str,
    pub event_not_found_text: &'static str,

    pub sign_in_title: &'static str,
    pub sign_in_lead: &'static str,
    pub sign_up_title: &'static str,
    pub sign_up_lead: &'static str,
    pub email_label: &'static str,
    pub password_label: &'static str,
    pub password_hint: &'static str,
    pub display_name_label: &'static str,
    pub display_name_hint: &'static str,
    pub signing_in: &'static str,
    pub creating_account: &'static str,
    pub sign_up_submit: &'static str,
    pub no_account: &'static str,
    pub create_account_link: &'static str,
    pub have_account: &'static str,
    pub sign_in_link: &'static str,
    pub form_has_errors: &'static str,
    pub required_fields_note: &'static str,
    pub welcome: fn(&str) -> String,
    pub signed_out: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_to_events: &'static str,
    pub footer_about: &'static str,
    pub footer_open_source: &'static str,

    /// The connection indicator: what it is about (for screen readers), then its state.
    pub live_updates: &'static str,
    pub link_connecting: &'static str,
    pub link_live: &'static str,
    pub link_reconnecting: &'static str,
    pub link_offline: &'static str,
    /// Announced when an event's page changes under the reader's eyes.
    pub event_updated: &'static str,

    /// Event operations: countdown, agenda, announcements, registration, teams, control room.
    pub ops: &'static OpsTexts,
    /// Organisers' set-up pages and the dashboard.
    pub setup: &'static SetupTexts,
    /// Datasets handed out to teams.
    pub handout: &'static HandoutTexts,
    /// The header's link to the dashboard.
    pub nav_my_events: &'static str,
    /// The open data pool.
    pub pool: &'static PoolTexts,
}

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &en::EN,
        Lang::Fr => &fr::FR,
    }
}

const STORAGE_KEY: &str = "hackops.lang";

/// The language of the interface, shared through the context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The saved choice, else the browser's language, else English.
    pub fn detect() -> Self {
        let saved = local_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|tag| Lang::from_tag(&tag));
        let browser = || {
            let nav = window().navigator();
            let mut tags: Vec<String> =
                nav.languages().iter().filter_map(|v| v.as_string()).collect();
            if let Some(one) = nav.language() {
                tags.push(one);
            }
            tags.iter().find_map(|t| Lang::from_tag(t))
        };
        let lang = saved.or_else(browser).unwrap_or_default();
        set_document_lang(lang);
        Self { lang: RwSignal::new(lang) }
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language without subscribing to changes.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// The texts of the current language (tracked).
    pub fn t(self) -> &'static Texts {
        texts(self.lang.get())
    }

    /// The texts of the current language without subscribing (for event handlers).
    pub fn texts_untracked(self) -> &'static Texts {
        texts(self.lang.get_untracked())
    }

    /// Switches the language and remembers the choice.
    pub fn set(self, lang: Lang) {
        if let Some(storage) = local_storage() {
            // A full or disabled storage only means the choice is not remembered.
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
        set_document_lang(lang);
        self.lang.set(lang);
    }
}

/// A piece of interface text that follows the language: `{tr(|t| t.sign_in)}`.
///
/// Every call returns the same closure type, so the view code for reactive text is
/// generated once instead of once per string (a few dozen KiB of WASM).
pub fn tr(
    pick: fn(&Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || pick(i18n.t())
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn set_document_lang(lang: Lang) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_well_in_both_languages() {
        let (en, fr) = (texts(Lang::En), texts(Lang::Fr));
        assert_eq!((en.challenge_count)(1), "1 challenge");
        assert_eq!((en.challenge_count)(3), "3 challenges");
        assert_eq!((fr.challenge_count)(1), "1 défi");
        assert_eq!((fr.challenge_count)(3), "3 défis");
        assert_eq!((fr.events_count)(0), "0 événement");
        assert_eq!((en.events_count)(2), "2 events");
    }

    #[test]
    fn the_languages_really_differ() {
        let (en, fr) = (texts(Lang::En), texts(Lang::Fr));
        assert_ne!(en.sign_in, fr.sign_in);
        assert_ne!(en.home_title, fr.home_title);
        assert_eq!(fr.colon, "\u{a0}: ");
        assert_ne!(en.link_live, fr.link_live);
    }
}
