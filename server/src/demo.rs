//! `--demo`: a demo organisation, event, challenges and accounts, so a newcomer sees a real
//! event at once. Idempotent: running it again changes nothing.

use crate::announcements::service as announcements;
use crate::auth::service::{ensure_user, grant_event_role};
use crate::datasets::service as datasets;
use crate::error::AppResult;
use crate::events::repo::NewChallenge;
use crate::events::service as events;
use crate::handout::service as handout;
use crate::organisations::service as organisations;
use crate::participation::service as participation;
use crate::storage::Storage;
use hackops_shared::announcements::{Audience, Priority};
use hackops_shared::auth::EventRole;
use hackops_shared::datasets::ValidDataset;
use hackops_shared::events::{AgendaKind, EventPhase, ValidAgendaItem, ValidEvent};
use hackops_shared::ids::{ChallengeId, EventId, OrganisationId, UserId};
use hackops_shared::lang::Lang;
use sea_orm::{DatabaseConnection, TransactionTrait};
use time::{Duration, OffsetDateTime, Time};

pub const PASSWORD: &str = "demo-password";
pub const ORGANISER: &str = "organiser@demo.test";
pub const JUDGE: &str = "judge@demo.test";
pub const PARTICIPANT: &str = "participant@demo.test";
pub const EVENT_SLUG: &str = "hackathon-donnees-ouvertes-de-dakar-2026";

const DESCRIPTION: &str =
    "La Ville de Dakar ouvre ses données et invite développeuses, développeurs, \
designers et curieux à imaginer des services utiles aux habitants.\n\n\
Deux jours pour former une équipe, choisir un défi, exploiter les jeux de données de la ville \
et présenter un prototype devant le jury. Tout ce qui sera produit — code, données, résultats — \
sera publié en licence ouverte.\n\n\
The City of Dakar opens its data: two days to team up, pick a challenge and build a prototype. \
Everything produced is published under an open licence.";

/// Volunteers, teams and announcements, so the demo looks like an event in full swing.
async fn seed_people(
    txn: &sea_orm::DatabaseTransaction,
    event: EventId,
    organiser: uuid::Uuid,
    participant: uuid::Uuid,
) -> AppResult<()> {
    let volunteers = [
        ("awa@demo.test", "Awa Diop", &["python", "data"][..], false),
        ("ibrahima@demo.test", "Ibrahima Fall", &["react", "design"][..], false),
        ("mariama@demo.test", "Mariama Bâ", &["cartographie", "qgis"][..], false),
        ("cheikh@demo.test", "Cheikh Ndiaye", &["rust", "api"][..], true),
        ("khady@demo.test", "Khady Sow", &["design", "ux"][..], true),
    ];
    participation::seed_registration(txn, event, participant, &["python", "sig"], false).await?;
    let mut ids = Vec::new();
    for (email, name, skills, looking) in volunteers {
        let user = ensure_user(txn, email, PASSWORD, name, Lang::Fr).await?;
        participation::seed_registration(txn, event, user.id, skills, looking).await?;
        ids.push(user.id);
    }
    let challenges = events::challenges_unchecked(txn, event).await?;
    participation::seed_team(
        txn,
        event,
        "Les Baobabs",
        challenges.first().copied(),
        &[participant, ids[0], ids[1]],
    )
    .await?;
    participation::seed_team(txn, event, "Dakar Propre", challenges.get(1).copied(), &[ids[2]])
        .await?;
    let notices = [
        ("Bienvenue ! Le lancement a lieu à 9 h dans l'auditorium. Welcome: kick-off at 9 am in the auditorium.", Priority::Normal, true, Audience::Everyone),
        ("Wi-Fi : réseau « Hackops », le mot de passe est affiché à l'accueil.", Priority::Normal, false, Audience::Participants),
        ("Les horaires du TER seront publiés au début du développement.", Priority::Normal, false, Audience::Challenge(challenges[0])),
    ];
    for (body, priority, pinned, audience) in notices {
        announcements::seed(txn, event, organiser, body, priority, pinned, audience).await?;
    }
    Ok(())
}

/// A small deterministic generator, so the demo files are the same on every run.
struct Lcg(u64);

impl Lcg {
    /// A number in `[0, 1)`.
    fn next(&mut self) -> f64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const QUARTIERS: [&str; 12] = [
    "Plateau",
    "Médina",
    "Fann",
    "Point E",
    "Colobane",
    "Grand Dakar",
    "HLM",
    "Liberté",
    "Grand Yoff",
    "Parcelles Assainies",
    "Ouakam",
    "Yoff",
];

/// BRT stations from Petersen to Guédiawaye, evenly spread along the line.
fn brt_stations() -> String {
    let mut out = String::from("station_id,nom,quartier,latitude,longitude,accessible_pmr\n");
    let (from, to) = ((14.6697, -17.4381), (14.7726, -17.3905));
    for i in 0..18u32 {
        let t = f64::from(i) / 17.0;
        let quartier = QUARTIERS[(i as usize * 7) % QUARTIERS.len()];
        out.push_str(&format!(
            "BRT-{:02},Station {} {},{},{:.5},{:.5},{}\n",
            i + 1,
            quartier,
            i + 1,
            quartier,
            from.0 + (to.0 - from.0) * t,
            from.1 + (to.1 - from.1) * t,
            if i % 4 == 3 { "non" } else { "oui" }
        ));
    }
    out
}

/// TER departures, Dakar → Diamniadio, every 20 minutes from 5:00 to 22:00.
fn ter_timetable() -> String {
    const STOPS: [(&str, u32); 6] = [
        ("Dakar", 0),
        ("Colobane", 5),
        ("Hann", 10),
        ("Thiaroye", 18),
        ("Rufisque", 27),
        ("Diamniadio", 36),
    ];
    let mut out = String::from("train,arret,heure_depart\n");
    let mut train = 1;
    let mut minute = 5 * 60;
    while minute <= 22 * 60 {
        for (stop, offset) in STOPS {
            let at = minute + offset;
            out.push_str(&format!("T{train:03},{stop},{:02}:{:02}\n", at / 60, at % 60));
        }
        train += 1;
        minute += 20;
    }
    out
}

/// Waste collection points with their weekly rounds.
fn collection_points() -> String {
    let mut rng = Lcg(2026);
    let days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
    let mut out =
        String::from("point_id,quartier,type,latitude,longitude,jour_collecte,capacite_m3\n");
    for i in 0..40usize {
        let kind = ["bac", "conteneur", "point de regroupement"][i % 3];
        out.push_str(&format!(
            "PC-{:03},{},{kind},{:.5},{:.5},{},{}\n",
            i + 1,
            QUARTIERS[i % QUARTIERS.len()],
            14.68 + rng.next() * 0.09,
            -17.48 + rng.next() * 0.08,
            days[i % days.len()],
            [1, 4, 8][i % 3]
        ));
    }
    out
}

/// Public standpipes and whether they are running.
fn standpipes() -> String {
    let mut rng = Lcg(221);
    let mut out = String::from("borne_id,quartier,latitude,longitude,etat,debit_l_min\n");
    for i in 0..30usize {
        let working = rng.next() > 0.2;
        out.push_str(&format!(
            "BF-{:03},{},{:.5},{:.5},{},{}\n",
            i + 1,
            QUARTIERS[(i * 5) % QUARTIERS.len()],
            14.68 + rng.next() * 0.09,
            -17.48 + rng.next() * 0.08,
            if working { "en service" } else { "hors service" },
            if working { 10 + (rng.next() * 20.0) as u32 } else { 0 }
        ));
    }
    out
}

fn demo_dataset(
    title: &str,
    description: &str,
    licence_id: &'static str,
    keywords: &[&str],
) -> ValidDataset {
    ValidDataset {
        title: title.to_owned(),
        description: description.to_owned(),
        licence_id,
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        themes: vec![],
        spatial: Some("Dakar, Sénégal".to_owned()),
        frequency: Some("irregular".to_owned()),
        contact_email: Some("donnees@demo.test".to_owned()),
        temporal_start: None,
        temporal_end: None,
    }
}

/// The challenges' datasets: synthetic CSV files (said so in their descriptions) under open
/// licences. The TER timetable is embargoed until the hacking phase.
async fn seed_datasets(
    txn: &sea_orm::DatabaseTransaction,
    storage: &Storage,
    org: OrganisationId,
    event: EventId,
    challenges: &[ChallengeId],
) -> AppResult<()> {
    const SYNTHETIC: &str = "Données synthétiques générées pour la démonstration de Hackops : \
elles ont la forme des vraies, pas leur valeur. Synthetic data for the Hackops demo.";
    let sets = [
        (
            "stations-brt-dakar",
            demo_dataset("Stations du BRT de Dakar", SYNTHETIC, "ODbL-1.0", &["transport", "brt"]),
            ("Stations", "stations-brt.csv", brt_stations()),
            0,
            false,
        ),
        (
            "horaires-ter-dakar-diamniadio",
            demo_dataset(
                "Horaires du TER Dakar – Diamniadio",
                SYNTHETIC,
                "CC-BY-4.0",
                &["transport", "ter", "horaires"],
            ),
            ("Départs", "horaires-ter.csv", ter_timetable()),
            0,
            true,
        ),
        (
            "points-de-collecte-des-dechets",
            demo_dataset(
                "Points de collecte des déchets",
                SYNTHETIC,
                "etalab-2.0",
                &["déchets", "collecte"],
            ),
            ("Points de collecte", "points-de-collecte.csv", collection_points()),
            1,
            false,
        ),
        (
            "bornes-fontaines-de-dakar",
            demo_dataset(
                "Bornes-fontaines de Dakar",
                SYNTHETIC,
                "CC-BY-4.0",
                &["eau", "bornes-fontaines"],
            ),
            ("Bornes-fontaines", "bornes-fontaines.csv", standpipes()),
            2,
            false,
        ),
    ];
    for (name, dataset, (title, file, csv), challenge, embargo) in sets {
        let id =
            datasets::seed(txn, storage, org, name, dataset, vec![(title, file, csv.into_bytes())])
                .await?;
        if let Some(challenge) = challenges.get(challenge) {
            handout::seed_attachment(txn, event, *challenge, id, embargo).await?;
        }
    }
    Ok(())
}

pub async fn seed(db: &DatabaseConnection, storage: &Storage) -> AppResult<()> {
    let txn = db.begin().await?;
    let organiser = ensure_user(&txn, ORGANISER, PASSWORD, "Aminata Ndiaye", Lang::Fr).await?;
    let judge = ensure_user(&txn, JUDGE, PASSWORD, "Moussa Diallo", Lang::Fr).await?;
    let participant = ensure_user(&txn, PARTICIPANT, PASSWORD, "Fatou Sarr", Lang::Fr).await?;
    let org = organisations::ensure(
        &txn,
        "ville-de-dakar",
        "Ville de Dakar",
        Some("https://www.villededakar.sn".to_owned()),
        UserId(organiser.id),
    )
    .await?;

    if events::find_by_slug(&txn, EVENT_SLUG).await?.is_none() {
        let start_day = (OffsetDateTime::now_utc() + Duration::days(14))
            .replace_time(Time::from_hms(9, 0, 0).map_err(anyhow::Error::from)?);
        let content = ValidEvent {
            title: "Hackathon Données Ouvertes de Dakar 2026".to_owned(),
            description: DESCRIPTION.to_owned(),
            timezone: "Africa/Dakar".to_owned(),
            starts_at: start_day,
            ends_at: start_day + Duration::hours(33),
            venue: Some("Maison de la Culture Douta Seck, Dakar".to_owned()),
            online: false,
        };
        let event =
            events::insert_event(&txn, OrganisationId(org.id), content, EventPhase::Registration)
                .await?;
        let event_id = hackops_shared::ids::EventId(event.id);
        let challenges = [
            NewChallenge {
                title: "Mobilité urbaine",
                summary: "Rendre les trajets en car rapide, Dem Dikk et TER plus simples à prévoir.",
                description: "Horaires, arrêts et fréquentation des lignes : aidez les habitants à choisir le meilleur trajet.",
                prize: Some("1 000 000 FCFA et un accompagnement par l'incubateur municipal"),
                position: 1,
            },
            NewChallenge {
                title: "Gestion des déchets",
                summary: "Mieux planifier la collecte et signaler les dépôts sauvages.",
                description: "Points de collecte, tournées et signalements citoyens : réduisez les dépôts sauvages.",
                prize: Some("750 000 FCFA"),
                position: 2,
            },
            NewChallenge {
                title: "Accès à l'eau",
                summary: "Cartographier les bornes-fontaines et anticiper les coupures.",
                description: "Bornes-fontaines, coupures programmées et qualité de l'eau : informez chaque quartier.",
                prize: Some("750 000 FCFA"),
                position: 3,
            },
        ];
        let mut challenge_ids = Vec::new();
        for challenge in challenges {
            challenge_ids.push(events::add_challenge(&txn, event_id, challenge).await?.id);
        }
        seed_datasets(&txn, storage, OrganisationId(org.id), event_id, &challenge_ids).await?;
        let agenda = [
            ("Accueil et lancement officiel", AgendaKind::Kickoff, 0, Some(1)),
            ("Présentation des jeux de données", AgendaKind::Talk, 1, Some(2)),
            ("Mentorat : données et cartographie", AgendaKind::Mentoring, 4, Some(6)),
            ("Dépôt des projets", AgendaKind::Deadline, 26, None),
            ("Pitchs devant le jury", AgendaKind::Pitch, 27, Some(30)),
            ("Remise des prix", AgendaKind::Ceremony, 31, Some(33)),
        ];
        for (title, kind, from, to) in agenda {
            events::add_agenda_item_unchecked(
                &txn,
                event_id,
                ValidAgendaItem {
                    title: title.to_owned(),
                    kind,
                    starts_at: start_day + Duration::hours(from),
                    ends_at: to.map(|h| start_day + Duration::hours(h)),
                    location: None,
                },
            )
            .await?;
        }
        for (phase, at) in [
            (EventPhase::Hacking, start_day),
            (EventPhase::Judging, start_day + Duration::hours(26)),
            (EventPhase::ResultsPublished, start_day + Duration::hours(31)),
        ] {
            events::schedule_unchecked(&txn, event_id, phase, at).await?;
        }
        grant_event_role(&txn, event.id, organiser.id, EventRole::Organiser).await?;
        grant_event_role(&txn, event.id, judge.id, EventRole::Judge).await?;
        seed_people(&txn, event_id, organiser.id, participant.id).await?;
    }
    txn.commit().await?;
    Ok(())
}
