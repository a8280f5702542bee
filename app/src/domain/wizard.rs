//! The first-inscription wizard: its steps and the answers kept on the server.

use super::{Date, RegistrationPolicy, Role};
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

/// The "Vérifier vos paramètres" answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub billing_email: String,
    pub billing_address_line: String,
    pub billing_postal_code: String,
    pub billing_city: String,
    pub training_contact_name: String,
    pub training_contact_email: String,
    pub training_contact_phone: String,
    pub billing_contact_name: String,
    pub billing_contact_email: String,
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
        if !self.admin_attested {
            return Step::Admin;
        }
        if self.policy.is_none() {
            return Step::Rights;
        }
        Step::Review
    }

    fn company_complete(&self) -> bool {
        let c = &self.company;
        !c.legal_name.trim().is_empty() && super::Siret::parse(&c.siret).is_ok()
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
        wanted
    }

    /// The steps shown in the progress bar for this path.
    pub fn path_steps(&self) -> Vec<Step> {
        if self.structure_mode == "existing" {
            vec![Step::Login, Step::Structure, Step::Participants, Step::Done]
        } else {
            Step::ALL.to_vec()
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
        d.company.legal_name = "Cabinet Durand".into();
        d.company.siret = "12002701600019".into();
        d
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
    fn slugs_round_trip() {
        for s in Step::ALL {
            assert_eq!(Step::from_slug(s.slug()), Some(s));
        }
    }
}
