//! Demo catalogue loaded into an empty database: three training providers, their
//! trainings and upcoming sessions, dated relative to today.

use super::db::{today, Db};
use crate::domain::session::SessionStatus;
use crate::domain::{catalogue::fold, identity::siret_with_key, Date};
use sqlx::Row;

const CAC: &str = "CAC";
const EC: &str = "EC";
const PRESENTIEL: &str = "presentiel";
const CLASSE: &str = "classe_virtuelle";
const ELEARNING: &str = "e_learning";
/// City of the sessions followed remotely (virtual classes and e-learning).
const REMOTE: &str = "À distance";

/// (id, name, audience, legal form, first 13 digits of the SIRET, city, VAT-exempt 0/1)
type Provider = (i64, &'static str, &'static str, &'static str, &'static str, &'static str, i64);

/// (id, address, postal code, intra-EU VAT number, activity declaration number)
const PROVIDER_DETAILS: [(i64, &str, &str, Option<&str>, &str); 3] = [
    (1, "50 rue de Londres", "75008", None, "11 75 41234 75"),
    (2, "51 rue Montgolfier", "69006", None, "82 69 12345 69"),
    (3, "12 quai de la Fosse", "44000", Some("FR22512304986"), "52 44 06789 44"),
];

const PROVIDERS: [Provider; 3] = [
    (1, "CRCC de Paris — Formation", CAC, "Association loi 1901", "3024187650001", "Paris", 1),
    (2, "Institut Régional de Formation des Experts-Comptables", EC, "Association loi 1901", "4418236970002", "Lyon", 1),
    (3, "Formation Audit & Conseil Ouest", EC, "SAS", "5123049860001", "Nantes", 0),
];

/// In-person venues, one per city.
const PLACES: [(&str, &str); 7] = [
    ("Paris", "Maison des Professions, 12 rue de Lisbonne, 75008 Paris"),
    ("Lyon", "Espace Formation Part-Dieu, 40 rue Servient, 69003 Lyon"),
    ("Marseille", "Centre d'affaires du Prado, 25 avenue du Prado, 13006 Marseille"),
    ("Bordeaux", "Espace Quinconces, 14 cours du XXX Juillet, 33000 Bordeaux"),
    ("Lille", "Maison de l'Entreprise, 40 rue Nationale, 59000 Lille"),
    ("Nantes", "Centre de formation de l'Île de Nantes, 7 quai François Mitterrand, 44200 Nantes"),
    ("Toulouse", "Espace Compans, 3 place Alfonse Jourdain, 31000 Toulouse"),
];

struct Training {
    id: i64,
    provider: i64,
    code: &'static str,
    title: &'static str,
    summary: &'static str,
    objectives: &'static [&'static str],
    programme: &'static [&'static str],
    prerequisites: &'static str,
    audience: &'static str,
    modality: &'static str,
    hours: i64,
    price_cents: i64,
}

const TRAININGS: &[Training] = &[
    Training {
        id: 1,
        provider: 1,
        code: "CAC-NEP-01",
        title: "Actualité des normes d'exercice professionnel (NEP)",
        summary: "Faire le point sur les normes d'exercice professionnel récemment homologuées et leurs incidences concrètes sur vos missions de certification.",
        objectives: &[
            "Identifier les NEP nouvelles ou révisées et leur date d'application",
            "Mesurer leurs incidences sur la démarche d'audit et la documentation du dossier",
            "Adapter les outils et les lettres de mission du cabinet",
            "Anticiper les points d'attention des contrôles d'activité de la H2A",
        ],
        programme: &[
            "Panorama de l'actualité normative et doctrinale de la CNCC",
            "NEP révisées : approche par les risques et caractère significatif",
            "Rapports du commissaire aux comptes : nouvelles formulations",
            "Documentation des travaux et contrôle qualité",
            "Cas pratiques et retours des contrôles de la H2A",
        ],
        prerequisites: "Être commissaire aux comptes inscrit ou collaborateur de cabinet d'audit",
        audience: CAC,
        modality: PRESENTIEL,
        hours: 14,
        price_cents: 64000,
    },
    Training {
        id: 2,
        provider: 2,
        code: "EC-LDF-27",
        title: "Loi de finances 2027 : les mesures clés",
        summary: "Décrypter en une journée les principales mesures fiscales de la loi de finances pour 2027 et leurs conséquences pour vos clients.",
        objectives: &[
            "Connaître les nouveautés fiscales applicables aux entreprises et aux particuliers",
            "Évaluer leurs effets sur les déclarations de l'exercice",
            "Conseiller les clients sur les choix à opérer",
        ],
        programme: &[
            "Fiscalité des entreprises : IS, BIC et crédits d'impôt",
            "TVA et facturation électronique : calendrier et obligations",
            "Fiscalité du patrimoine et des dirigeants",
            "Procédures fiscales et contrôle",
            "Questions-réponses et cas pratiques",
        ],
        prerequisites: "Connaissances de base en fiscalité",
        audience: EC,
        modality: CLASSE,
        hours: 7,
        price_cents: 29000,
    },
    Training {
        id: 3,
        provider: 1,
        code: "CAC-LCB-01",
        title: "Lutte contre le blanchiment et le financement du terrorisme (LCB-FT)",
        summary: "Maîtriser vos obligations de vigilance et de déclaration de soupçon en matière de LCB-FT, à votre rythme.",
        objectives: &[
            "Connaître le cadre légal et la norme professionnelle LCB-FT",
            "Mettre en œuvre l'approche par les risques dans le cabinet",
            "Savoir quand et comment effectuer une déclaration à Tracfin",
        ],
        programme: &[
            "Cadre réglementaire : Code monétaire et financier et NEP 9605",
            "Classification des risques et mesures de vigilance",
            "Identification du client et du bénéficiaire effectif",
            "Déclaration de soupçon et relations avec Tracfin",
            "Quiz d'évaluation final",
        ],
        prerequisites: "Aucun",
        audience: CAC,
        modality: ELEARNING,
        hours: 3,
        price_cents: 9000,
    },
    Training {
        id: 4,
        provider: 1,
        code: "CAC-ETH-01",
        title: "Éthique et indépendance du commissaire aux comptes",
        summary: "Revoir les règles du code de déontologie et les situations à risque pour l'indépendance du commissaire aux comptes.",
        objectives: &[
            "Appliquer les principes du code de déontologie de la profession",
            "Identifier les situations de perte d'indépendance",
            "Encadrer les services autres que la certification des comptes",
        ],
        programme: &[
            "Le code de déontologie : principes fondamentaux",
            "Incompatibilités et services interdits",
            "Honoraires, rotation et durée des mandats",
            "Études de cas",
        ],
        prerequisites: "Aucun",
        audience: CAC,
        modality: CLASSE,
        hours: 3,
        price_cents: 15000,
    },
    Training {
        id: 5,
        provider: 1,
        code: "CAC-ALPE-01",
        title: "Audit des petites entreprises : la mission ALPE (NEP 911)",
        summary: "Conduire efficacement une mission légale d'audit de petite entreprise en proportionnant vos travaux.",
        objectives: &[
            "Comprendre le cadre de la mission nommée pour trois exercices",
            "Adapter la démarche d'audit à la taille de l'entité",
            "Rédiger le rapport sur les risques financiers, comptables et de gestion",
        ],
        programme: &[
            "Champ d'application et acceptation de la mission",
            "Planification et approche par les risques simplifiée",
            "Travaux sur les comptes et procédures allégées",
            "Rapport sur les risques : contenu et rédaction",
            "Cas pratique d'une PME industrielle",
        ],
        prerequisites: "Connaître la démarche d'audit légal",
        audience: CAC,
        modality: PRESENTIEL,
        hours: 7,
        price_cents: 35000,
    },
    Training {
        id: 6,
        provider: 3,
        code: "EC-CONSO-01",
        title: "Consolidation des comptes : les fondamentaux",
        summary: "Acquérir les bases de la consolidation selon le règlement ANC 2020-01 et réaliser une première consolidation de bout en bout.",
        objectives: &[
            "Déterminer le périmètre et les méthodes de consolidation",
            "Réaliser les retraitements d'homogénéisation et les éliminations",
            "Calculer les écarts d'acquisition et les intérêts minoritaires",
            "Établir les états financiers consolidés",
        ],
        programme: &[
            "Périmètre, pourcentages de contrôle et d'intérêt",
            "Intégration globale et mise en équivalence",
            "Retraitements et éliminations des opérations réciproques",
            "Écarts d'acquisition et variations de périmètre",
            "Tableau des flux de trésorerie consolidé",
            "Cas de synthèse",
        ],
        prerequisites: "Maîtriser les comptes annuels en normes françaises",
        audience: EC,
        modality: PRESENTIEL,
        hours: 21,
        price_cents: 115000,
    },
    Training {
        id: 7,
        provider: 2,
        code: "EC-EVAL-01",
        title: "Évaluation d'entreprise : méthodes et cas pratiques",
        summary: "Choisir et mettre en œuvre les méthodes d'évaluation adaptées aux PME lors d'une cession, d'une transmission ou d'un apport.",
        objectives: &[
            "Connaître les principales méthodes patrimoniales et de rendement",
            "Réaliser un diagnostic préalable à l'évaluation",
            "Justifier une fourchette de valeur dans un rapport",
        ],
        programme: &[
            "Diagnostic économique et financier de l'entreprise",
            "Approche patrimoniale : actif net réévalué",
            "Approche par les flux : DCF et capitalisation des bénéfices",
            "Méthode des comparables et décotes",
            "Rédaction du rapport d'évaluation",
        ],
        prerequisites: "Bonne connaissance de l'analyse financière",
        audience: EC,
        modality: PRESENTIEL,
        hours: 14,
        price_cents: 78000,
    },
    Training {
        id: 8,
        provider: 3,
        code: "EC-IFRS-01",
        title: "Initiation aux normes IFRS",
        summary: "Comprendre les grands principes des normes IFRS et leurs différences avec les règles comptables françaises.",
        objectives: &[
            "Connaître le cadre conceptuel de l'IASB",
            "Identifier les principales divergences avec le PCG",
            "Appliquer IFRS 15, IFRS 16 et IFRS 9 sur des cas simples",
        ],
        programme: &[
            "Cadre conceptuel et présentation des états financiers (IAS 1)",
            "Reconnaissance du revenu (IFRS 15)",
            "Contrats de location (IFRS 16)",
            "Instruments financiers (IFRS 9)",
            "Première application (IFRS 1)",
        ],
        prerequisites: "Maîtriser la comptabilité générale",
        audience: EC,
        modality: CLASSE,
        hours: 14,
        price_cents: 72000,
    },
    Training {
        id: 9,
        provider: 2,
        code: "EC-PAIE-01",
        title: "Paie : actualité sociale et cas pratiques",
        summary: "Intégrer les dernières évolutions sociales dans les bulletins de paie et la DSN de vos clients.",
        objectives: &[
            "Connaître les nouveautés sociales de l'année",
            "Sécuriser le calcul des cotisations et des exonérations",
            "Fiabiliser les déclarations sociales nominatives",
        ],
        programme: &[
            "Actualité légale et conventionnelle",
            "Réduction générale des cotisations patronales",
            "Avantages en nature et frais professionnels",
            "DSN : anomalies fréquentes et régularisations",
        ],
        prerequisites: "Pratique courante de la paie",
        audience: EC,
        modality: PRESENTIEL,
        hours: 7,
        price_cents: 34000,
    },
    Training {
        id: 10,
        provider: 3,
        code: "EC-IS-01",
        title: "Fiscalité des sociétés : l'impôt sur les sociétés de A à Z",
        summary: "Déterminer le résultat fiscal et l'impôt sur les sociétés en toute sécurité, en modules courts accessibles à tout moment.",
        objectives: &[
            "Passer du résultat comptable au résultat fiscal",
            "Maîtriser les réintégrations et déductions courantes",
            "Remplir la liasse fiscale et le relevé de solde",
        ],
        programme: &[
            "Champ d'application et taux de l'impôt sur les sociétés",
            "Charges non déductibles et réintégrations",
            "Déficits reportables et régime mère-fille",
            "Tableau 2058-A et acomptes",
            "Quiz et cas de synthèse",
        ],
        prerequisites: "Aucun",
        audience: EC,
        modality: ELEARNING,
        hours: 7,
        price_cents: 19000,
    },
    Training {
        id: 11,
        provider: 1,
        code: "CAC-DATA-01",
        title: "Excel et analyse de données pour l'auditeur",
        summary: "Exploiter Excel et Power Query pour analyser le fichier des écritures comptables et cibler vos contrôles.",
        objectives: &[
            "Importer et contrôler un fichier des écritures comptables (FEC)",
            "Automatiser les contrôles de cohérence avec Power Query",
            "Présenter les résultats sous forme de tableaux croisés dynamiques",
        ],
        programme: &[
            "Structure du FEC et contrôles d'intégrité",
            "Power Query : import, nettoyage et fusion de données",
            "Tests de journaux : écritures manuelles, week-ends, montants ronds",
            "Tableaux croisés dynamiques et graphiques",
            "Documentation des travaux dans le dossier",
        ],
        prerequisites: "Utilisation courante d'Excel",
        audience: CAC,
        modality: CLASSE,
        hours: 7,
        price_cents: 36000,
    },
    Training {
        id: 12,
        provider: 2,
        code: "EC-TVA-01",
        title: "TVA : sécuriser les opérations courantes",
        summary: "Revoir les règles de TVA applicables aux opérations courantes et éviter les erreurs les plus fréquentes.",
        objectives: &[
            "Déterminer le régime de TVA applicable à une opération",
            "Maîtriser les règles de territorialité intracommunautaire",
            "Sécuriser les droits à déduction",
        ],
        programme: &[
            "Champ d'application et exonérations",
            "Fait générateur et exigibilité",
            "Territorialité des biens et des services",
            "Droit à déduction et régularisations",
            "Déclarations CA3 et CA12",
        ],
        prerequisites: "Aucun",
        audience: EC,
        modality: CLASSE,
        hours: 7,
        price_cents: 33000,
    },
    Training {
        id: 13,
        provider: 1,
        code: "CAC-CSRD-01",
        title: "Certification des informations en matière de durabilité (CSRD)",
        summary: "Se préparer à la mission de certification des informations en matière de durabilité issue de la directive CSRD.",
        objectives: &[
            "Comprendre le cadre de la CSRD et des normes ESRS",
            "Appréhender la démarche d'assurance limitée",
            "Planifier une mission de certification des informations de durabilité",
        ],
        programme: &[
            "Directive CSRD et calendrier d'application",
            "Normes ESRS et analyse de double matérialité",
            "Assurance limitée : procédures et documentation",
            "Rapport de certification",
            "Cas pratique",
        ],
        prerequisites: "Être commissaire aux comptes ou collaborateur expérimenté",
        audience: CAC,
        modality: PRESENTIEL,
        hours: 14,
        price_cents: 69000,
    },
    Training {
        id: 14,
        provider: 3,
        code: "EC-FACT-01",
        title: "Facturation électronique : préparer le cabinet et ses clients",
        summary: "Comprendre la réforme de la facturation électronique et accompagner vos clients dans le choix d'une plateforme agréée.",
        objectives: &[
            "Connaître le calendrier et les obligations de la réforme",
            "Distinguer e-invoicing et e-reporting",
            "Accompagner les clients dans le choix d'une plateforme agréée",
        ],
        programme: &[
            "Calendrier de la réforme et entreprises concernées",
            "Mentions obligatoires et formats de factures",
            "E-reporting des transactions",
            "Plateformes agréées et rôle du cabinet",
        ],
        prerequisites: "Aucun",
        audience: EC,
        modality: ELEARNING,
        hours: 3,
        price_cents: 8500,
    },
];

/// (id, training id, days from today before the first day, city, capacity, seats taken).
/// The start is pushed forward to a weekday; remote sessions use `REMOTE` as city.
type Session = (i64, i64, i64, &'static str, i64, i64);

const SESSIONS: &[Session] = &[
    (1, 1, 21, "Paris", 20, 3),
    (2, 1, 45, "Lyon", 12, 11),
    (3, 1, 80, "Marseille", 10, 10),
    (4, 2, 18, REMOTE, 30, 0),
    (5, 2, 60, REMOTE, 30, 4),
    (6, 3, 12, REMOTE, 30, 2),
    (7, 3, 100, REMOTE, 30, 0),
    (8, 4, 30, REMOTE, 25, 1),
    (9, 4, 120, REMOTE, 25, 0),
    (10, 5, 35, "Paris", 20, 5),
    (11, 5, 95, "Bordeaux", 15, 2),
    (12, 5, 170, "Lille", 15, 0),
    (13, 6, 40, "Nantes", 16, 4),
    (14, 6, 150, "Paris", 20, 1),
    (15, 7, 50, "Lyon", 18, 3),
    (16, 7, 130, "Toulouse", 18, 0),
    (17, 8, 65, REMOTE, 24, 2),
    (18, 8, 190, REMOTE, 24, 0),
    (19, 9, 28, "Lyon", 20, 5),
    (20, 9, 75, "Marseille", 20, 1),
    (21, 9, 140, "Lille", 20, 0),
    (22, 10, 15, REMOTE, 30, 0),
    (23, 11, 55, REMOTE, 14, 3),
    (24, 11, 160, REMOTE, 14, 0),
    (25, 12, 33, REMOTE, 25, 2),
    (26, 12, 110, REMOTE, 25, 0),
    (27, 13, 70, "Paris", 20, 4),
    (28, 13, 220, "Lyon", 16, 0),
    (29, 14, 20, REMOTE, 30, 5),
    (30, 14, 180, REMOTE, 30, 0),
];

fn training(id: i64) -> Option<&'static Training> {
    TRAININGS.iter().find(|t| t.id == id)
}

fn provider_name(id: i64) -> &'static str {
    PROVIDERS.iter().find(|p| p.0 == id).map(|p| p.1).unwrap_or("")
}

/// Days between the first and the last day: 0 up to 7 hours, 1 for 14, 2 for 21.
fn span_days(hours: i64) -> i64 {
    ((hours + 6) / 7 - 1).max(0)
}

/// First and last day, all on weekdays (Monday to Friday).
fn session_dates(today: Date, offset_days: i64, hours: i64) -> (Date, Date) {
    let span = span_days(hours);
    let mut start = today.add_days(offset_days);
    while start.weekday() as i64 + span > 4 {
        start = start.add_days(1);
    }
    (start, start.add_days(span))
}

fn schedule(modality: &str, hours: i64) -> &'static str {
    if modality == ELEARNING {
        "Accès libre 24h/24 pendant 60 jours"
    } else if hours < 7 {
        "9h30-12h30"
    } else {
        "9h00-12h30 / 14h00-17h30"
    }
}

/// (city, place) of a session.
fn location(modality: &str, city: &'static str) -> (&'static str, &'static str) {
    match modality {
        ELEARNING => (REMOTE, "Plateforme e-learning"),
        CLASSE => (REMOTE, "Classe virtuelle (lien envoyé à la confirmation)"),
        _ => PLACES.iter().find(|(c, _)| *c == city).copied().unwrap_or((city, "")),
    }
}

/// The address of a session's virtual class (demo: a reserved `.example` domain).
pub fn virtual_link(session_id: i64) -> String {
    format!("https://classe-virtuelle.formation.example/session/{session_id}")
}

/// Fills an empty catalogue with demo data; does nothing (Ok(false)) when a provider exists.
pub async fn load_demo_catalogue(db: &Db) -> Result<bool, sqlx::Error> {
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM providers").fetch_one(db).await?.try_get(0)?;
    if existing > 0 {
        return Ok(false);
    }
    let today = today();
    let mut tx = super::db::begin(db).await?;
    for &(id, name, audience, legal_form, siret13, city, vat_exempt) in &PROVIDERS {
        sqlx::query(
            "INSERT INTO providers (id, name, audience, legal_form, siret, city, vat_exempt) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(name)
        .bind(audience)
        .bind(legal_form)
        .bind(siret_with_key(siret13))
        .bind(city)
        .bind(vat_exempt)
        .execute(&mut *tx)
        .await?;
    }
    for (id, address, postal, vat, activity) in PROVIDER_DETAILS {
        sqlx::query("UPDATE providers SET address_line = $1, postal_code = $2, vat_number = $3, activity_number = $4 WHERE id = $5")
            .bind(address)
            .bind(postal)
            .bind(vat)
            .bind(activity)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for t in TRAININGS {
        let objectives = t.objectives.join("\n");
        let programme = t.programme.join("\n");
        let search_text = fold(&format!(
            "{} {} {} {objectives} {programme} {}",
            t.code,
            t.title,
            t.summary,
            provider_name(t.provider)
        ));
        sqlx::query(
            "INSERT INTO trainings (id, provider_id, code, title, summary, objectives, programme, \
             prerequisites, audience, modality, duration_hours, price_cents, search_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(t.id)
        .bind(t.provider)
        .bind(t.code)
        .bind(t.title)
        .bind(t.summary)
        .bind(objectives)
        .bind(programme)
        .bind(t.prerequisites)
        .bind(t.audience)
        .bind(t.modality)
        .bind(t.hours)
        .bind(t.price_cents)
        .bind(search_text)
        .execute(&mut *tx)
        .await?;
    }
    for &(id, training_id, offset_days, city, capacity, seats_taken) in SESSIONS {
        let Some(t) = training(training_id) else { continue };
        let (start, end) = session_dates(today, offset_days, t.hours);
        let (city, place) = location(t.modality, city);
        sqlx::query(
            "INSERT INTO training_sessions (id, training_id, start_date, end_date, schedule, city, \
             place, capacity, seats_taken, status, virtual_link) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $10)",
        )
        .bind(id)
        .bind(training_id)
        .bind(start.iso())
        .bind(end.iso())
        .bind(schedule(t.modality, t.hours))
        .bind(city)
        .bind(place)
        .bind(capacity)
        .bind(seats_taken)
        .bind((t.modality == CLASSE).then(|| virtual_link(id)))
        .bind(SessionStatus::Open)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Audience, Modality};
    use crate::domain::Siret;
    use std::collections::HashSet;

    fn session(id: i64) -> Session {
        SESSIONS.iter().find(|s| s.0 == id).copied().expect("session exists")
    }

    #[test]
    fn demo_data_is_consistent() {
        let provider_ids: HashSet<i64> = PROVIDERS.iter().map(|p| p.0).collect();
        assert_eq!(provider_ids, HashSet::from([1, 2, 3]));
        for p in &PROVIDERS {
            assert!(Audience::from_code(p.2).is_some(), "provider {} audience", p.0);
            assert_eq!(p.4.len(), 13);
            assert!(Siret::parse(&siret_with_key(p.4)).is_ok(), "provider {} SIRET", p.0);
        }

        assert!(TRAININGS.len() >= 12);
        let mut codes = HashSet::new();
        for (i, t) in TRAININGS.iter().enumerate() {
            assert_eq!(t.id, i as i64 + 1, "training ids are 1..n in order");
            assert!(codes.insert(t.code), "duplicate code {}", t.code);
            assert!(provider_ids.contains(&t.provider), "training {} provider", t.id);
            assert!(Audience::from_code(t.audience).is_some(), "training {} audience", t.id);
            assert!(Modality::from_code(t.modality).is_some(), "training {} modality", t.id);
            assert!((3..=6).contains(&t.objectives.len()), "training {} objectives", t.id);
            assert!((3..=6).contains(&t.programme.len()), "training {} programme", t.id);
            assert!(!t.title.is_empty() && !t.summary.is_empty() && !t.prerequisites.is_empty());
            assert!(t.hours > 0 && t.price_cents > 0);
        }
        for m in [PRESENTIEL, CLASSE, ELEARNING] {
            assert!(TRAININGS.iter().any(|t| t.modality == m), "no {m} training");
        }
        for a in [CAC, EC] {
            assert!(TRAININGS.iter().any(|t| t.audience == a), "no {a} training");
        }

        for (i, &(id, training_id, offset_days, city, capacity, seats_taken)) in SESSIONS.iter().enumerate() {
            assert_eq!(id, i as i64 + 1, "session ids are 1..n in order");
            let t = training(training_id).expect("session of an unknown training");
            assert!((10..=245).contains(&offset_days), "session {id} date");
            assert!((10..=30).contains(&capacity), "session {id} capacity");
            assert!((0..=capacity).contains(&seats_taken), "session {id} seats");
            if t.modality == PRESENTIEL {
                assert!(PLACES.iter().any(|(c, _)| *c == city), "session {id} city");
                assert!(!location(t.modality, city).1.is_empty());
            } else {
                assert_eq!(city, REMOTE, "session {id} is remote");
            }
        }
        for t in TRAININGS {
            let n = SESSIONS.iter().filter(|s| s.1 == t.id).count();
            let expected = if t.modality == ELEARNING { 1..=2 } else { 2..=4 };
            assert!(expected.contains(&n), "training {} has {n} sessions", t.id);
        }
    }

    #[test]
    fn fixtures_relied_on_elsewhere() {
        let t1 = training(1).unwrap();
        assert_eq!(t1.title, "Actualité des normes d'exercice professionnel (NEP)");
        assert_eq!((t1.audience, t1.modality, t1.hours, t1.provider), (CAC, PRESENTIEL, 14, 1));
        let t2 = training(2).unwrap();
        assert_eq!(t2.title, "Loi de finances 2027 : les mesures clés");
        assert_eq!((t2.audience, t2.modality, t2.hours, t2.provider), (EC, CLASSE, 7, 2));
        assert_eq!(training(3).unwrap().modality, ELEARNING);

        let s1 = session(1);
        assert_eq!((s1.1, s1.3, s1.4, s1.5), (1, "Paris", 20, 3));
        let s2 = session(2);
        assert_eq!((s2.1, s2.3, s2.4, s2.5), (1, "Lyon", 12, 11));
        let s3 = session(3);
        assert_eq!((s3.1, s3.3, s3.4, s3.5), (1, "Marseille", 10, 10));
        let s4 = session(4);
        assert_eq!((s4.1, s4.4, s4.5), (2, 30, 0));
        assert_eq!(location(CLASSE, s4.3), (REMOTE, "Classe virtuelle (lien envoyé à la confirmation)"));
        assert_eq!(location(ELEARNING, REMOTE), (REMOTE, "Plateforme e-learning"));
    }

    #[test]
    fn sessions_fall_on_weekdays_ahead() {
        let base = Date::parse("2026-11-28").unwrap();
        for shift in 0..7 {
            let today = base.add_days(shift);
            for &(id, training_id, offset_days, ..) in SESSIONS {
                let t = training(training_id).unwrap();
                let (start, end) = session_dates(today, offset_days, t.hours);
                assert!(start.to_days() - today.to_days() >= 10, "session {id} too soon");
                assert!(start.weekday() < 5 && end.weekday() < 5, "session {id} on a weekend");
                assert_eq!(end.to_days() - start.to_days(), span_days(t.hours));
            }
        }
        assert_eq!((span_days(3), span_days(7), span_days(14), span_days(21)), (0, 0, 1, 2));
    }
}
