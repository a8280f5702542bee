//! The company directory: people of the company, with or without an account, and the
//! checking of an imported list of collaborators.

use super::form::{FieldErrors, Text};
use super::{Email, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollaboratorInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Email,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub content: String,
    pub reason: String,
}

/// A line of an imported list: a person, and the roles the file gives him.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub person: CollaboratorInput,
    pub roles: Vec<Role>,
}

/// The roles named in the optional fourth column: "Administrateur", "Responsable de
/// formation", "Responsable facturation" (or "admin", "formation", "facturation", or
/// the codes), several separated by "/", "+" or ",". `None` when a name is unknown.
pub fn roles_named(text: &str) -> Option<Vec<Role>> {
    let mut roles = Vec::new();
    for name in text.split(['/', '+', ',']).map(super::catalogue::fold) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let role = Role::ALL.into_iter().find(|r| {
            let short = match r {
                Role::Admin => "admin",
                Role::TrainingManager => "formation",
                Role::BillingManager => "facturation",
            };
            name == super::catalogue::fold(r.label()) || name == r.code() || name == short
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles.sort();
    Some(roles)
}

/// One person typed in a form (or read from a line of CSV).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollaboratorForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

impl CollaboratorForm {
    pub fn parse(&self) -> Result<CollaboratorInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        let first_name = e.check("first_name", Text::parse(&self.first_name, "Saisissez le prénom."));
        let last_name = e.check("last_name", Text::parse(&self.last_name, "Saisissez le nom."));
        let valid = (|| Some(CollaboratorInput { first_name: first_name?.into(), last_name: last_name?.into(), email: email? }))();
        e.finish(valid)
    }
}

/// Checks the lines of an imported list, "prénom;nom;email" each, with an optional
/// fourth column of roles (see [`roles_named`]), given as (line number, text, fields) —
/// `server::csv` reads the file. A header line (the first, naming an e-mail column) is
/// skipped. Returns the accepted lines and, for every other line, why it was refused.
pub fn parse_lines<'a, I>(lines: I) -> (Vec<ImportLine>, Vec<RefusedLine>)
where
    I: IntoIterator<Item = (usize, &'a str, &'a [String])>,
{
    let mut accepted: Vec<ImportLine> = Vec::new();
    let mut refused = Vec::new();
    for (line, content, fields) in lines {
        if line == 1 && fields.iter().any(|f| super::catalogue::fold(f).contains("mail")) {
            continue;
        }
        let refuse = |reason: String| RefusedLine { line, content: content.to_string(), reason };
        if !(3..=4).contains(&fields.len()) {
            refused.push(refuse(format!("{} colonne(s) au lieu de 3 (prénom ; nom ; e-mail), ou 4 avec le rôle.", fields.len())));
            continue;
        }
        let Some(roles) = roles_named(fields.get(3).map(String::as_str).unwrap_or_default()) else {
            refused.push(refuse("Rôle inconnu : Administrateur, Responsable de formation ou Responsable facturation.".into()));
            continue;
        };
        let form = CollaboratorForm { first_name: fields[0].clone(), last_name: fields[1].clone(), email: fields[2].clone() };
        match form.parse() {
            // One reason per line: the address first, then the names.
            Err(e) => {
                let reason = ["email", "first_name", "last_name"].into_iter().find_map(|f| e.get(f)).unwrap_or_default();
                refused.push(refuse(reason.to_string()))
            }
            Ok(c) if accepted.iter().any(|a| a.person.email == c.email) => {
                refused.push(refuse("Adresse e-mail en double dans le fichier.".into()))
            }
            Ok(person) => accepted.push(ImportLine { person, roles }),
        }
    }
    (accepted, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize, fields: &[&str]) -> (usize, String, Vec<String>) {
        (n, fields.join(";"), fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn checks_each_line_with_a_report() {
        let lines = [
            line(1, &["Prénom", "Nom", "E-mail"]),
            line(2, &["Marie", "Durand", "marie@cabinet.fr"]),
            line(3, &["Jean, dit Jo", "Dupont", "jean@cabinet.fr"]),
            line(4, &["", "Petit", "lea@cabinet.fr"]),
            line(5, &["Paul", "Martin", "paul@"]),
            line(6, &["Marie", "Durand", "MARIE@cabinet.fr"]),
            line(7, &["un", "deux"]),
        ];
        let (ok, ko) = parse_lines(lines.iter().map(|(n, t, f)| (*n, t.as_str(), f.as_slice())));
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].person.first_name, "Jean, dit Jo");
        assert_eq!(ko.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5, 6, 7]);
        assert!(ko[0].reason.contains("prénom"));
        assert!(ko[1].reason.contains("invalide"));
        assert!(ko[2].reason.contains("double"));
        assert!(ko[3].reason.contains("2 colonne"));
        assert!(ok.iter().all(|l| l.roles.is_empty()));
        assert_eq!(ko[3].content, "un;deux");
    }

    #[test]
    fn a_fourth_column_gives_roles() {
        let lines = [
            line(1, &["Prénom", "Nom", "E-mail", "Rôle"]),
            line(2, &["Marie", "Durand", "marie@cabinet.fr", "Administrateur"]),
            line(3, &["Léa", "Petit", "lea@cabinet.fr", "responsable de formation / Responsable facturation"]),
            line(4, &["Paul", "Martin", "paul@cabinet.fr", ""]),
            line(5, &["Jean", "Dupont", "jean@cabinet.fr", "Stagiaire"]),
            line(6, &["Luc", "Roy", "luc@cabinet.fr", "formation+admin"]),
        ];
        let (ok, ko) = parse_lines(lines.iter().map(|(n, t, f)| (*n, t.as_str(), f.as_slice())));
        let roles: Vec<Vec<Role>> = ok.iter().map(|l| l.roles.clone()).collect();
        assert_eq!(
            roles,
            vec![
                vec![Role::Admin],
                vec![Role::TrainingManager, Role::BillingManager],
                vec![],
                vec![Role::Admin, Role::TrainingManager],
            ]
        );
        assert_eq!(ko.iter().map(|r| r.line).collect::<Vec<_>>(), vec![5]);
        assert!(ko[0].reason.starts_with("Rôle inconnu"));
        assert_eq!(roles_named("  "), Some(vec![]));
    }

    #[test]
    fn a_header_is_only_the_first_line() {
        let lines = [line(1, &["Marie", "Durand", "marie@cabinet.fr"]), line(2, &["Prénom", "Nom", "E-mail"])];
        let (ok, ko) = parse_lines(lines.iter().map(|(n, t, f)| (*n, t.as_str(), f.as_slice())));
        assert_eq!((ok.len(), ko.len()), (1, 1));
    }

    #[test]
    fn a_collaborator_form_reports_each_field() {
        let ok = CollaboratorForm { first_name: " Léa ".into(), last_name: "Petit".into(), email: "LEA@cabinet.fr".into() };
        let c = ok.parse().unwrap();
        assert_eq!((c.first_name.as_str(), c.email.as_str()), ("Léa", "lea@cabinet.fr"));
        let e = CollaboratorForm { first_name: " ".into(), last_name: String::new(), email: "lea@".into() }.parse().unwrap_err();
        assert_eq!(e.get("first_name"), Some("Saisissez le prénom."));
        assert_eq!(e.get("last_name"), Some("Saisissez le nom."));
        assert!(e.get("email").unwrap().contains("invalide"));
    }
}
