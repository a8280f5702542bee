//! The unit tests of `domain::knowledge`: parsing, scoring, windows.

use super::*;

const SAMPLE: &str = "Q: Combien d'heures sur 3 ans ?\n- 60 heures\n+ 120 heures\n\nvf: Le certificat remplace l'attestation.\n= Vrai\nQ: Quelles normes ?\n+ NEP\n+ ISA\n- PCG\n";

fn keyed() -> Vec<KeyedQuestion> {
    parse_questions(SAMPLE)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let qid = 10 * (i as i64 + 1);
            KeyedQuestion {
                id: qid,
                kind: q.kind,
                text: q.text,
                choices: q.choices.into_iter().enumerate().map(|(j, c)| (qid + j as i64 + 1, c.text, c.correct)).collect(),
            }
        })
        .collect()
}

fn public() -> Vec<PublicQuestion> {
    keyed().iter().map(KeyedQuestion::public).collect()
}

fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn questions_parse_and_print_back() {
    let q = parse_questions(SAMPLE).unwrap();
    assert_eq!(q.len(), 3);
    assert_eq!((q[0].kind, q[0].choices.len(), q[0].choices[1].correct), (QuestionKind::MultipleChoice, 2, true));
    assert_eq!(q[1].kind, QuestionKind::TrueFalse);
    assert_eq!(q[1].choices, vec![Choice { text: "Vrai".into(), correct: true }, Choice { text: "Faux".into(), correct: false }]);
    assert_eq!(q[2].choices.iter().filter(|c| c.correct).count(), 2);
    assert_eq!(parse_questions(&questions_text(&q)).unwrap(), q);
}

#[test]
fn hostile_or_careless_questions_are_refused_with_their_line() {
    for (text, message) in [
        ("", "Saisissez au moins une question."),
        ("+ 120 heures", "Ligne 1 : commencez par une question (« Q: » ou « VF: »)."),
        ("Q: ?\n+ a\n* b", "Ligne 3 : commencez la ligne par « Q: », « VF: », « + », « - » ou « = »."),
        ("Q: ?\n+ a", "Question de la ligne 1 : proposez au moins deux choix."),
        ("Q: ?\n- a\n- b", "Question de la ligne 1 : marquez au moins un bon choix par « + »."),
        ("Q: ?\n+ a\n- a", "Ligne 3 : ce choix figure déjà dans la question."),
        ("Q:   \n+ a", "Ligne 1 : saisissez l'énoncé de la question."),
        ("Q: ?\n+ \n- b", "Ligne 2 : saisissez le texte du choix."),
        ("VF: ?\n= peut-être", "Ligne 2 : écrivez « = vrai » ou « = faux »."),
        ("VF: ?", "Question de la ligne 1 : ajoutez « = vrai » ou « = faux »."),
        ("VF: ?\n= vrai\n= faux", "Ligne 3 : la réponse de cette affirmation est déjà donnée."),
        ("VF: ?\n+ Vrai", "Ligne 2 : une affirmation « VF: » se termine par « = vrai » ou « = faux », sans choix."),
        ("Q: ?\n= vrai", "Ligne 2 : « = » ne sert qu'aux affirmations « VF: » ; les choix commencent par « + » ou « - »."),
        ("é", "Ligne 1 : commencez par une question (« Q: » ou « VF: »)."),
    ] {
        assert_eq!(parse_questions(text), Err(message.to_string()), "{text:?}");
    }
    let long = format!("Q: {}\n+ a\n- b", "x".repeat(501));
    assert!(parse_questions(&long).unwrap_err().contains("trop long"));
    let many: String = (0..41).map(|i| format!("VF: {i}\n= vrai\n")).collect();
    assert_eq!(parse_questions(&many), Err("Ligne 81 : un test compte 40 questions au plus.".into()));
    let choices: String = (0..9).map(|i| format!("+ {i}\n")).collect();
    assert_eq!(parse_questions(&format!("Q: ?\n{choices}")), Err("Ligne 10 : une question compte 8 choix au plus.".into()));
    assert!(parse_questions(&"x".repeat(40_001)).unwrap_err().contains("trop long"));
    // Multibyte text right after a marker never splits a character.
    assert_eq!(parse_questions("Q: ?\n+é\n-€").unwrap()[0].choices[1].text, "€");
}

#[test]
fn the_form_reports_every_field() {
    let valid = TestForm {
        moment: "apres".into(),
        title: " Validation ".into(),
        pass_mark: "70 %".into(),
        max_attempts: "2".into(),
        on_certificate: "on".into(),
        questions: SAMPLE.into(),
    };
    let t = valid.parse().unwrap();
    assert_eq!((t.moment, t.title.as_str(), t.pass_mark, t.max_attempts, t.on_certificate), (Moment::After, "Validation", 70, 2, true));
    let e = TestForm::default().parse().unwrap_err();
    assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["max_attempts", "moment", "pass_mark", "questions", "title"]);
    let e = TestForm { pass_mark: "101".into(), max_attempts: "6".into(), ..valid.clone() }.parse().unwrap_err();
    assert_eq!(e.len(), 2);
    assert!(!TestForm { on_certificate: String::new(), ..valid }.parse().unwrap().on_certificate);
}

#[test]
fn the_public_question_has_no_word_of_the_answer() {
    let json = serde_json::to_value(public()).unwrap();
    let keys: BTreeSet<String> = json[0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["choices", "id", "kind", "text"].into_iter().map(String::from).collect());
    let choice: BTreeSet<String> = json[0]["choices"][0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(choice, ["id", "text"].into_iter().map(String::from).collect());
}

#[test]
fn answers_are_scored_on_exact_sets() {
    let q = keyed();
    // q10: 11 wrong, 12 right; q20: 21 Vrai (right), 22 Faux; q30: 31, 32 right, 33 wrong.
    let all_right = parse_answers(&raw(&[("q10", "12"), ("q20", "21"), ("q30c31", "on"), ("q30c32", "on"), ("_", "")]), &public()).unwrap();
    assert_eq!(score(&q, &all_right), Score { correct: 3, total: 3 });
    let partial = parse_answers(&raw(&[("q10c12", "on"), ("q20", "22"), ("q30c31", "on")]), &public()).unwrap();
    assert_eq!(marks(&q, &partial), vec![true, false, false]);
    let too_many = parse_answers(&raw(&[("q10", "12"), ("q20", "21"), ("q30c31", "on"), ("q30c32", "on"), ("q30c33", "on")]), &public()).unwrap();
    assert_eq!(score(&q, &too_many), Score { correct: 2, total: 3 });
    let c = corrections(&q, &partial);
    assert_eq!(c[2].choices, vec![("NEP".into(), true, true), ("ISA".into(), true, false), ("PCG".into(), false, false)]);
    assert!(!c[2].right && c[0].right);
}

#[test]
fn hostile_answers_are_refused() {
    let unknown = Some("Réponse inconnue : rechargez la page du test.");
    for pairs in [
        vec![("q10", "12"), ("q20", "21"), ("q30c31", "on"), ("q99", "1")],
        vec![("q10", "21"), ("q20", "21"), ("q30c31", "on")],
        vec![("q10", "x"), ("q20", "21"), ("q30c31", "on")],
        vec![("q10c12c3", "on"), ("q20", "21"), ("q30c31", "on")],
        vec![("q10", "12"), ("q20c21", "on"), ("q20c22", "on"), ("q30c31", "on")],
        vec![("q-10", "12"), ("q20", "21"), ("q30c31", "on")],
        vec![("q", ""), ("q20", "21"), ("q30c31", "on")],
    ] {
        let e = parse_answers(&raw(&pairs), &public()).unwrap_err();
        assert_eq!(e.get("answers"), unknown, "{pairs:?}");
    }
    let flood: BTreeMap<String, String> = (0..400).map(|i| (format!("x{i}"), String::new())).collect();
    assert_eq!(parse_answers(&flood, &public()).unwrap_err().get("answers"), unknown);
    let e = parse_answers(&raw(&[("q10", "12")]), &public()).unwrap_err();
    assert_eq!((e.len(), e.get("q20"), e.get("q30")), (2, Some("Répondez à cette question."), Some("Répondez à cette question.")));
}

#[test]
fn pass_mark_and_labels() {
    let s = Score { correct: 7, total: 10 };
    assert!(s.passes(70) && !s.passes(71));
    assert!(Score { correct: 0, total: 3 }.passes(0) && !Score { correct: 0, total: 0 }.passes(0));
    assert_eq!(Score { correct: 2, total: 3 }.label(), "2 / 3 (66 %)");
}

#[test]
fn windows_and_states() {
    let d = |s| Date::parse(s).unwrap();
    let (start, end) = (d("2027-01-14"), d("2027-01-15"));
    assert_eq!(Moment::Before.window(d("2027-01-14"), start, end), Window::Open);
    assert_eq!(Moment::Before.window(d("2027-01-15"), start, end), Window::Closed);
    assert_eq!(Moment::After.window(d("2027-01-14"), start, end), Window::NotYet);
    assert_eq!(Moment::After.window(d("2027-01-15"), start, end), Window::Open);
    let failed = Attempt { no: 1, score: Score { correct: 1, total: 3 }, passed: false };
    let passed = Attempt { no: 2, score: Score { correct: 3, total: 3 }, passed: true };
    assert_eq!(TestState::of(Window::Open, &[], 2), TestState::Open);
    assert_eq!(TestState::of(Window::Open, &[failed], 2), TestState::Open);
    assert_eq!(TestState::of(Window::Open, &[failed, failed], 2), TestState::Failed);
    assert_eq!(TestState::of(Window::Open, &[failed, passed], 3), TestState::Passed);
    assert_eq!(TestState::of(Window::Closed, &[failed], 3), TestState::Closed);
    assert!(!TestState::Open.shows_corrections() && TestState::Failed.shows_corrections());
    let line = ResultLine::of("Paul Martin".into(), &[failed, passed]);
    assert_eq!((line.attempts, line.best, line.verdict()), (2, Some(passed.score), "Réussi"));
    assert_eq!(ResultLine::of("X".into(), &[]).verdict(), "Non passé");
    assert_eq!(
        certificate_line(Moment::After, 70, &line).unwrap(),
        "Test de validation des acquis (après la session) : réussi, 3 / 3 (100 %) ; seuil de réussite : 70 %."
    );
}
