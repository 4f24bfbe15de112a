use super::Texts;

// French typography: a no-break space (U+00A0) before « : » and a narrow one (U+202F)
// before « ? » and « ! ».

fn events_count(n: usize) -> String {
    match n {
        0 | 1 => format!("{n} événement"),
        n => format!("{n} événements"),
    }
}

fn challenge_count(n: u32) -> String {
    match n {
        0 | 1 => format!("{n} défi"),
        n => format!("{n} défis"),
    }
}

fn welcome(name: &str) -> String {
    format!("Bienvenue, {name}. Votre session est ouverte.")
}

pub static FR: Texts = Texts {
    locale: "fr-FR",
    colon: "\u{a0}: ",
    skip_to_content: "Aller au contenu principal",
    site_tagline: "Hackathons citoyens sur les données ouvertes",
    main_nav: "Navigation principale",
    nav_events: "Événements",
    language: "Langue",
    account: "Compte",
    sign_in: "Se connecter",
    sign_up: "S'inscrire",
    sign_out: "Se déconnecter",
    signed_in_as: "Session ouverte au nom de",
    checking_session: "Vérification de votre session…",
    loading: "Chargement…",
    try_again: "Réessayer",
    load_failed: "Ce contenu n'a pas pu être chargé.",
    network_error: "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.",
    unexpected_error: "Le serveur a envoyé une réponse inattendue. Veuillez réessayer.",

    home_kicker: "Données ouvertes · Ville ouverte",
    home_title: "Créez des services utiles avec les données ouvertes de votre ville",
    home_lead: "Hackops réunit habitants, développeurs, designers et agents publics autour de \
                hackathons organisés par les collectivités. Choisissez un événement, découvrez \
                ses défis et formez une équipe.",
    home_cta_sign_up: "Créer un compte gratuit",
    home_points: [
        ("Des données publiques réelles", "Chaque défi s'appuie sur des jeux de données publiés par la collectivité organisatrice."),
        ("Ouvert à tous", "Pas besoin de coder\u{a0}: les équipes ont autant besoin de personnes qui connaissent la ville que de développeurs."),
        ("Des résultats utiles", "Les meilleurs projets sont jugés sur leur intérêt pour les habitants, pas seulement sur la démo."),
    ],
    events_heading: "Événements",
    events_loading: "Chargement des événements…",
    events_empty: "Aucun événement n'est encore publié. Revenez bientôt\u{202f}!",
    events_count,
    challenge_count,
    organised_by: "Organisé par",

    breadcrumb: "Fil d'Ariane",
    all_events: "Tous les événements",
    event_loading: "Chargement de l'événement…",
    key_facts: "L'essentiel",
    event_phase: "Statut",
    event_dates: "Dates",
    event_timezone: "Fuseau horaire",
    event_venue: "Lieu",
    venue_tba: "À confirmer",
    online: "En ligne",
    online_too: "Aussi en ligne",
    about_event: "À propos de l'événement",
    no_description: "Les organisateurs n'ont pas encore rédigé de description.",
    challenges_heading: "Défis",
    challenges_loading: "Chargement des défis…",
    challenges_empty: "Les défis seront bientôt publiés.",
    prize: "Prix",
    challenge_details: "Lire le descriptif complet",
    your_role: "Votre rôle",
    join_cta_title: "Envie de participer\u{202f}?",
    join_cta_text: "Créez un compte pour rejoindre une équipe et suivre cet événement.",
    event_not_found_title: "Événement introuvable",
    event_not_found_text: "Cet événement n'existe pas ou n'est pas encore public.",

    sign_in_title: "Connexion",
    sign_in_lead: "Bon retour parmi nous. Connectez-vous pour suivre vos événements et votre équipe.",
    sign_up_title: "Créer votre compte",
    sign_up_lead: "Rejoignez Hackops pour participer aux hackathons citoyens près de chez vous.",
    email_label: "Adresse e-mail",
    password_label: "Mot de passe",
    password_hint: "Au moins 10 caractères. Une courte phrase est facile à retenir.",
    display_name_label: "Votre nom",
    display_name_hint: "Visible par les autres participants et par les organisateurs.",
    signing_in: "Connexion en cours…",
    creating_account: "Création de votre compte…",
    sign_up_submit: "Créer mon compte",
    no_account: "Nouveau sur Hackops\u{202f}?",
    create_account_link: "Créer un compte",
    have_account: "Vous avez déjà un compte\u{202f}?",
    sign_in_link: "Se connecter",
    form_has_errors: "Certains champs sont à corriger.",
    required_fields_note: "Tous les champs sont obligatoires.",
    welcome,
    signed_out: "Votre session est fermée.",

    not_found_title: "Page introuvable",
    not_found_text: "La page que vous cherchez n'existe pas ou a été déplacée.",
    back_to_events: "Retour aux événements",
    footer_about: "Hackops aide les collectivités à organiser des hackathons de données ouvertes avec leurs habitants.",
    footer_open_source: "Logiciel libre et open source.",

    live_updates: "Mises à jour en direct",
    link_connecting: "Connexion…",
    link_live: "En direct",
    link_reconnecting: "Reconnexion…",
    link_offline: "Hors ligne",
    event_updated: "Cet événement vient d'être mis à jour.",
    ops: &super::ops::FR,
    setup: &super::setup::FR,
    handout: &super::handout::FR,
    nav_my_events: "Mes événements",
    pool: &super::pool::FR,
};
