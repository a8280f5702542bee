//! What the public catalogue shows.

use super::page::Paged;
use super::{Date, Money};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    Cac,
    Ec,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Cac => "CAC",
            Audience::Ec => "EC",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "CAC" => Some(Self::Cac),
            "EC" => Some(Self::Ec),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Audience::Cac => "Commissaires aux comptes (CAC)",
            Audience::Ec => "Experts-comptables (EC)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Modality {
    InPerson,
    VirtualClass,
    ELearning,
}

impl Modality {
    pub const ALL: [Modality; 3] = [Modality::InPerson, Modality::VirtualClass, Modality::ELearning];
    pub fn code(self) -> &'static str {
        match self {
            Modality::InPerson => "presentiel",
            Modality::VirtualClass => "classe_virtuelle",
            Modality::ELearning => "e_learning",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Modality::InPerson => "Présentiel",
            Modality::VirtualClass => "Classe virtuelle",
            Modality::ELearning => "E-learning",
        }
    }
}

/// Search criteria; empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub q: String,
    pub audience: String,
    pub modality: String,
    pub city: String,
    /// "YYYY-MM"
    pub month: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    pub modality: Modality,
    pub duration_hours: i64,
    pub price: Money,
    pub provider: String,
    pub next_session: Option<Date>,
    pub open_sessions: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub start: Date,
    pub end: Date,
    pub schedule: String,
    pub city: String,
    pub place: String,
    pub capacity: i64,
    pub seats_left: i64,
}

impl SessionView {
    pub fn is_full(&self) -> bool {
        self.seats_left <= 0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingDetail {
    pub summary: TrainingSummary,
    pub objectives: Vec<String>,
    pub programme: Vec<String>,
    pub prerequisites: String,
    pub provider_city: String,
    pub sessions: Vec<SessionView>,
}

/// Filter values offered by the search form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueFacets {
    pub cities: Vec<String>,
    /// "YYYY-MM" of months with an upcoming session.
    pub months: Vec<String>,
}

/// A search's answer: one page of the trainings found (and their number), and the
/// filters' values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub trainings: Paged<TrainingSummary>,
    pub facets: CatalogueFacets,
}

/// The letters [`fold`] reads as a plain one (after lower-casing): French accents, and
/// the ligature œ.
pub const ACCENTED: [(char, char); 16] = [
    ('à', 'a'),
    ('â', 'a'),
    ('ä', 'a'),
    ('é', 'e'),
    ('è', 'e'),
    ('ê', 'e'),
    ('ë', 'e'),
    ('î', 'i'),
    ('ï', 'i'),
    ('ô', 'o'),
    ('ö', 'o'),
    ('ù', 'u'),
    ('û', 'u'),
    ('ü', 'u'),
    ('ç', 'c'),
    ('œ', 'o'),
];

/// Lower-cases and strips French accents, so that "écrit" finds "Ecrit".
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| ACCENTED.iter().find(|(a, _)| *a == c).map_or(c, |(_, plain)| *plain))
        .collect()
}

/// "2027-01" -> "janvier 2027"
pub fn month_label(ym: &str) -> String {
    Date::parse(&format!("{ym}-01")).map(|d| d.month_fr()).unwrap_or_else(|| ym.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents() {
        assert_eq!(fold("Écrit Œuvre Ça"), "ecrit ouvre ca");
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_label("2027-03"), "mars 2027");
    }
}
