//! Satisfaction questionnaires: four ratings from 1 to 5 and a comment.

use super::form::{parse_int, FieldError, FieldErrors};
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

/// A questionnaire as typed: four ratings ("1" to "5") and a comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub content: String,
    pub trainer: String,
    pub organisation: String,
    pub overall: String,
    pub comment: String,
}

/// An answer to a questionnaire, once parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyAnswer {
    pub ratings: Ratings,
    /// Trimmed; may be empty.
    pub comment: String,
}

fn rating(raw: &str) -> Result<i64, FieldError> {
    parse_int(raw, 1..=5, "Choisissez une note de 1 à 5.")
}

impl SurveyForm {
    pub fn parse(&self) -> Result<SurveyAnswer, FieldErrors> {
        let mut e = FieldErrors::new();
        let content = e.check("content", rating(&self.content));
        let trainer = e.check("trainer", rating(&self.trainer));
        let organisation = e.check("organisation", rating(&self.organisation));
        let overall = e.check("overall", rating(&self.overall));
        if self.comment.chars().count() > 2000 {
            e.add("comment", "Le commentaire est trop long (2 000 caractères au plus).");
        }
        let valid = (|| {
            Some(SurveyAnswer {
                ratings: Ratings { content: content?, trainer: trainer?, organisation: organisation?, overall: overall? },
                comment: self.comment.trim().to_string(),
            })
        })();
        e.finish(valid)
    }
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

    fn form() -> SurveyForm {
        SurveyForm { content: "5".into(), trainer: "4".into(), organisation: "3".into(), overall: "1".into(), comment: " Bien. ".into() }
    }

    #[test]
    fn ratings_are_one_to_five() {
        let a = form().parse().unwrap();
        assert_eq!((a.ratings.get("trainer"), a.comment.as_str()), (4, "Bien."));
        let e = SurveyForm { trainer: "6".into(), ..form() }.parse().unwrap_err();
        assert_eq!((e.len(), e.get("trainer")), (1, Some("Choisissez une note de 1 à 5.")));
        let e = SurveyForm { comment: "x".repeat(2001), ..form() }.parse().unwrap_err();
        assert_eq!(e.get("comment"), Some("Le commentaire est trop long (2 000 caractères au plus)."));
        let all = SurveyForm { comment: "x".repeat(2001), ..SurveyForm::default() }.parse().unwrap_err();
        assert_eq!(all.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["comment", "content", "organisation", "overall", "trainer"]);
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
