//! Satisfaction questionnaires: four ratings from 1 to 5 and a comment.

use serde::{Deserialize, Serialize};

pub const CRITERIA: [(&str, &str); 4] = [
    ("content", "Contenu et programme"),
    ("trainer", "Animation et formateur"),
    ("organisation", "Organisation et logistique"),
    ("overall", "Satisfaction générale"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratings {
    pub content: i64,
    pub trainer: i64,
    pub organisation: i64,
    pub overall: i64,
}

impl Ratings {
    pub fn get(&self, criterion: &str) -> i64 {
        match criterion {
            "content" => self.content,
            "trainer" => self.trainer,
            "organisation" => self.organisation,
            _ => self.overall,
        }
    }
}

/// Parses the four ratings as typed ("1" to "5"); the first bad one is named.
pub fn parse_ratings(content: &str, trainer: &str, organisation: &str, overall: &str) -> Result<Ratings, (&'static str, &'static str)> {
    let one = |field: &'static str, raw: &str| -> Result<i64, (&'static str, &'static str)> {
        raw.trim().parse::<i64>().ok().filter(|n| (1..=5).contains(n)).ok_or((field, "Choisissez une note de 1 à 5."))
    };
    Ok(Ratings {
        content: one("content", content)?,
        trainer: one("trainer", trainer)?,
        organisation: one("organisation", organisation)?,
        overall: one("overall", overall)?,
    })
}

/// Average of ratings, in French with one decimal ("4,5"); "—" when there is none.
pub fn average(values: &[i64]) -> String {
    if values.is_empty() {
        return "—".into();
    }
    let n = values.len() as i64;
    let tenths = (values.iter().sum::<i64>() * 20 + n) / (2 * n); // rounded half up
    format!("{},{}", tenths / 10, tenths % 10)
}

/// What the participant sees of his questionnaire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyView {
    pub registration_id: i64,
    pub training_title: String,
    pub period: String,
    /// Present once answered (an answer is final).
    pub answer: Option<(Ratings, String)>,
}

/// The answers of one company's collaborators to one training.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingSurveys {
    pub training_title: String,
    pub answers: Vec<(String, Ratings, String)>,
}

impl TrainingSurveys {
    pub fn average_of(&self, criterion: &str) -> String {
        average(&self.answers.iter().map(|(_, r, _)| r.get(criterion)).collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five() {
        assert!(parse_ratings("5", "4", "3", "1").is_ok());
        assert_eq!(parse_ratings("5", "6", "3", "1").unwrap_err().0, "trainer");
        assert_eq!(parse_ratings("", "4", "3", "1").unwrap_err().0, "content");
    }

    #[test]
    fn averages_in_french() {
        assert_eq!(average(&[]), "—");
        assert_eq!(average(&[4, 5]), "4,5");
        assert_eq!(average(&[5, 4, 4]), "4,3");
        assert_eq!(average(&[1, 2]), "1,5");
        assert_eq!(average(&[5, 5, 4]), "4,7");
    }
}
