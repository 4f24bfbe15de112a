//! `--demo`: a demo organisation, event, challenges and accounts, so a newcomer sees a real
//! event at once. Idempotent: running it again changes nothing.

use crate::announcements::service as announcements;
use crate::auth::service::{ensure_user, grant_event_role};
use crate::error::AppResult;
use crate::events::repo::NewChallenge;
use crate::events::service as events;
use crate::organisations::service as organisations;
use crate::participation::service as participation;
use hackops_shared::announcements::{Audience, Priority};
use hackops_shared::auth::EventRole;
use hackops_shared::events::{AgendaKind, EventPhase, ValidAgendaItem, ValidEvent};
use hackops_shared::ids::EventId;
use hackops_shared::ids::{OrganisationId, UserId};
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

pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
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
        for challenge in challenges {
            events::add_challenge(&txn, event_id, challenge).await?;
        }
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
