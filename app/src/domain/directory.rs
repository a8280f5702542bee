//! The company directory: people of the company, with or without an account, and the
//! CSV import of a list of collaborators.

use super::form::{FieldErrors, Text};
use super::Email;
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

/// Splits one CSV line on `;` (French spreadsheets) or `,`, honouring double quotes.
fn split_line(line: &str) -> Vec<String> {
    let sep = if line.contains(';') { ';' } else { ',' };
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

/// Parses "prénom;nom;email" lines (a header line is recognised and skipped). Returns
/// the accepted people and, for every other line, why it was refused.
pub fn parse_csv(text: &str) -> (Vec<CollaboratorInput>, Vec<RefusedLine>) {
    let mut accepted: Vec<CollaboratorInput> = Vec::new();
    let mut refused = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let fields = split_line(line);
        if i == 0 && fields.iter().any(|f| super::catalogue::fold(f).contains("mail")) {
            continue;
        }
        let refuse = |reason: String| RefusedLine { line: i + 1, content: line.to_string(), reason };
        if fields.len() != 3 {
            refused.push(refuse(format!("{} colonne(s) au lieu de 3 (prénom ; nom ; e-mail).", fields.len())));
            continue;
        }
        let form = CollaboratorForm { first_name: fields[0].clone(), last_name: fields[1].clone(), email: fields[2].clone() };
        match form.parse() {
            // One reason per line: the address first, then the names.
            Err(e) => {
                let reason = ["email", "first_name", "last_name"].into_iter().find_map(|f| e.get(f)).unwrap_or_default();
                refused.push(refuse(reason.to_string()))
            }
            Ok(c) if accepted.iter().any(|a| a.email == c.email) => {
                refused.push(refuse("Adresse e-mail en double dans le fichier.".into()))
            }
            Ok(c) => accepted.push(c),
        }
    }
    (accepted, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_french_csv_with_a_report() {
        let csv = "\u{feff}Prénom;Nom;E-mail\nMarie;Durand;marie@cabinet.fr\n\"Jean, dit Jo\";Dupont;jean@cabinet.fr\n;Petit;lea@cabinet.fr\nPaul;Martin;paul@\nMarie;Durand;MARIE@cabinet.fr\nun;deux\n\n";
        let (ok, ko) = parse_csv(csv);
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].first_name, "Jean, dit Jo");
        assert_eq!(ko.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5, 6, 7]);
        assert!(ko[0].reason.contains("prénom"));
        assert!(ko[1].reason.contains("invalide"));
        assert!(ko[2].reason.contains("double"));
        assert!(ko[3].reason.contains("2 colonne"));
    }

    #[test]
    fn accepts_commas_and_no_header() {
        let (ok, ko) = parse_csv("Marie,Durand,marie@cabinet.fr\r\n");
        assert_eq!((ok.len(), ko.len()), (1, 0));
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
