use super::Texts;

fn events_count(n: usize) -> String {
    match n {
        1 => "1 event".to_owned(),
        n => format!("{n} events"),
    }
}

fn challenge_count(n: u32) -> String {
    match n {
        1 => "1 challenge".to_owned(),
        n => format!("{n} challenges"),
    }
}

fn welcome(name: &str) -> String {
    format!("Welcome, {name}. You are signed in.")
}

pub static EN: Texts = Texts {
    locale: "en-GB",
    colon: ": ",
    skip_to_content: "Skip to main content",
    site_tagline: "Civic hackathons on open data",
    main_nav: "Main navigation",
    nav_events: "Events",
    language: "Language",
    account: "Account",
    sign_in: "Sign in",
    sign_up: "Sign up",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    checking_session: "Checking your session…",
    loading: "Loading…",
    try_again: "Try again",
    load_failed: "This content could not be loaded.",
    network_error: "We could not reach the server. Check your connection and try again.",
    unexpected_error: "The server sent an unexpected answer. Please try again.",

    home_kicker: "Open data · Open city",
    home_title: "Build useful services with your city's open data",
    home_lead: "Hackops brings residents, developers, designers and public servants together \
                for hackathons run by local authorities. Pick an event, explore its challenges \
                and team up.",
    home_cta_sign_up: "Create a free account",
    home_points: [
        (
            "Real public data",
            "Every challenge comes with datasets published by the organising authority.",
        ),
        (
            "Open to everyone",
            "No need to code: teams need people who know the city as much as developers.",
        ),
        (
            "Useful outcomes",
            "The best projects are judged on their value for residents, not just on the demo.",
        ),
    ],
    events_heading: "Events",
    events_loading: "Loading events…",
    events_empty: "No event has been published yet. Come back soon!",
    events_count,
    challenge_count,
    organised_by: "Organised by",

    breadcrumb: "Breadcrumb",
    all_events: "All events",
    event_loading: "Loading the event…",
    key_facts: "Key facts",
    event_phase: "Status",
    event_dates: "Dates",
    event_timezone: "Time zone",
    event_venue: "Venue",
    venue_tba: "To be announced",
    online: "Online",
    online_too: "Also online",
    about_event: "About this event",
    no_description: "The organisers have not written a description yet.",
    challenges_heading: "Challenges",
    challenges_loading: "Loading the challenges…",
    challenges_empty: "The challenges will be published soon.",
    prize: "Prize",
    challenge_details: "Read the full brief",
    your_role: "Your role",
    join_cta_title: "Want to take part?",
    join_cta_text: "Create an account to join a team and follow this event.",
    event_not_found_title: "Event not found",
    event_not_found_text: "This event does not exist or is not public yet.",

    sign_in_title: "Sign in",
    sign_in_lead: "Welcome back. Sign in to follow your events and your team.",
    sign_up_title: "Create your account",
    sign_up_lead: "Join Hackops to take part in civic hackathons near you.",
    email_label: "Email address",
    password_label: "Password",
    password_hint: "At least 10 characters. A short sentence is easy to remember.",
    display_name_label: "Your name",
    display_name_hint: "Shown to the other participants and to the organisers.",
    signing_in: "Signing in…",
    creating_account: "Creating your account…",
    sign_up_submit: "Create my account",
    no_account: "New to Hackops?",
    create_account_link: "Create an account",
    have_account: "Already have an account?",
    sign_in_link: "Sign in",
    form_has_errors: "Some fields need your attention.",
    required_fields_note: "All fields are required.",
    welcome,
    signed_out: "You are signed out.",

    not_found_title: "Page not found",
    not_found_text: "The page you are looking for does not exist or has moved.",
    back_to_events: "Back to the events",
    footer_about: "Hackops helps local authorities run open-data hackathons with their residents.",
    footer_open_source: "Free and open-source software.",

    live_updates: "Live updates",
    link_connecting: "Connecting…",
    link_live: "Live",
    link_reconnecting: "Reconnecting…",
    link_offline: "Offline",
    event_updated: "This event has just been updated.",
    ops: &super::ops::EN,
    setup: &super::setup::EN,
    handout: &super::handout::EN,
    nav_my_events: "My events",
    pool: &super::pool::EN,
};
