//! Knowledge tests ("tests de validation des acquis"): what a provider types (settings
//! and questions in a plain text format), what the participant's form sends back (a map
//! of field names, hostile until parsed), the scoring, and when a test may be taken.
//!
//! The right choices never leave the server before an attempt is submitted: the
//! questions sent to the participant are [`PublicQuestion`]s, a type that has no place
//! for them, and [`KeyedQuestion`] (which has) is not serialisable.

use super::code::coded;
use super::form::{parse_int, FieldErrors, Text};
use super::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// When the test is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    /// Before the session (positioning): until its first day included.
    Before,
    /// After the session (validation): from its last day on.
    After,
}

coded!(serde_as_code Moment {
    Before => "avant",
    After => "apres",
});

impl Moment {
    pub fn label(self) -> &'static str {
        match self {
            Moment::Before => "avant la session",
            Moment::After => "après la session",
        }
    }

    /// Whether the test may be taken on `today`, for a session from `start` to `end`.
    pub fn window(self, today: Date, start: Date, end: Date) -> Window {
        match self {
            Moment::Before if today <= start => Window::Open,
            Moment::Before => Window::Closed,
            Moment::After if today < end => Window::NotYet,
            Moment::After => Window::Open,
        }
    }
}

/// Whether the calendar lets the test be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    NotYet,
    Open,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// Several choices, one or more of them right: every right one and no other must be
    /// ticked.
    MultipleChoice,
    /// A statement, true or false (stored as the two choices "Vrai" and "Faux").
    TrueFalse,
}

coded!(serde_as_code QuestionKind {
    MultipleChoice => "qcm",
    TrueFalse => "vrai_faux",
});

pub const TRUE: &str = "Vrai";
pub const FALSE: &str = "Faux";

const MAX_QUESTIONS: usize = 40;
const MAX_CHOICES: usize = 8;
const MAX_QUESTION_CHARS: usize = 500;
const MAX_CHOICE_CHARS: usize = 300;
const MAX_TEXT_CHARS: usize = 40_000;
/// More fields than any form of [`MAX_QUESTIONS`] questions sends.
const MAX_ANSWER_FIELDS: usize = MAX_QUESTIONS * MAX_CHOICES + 8;

/// One choice of a question as the provider wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
}

/// A question as the provider wrote it (for his own page only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub kind: QuestionKind,
    pub text: String,
    pub choices: Vec<Choice>,
}

/// A question as stored, with the ids of its choices and which are right. Not
/// serialisable: it never goes to a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub text: String,
    /// (choice id, text, right)
    pub choices: Vec<(i64, String, bool)>,
}

/// A question as the participant gets it before answering: no word of which choice is
/// right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub choices: Vec<PublicChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicChoice {
    pub id: i64,
    pub text: String,
}

impl KeyedQuestion {
    pub fn public(&self) -> PublicQuestion {
        PublicQuestion {
            id: self.id,
            kind: self.kind,
            text: self.text.clone(),
            choices: self.choices.iter().map(|(id, text, _)| PublicChoice { id: *id, text: text.clone() }).collect(),
        }
    }

    /// The question without its ids (to compare with what the provider types again).
    pub fn unkeyed(&self) -> Question {
        Question {
            kind: self.kind,
            text: self.text.clone(),
            choices: self.choices.iter().map(|(_, text, correct)| Choice { text: text.clone(), correct: *correct }).collect(),
        }
    }
}

/// The questions typed in the provider's text area, one block per question:
///
/// ```text
/// Q: Combien d'heures de formation un CAC doit-il suivre sur 3 ans ?
/// - 60 heures
/// + 120 heures
/// VF: Le certificat de réalisation a remplacé l'attestation de présence.
/// = vrai
/// ```
///
/// "Q:" opens a multiple-choice question, "+" is a right choice, "-" a wrong one (2 to 8
/// choices, at least one right); "VF:" opens a true/false statement and "= vrai" or
/// "= faux" gives its answer. The message of a refusal names the line.
pub fn parse_questions(raw: &str) -> Result<Vec<Question>, String> {
    if raw.chars().count() > MAX_TEXT_CHARS {
        return Err("Le texte des questions est trop long (40 000 caractères au plus).".into());
    }
    // (line number where the question starts, question, answer of a true/false)
    let mut blocks: Vec<(usize, Question, Option<bool>)> = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let opening = [("Q:", QuestionKind::MultipleChoice), ("VF:", QuestionKind::TrueFalse)]
            .into_iter()
            .find_map(|(prefix, kind)| strip_prefix_ci(line, prefix).map(|rest| (kind, rest.trim())));
        if let Some((kind, text)) = opening {
            if text.is_empty() {
                return Err(format!("Ligne {n} : saisissez l'énoncé de la question."));
            }
            if text.chars().count() > MAX_QUESTION_CHARS {
                return Err(format!("Ligne {n} : l'énoncé est trop long (500 caractères au plus)."));
            }
            if blocks.len() == MAX_QUESTIONS {
                return Err(format!("Ligne {n} : un test compte {MAX_QUESTIONS} questions au plus."));
            }
            blocks.push((n, Question { kind, text: text.to_string(), choices: Vec::new() }, None));
            continue;
        }
        let Some((_, question, answer)) = blocks.last_mut() else {
            return Err(format!("Ligne {n} : commencez par une question (« Q: » ou « VF: »)."));
        };
        let (marker, rest) = line.split_at(line.chars().next().map_or(0, char::len_utf8));
        let rest = rest.trim();
        match (marker, question.kind) {
            ("+" | "-", QuestionKind::MultipleChoice) => {
                if rest.is_empty() {
                    return Err(format!("Ligne {n} : saisissez le texte du choix."));
                }
                if rest.chars().count() > MAX_CHOICE_CHARS {
                    return Err(format!("Ligne {n} : ce choix est trop long (300 caractères au plus)."));
                }
                if question.choices.len() == MAX_CHOICES {
                    return Err(format!("Ligne {n} : une question compte {MAX_CHOICES} choix au plus."));
                }
                if question.choices.iter().any(|c| c.text == rest) {
                    return Err(format!("Ligne {n} : ce choix figure déjà dans la question."));
                }
                question.choices.push(Choice { text: rest.to_string(), correct: marker == "+" });
            }
            ("=", QuestionKind::TrueFalse) => {
                if answer.is_some() {
                    return Err(format!("Ligne {n} : la réponse de cette affirmation est déjà donnée."));
                }
                *answer = Some(match rest.to_lowercase().as_str() {
                    "vrai" => true,
                    "faux" => false,
                    _ => return Err(format!("Ligne {n} : écrivez « = vrai » ou « = faux ».")),
                });
            }
            ("+" | "-", QuestionKind::TrueFalse) => {
                return Err(format!("Ligne {n} : une affirmation « VF: » se termine par « = vrai » ou « = faux », sans choix."));
            }
            ("=", QuestionKind::MultipleChoice) => {
                return Err(format!("Ligne {n} : « = » ne sert qu'aux affirmations « VF: » ; les choix commencent par « + » ou « - »."));
            }
            _ => return Err(format!("Ligne {n} : commencez la ligne par « Q: », « VF: », « + », « - » ou « = ».")),
        }
    }
    if blocks.is_empty() {
        return Err("Saisissez au moins une question.".into());
    }
    blocks
        .into_iter()
        .map(|(n, mut q, answer)| match q.kind {
            QuestionKind::MultipleChoice if q.choices.len() < 2 => Err(format!("Question de la ligne {n} : proposez au moins deux choix.")),
            QuestionKind::MultipleChoice if !q.choices.iter().any(|c| c.correct) => {
                Err(format!("Question de la ligne {n} : marquez au moins un bon choix par « + »."))
            }
            QuestionKind::MultipleChoice => Ok(q),
            QuestionKind::TrueFalse => {
                let truth = answer.ok_or_else(|| format!("Question de la ligne {n} : ajoutez « = vrai » ou « = faux »."))?;
                q.choices = vec![Choice { text: TRUE.into(), correct: truth }, Choice { text: FALSE.into(), correct: !truth }];
                Ok(q)
            }
        })
        .collect()
}

fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &line[prefix.len()..])
}

/// The questions in the text format of [`parse_questions`] (to edit them again).
pub fn questions_text(questions: &[Question]) -> String {
    let mut out = String::new();
    for q in questions {
        if !out.is_empty() {
            out.push('\n');
        }
        match q.kind {
            QuestionKind::MultipleChoice => {
                out.push_str(&format!("Q: {}\n", q.text));
                for c in &q.choices {
                    out.push_str(&format!("{} {}\n", if c.correct { '+' } else { '-' }, c.text));
                }
            }
            QuestionKind::TrueFalse => {
                let truth = q.choices.iter().any(|c| c.text == TRUE && c.correct);
                out.push_str(&format!("VF: {}\n= {}\n", q.text, if truth { "vrai" } else { "faux" }));
            }
        }
    }
    out
}

/// A test's settings as typed by the provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TestForm {
    pub moment: String,
    pub title: String,
    /// Percentage of right answers needed, "70" or "70 %".
    pub pass_mark: String,
    pub max_attempts: String,
    /// "on" when the certificate is to mention the result.
    pub on_certificate: String,
    pub questions: String,
}

/// A test, once parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSettings {
    pub moment: Moment,
    pub title: String,
    pub pass_mark: i64,
    pub max_attempts: i64,
    pub on_certificate: bool,
    pub questions: Vec<Question>,
}

impl TestForm {
    pub fn parse(&self) -> Result<TestSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let moment = e.check("moment", Moment::from_code(self.moment.trim()).ok_or("Choisissez : avant ou après la session."));
        let title = e.check("title", Text::parse_short(&self.title, "Saisissez l'intitulé du test."));
        let mark = self.pass_mark.trim().trim_end_matches('%');
        let pass_mark = e.check("pass_mark", parse_int(mark, 0..=100, "Saisissez un seuil de réussite entre 0 et 100 (%)."));
        let max_attempts = e.check("max_attempts", parse_int(&self.max_attempts, 1..=5, "Saisissez un nombre de tentatives entre 1 et 5."));
        let questions = e.check("questions", parse_questions(&self.questions));
        let valid = (|| {
            Some(TestSettings {
                moment: moment?,
                title: title?.into_string(),
                pass_mark: pass_mark?,
                max_attempts: max_attempts?,
                on_certificate: !self.on_certificate.is_empty(),
                questions: questions?,
            })
        })();
        e.finish(valid)
    }
}

/// The choices ticked, per question id.
pub type Ticked = BTreeMap<i64, BTreeSet<i64>>;

/// The participant's answers as his form sends them: `q<question>` = `<choice>` (a
/// radio button) and `q<question>c<choice>` = `on` (a check box). Other fields (not
/// starting with "q") are ignored; a field naming a question or a choice that is not
/// the test's, two answers to a true/false question, or an unanswered question are
/// refused.
pub fn parse_answers(raw: &BTreeMap<String, String>, questions: &[PublicQuestion]) -> Result<Ticked, FieldErrors> {
    let mut e = FieldErrors::new();
    const UNKNOWN: &str = "Réponse inconnue : rechargez la page du test.";
    if raw.len() > MAX_ANSWER_FIELDS {
        e.add("answers", UNKNOWN);
        return Err(e);
    }
    let mut ticked = Ticked::new();
    for (key, value) in raw {
        let Some(rest) = key.strip_prefix('q') else { continue };
        let (question, choice) = match rest.split_once('c') {
            Some((q, c)) => (q.parse::<i64>().ok(), c.parse::<i64>().ok()),
            None => (rest.parse::<i64>().ok(), value.trim().parse::<i64>().ok()),
        };
        let found = questions
            .iter()
            .find(|q| Some(q.id) == question)
            .filter(|q| q.choices.iter().any(|c| Some(c.id) == choice));
        match (found, choice) {
            (Some(q), Some(c)) => {
                ticked.entry(q.id).or_default().insert(c);
            }
            _ => e.add("answers", UNKNOWN),
        }
    }
    for q in questions {
        match ticked.get(&q.id).map_or(0, BTreeSet::len) {
            0 => e.add(&format!("q{}", q.id), "Répondez à cette question."),
            n if n > 1 && q.kind == QuestionKind::TrueFalse => e.add("answers", UNKNOWN),
            _ => {}
        }
    }
    e.finish(Some(ticked))
}

/// Right answers out of the questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub correct: i64,
    pub total: i64,
}

impl Score {
    /// Whether the score reaches the pass mark (a percentage).
    pub fn passes(self, pass_mark: i64) -> bool {
        self.total > 0 && self.correct * 100 >= pass_mark * self.total
    }

    /// "8 / 10 (80 %)", the percentage rounded down.
    pub fn label(self) -> String {
        let percent = if self.total > 0 { self.correct * 100 / self.total } else { 0 };
        format!("{} / {} ({percent} %)", self.correct, self.total)
    }
}

/// Whether each question is answered right: every right choice ticked and no other.
pub fn marks(questions: &[KeyedQuestion], ticked: &Ticked) -> Vec<bool> {
    questions
        .iter()
        .map(|q| {
            let right: BTreeSet<i64> = q.choices.iter().filter(|c| c.2).map(|c| c.0).collect();
            ticked.get(&q.id).is_some_and(|t| *t == right)
        })
        .collect()
}

pub fn score(questions: &[KeyedQuestion], ticked: &Ticked) -> Score {
    let marks = marks(questions, ticked);
    Score { correct: marks.iter().filter(|m| **m).count() as i64, total: marks.len() as i64 }
}

/// One attempt, as the participant and the provider see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub no: i64,
    pub score: Score,
    pub passed: bool,
}

/// Where a participant stands with one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestState {
    /// After the session: not open before its last day.
    NotYet,
    /// May be taken (again).
    Open,
    /// The calendar closed it before it was passed or its attempts used.
    Closed,
    Passed,
    /// Every attempt used without reaching the pass mark.
    Failed,
}

impl TestState {
    /// From the calendar and the attempts made: once passed, no further attempt.
    pub fn of(window: Window, attempts: &[Attempt], max_attempts: i64) -> Self {
        if attempts.iter().any(|a| a.passed) {
            TestState::Passed
        } else if attempts.len() as i64 >= max_attempts {
            TestState::Failed
        } else {
            match window {
                Window::NotYet => TestState::NotYet,
                Window::Open => TestState::Open,
                Window::Closed => TestState::Closed,
            }
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TestState::NotYet => "ouvert à partir du dernier jour de la session",
            TestState::Open => "à passer",
            TestState::Closed => "clos",
            TestState::Passed => "réussi",
            TestState::Failed => "non réussi",
        }
    }

    /// The corrections are shown once no further attempt is possible (so that they
    /// never help the next one).
    pub fn shows_corrections(self) -> bool {
        matches!(self, TestState::Closed | TestState::Passed | TestState::Failed)
    }
}

/// A question corrected: the participant's choices and the right ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub text: String,
    pub right: bool,
    /// (text, right choice, ticked)
    pub choices: Vec<(String, bool, bool)>,
}

pub fn corrections(questions: &[KeyedQuestion], ticked: &Ticked) -> Vec<Correction> {
    questions
        .iter()
        .zip(marks(questions, ticked))
        .map(|(q, right)| Correction {
            text: q.text.clone(),
            right,
            choices: q
                .choices
                .iter()
                .map(|(id, text, correct)| (text.clone(), *correct, ticked.get(&q.id).is_some_and(|t| t.contains(id))))
                .collect(),
        })
        .collect()
}

/// The participant's page of one test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantTest {
    pub test_id: i64,
    pub moment: Moment,
    pub title: String,
    pub pass_mark: i64,
    pub max_attempts: i64,
    pub state: TestState,
    pub attempts: Vec<Attempt>,
    /// The questions, only while the test is open.
    pub questions: Vec<PublicQuestion>,
    /// Numbers (from 1) of the questions missed in the last attempt, while another
    /// attempt is possible.
    pub missed: Vec<usize>,
    /// Only once no further attempt is possible.
    pub corrections: Vec<Correction>,
}

/// One participant's result on one test: attempts, best score, passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub participant: String,
    pub attempts: i64,
    pub best: Option<Score>,
    pub passed: bool,
}

impl ResultLine {
    pub fn of(participant: String, attempts: &[Attempt]) -> Self {
        ResultLine {
            participant,
            attempts: attempts.len() as i64,
            best: attempts.iter().map(|a| a.score).max_by_key(|s| (s.correct * 1000).checked_div(s.total).unwrap_or(0)),
            passed: attempts.iter().any(|a| a.passed),
        }
    }

    /// "Réussi", "Non réussi", "Non passé".
    pub fn verdict(&self) -> &'static str {
        match (self.attempts, self.passed) {
            (0, _) => "Non passé",
            (_, true) => "Réussi",
            (_, false) => "Non réussi",
        }
    }
}

/// The sentence of the completion certificate.
pub fn certificate_line(moment: Moment, pass_mark: i64, line: &ResultLine) -> Option<String> {
    let best = line.best?;
    Some(format!(
        "Test de validation des acquis ({}) : {}, {} ; seuil de réussite : {pass_mark} %.",
        moment.label(),
        line.verdict().to_lowercase(),
        best.label()
    ))
}

/// A test as its provider lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSummary {
    pub id: i64,
    pub moment: Moment,
    pub title: String,
    pub pass_mark: i64,
    pub max_attempts: i64,
    pub on_certificate: bool,
    pub question_count: usize,
    pub attempts: i64,
    /// The questions in the text format, to edit them.
    pub questions_text: String,
}

/// The results of one test: for the provider, every participant of a session; for a
/// company, those of its collaborators who took it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResults {
    /// The training (and, for a company, the session's dates).
    pub training: String,
    pub title: String,
    pub moment: Moment,
    pub pass_mark: i64,
    pub lines: Vec<ResultLine>,
}

/// A test of one of the participant's registrations, for Mes espaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTest {
    pub registration_id: i64,
    pub training: String,
    pub title: String,
    pub moment: Moment,
    pub state: TestState,
}

#[cfg(test)]
mod tests;
