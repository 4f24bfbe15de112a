//! The one error shape of the API: `{"code", "message", "details"?}`.
//!
//! `code` is stable and machine-readable: clients branch on it, never on `message`.
//! `message` is for people, in the language the request asked for.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Every error the API can answer with. New codes may be added; existing ones never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    MalformedJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    ValidationFailed,
    Unauthenticated,
    InvalidCredentials,
    TokenExpired,
    TokenInvalid,
    TokenWrongType,
    TokenRevoked,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    EmailTaken,
    Conflict,
    RateLimited,
    Internal,
    ServiceUnavailable,
    /// Realtime: a frame that is not a valid protocol message.
    InvalidMessage,
    /// Realtime: no such topic.
    UnknownTopic,
    /// Realtime: the connection follows too many topics.
    TooManySubscriptions,
    /// Realtime: a request to `/ws` that is not a websocket handshake (HTTP/1.1 upgrade,
    /// version 13).
    NotWebsocket,
    /// The event cannot move to that phase from where it is.
    InvalidPhaseTransition,
    /// Registration is closed (the event is not in its registration phase).
    RegistrationClosed,
    /// Already registered for this event.
    AlreadyRegistered,
    /// The team has no seat left.
    TeamFull,
    /// Teams can no longer change.
    TeamsLocked,
    /// Already in a team of this event.
    AlreadyInTeam,
    /// A request to join this team is already waiting for its captain.
    AlreadyRequested,
    /// The dataset's licence and the event's data-use terms must be accepted first.
    TermsNotAccepted,
    /// A download link whose time is over.
    LinkExpired,
    /// A download link that was altered or was never issued by us.
    LinkInvalid,
    /// Harvest: the document is not a catalogue in a format we read (or not valid at all).
    HarvestInvalid,
    /// Harvest: the source could not be fetched (unreachable, error status, timeout).
    HarvestUnreachable,
    /// The resource is not a CSV or TSV file we could read: it has no preview nor Table Schema.
    NotTabular,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedJson | InvalidMessage | NotWebsocket => 400,
            UnsupportedMediaType => 415,
            PayloadTooLarge => 413,
            ValidationFailed => 422,
            Unauthenticated | InvalidCredentials | TokenExpired | TokenInvalid | TokenWrongType
            | TokenRevoked => 401,
            Forbidden => 403,
            NotFound | UnknownTopic => 404,
            MethodNotAllowed => 405,
            EmailTaken
            | Conflict
            | TooManySubscriptions
            | InvalidPhaseTransition
            | RegistrationClosed
            | AlreadyRegistered
            | TeamFull
            | TeamsLocked
            | AlreadyInTeam
            | AlreadyRequested
            | TermsNotAccepted
            | NotTabular => 409,
            LinkExpired => 410,
            LinkInvalid => 403,
            HarvestInvalid => 422,
            HarvestUnreachable => 502,
            RateLimited => 429,
            Internal => 500,
            ServiceUnavailable => 503,
        }
    }

    /// The wire spelling of the code, e.g. `"token_expired"`.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            MalformedJson => "malformed_json",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            ValidationFailed => "validation_failed",
            Unauthenticated => "unauthenticated",
            InvalidCredentials => "invalid_credentials",
            TokenExpired => "token_expired",
            TokenInvalid => "token_invalid",
            TokenWrongType => "token_wrong_type",
            TokenRevoked => "token_revoked",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            EmailTaken => "email_taken",
            Conflict => "conflict",
            RateLimited => "rate_limited",
            Internal => "internal",
            ServiceUnavailable => "service_unavailable",
            InvalidMessage => "invalid_message",
            UnknownTopic => "unknown_topic",
            TooManySubscriptions => "too_many_subscriptions",
            NotWebsocket => "not_websocket",
            InvalidPhaseTransition => "invalid_phase_transition",
            RegistrationClosed => "registration_closed",
            AlreadyRegistered => "already_registered",
            TeamFull => "team_full",
            TeamsLocked => "teams_locked",
            AlreadyInTeam => "already_in_team",
            AlreadyRequested => "already_requested",
            TermsNotAccepted => "terms_not_accepted",
            LinkExpired => "link_expired",
            LinkInvalid => "link_invalid",
            HarvestInvalid => "harvest_invalid",
            HarvestUnreachable => "harvest_unreachable",
            NotTabular => "not_tabular",
        }
    }

    /// A human message in the given language.
    pub fn message(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (MalformedJson, Lang::En) => "The request body is not valid JSON.",
            (MalformedJson, Lang::Fr) => "Le corps de la requête n'est pas du JSON valide.",
            (UnsupportedMediaType, Lang::En) => "Send the request body as application/json.",
            (UnsupportedMediaType, Lang::Fr) => {
                "Envoyez le corps de la requête en application/json."
            }
            (PayloadTooLarge, Lang::En) => "The request body is too large.",
            (PayloadTooLarge, Lang::Fr) => "Le corps de la requête est trop volumineux.",
            (ValidationFailed, Lang::En) => "Some fields are not valid.",
            (ValidationFailed, Lang::Fr) => "Certains champs ne sont pas valides.",
            (Unauthenticated, Lang::En) => "Please sign in.",
            (Unauthenticated, Lang::Fr) => "Veuillez vous connecter.",
            (InvalidCredentials, Lang::En) => "Wrong email or password.",
            (InvalidCredentials, Lang::Fr) => "Adresse e-mail ou mot de passe incorrect.",
            (TokenExpired, Lang::En) => "Your session has expired. Please sign in again.",
            (TokenExpired, Lang::Fr) => "Votre session a expiré. Veuillez vous reconnecter.",
            (TokenInvalid, Lang::En) => "The access token is not valid.",
            (TokenInvalid, Lang::Fr) => "Le jeton d'accès n'est pas valide.",
            (TokenWrongType, Lang::En) => "This token cannot be used here.",
            (TokenWrongType, Lang::Fr) => "Ce jeton ne peut pas être utilisé ici.",
            (TokenRevoked, Lang::En) => "This session has been closed. Please sign in again.",
            (TokenRevoked, Lang::Fr) => "Cette session a été fermée. Veuillez vous reconnecter.",
            (Forbidden, Lang::En) => "You are not allowed to do this.",
            (Forbidden, Lang::Fr) => "Vous n'êtes pas autorisé à faire cela.",
            (NotFound, Lang::En) => "Not found.",
            (NotFound, Lang::Fr) => "Introuvable.",
            (MethodNotAllowed, Lang::En) => "This method is not allowed here.",
            (MethodNotAllowed, Lang::Fr) => "Cette méthode n'est pas autorisée ici.",
            (EmailTaken, Lang::En) => "An account already uses this email address.",
            (EmailTaken, Lang::Fr) => "Un compte utilise déjà cette adresse e-mail.",
            (Conflict, Lang::En) => "This conflicts with the current state. Reload and try again.",
            (Conflict, Lang::Fr) => "Conflit avec l'état actuel. Rechargez et réessayez.",
            (RateLimited, Lang::En) => "Too many attempts. Please wait a moment and try again.",
            (RateLimited, Lang::Fr) => "Trop de tentatives. Patientez un instant puis réessayez.",
            (Internal, Lang::En) => "Something went wrong on our side. Please try again.",
            (Internal, Lang::Fr) => "Une erreur est survenue de notre côté. Veuillez réessayer.",
            (ServiceUnavailable, Lang::En) => "The service is temporarily unavailable.",
            (ServiceUnavailable, Lang::Fr) => "Le service est momentanément indisponible.",
            (InvalidMessage, Lang::En) => "This message is not part of the realtime protocol.",
            (InvalidMessage, Lang::Fr) => "Ce message ne fait pas partie du protocole temps réel.",
            (UnknownTopic, Lang::En) => "There is no such topic.",
            (UnknownTopic, Lang::Fr) => "Ce sujet n'existe pas.",
            (TooManySubscriptions, Lang::En) => "This connection follows too many topics.",
            (TooManySubscriptions, Lang::Fr) => "Cette connexion suit trop de sujets.",
            (NotWebsocket, Lang::En) => {
                "This address only accepts websocket connections (HTTP/1.1 upgrade, version 13)."
            }
            (NotWebsocket, Lang::Fr) => {
                "Cette adresse n'accepte que des connexions websocket (mise à niveau HTTP/1.1, version 13)."
            }
            (InvalidPhaseTransition, Lang::En) => "The event cannot move to that phase now.",
            (InvalidPhaseTransition, Lang::Fr) => {
                "L'événement ne peut pas passer à cette phase maintenant."
            }
            (RegistrationClosed, Lang::En) => "Registration for this event is closed.",
            (RegistrationClosed, Lang::Fr) => "Les inscriptions à cet événement sont closes.",
            (AlreadyRegistered, Lang::En) => "You are already registered for this event.",
            (AlreadyRegistered, Lang::Fr) => "Vous êtes déjà inscrit·e à cet événement.",
            (TeamFull, Lang::En) => "This team is full.",
            (TeamFull, Lang::Fr) => "Cette équipe est complète.",
            (TeamsLocked, Lang::En) => "Teams are locked: they can no longer change.",
            (TeamsLocked, Lang::Fr) => {
                "Les équipes sont verrouillées : elles ne peuvent plus changer."
            }
            (AlreadyInTeam, Lang::En) => "You are already in a team for this event.",
            (AlreadyInTeam, Lang::Fr) => "Vous faites déjà partie d'une équipe pour cet événement.",
            (AlreadyRequested, Lang::En) => "You have already asked to join this team.",
            (AlreadyRequested, Lang::Fr) => "Vous avez déjà demandé à rejoindre cette équipe.",
            (TermsNotAccepted, Lang::En) => {
                "Accept the dataset's licence and the event's data-use terms first."
            }
            (TermsNotAccepted, Lang::Fr) => {
                "Acceptez d'abord la licence du jeu de données et les conditions d'utilisation des données de l'événement."
            }
            (LinkExpired, Lang::En) => "This download link has expired. Ask for a new one.",
            (LinkExpired, Lang::Fr) => {
                "Ce lien de téléchargement a expiré. Demandez-en un nouveau."
            }
            (LinkInvalid, Lang::En) => "This download link is not valid.",
            (LinkInvalid, Lang::Fr) => "Ce lien de téléchargement n'est pas valide.",
            (HarvestInvalid, Lang::En) => {
                "This is not a catalogue we can read (CKAN, DCAT-AP or DCAT-US): nothing was imported."
            }
            (HarvestInvalid, Lang::Fr) => {
                "Ce n'est pas un catalogue lisible (CKAN, DCAT-AP ou DCAT-US) : rien n'a été importé."
            }
            (HarvestUnreachable, Lang::En) => {
                "The source portal could not be reached: nothing was imported."
            }
            (HarvestUnreachable, Lang::Fr) => {
                "Le portail source est injoignable : rien n'a été importé."
            }
            (NotTabular, Lang::En) => {
                "This resource is not a CSV or TSV file we could read: it has no preview nor table schema."
            }
            (NotTabular, Lang::Fr) => {
                "Cette ressource n'est pas un fichier CSV ou TSV lisible : elle n'a ni aperçu ni schéma de table."
            }
        }
    }
}

/// Why one field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldCode {
    Required,
    TooShort,
    TooLong,
    InvalidEmail,
    InvalidTimezone,
    InvalidUrl,
    EndsBeforeStart,
    InvalidValue,
}

impl FieldCode {
    pub fn message(self, lang: Lang) -> &'static str {
        use FieldCode::*;
        match (self, lang) {
            (Required, Lang::En) => "This field is required.",
            (Required, Lang::Fr) => "Ce champ est obligatoire.",
            (TooShort, Lang::En) => "This is too short.",
            (TooShort, Lang::Fr) => "C'est trop court.",
            (TooLong, Lang::En) => "This is too long.",
            (TooLong, Lang::Fr) => "C'est trop long.",
            (InvalidEmail, Lang::En) => "Enter a valid email address.",
            (InvalidEmail, Lang::Fr) => "Saisissez une adresse e-mail valide.",
            (InvalidTimezone, Lang::En) => "Choose a time zone such as Europe/Paris.",
            (InvalidTimezone, Lang::Fr) => "Choisissez un fuseau horaire comme Europe/Paris.",
            (InvalidUrl, Lang::En) => "Enter a valid web address (https://…).",
            (InvalidUrl, Lang::Fr) => "Saisissez une adresse web valide (https://…).",
            (EndsBeforeStart, Lang::En) => "The end must come after the start.",
            (EndsBeforeStart, Lang::Fr) => "La fin doit être postérieure au début.",
            (InvalidValue, Lang::En) => "This value is not valid.",
            (InvalidValue, Lang::Fr) => "Cette valeur n'est pas valide.",
        }
    }
}

/// One refused field of a `validation_failed` error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The JSON field name, e.g. `"email"`.
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldError>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, lang: Lang) -> Self {
        Self { code, message: code.message(lang).to_owned(), details: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::TokenWrongType,
            ErrorCode::EmailTaken,
            ErrorCode::ServiceUnavailable,
            ErrorCode::HarvestInvalid,
            ErrorCode::HarvestUnreachable,
            ErrorCode::NotTabular,
        ] {
            let json = serde_json::to_string(&code).expect("serialise");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn every_code_has_a_distinct_message_per_language() {
        let code = ErrorCode::InvalidCredentials;
        assert_ne!(code.message(Lang::En), code.message(Lang::Fr));
        assert_eq!(code.http_status(), 401);
    }

    #[test]
    fn details_are_omitted_when_empty() {
        let body = ErrorBody::new(ErrorCode::NotFound, Lang::En);
        let json = serde_json::to_value(&body).expect("serialise");
        assert_eq!(json, serde_json::json!({"code": "not_found", "message": "Not found."}));
    }
}
