//! The first-inscription wizard: its steps and the answers kept on the server.

use super::account::PostalCode;
use super::company::ContactKind;
use super::form::{FieldErrors, Text};
use super::identity::parse_vat;
use super::{Date, Email, RegistrationPolicy, Role, Siret};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    Login,
    Structure,
    Admin,
    Rights,
    Review,
    Participants,
    Done,
}

impl Step {
    pub const ALL: [Step; 7] =
        [Step::Login, Step::Structure, Step::Admin, Step::Rights, Step::Review, Step::Participants, Step::Done];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Login => "connexion",
            Step::Structure => "structure",
            Step::Admin => "administrateur",
            Step::Rights => "droits",
            Step::Review => "parametres",
            Step::Participants => "participants",
            Step::Done => "termine",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.slug() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Step::Login => "Connexion",
            Step::Structure => "Pour quelle structure ?",
            Step::Admin => "Administrateur",
            Step::Rights => "Droits d'inscription",
            Step::Review => "Vérifier vos paramètres",
            Step::Participants => "Participants",
            Step::Done => "Inscription envoyée",
        }
    }

    pub fn path(self) -> String {
        format!("/inscription/{}", self.slug())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrantKind {
    Employee,
    Executive,
    Independent,
}

impl RegistrantKind {
    pub const ALL: [RegistrantKind; 3] =
        [RegistrantKind::Employee, RegistrantKind::Executive, RegistrantKind::Independent];
    pub fn code(self) -> &'static str {
        match self {
            RegistrantKind::Employee => "salarie",
            RegistrantKind::Executive => "dirigeant",
            RegistrantKind::Independent => "independant",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            RegistrantKind::Employee => "Salarié",
            RegistrantKind::Executive => "Dirigeant",
            RegistrantKind::Independent => "Indépendant ou entreprise",
        }
    }
}

/// A structure as typed in the wizard (raw strings: kept even when invalid).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    pub legal_name: String,
    pub legal_form: String,
    pub siret: String,
    pub vat_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedPerson {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
}

/// The "Vérifier vos paramètres" answers. The key contacts are people the space is
/// created with (the administrator and the persons he listed), by address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub billing_email: String,
    pub billing_address_line: String,
    pub billing_postal_code: String,
    pub billing_city: String,
    pub direction_contact: String,
    pub training_contact: String,
    pub billing_contact: String,
}

impl SettingsForm {
    /// The field of the contact of a kind, and its address as typed.
    pub fn contact(&self, kind: ContactKind) -> (&'static str, &str) {
        match kind {
            ContactKind::Direction => ("direction_contact", &self.direction_contact),
            ContactKind::Training => ("training_contact", &self.training_contact),
            ContactKind::Billing => ("billing_contact", &self.billing_contact),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantDraft {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Known account: registered directly; otherwise invited by email.
    pub has_account: bool,
}

/// Everything answered so far; lives in the database, keyed by the browser session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardDraft {
    pub session_id: i64,
    pub kind: Option<RegistrantKind>,
    /// "existing" or "new"
    pub structure_mode: String,
    pub existing_company_id: Option<i64>,
    pub existing_siret: String,
    pub company: CompanyForm,
    pub admin_attested: bool,
    pub policy: Option<RegistrationPolicy>,
    pub authorized: Vec<AuthorizedPerson>,
    /// The person being typed in the "add an authorised person" form.
    pub person_form: AuthorizedPersonForm,
    pub settings: SettingsForm,
    /// Set once the company space exists (created or chosen).
    pub company_id: Option<i64>,
    pub participants: Vec<ParticipantDraft>,
    pub participant_form: ParticipantForm,
    pub registered: Vec<i64>,
    /// Field name -> French message, from the last submission.
    pub errors: BTreeMap<String, String>,
    /// A message for the whole step (refusal, success).
    pub notice: Option<String>,
    /// The company that refused the registration (restricted mode): the step offers to
    /// ask its administrators for the right.
    #[serde(default)]
    pub refused_company: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedPersonForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// A new structure's identity, once parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCompany {
    pub legal_name: Text,
    pub legal_form: Text,
    pub siret: Siret,
    pub vat_number: Option<String>,
    pub address_line: Text,
    pub postal_code: PostalCode,
    pub city: Text,
}

impl CompanyForm {
    pub fn parse(&self) -> Result<ValidCompany, FieldErrors> {
        let mut e = FieldErrors::new();
        let legal_name = e.check("legal_name", Text::parse(&self.legal_name, "Saisissez la raison sociale."));
        let legal_form = e.check("legal_form", Text::parse(&self.legal_form, "Choisissez la forme juridique."));
        let siret = e.check("siret", Siret::parse(&self.siret));
        let vat_number = e.check("vat_number", parse_vat(&self.vat_number, siret.as_ref()));
        let address_line = e.check("address_line", Text::parse(&self.address_line, "Saisissez l'adresse du siège."));
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", Text::parse(&self.city, "Saisissez la ville."));
        let valid = (|| {
            Some(ValidCompany {
                legal_name: legal_name?,
                legal_form: legal_form?,
                siret: siret?,
                vat_number: vat_number?,
                address_line: address_line?,
                postal_code: postal_code?,
                city: city?,
            })
        })();
        e.finish(valid)
    }
}

/// The "Vérifier vos paramètres" answers, once parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSettings {
    pub billing_email: Email,
    pub billing_address_line: Text,
    pub billing_postal_code: PostalCode,
    pub billing_city: Text,
    /// One person of the directory per kind of contact.
    pub contacts: Vec<(ContactKind, Email)>,
}

impl SettingsForm {
    /// `people`: the addresses of the people the space is created with, among whom the
    /// key contacts are chosen.
    pub fn parse(&self, people: &[String]) -> Result<ValidSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let billing_email = e.check("billing_email", Email::parse(&self.billing_email));
        let billing_address_line =
            e.check("billing_address_line", Text::parse(&self.billing_address_line, "Saisissez l'adresse de facturation."));
        let billing_postal_code = e.check("billing_postal_code", PostalCode::parse(&self.billing_postal_code));
        let billing_city = e.check("billing_city", Text::parse(&self.billing_city, "Saisissez la ville de facturation."));
        let mut contacts = Some(Vec::new());
        for &kind in ContactKind::ALL {
            let (field, typed) = self.contact(kind);
            let chosen = Email::parse(typed).ok().filter(|m| people.iter().any(|p| p == m.as_str()));
            match e.check(field, chosen.ok_or("Choisissez une personne de l'annuaire.")) {
                Some(m) => contacts.iter_mut().for_each(|c| c.push((kind, m.clone()))),
                None => contacts = None,
            }
        }
        let valid = (|| {
            Some(ValidSettings {
                billing_email: billing_email?,
                billing_address_line: billing_address_line?,
                billing_postal_code: billing_postal_code?,
                billing_city: billing_city?,
                contacts: contacts?,
            })
        })();
        e.finish(valid)
    }
}

impl AuthorizedPersonForm {
    /// Parses a person to list, for the administrator `me` who already listed `listed`.
    pub fn parse(&self, me: &str, listed: &[AuthorizedPerson]) -> Result<AuthorizedPerson, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check(
            "email",
            Email::parse(&self.email).and_then(|m| {
                if m.as_str() == me {
                    Err("Vous êtes déjà administrateur de cette structure.")
                } else if listed.iter().any(|p| p.email == m.as_str()) {
                    Err("Cette personne est déjà dans la liste.")
                } else {
                    Ok(m)
                }
            }),
        );
        let first_name = e.check("first_name", Text::parse(&self.first_name, "Saisissez son prénom."));
        let last_name = e.check("last_name", Text::parse(&self.last_name, "Saisissez son nom."));
        if self.roles.is_empty() {
            e.add("roles", "Attribuez au moins un rôle.");
        }
        let valid = (|| {
            Some(AuthorizedPerson {
                email: email?.to_string(),
                first_name: first_name?.into(),
                last_name: last_name?.into(),
                roles: self.roles.clone(),
            })
        })();
        e.finish(valid)
    }
}

impl ParticipantForm {
    /// The participant's address (it finds his account, if he has one).
    pub fn email(&self) -> Result<Email, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        e.finish(email)
    }

    /// A participant without an account, invited by email.
    pub fn invitee(&self) -> Result<ParticipantDraft, FieldErrors> {
        self.person(false)
    }

    /// The participant as typed: his names always come from the registrant, never from
    /// an account found by the address (that would show a stranger's names); whether
    /// he has an account only says if he will be invited.
    pub fn person(&self, has_account: bool) -> Result<ParticipantDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        let first_name_missing = if has_account {
            "Saisissez son prénom."
        } else {
            "Cette personne n'a pas encore de compte : saisissez son prénom pour l'inviter."
        };
        let first_name = e.check("first_name", Text::parse(&self.first_name, first_name_missing));
        let last_name = e.check("last_name", Text::parse(&self.last_name, "Saisissez son nom."));
        let valid = (|| {
            Some(ParticipantDraft { email: email?.to_string(), first_name: first_name?.into(), last_name: last_name?.into(), has_account })
        })();
        e.finish(valid)
    }
}

impl WizardDraft {
    pub fn new(session_id: i64) -> Self {
        Self { session_id, structure_mode: "new".into(), ..Default::default() }
    }

    /// The furthest step the answers allow, for a logged-in (or not) user.
    pub fn furthest_step(&self, logged_in: bool) -> Step {
        if !logged_in {
            return Step::Login;
        }
        if !self.registered.is_empty() {
            return Step::Done;
        }
        if self.company_id.is_some() {
            return Step::Participants;
        }
        if self.kind.is_none() || self.structure_mode != "new" {
            return Step::Structure;
        }
        if !self.company_complete() {
            return Step::Structure;
        }
        if self.skips(Step::Admin) {
            return Step::Review;
        }
        if !self.admin_attested {
            return Step::Admin;
        }
        if self.policy.is_none() {
            return Step::Rights;
        }
        Step::Review
    }

    /// An independent declaring his structure is that structure: he is its
    /// administrator without declaring himself so, and nobody else gets rights in it.
    pub fn is_own_structure(&self) -> bool {
        self.kind == Some(RegistrantKind::Independent) && self.structure_mode == "new"
    }

    /// Steps this path does not go through: an independent's own structure has no
    /// administrator to declare and no rights to give.
    pub fn skips(&self, step: Step) -> bool {
        self.is_own_structure() && matches!(step, Step::Admin | Step::Rights)
    }

    /// The step "Précédent" leads to from `step`.
    pub fn previous(&self, step: Step) -> Step {
        self.path_steps().into_iter().rev().skip_while(|s| *s != step).nth(1).unwrap_or(Step::Structure)
    }

    /// Who registers for a new structure: the registration policy it is created with
    /// (an independent's own structure: restricted, he alone registers).
    pub fn creation_policy(&self) -> RegistrationPolicy {
        if self.is_own_structure() {
            RegistrationPolicy::Restricted
        } else {
            self.policy.unwrap_or(RegistrationPolicy::Restricted)
        }
    }

    /// The persons listed with their roles, given those roles at the creation (nobody
    /// for an independent's own structure).
    pub fn creation_authorized(&self) -> &[AuthorizedPerson] {
        if self.is_own_structure() {
            &[]
        } else {
            &self.authorized
        }
    }

    /// The people the space is created with, whom the key contacts are chosen from:
    /// (address, "Prénom Nom"), the creator first.
    pub fn people(&self, me: (&str, String)) -> Vec<(String, String)> {
        let mut out = vec![(me.0.to_string(), me.1)];
        out.extend(self.creation_authorized().iter().map(|p| (p.email.clone(), format!("{} {}", p.first_name, p.last_name))));
        out
    }

    fn company_complete(&self) -> bool {
        self.company.parse().is_ok()
    }

    /// The step a visitor asking for `wanted` is shown: never one beyond the answers.
    pub fn clamp(&self, wanted: Step, logged_in: bool) -> Step {
        let furthest = self.furthest_step(logged_in);
        if wanted > furthest {
            return furthest;
        }
        // Once the space exists, its creation steps are behind us.
        if self.company_id.is_some() && wanted < Step::Participants && wanted != Step::Login {
            return furthest;
        }
        if wanted == Step::Login && logged_in {
            return furthest;
        }
        if self.skips(wanted) {
            return furthest;
        }
        wanted
    }

    /// The steps shown in the progress bar for this path.
    pub fn path_steps(&self) -> Vec<Step> {
        if self.structure_mode == "existing" {
            vec![Step::Login, Step::Structure, Step::Participants, Step::Done]
        } else {
            Step::ALL.into_iter().filter(|s| !self.skips(*s)).collect()
        }
    }
}

/// What the wizard page needs to render a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WizardView {
    pub step: Step,
    pub draft: WizardDraft,
    pub training_title: String,
    pub session_label: String,
    pub session_start: Date,
    pub seats_left: i64,
    pub user_email: Option<String>,
    /// Whether the user has proven his address: a company space is created only then.
    pub user_confirmed: bool,
    /// Companies the user already has a right on, or that are open: (id, name, siret).
    pub my_companies: Vec<CompanyChoice>,
    /// People of the directory of the company being registered for.
    pub directory: Vec<DirectoryEntry>,
    pub company_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyChoice {
    pub id: i64,
    pub name: String,
    pub siret: String,
    pub city: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub has_account: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft_with_company() -> WizardDraft {
        let mut d = WizardDraft::new(1);
        d.kind = Some(RegistrantKind::Executive);
        d.company = company();
        d
    }

    fn company() -> CompanyForm {
        CompanyForm {
            legal_name: "Cabinet Durand".into(),
            legal_form: "SARL".into(),
            siret: "12002701600019".into(),
            vat_number: String::new(),
            address_line: "3 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
        }
    }

    fn settings() -> SettingsForm {
        SettingsForm {
            billing_email: "compta@durand.fr".into(),
            billing_address_line: "3 rue de la Paix".into(),
            billing_postal_code: "75002".into(),
            billing_city: "Paris".into(),
            direction_contact: "marie@durand.fr".into(),
            training_contact: "Marie@durand.fr".into(),
            billing_contact: "paul@durand.fr".into(),
        }
    }

    fn people() -> Vec<String> {
        vec!["marie@durand.fr".into(), "paul@durand.fr".into()]
    }

    #[test]
    fn a_structure_parses_or_names_each_bad_field() {
        let v = company().parse().unwrap();
        assert_eq!((v.siret.siren(), v.vat_number), ("120027016", None));
        let cases: [crate::domain::form::Spoiled<CompanyForm>; 7] = [
            ("legal_name", |f| f.legal_name = " ".into(), "Saisissez la raison sociale."),
            ("legal_form", |f| f.legal_form.clear(), "Choisissez la forme juridique."),
            ("siret", |f| f.siret = "123".into(), "Le SIRET compte exactement 14 chiffres."),
            ("vat_number", |f| f.vat_number = "FR00120027016".into(), "La clé du numéro de TVA ne correspond pas au SIREN."),
            ("address_line", |f| f.address_line.clear(), "Saisissez l'adresse du siège."),
            ("postal_code", |f| f.postal_code = "750".into(), "Le code postal compte 5 chiffres."),
            ("city", |f| f.city.clear(), "Saisissez la ville."),
        ];
        crate::domain::form::assert_fields_refused(company, &cases, |f| f.parse(), 7);
    }

    #[test]
    fn settings_parse_or_name_each_bad_field() {
        let v = settings().parse(&people()).unwrap();
        assert_eq!(v.billing_email.as_str(), "compta@durand.fr");
        let contacts: Vec<(ContactKind, &str)> = v.contacts.iter().map(|(k, m)| (*k, m.as_str())).collect();
        assert_eq!(
            contacts,
            vec![
                (ContactKind::Direction, "marie@durand.fr"),
                (ContactKind::Training, "marie@durand.fr"),
                (ContactKind::Billing, "paul@durand.fr")
            ]
        );
        let people = people();
        let cases: [crate::domain::form::Spoiled<SettingsForm>; 7] = [
            ("billing_email", |f| f.billing_email = "x".into(), "Adresse e-mail invalide (exemple : prenom.nom@cabinet.fr)."),
            ("billing_address_line", |f| f.billing_address_line.clear(), "Saisissez l'adresse de facturation."),
            ("billing_postal_code", |f| f.billing_postal_code = "1".into(), "Le code postal compte 5 chiffres."),
            ("billing_city", |f| f.billing_city.clear(), "Saisissez la ville de facturation."),
            ("direction_contact", |f| f.direction_contact.clear(), "Choisissez une personne de l'annuaire."),
            // Somebody the space is not created with cannot be its contact.
            ("training_contact", |f| f.training_contact = "lea@ailleurs.fr".into(), "Choisissez une personne de l'annuaire."),
            ("billing_contact", |f| f.billing_contact = "paul@".into(), "Choisissez une personne de l'annuaire."),
        ];
        crate::domain::form::assert_fields_refused(settings, &cases, |f| f.parse(&people), 7);
    }

    #[test]
    fn authorized_persons() {
        let f = AuthorizedPersonForm { email: "Lea@durand.fr".into(), first_name: "Léa".into(), last_name: "Petit".into(), roles: vec![Role::BillingManager] };
        let p = f.parse("marie@durand.fr", &[]).unwrap();
        assert_eq!(p.email, "lea@durand.fr");
        let e = f.parse("lea@durand.fr", &[]).unwrap_err();
        assert_eq!(e.get("email"), Some("Vous êtes déjà administrateur de cette structure."));
        assert_eq!(f.parse("marie@durand.fr", &[p]).unwrap_err().get("email"), Some("Cette personne est déjà dans la liste."));
        let empty = AuthorizedPersonForm::default().parse("marie@durand.fr", &[]).unwrap_err();
        assert_eq!(empty.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["email", "first_name", "last_name", "roles"]);
        assert_eq!(empty.get("roles"), Some("Attribuez au moins un rôle."));
    }

    #[test]
    fn participants() {
        let f = ParticipantForm { email: "paul@durand.fr".into(), first_name: String::new(), last_name: String::new() };
        assert!(f.email().is_ok());
        let e = f.invitee().unwrap_err();
        assert!(e.get("first_name").unwrap().contains("pas encore de compte"));
        assert_eq!(e.get("last_name"), Some("Saisissez son nom."));
        assert!(ParticipantForm::default().email().unwrap_err().contains("email"));
        let ok = ParticipantForm { first_name: " Paul ".into(), last_name: "Durand".into(), ..f };
        assert_eq!(ok.invitee().unwrap().first_name, "Paul");
    }

    #[test]
    fn steps_follow_the_answers() {
        let mut d = WizardDraft::new(1);
        assert_eq!(d.furthest_step(false), Step::Login);
        assert_eq!(d.furthest_step(true), Step::Structure);
        d = draft_with_company();
        assert_eq!(d.furthest_step(true), Step::Admin);
        d.admin_attested = true;
        assert_eq!(d.furthest_step(true), Step::Rights);
        d.policy = Some(RegistrationPolicy::Open);
        assert_eq!(d.furthest_step(true), Step::Review);
        d.company_id = Some(7);
        assert_eq!(d.furthest_step(true), Step::Participants);
        d.registered.push(1);
        assert_eq!(d.furthest_step(true), Step::Done);
    }

    #[test]
    fn cannot_jump_ahead_but_can_go_back() {
        let mut d = draft_with_company();
        d.admin_attested = true;
        assert_eq!(d.clamp(Step::Review, true), Step::Rights);
        assert_eq!(d.clamp(Step::Structure, true), Step::Structure);
        assert_eq!(d.clamp(Step::Admin, false), Step::Login);
        d.policy = Some(RegistrationPolicy::Restricted);
        d.company_id = Some(3);
        assert_eq!(d.clamp(Step::Rights, true), Step::Participants);
    }

    #[test]
    fn an_independent_is_his_own_structure() {
        let mut d = draft_with_company();
        d.kind = Some(RegistrantKind::Independent);
        d.policy = Some(RegistrationPolicy::Open);
        d.authorized.push(AuthorizedPerson { email: "lea@durand.fr".into(), first_name: "Léa".into(), last_name: "Petit".into(), roles: vec![Role::Admin] });
        // No administrator to declare, no rights to give: from the structure to the review.
        assert_eq!(d.furthest_step(true), Step::Review);
        assert_eq!(
            d.path_steps(),
            vec![Step::Login, Step::Structure, Step::Review, Step::Participants, Step::Done]
        );
        assert_eq!(d.clamp(Step::Rights, true), Step::Review);
        assert_eq!(d.clamp(Step::Admin, true), Step::Review);
        assert_eq!(d.clamp(Step::Structure, true), Step::Structure);
        assert_eq!(d.previous(Step::Review), Step::Structure);
        // He alone: restricted, nobody else listed, whatever a former answer said.
        assert_eq!(d.creation_policy(), RegistrationPolicy::Restricted);
        assert!(d.creation_authorized().is_empty());
        assert_eq!(d.people(("marie@durand.fr", "Marie Durand".into())), vec![("marie@durand.fr".to_string(), "Marie Durand".to_string())]);
        // An incomplete structure still stops him at its step.
        d.company.siret.clear();
        assert_eq!(d.furthest_step(true), Step::Structure);
        // Joining an existing structure, an independent goes the usual way.
        d.structure_mode = "existing".into();
        assert!(!d.skips(Step::Rights));
    }

    #[test]
    fn an_employee_or_executive_declares_himself_and_gives_the_rights() {
        for kind in [RegistrantKind::Employee, RegistrantKind::Executive] {
            let mut d = draft_with_company();
            d.kind = Some(kind);
            assert_eq!(d.furthest_step(true), Step::Admin);
            assert_eq!(d.path_steps(), Step::ALL.to_vec());
            assert_eq!(d.previous(Step::Review), Step::Rights);
            assert_eq!(d.previous(Step::Rights), Step::Admin);
            d.policy = Some(RegistrationPolicy::Open);
            d.authorized.push(AuthorizedPerson { email: "lea@durand.fr".into(), first_name: "Léa".into(), last_name: "Petit".into(), roles: vec![Role::TrainingManager] });
            assert_eq!(d.creation_policy(), RegistrationPolicy::Open);
            assert_eq!(d.creation_authorized().len(), 1);
            assert_eq!(d.people(("marie@durand.fr", "Marie Durand".into()))[1], ("lea@durand.fr".to_string(), "Léa Petit".to_string()));
        }
    }

    #[test]
    fn registrant_kinds_round_trip() {
        for k in RegistrantKind::ALL {
            assert_eq!(RegistrantKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn slugs_round_trip() {
        for s in Step::ALL {
            assert_eq!(Step::from_slug(s.slug()), Some(s));
        }
    }
}
