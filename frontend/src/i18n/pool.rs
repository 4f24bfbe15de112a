//! The words of the open data pool (browse and search, a dataset's page, publishing, uploads,
//! harvests), in English and French. Reached as `t.pool.<field>`.

use crate::format::byte_size;

pub struct PoolTexts {
    pub nav: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub search_label: &'static str,
    pub search_submit: &'static str,
    pub filters: &'static str,
    pub licence_label: &'static str,
    pub format_label: &'static str,
    pub publisher_label: &'static str,
    pub all_licences: &'static str,
    pub all_formats: &'static str,
    pub all_publishers: &'static str,
    pub clear: &'static str,
    pub count: fn(u64) -> String,
    pub empty: &'static str,
    pub loading: &'static str,
    pub pages: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page_of: fn(u64, u64) -> String,
    pub publish: &'static str,
    pub harvest: &'static str,
    pub published_by: &'static str,
    pub licence_not_specified: &'static str,
    pub keywords_label: &'static str,
    pub formats: &'static str,

    pub dataset_loading: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub about: &'static str,
    pub no_description: &'static str,
    pub resources_heading: &'static str,
    pub no_resources: &'static str,
    pub download: &'static str,
    pub preview_summary: &'static str,
    pub preview_warning: &'static str,
    pub columns_heading: &'static str,
    pub save_columns: &'static str,
    /// Table Schema types in words: (type, words).
    pub field_types: [(&'static str, &'static str); 8],
    pub open_link: &'static str,
    pub remote: &'static str,
    pub size: fn(u64) -> String,
    pub themes_label: &'static str,
    pub spatial_label: &'static str,
    pub spatial_hint: &'static str,
    pub temporal_label: &'static str,
    pub temporal_start_label: &'static str,
    pub temporal_end_label: &'static str,
    /// Before the first day of an open-ended period: "from 1 January 2020".
    pub temporal_from: &'static str,
    /// Before the last day of a period with no first day: "until 31 December 2020".
    pub temporal_until: &'static str,
    pub theme_label: &'static str,
    pub all_themes: &'static str,
    pub frequency_label: &'static str,
    /// The frequencies offered when publishing: (stored value, words).
    pub frequencies: [(&'static str, &'static str); 7],
    pub contact_label: &'static str,
    pub created_label: &'static str,
    pub modified_label: &'static str,
    pub machines_heading: &'static str,
    pub machines_lead: &'static str,

    pub upload_heading: &'static str,
    pub file_label: &'static str,
    pub file_hint: &'static str,
    pub upload_submit: &'static str,
    pub uploading: &'static str,
    pub upload_progress: &'static str,
    pub percent: fn(u32) -> String,
    pub uploaded: &'static str,
    pub link_heading: &'static str,
    pub url_label: &'static str,
    pub format_hint: &'static str,
    pub link_submit: &'static str,
    pub link_added: &'static str,

    pub new_lead: &'static str,
    pub keywords_hint: &'static str,
    pub publish_submit: &'static str,
    pub published: &'static str,
    pub not_organiser: &'static str,
    pub sign_in_first: &'static str,

    pub harvest_lead: &'static str,
    pub portal_label: &'static str,
    pub portal_hint: &'static str,
    /// The words of each [`HarvestFormat`](hackops_shared::datasets::HarvestFormat), in
    /// `HarvestFormat::ALL`'s order.
    pub harvest_formats: [&'static str; 5],
    pub harvest_submit: &'static str,
    pub harvesting: &'static str,
    pub report_heading: &'static str,
    pub report_source: fn(&str) -> String,
    pub created: &'static str,
    pub updated: &'static str,
    pub skipped: &'static str,
    /// What happened to one record: created, updated, skipped.
    pub outcomes: [&'static str; 3],
    pub warnings: &'static str,
    pub report_empty: &'static str,
}

fn count_en(n: u64) -> String {
    match n {
        1 => "1 dataset".to_owned(),
        n => format!("{n} datasets"),
    }
}

fn count_fr(n: u64) -> String {
    match n {
        0 | 1 => format!("{n} jeu de données"),
        n => format!("{n} jeux de données"),
    }
}

fn page_of_en(page: u64, pages: u64) -> String {
    format!("Page {page} of {pages}")
}

fn page_of_fr(page: u64, pages: u64) -> String {
    format!("Page {page} sur {pages}")
}

fn size_en(bytes: u64) -> String {
    byte_size(bytes, ["bytes", "kB", "MB", "GB"], '.')
}

fn size_fr(bytes: u64) -> String {
    byte_size(bytes, ["octets", "ko", "Mo", "Go"], ',')
}

fn percent_en(n: u32) -> String {
    format!("{n}%")
}

fn percent_fr(n: u32) -> String {
    format!("{n}\u{a0}%")
}

fn source_en(url: &str) -> String {
    format!("Read from {url}")
}

fn source_fr(url: &str) -> String {
    format!("Lu depuis {url}")
}

pub const EN: PoolTexts = PoolTexts {
    nav: "Open data",
    title: "Open data pool",
    lead: "The datasets the organisations on Hackops publish for their hackathons, free to reuse under open licences.",
    search_label: "Search the datasets",
    search_submit: "Search",
    filters: "Filters",
    licence_label: "Licence",
    format_label: "Format",
    publisher_label: "Publisher",
    all_licences: "All licences",
    all_formats: "All formats",
    all_publishers: "All publishers",
    clear: "Clear the search",
    count: count_en,
    empty: "No dataset matches this search.",
    loading: "Loading the datasets…",
    pages: "Pages of results",
    previous: "Previous",
    next: "Next",
    page_of: page_of_en,
    publish: "Publish a dataset",
    harvest: "Import a catalogue",
    published_by: "Published by",
    licence_not_specified: "Licence not specified",
    keywords_label: "Keywords",
    formats: "Formats",

    dataset_loading: "Loading the dataset…",
    not_found_title: "Dataset not found",
    not_found_text: "This dataset does not exist, or is not public yet.",
    about: "About this dataset",
    no_description: "The publisher has not written a description.",
    resources_heading: "Files and links",
    no_resources: "No file or link yet.",
    download: "Download",
    preview_summary: "Preview the first rows and the columns",
    preview_warning: "Some characters or rows of this file could not be read as expected.",
    columns_heading: "Columns and their types",
    save_columns: "Save the columns' types",
    field_types: [
        ("string", "Text"),
        ("number", "Number"),
        ("integer", "Whole number"),
        ("boolean", "Yes / no"),
        ("date", "Date"),
        ("time", "Time"),
        ("datetime", "Date and time"),
        ("year", "Year"),
    ],
    open_link: "Open the link",
    remote: "Hosted elsewhere",
    size: size_en,
    themes_label: "Themes",
    spatial_label: "Area covered",
    spatial_hint: "For example: Dakar, Sénégal.",
    temporal_label: "Period covered",
    temporal_start_label: "Period covered: first day",
    temporal_end_label: "Period covered: last day",
    temporal_from: "from",
    temporal_until: "until",
    theme_label: "Theme",
    all_themes: "All themes",
    frequency_label: "Update frequency",
    frequencies: [
        ("", "Not said"),
        ("daily", "Daily"),
        ("weekly", "Weekly"),
        ("monthly", "Monthly"),
        ("quarterly", "Quarterly"),
        ("annual", "Yearly"),
        ("irregular", "Irregular"),
    ],
    contact_label: "Contact",
    created_label: "Published",
    modified_label: "Updated",
    machines_heading: "For machines",
    machines_lead: "The same dataset in the standards other tools read.",

    upload_heading: "Add a file",
    file_label: "File",
    file_hint: "Its SHA-256 fingerprint and size are computed as it arrives.",
    upload_submit: "Upload the file",
    uploading: "Uploading…",
    upload_progress: "Upload progress",
    percent: percent_en,
    uploaded: "File added.",
    link_heading: "Add a remote link",
    url_label: "Address (URL)",
    format_hint: "CSV, GeoJSON… Guessed from the address when left empty.",
    link_submit: "Add the link",
    link_added: "Link added.",

    new_lead: "Describe the data and its licence; you add its files on the next page.",
    keywords_hint: "Separated by commas.",
    publish_submit: "Publish the dataset",
    published: "Dataset published. Add its files now.",
    not_organiser: "Only the organisers of an organisation publish datasets. Create an event to set up yours.",
    sign_in_first: "Sign in to publish datasets.",

    harvest_lead: "Bring the datasets of another portal into your organisation. Their files stay where they are: each becomes a link. Importing the same address again updates those datasets.",
    portal_label: "Catalogue address",
    portal_hint: "A CKAN portal, a DCAT-AP catalogue or a data.json file.",
    harvest_formats: [
        "Recognise it",
        "CKAN (Action API)",
        "DCAT-AP, JSON-LD",
        "DCAT-AP, RDF/XML",
        "DCAT-US (data.json)",
    ],
    harvest_submit: "Import",
    harvesting: "Importing…",
    report_heading: "Import report",
    report_source: source_en,
    created: "Created",
    updated: "Updated",
    skipped: "Skipped",
    outcomes: ["Created", "Updated", "Skipped"],
    warnings: "Warnings",
    report_empty: "The catalogue holds no dataset.",
};

pub const FR: PoolTexts = PoolTexts {
    nav: "Données",
    title: "Données ouvertes",
    lead: "Les jeux de données que les organisations de Hackops publient pour leurs hackathons, libres de réutilisation sous licence ouverte.",
    search_label: "Rechercher un jeu de données",
    search_submit: "Rechercher",
    filters: "Filtres",
    licence_label: "Licence",
    format_label: "Format",
    publisher_label: "Producteur",
    all_licences: "Toutes les licences",
    all_formats: "Tous les formats",
    all_publishers: "Tous les producteurs",
    clear: "Effacer la recherche",
    count: count_fr,
    empty: "Aucun jeu de données ne correspond à cette recherche.",
    loading: "Chargement des jeux de données…",
    pages: "Pages de résultats",
    previous: "Précédente",
    next: "Suivante",
    page_of: page_of_fr,
    publish: "Publier un jeu de données",
    harvest: "Importer un catalogue",
    published_by: "Publié par",
    licence_not_specified: "Licence non précisée",
    keywords_label: "Mots-clés",
    formats: "Formats",

    dataset_loading: "Chargement du jeu de données…",
    not_found_title: "Jeu de données introuvable",
    not_found_text: "Ce jeu de données n'existe pas, ou n'est pas encore public.",
    about: "À propos de ce jeu de données",
    no_description: "Le producteur n'a pas écrit de description.",
    resources_heading: "Fichiers et liens",
    no_resources: "Pas encore de fichier ni de lien.",
    download: "Télécharger",
    preview_summary: "Aperçu des premières lignes et des colonnes",
    preview_warning: "Certains caractères ou lignes de ce fichier n'ont pas pu être lus correctement.",
    columns_heading: "Colonnes et leurs types",
    save_columns: "Enregistrer les types des colonnes",
    field_types: [
        ("string", "Texte"),
        ("number", "Nombre"),
        ("integer", "Nombre entier"),
        ("boolean", "Oui / non"),
        ("date", "Date"),
        ("time", "Heure"),
        ("datetime", "Date et heure"),
        ("year", "Année"),
    ],
    open_link: "Ouvrir le lien",
    remote: "Hébergé ailleurs",
    size: size_fr,
    themes_label: "Thèmes",
    spatial_label: "Territoire couvert",
    spatial_hint: "Par exemple\u{a0}: Dakar, Sénégal.",
    temporal_label: "Période couverte",
    temporal_start_label: "Période couverte\u{a0}: premier jour",
    temporal_end_label: "Période couverte\u{a0}: dernier jour",
    temporal_from: "à partir du",
    temporal_until: "jusqu’au",
    theme_label: "Thème",
    all_themes: "Tous les thèmes",
    frequency_label: "Fréquence de mise à jour",
    frequencies: [
        ("", "Non précisée"),
        ("daily", "Quotidienne"),
        ("weekly", "Hebdomadaire"),
        ("monthly", "Mensuelle"),
        ("quarterly", "Trimestrielle"),
        ("annual", "Annuelle"),
        ("irregular", "Irrégulière"),
    ],
    contact_label: "Contact",
    created_label: "Publié le",
    modified_label: "Mis à jour le",
    machines_heading: "Pour les machines",
    machines_lead: "Le même jeu de données dans les standards que lisent les autres outils.",

    upload_heading: "Ajouter un fichier",
    file_label: "Fichier",
    file_hint: "Son empreinte SHA-256 et sa taille sont calculées à l'arrivée.",
    upload_submit: "Envoyer le fichier",
    uploading: "Envoi…",
    upload_progress: "Progression de l'envoi",
    percent: percent_fr,
    uploaded: "Fichier ajouté.",
    link_heading: "Ajouter un lien distant",
    url_label: "Adresse (URL)",
    format_hint: "CSV, GeoJSON… Déduit de l'adresse si vous le laissez vide.",
    link_submit: "Ajouter le lien",
    link_added: "Lien ajouté.",

    new_lead: "Décrivez les données et leur licence\u{a0}; vous ajoutez les fichiers à la page suivante.",
    keywords_hint: "Séparés par des virgules.",
    publish_submit: "Publier le jeu de données",
    published: "Jeu de données publié. Ajoutez maintenant ses fichiers.",
    not_organiser: "Seuls les organisateurs d'une organisation publient des jeux de données. Créez un événement pour créer la vôtre.",
    sign_in_first: "Connectez-vous pour publier des jeux de données.",

    harvest_lead: "Importez les jeux de données d'un autre portail dans votre organisation. Leurs fichiers restent où ils sont\u{a0}: chacun devient un lien. Importer à nouveau la même adresse met ces jeux de données à jour.",
    portal_label: "Adresse du catalogue",
    portal_hint: "Un portail CKAN, un catalogue DCAT-AP ou un fichier data.json.",
    harvest_formats: [
        "Le reconnaître",
        "CKAN (API Action)",
        "DCAT-AP, JSON-LD",
        "DCAT-AP, RDF/XML",
        "DCAT-US (data.json)",
    ],
    harvest_submit: "Importer",
    harvesting: "Import en cours…",
    report_heading: "Rapport d'import",
    report_source: source_fr,
    created: "Créés",
    updated: "Mis à jour",
    skipped: "Ignorés",
    outcomes: ["Créé", "Mis à jour", "Ignoré"],
    warnings: "Avertissements",
    report_empty: "Le catalogue ne contient aucun jeu de données.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_well() {
        assert_eq!((EN.count)(1), "1 dataset");
        assert_eq!((FR.count)(2), "2 jeux de données");
        assert_eq!((EN.size)(532), "532\u{a0}bytes");
        assert_eq!((EN.size)(1536), "1.5\u{a0}kB");
        assert_eq!((FR.size)(1_500_000), "1,5\u{a0}Mo");
        assert_eq!((FR.size)(2_000_000_000), "2\u{a0}Go");
    }
}
