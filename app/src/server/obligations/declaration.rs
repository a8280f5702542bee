//! A person's declaration of one year, ready for his compagnie régionale or his Ordre:
//! a PDF (who, each rule's totals after the caps and what is missing, each activity of
//! the year), the same as CSV, and a ZIP holding both with the proofs.

use super::super::csv::{neutral, write};
use super::super::db::Db;
use super::super::pdf::Doc;
use crate::domain::attendance::hours_fr;
use crate::domain::obligation::{Ledger, Source, Standing};

/// Who declares: name, address, professional number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarant {
    pub name: String,
    pub email: String,
    pub professional_number: String,
}

pub async fn declarant(db: &Db, user_id: i64) -> Result<Declarant, sqlx::Error> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT first_name, last_name, email, professional_number FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(row
        .map(|(first, last, email, professional_number)| Declarant { name: format!("{first} {last}"), email, professional_number })
        .unwrap_or_default())
}

/// The standings of the year, one per rule (in the ledger's order).
fn standings(ledger: &Ledger, year: i32) -> Vec<Standing> {
    ledger.rules.iter().map(|r| ledger.standing(r, year)).collect()
}

fn source_label(source: Source) -> &'static str {
    match source {
        Source::Portal => "Formation suivie sur le portail (présence relevée par l'organisme)",
        Source::Outside => "Déclarée par le professionnel",
    }
}

/// The PDF of the year's declaration.
pub fn pdf(ledger: &Ledger, who: &Declarant, year: i32) -> Vec<u8> {
    let mut doc = Doc::new(&format!("Déclaration de formation continue {year}"));
    doc.heading(&format!("Déclaration de formation continue — année {year}"));
    doc.text(&format!("{} — {}", who.name, who.email));
    if !who.professional_number.trim().is_empty() {
        doc.text(&format!("Numéro d'inscription : {}", who.professional_number.trim()));
    }
    doc.small(&format!("Établie le {} par l'Espace Entreprise.", ledger.today.short_fr()));
    if ledger.rules.is_empty() {
        doc.subheading("Aucune profession réglementée déclarée");
        doc.text("Déclarez votre profession dans Mon compte pour voir vos obligations.");
    }
    for (rule, s) in ledger.rules.iter().zip(standings(ledger, year)) {
        doc.subheading(&format!("{} — période {}-{year}", rule.label, s.first_year));
        doc.small(&format!(
            "À adresser à {} avant le {}, avec les justificatifs (à conserver {} ans).",
            rule.authority,
            rule.declaration_due(year).short_fr(),
            rule.retention_years
        ));
        doc.row(&format!("Heures retenues en {year} (minimum annuel {})", hours_fr(rule.year_minutes)), &hours_fr(s.year_counted), true);
        for y in &s.years {
            doc.row(&format!("Heures réalisées en {} / retenues après plafonds", y.year), &format!("{} / {}", hours_fr(y.done), hours_fr(y.counted)), false);
        }
        doc.row(
            &format!("Heures retenues sur {}-{year} (obligation {})", s.first_year, hours_fr(rule.period_minutes)),
            &hours_fr(s.period_counted),
            true,
        );
        for k in s.kinds.iter().filter(|k| k.done > 0) {
            let cap = k.cap.map(|c| format!(" (plafond {} sur la période)", hours_fr(c))).unwrap_or_default();
            doc.row(&format!("{} : réalisées {}{cap}", k.kind.label(), hours_fr(k.done)), &format!("retenues {}", hours_fr(k.counted)), false);
        }
        doc.text(&s.sentence(rule, ledger.today));
        doc.rule();
    }
    doc.subheading(&format!("Activités de {year}"));
    let mut any = false;
    for (_, e) in ledger.of_year(year) {
        any = true;
        let proof = e.proof.as_ref().map(|p| format!(" — justificatif : {p}")).unwrap_or_default();
        doc.row(
            &format!("{} — {} — {} ({}){proof}", e.date.short_fr(), e.kind.label(), e.title, e.organiser),
            &hours_fr(e.minutes),
            false,
        );
        doc.small(source_label(e.source));
    }
    if !any {
        doc.text("Aucune activité enregistrée pour cette année.");
    }
    doc.finish()
}

/// The CSV of the year's declaration (`;`, UTF-8): one line per activity with the
/// minutes it counts for each rule, then each rule's totals.
pub fn csv(ledger: &Ledger, year: i32) -> Vec<u8> {
    let all = standings(ledger, year);
    let mut header: Vec<String> =
        ["Date", "Nature", "Intitulé", "Organisateur", "Source", "Durée", "Minutes"].iter().map(|s| s.to_string()).collect();
    header.extend(ledger.rules.iter().map(|r| format!("Minutes retenues — {}", r.label)));
    header.push("Justificatif".into());
    let mut rows = vec![header];
    for (i, e) in ledger.of_year(year) {
        let mut row = vec![
            e.date.iso(),
            e.kind.label().to_string(),
            neutral(&e.title),
            neutral(&e.organiser),
            match e.source {
                Source::Portal => "portail".into(),
                Source::Outside => "déclarée".into(),
            },
            hours_fr(e.minutes),
            e.minutes.to_string(),
        ];
        row.extend(all.iter().map(|s| s.counted[i].to_string()));
        row.push(e.proof.as_ref().map(|p| proof_path(e.id, p)).unwrap_or_default());
        rows.push(row);
    }
    rows.push(Vec::new());
    rows.push(vec!["Profession".into(), "Période".into(), "Retenu dans l'année".into(), "Minimum annuel".into(), "Retenu sur la période".into(), "Obligation de la période".into(), "Manquant".into(), "À déclarer avant le".into()]);
    for (rule, s) in ledger.rules.iter().zip(&all) {
        rows.push(vec![
            rule.label.clone(),
            format!("{}-{year}", s.first_year),
            hours_fr(s.year_counted),
            hours_fr(rule.year_minutes),
            hours_fr(s.period_counted),
            hours_fr(rule.period_minutes),
            hours_fr(s.missing),
            rule.declaration_due(year).iso(),
        ]);
    }
    write(rows)
}

/// Where a proof goes in the archive (the name is already safe: `safe_file_name`).
pub fn proof_path(activity_id: i64, name: &str) -> String {
    format!("justificatifs/{activity_id}-{name}")
}

/// The archive: the PDF, the CSV and the proofs of the year's activities.
pub async fn zip(db: &Db, ledger: &Ledger, who: &Declarant, year: i32) -> Result<Vec<u8>, sqlx::Error> {
    let mut names = vec![format!("declaration-{year}.pdf"), format!("declaration-{year}.csv")];
    let mut contents = vec![pdf(ledger, who, year), csv(ledger, year)];
    for (_, e) in ledger.of_year(year) {
        let (Source::Outside, Some(name)) = (e.source, &e.proof) else { continue };
        if let Some(bytes) = super::proof_bytes(db, e.id).await? {
            names.push(proof_path(e.id, name));
            contents.push(bytes);
        }
    }
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(String::as_str).zip(contents).collect();
    super::super::export::zip(&files).map_err(sqlx::Error::Io)
}
