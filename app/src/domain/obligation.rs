//! The continuing-education duty of the regulated professions (CAC, EC, auditeur de
//! durabilité): its rules as data (`Rule`, one row of `obligation_rules` per
//! profession), the activities that count towards it, and the arithmetic, pure.
//!
//! **The period.** For a year Y, the period is the `period_years` calendar years ending
//! with Y: for three years, 1 January of Y−2 to 31 December of Y. Every year of it must
//! reach the annual minimum, and the whole period the period's hours. Activities dated
//! after today, or outside the period, count for nothing.
//!
//! **The caps.** A kind of activity may be capped (conferences, designing or leading
//! trainings, publications, technical work): the cap applies to the whole period, never
//! per year. It is consumed in date order (the entry order breaks a tie): what the
//! earlier years of the period already counted stays counted, and the later activities
//! get what room is left — possibly none. A rule is computed on its own; the same
//! activity counts for each rule that applies to the person.
//!
//! Durations are whole minutes (never floats); the forms take hours by half hours.

use super::attendance::hours_fr;
use super::form::{FieldError, FieldErrors, Text};
use super::Date;
use serde::{Deserialize, Serialize};

mod proof;
pub use proof::{check_proof, may_read_proof, safe_file_name, ProofType, MAX_PROOF_BYTES};

/// What kind of activity: trainings count without limit, the others up to their
/// rule's cap over the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivityKind {
    /// A training (those of the portal are all of this kind).
    Formation,
    /// A conference or a colloquium attended.
    Conference,
    /// Designing or leading a training.
    Teaching,
    /// A publication (article, book).
    Publication,
    /// Technical work (a professional body's working group…).
    Technical,
}

super::code::coded!(serde_as_code ActivityKind {
    Formation => "formation",
    Conference => "conference",
    Teaching => "animation",
    Publication => "publication",
    Technical => "travaux",
});

impl ActivityKind {
    /// The position of the kind's cap in [`Rule::caps`].
    pub fn index(self) -> usize {
        match self {
            Self::Formation => 0,
            Self::Conference => 1,
            Self::Teaching => 2,
            Self::Publication => 3,
            Self::Technical => 4,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Formation => "Formation",
            Self::Conference => "Conférence, colloque",
            Self::Teaching => "Conception ou animation de formation",
            Self::Publication => "Publication",
            Self::Technical => "Travaux techniques",
        }
    }

    /// The column of its cap in `obligation_rules` (also the CLI's field name).
    pub fn cap_column(self) -> &'static str {
        match self {
            Self::Formation => "cap_formation_minutes",
            Self::Conference => "cap_conference_minutes",
            Self::Teaching => "cap_teaching_minutes",
            Self::Publication => "cap_publication_minutes",
            Self::Technical => "cap_technical_minutes",
        }
    }
}

/// One profession's duty, as stored in `obligation_rules`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// "cac", "ec", "durabilite": the code a person declares in "Mon compte".
    pub profession: String,
    /// "Commissaire aux comptes".
    pub label: String,
    /// To whom the declaration goes: "votre compagnie régionale des commissaires aux comptes".
    pub authority: String,
    pub period_years: i32,
    pub period_minutes: i64,
    pub year_minutes: i64,
    /// Per kind (in [`ActivityKind::index`] order), the most it counts over the period;
    /// `None`: no cap.
    pub caps: [Option<i64>; 5],
    /// The declaration is due on this day of the year after the year declared.
    pub deadline_month: u32,
    pub deadline_day: u32,
    /// How many years the person keeps his proofs.
    pub retention_years: i64,
}

impl Rule {
    pub fn cap(&self, kind: ActivityKind) -> Option<i64> {
        self.caps[kind.index()]
    }

    /// The years of the period ending with `year`.
    pub fn first_year(&self, year: i32) -> i32 {
        year - self.period_years.max(1) + 1
    }

    /// When the declaration of `year` is due (the deadline's day, clamped to the month).
    pub fn declaration_due(&self, year: i32) -> Date {
        let month = self.deadline_month.clamp(1, 12);
        (1..=self.deadline_day.clamp(1, 31))
            .rev()
            .find_map(|day| Date::parse(&format!("{:04}-{month:02}-{day:02}", year + 1)))
            .unwrap_or(Date { year: year + 1, month: 1, day: 1 })
    }
}

/// An activity as the arithmetic sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activity {
    pub kind: ActivityKind,
    pub date: Date,
    pub minutes: i64,
}

/// One year of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearLine {
    pub year: i32,
    /// Minutes done (before caps).
    pub done: i64,
    /// Minutes that count, after the caps.
    pub counted: i64,
}

/// One kind of activity over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindLine {
    pub kind: ActivityKind,
    pub done: i64,
    pub cap: Option<i64>,
    pub counted: i64,
    /// Room left under the cap (`None`: uncapped).
    pub left: Option<i64>,
}

/// Where a person stands, for one rule and one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub year: i32,
    pub first_year: i32,
    /// The years of the period, oldest first.
    pub years: Vec<YearLine>,
    /// Every kind, in [`ActivityKind::ALL`] order.
    pub kinds: Vec<KindLine>,
    /// For each activity given (same order), the minutes it counts for this rule and
    /// year: 0 if it is outside the period, in the future, or over its cap.
    pub counted: Vec<i64>,
    pub year_counted: i64,
    pub year_missing: i64,
    pub period_counted: i64,
    pub period_missing: i64,
    /// The minutes still to do by 31 December of the year: the hours of the year count
    /// for both the annual minimum and the period, so the larger of the two.
    pub missing: i64,
}

/// Computes where the person stands for `rule` in `year`, as of `today`.
pub fn standing(rule: &Rule, activities: &[Activity], year: i32, today: Date) -> Standing {
    let first_year = rule.first_year(year);
    let in_play = |a: &Activity| a.minutes > 0 && a.date <= today && (first_year..=year).contains(&a.date.year);
    let mut order: Vec<usize> = (0..activities.len()).filter(|&i| in_play(&activities[i])).collect();
    // Date order, then the order given (a stable sort).
    order.sort_by_key(|&i| activities[i].date);
    let mut used = [0i64; 5];
    let mut done_by_kind = [0i64; 5];
    let mut counted = vec![0i64; activities.len()];
    for i in order {
        let a = activities[i];
        let k = a.kind.index();
        done_by_kind[k] += a.minutes;
        let take = match rule.caps[k] {
            Some(cap) => a.minutes.min((cap - used[k]).max(0)),
            None => a.minutes,
        };
        used[k] += take;
        counted[i] = take;
    }
    let years: Vec<YearLine> = (first_year..=year)
        .map(|y| {
            let of_year = |i: &usize| activities[*i].date.year == y && in_play(&activities[*i]);
            let idx: Vec<usize> = (0..activities.len()).filter(of_year).collect();
            YearLine { year: y, done: idx.iter().map(|&i| activities[i].minutes).sum(), counted: idx.iter().map(|&i| counted[i]).sum() }
        })
        .collect();
    let kinds = ActivityKind::ALL
        .iter()
        .map(|&kind| {
            let k = kind.index();
            let cap = rule.caps[k];
            KindLine { kind, done: done_by_kind[k], cap, counted: used[k], left: cap.map(|c| (c - used[k]).max(0)) }
        })
        .collect();
    let year_counted = years.last().map(|y| y.counted).unwrap_or(0);
    let period_counted: i64 = years.iter().map(|y| y.counted).sum();
    let year_missing = (rule.year_minutes - year_counted).max(0);
    let period_missing = (rule.period_minutes - period_counted).max(0);
    Standing {
        year,
        first_year,
        years,
        kinds,
        counted,
        year_counted,
        year_missing,
        period_counted,
        period_missing,
        missing: year_missing.max(period_missing),
    }
}

impl Standing {
    /// The French sentence that says what is missing and by when, or that all is done.
    pub fn sentence(&self, rule: &Rule, today: Date) -> String {
        let y = self.year;
        let period = format!("{}-{y}", self.first_year);
        let min = hours_fr(rule.year_minutes);
        let total = hours_fr(rule.period_minutes);
        if self.missing == 0 {
            return format!(
                "Votre obligation de {y} est remplie : {} retenues en {y} (minimum annuel {min}) et {} sur la période {period} (sur {total}).",
                hours_fr(self.year_counted),
                hours_fr(self.period_counted)
            );
        }
        let over = today.year > y;
        let (lead, by) = if over { ("Il vous a manqué", format!("au 31 décembre {y}")) } else { ("Il vous manque", format!("d'ici le 31 décembre {y}")) };
        let annual = format!("pour le minimum annuel de {min}");
        let whole = format!("pour atteindre {total} sur la période {period}");
        match (self.year_missing > 0, self.period_missing > 0) {
            (true, false) => format!("{lead} {} {by} {annual}.", hours_fr(self.year_missing)),
            (false, true) => format!("{lead} {} {by} {whole}.", hours_fr(self.period_missing)),
            _ => format!(
                "{lead} {} {by} : {} {annual} et {} {whole} (les heures de {y} comptent pour les deux).",
                hours_fr(self.missing),
                hours_fr(self.year_missing),
                hours_fr(self.period_missing)
            ),
        }
    }
}

/// Where an entry of the ledger comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// A training of the portal, with the time attended recorded by its provider.
    Portal,
    /// An activity the person declared himself.
    Outside,
}

/// One line of a person's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The registration's id (portal) or the activity's (outside).
    pub id: i64,
    pub source: Source,
    pub kind: ActivityKind,
    pub title: String,
    pub organiser: String,
    pub date: Date,
    pub minutes: i64,
    /// The proof's file name, if one was given (outside activities only).
    pub proof: Option<String>,
}

impl Entry {
    pub fn activity(&self) -> Activity {
        Activity { kind: self.kind, date: self.date, minutes: self.minutes }
    }
}

/// A person's ledger: the rules that apply to him and every entry, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub user_id: i64,
    pub today: Date,
    pub rules: Vec<Rule>,
    pub entries: Vec<Entry>,
}

impl Ledger {
    /// Where he stands for `rule` in `year`; `counted` follows `entries`.
    pub fn standing(&self, rule: &Rule, year: i32) -> Standing {
        let activities: Vec<Activity> = self.entries.iter().map(Entry::activity).collect();
        standing(rule, &activities, year, self.today)
    }

    /// The entries of one year.
    pub fn of_year(&self, year: i32) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries.iter().enumerate().filter(move |(_, e)| e.date.year == year)
    }
}

/// Hours typed in a form, as minutes: "3", "3,5", "3.5", "3 h 30", "3h30", "3 h".
/// Half hours at the finest, more than 0 and at most 300 h.
pub fn parse_hours(raw: &str) -> Result<i64, FieldError> {
    const BAD: FieldError = "Indiquez une durée en heures, par demi-heure (ex. 3 ou 3,5 ou 3 h 30).";
    let s: String = raw.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err("Indiquez la durée en heures.");
    }
    if s.starts_with('-') {
        return Err("La durée doit être positive.");
    }
    let digits = |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
    let minutes = if let Some((h, m)) = s.split_once('h') {
        if !digits(h) || !(m.is_empty() || (digits(m) && m.len() == 2)) {
            return Err(BAD);
        }
        let m: i64 = if m.is_empty() { 0 } else { m.parse().map_err(|_| BAD)? };
        if m >= 60 {
            return Err(BAD);
        }
        h.parse::<i64>().map_err(|_| BAD)? * 60 + m
    } else if let Some((h, f)) = s.split_once([',', '.']) {
        if !digits(h) || !digits(f) {
            return Err(BAD);
        }
        let f = f.trim_end_matches('0');
        let m = match f {
            "" => 0,
            "5" => 30,
            _ => return Err("La durée se compte par demi-heure (ex. 3,5 pour 3 h 30)."),
        };
        h.parse::<i64>().map_err(|_| BAD)? * 60 + m
    } else if digits(&s) {
        s.parse::<i64>().map_err(|_| BAD)? * 60
    } else {
        return Err(BAD);
    };
    if minutes % 30 != 0 {
        return Err("La durée se compte par demi-heure (ex. 3,5 pour 3 h 30).");
    }
    if minutes == 0 {
        return Err("La durée doit être positive.");
    }
    if minutes > 300 * 60 {
        return Err("Une activité compte au plus 300 h.");
    }
    Ok(minutes)
}

/// An activity done outside the portal, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub organiser: String,
    /// YYYY-MM-DD (the date input's value).
    pub date: String,
    pub hours: String,
}

/// An outside activity that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub title: Text,
    pub organiser: Text,
    pub date: Date,
    pub minutes: i64,
}

impl ActivityForm {
    /// Checks every field; the date must be a real one, not after `today` (an activity
    /// is declared once done) and not older than ten years.
    pub fn parse(&self, today: Date) -> Result<ValidActivity, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", ActivityKind::from_code(self.kind.trim()).ok_or("Choisissez la nature de l'activité."));
        let title = e.check("title", Text::parse_short(&self.title, "Indiquez l'intitulé de l'activité."));
        let organiser = e.check("organiser", Text::parse_short(&self.organiser, "Indiquez l'organisateur."));
        let date = e.check(
            "date",
            Date::parse(&self.date).ok_or("Indiquez la date (jj/mm/aaaa).").and_then(|d| {
                if d > today {
                    Err("La date ne peut pas être dans le futur : déclarez l'activité une fois réalisée.")
                } else if d.year < today.year - 10 {
                    Err("Cette date est trop ancienne (dix ans au plus).")
                } else {
                    Ok(d)
                }
            }),
        );
        let minutes = e.check("hours", parse_hours(&self.hours));
        let valid = (|| Some(ValidActivity { kind: kind?, title: title?, organiser: organiser?, date: date?, minutes: minutes? }))();
        e.finish(valid)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn h(hours: i64) -> i64 {
        hours * 60
    }

    /// The CAC rule as seeded: 120 h over 3 years, 20 h a year, caps 40/40/30/32 h.
    fn cac() -> Rule {
        Rule {
            profession: "cac".into(),
            label: "Commissaire aux comptes".into(),
            authority: "votre compagnie régionale des commissaires aux comptes".into(),
            period_years: 3,
            period_minutes: h(120),
            year_minutes: h(20),
            caps: [None, Some(h(40)), Some(h(40)), Some(h(30)), Some(h(32))],
            deadline_month: 3,
            deadline_day: 31,
            retention_years: 6,
        }
    }

    fn act(kind: ActivityKind, date: &str, minutes: i64) -> Activity {
        Activity { kind, date: d(date), minutes }
    }

    use ActivityKind::*;

    const TODAY: &str = "2026-12-01";

    #[test]
    fn a_cap_applies_over_the_period_not_per_year() {
        // 30 h of conferences in 2024 and 30 h in 2026: 40 h count over the period, the
        // 2024 ones first, so 2026 gets 10 h of them.
        let acts = [act(Conference, "2024-05-10", h(30)), act(Conference, "2026-03-02", h(30)), act(Formation, "2025-06-01", h(20))];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!(s.counted, vec![h(30), h(10), h(20)]);
        let conf = &s.kinds[Conference.index()];
        assert_eq!((conf.done, conf.counted, conf.left), (h(60), h(40), Some(0)));
        assert_eq!(s.years.iter().map(|y| (y.year, y.done, y.counted)).collect::<Vec<_>>(), vec![
            (2024, h(30), h(30)),
            (2025, h(20), h(20)),
            (2026, h(30), h(10))
        ]);
        assert_eq!(s.year_counted, h(10));
        assert_eq!(s.year_missing, h(10));
        assert_eq!(s.period_counted, h(60));
        assert_eq!(s.period_missing, h(60));
        assert_eq!(s.missing, h(60));
        // Two conferences of one year: neither reaches the cap alone, both together do.
        let acts = [act(Conference, "2026-01-10", h(25)), act(Conference, "2026-02-10", h(25))];
        assert_eq!(standing(&cac(), &acts, 2026, d(TODAY)).counted, vec![h(25), h(15)]);
    }

    #[test]
    fn the_rolling_period_is_the_three_calendar_years_ending_with_the_year() {
        let acts = [
            act(Formation, "2023-12-31", h(50)),
            act(Formation, "2024-01-01", h(20)),
            act(Formation, "2025-07-14", h(20)),
            act(Formation, "2026-12-01", h(20)),
        ];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!((s.first_year, s.year), (2024, 2026));
        assert_eq!(s.counted, vec![0, h(20), h(20), h(20)], "31 December 2023 is out of 2024-2026");
        assert_eq!(s.period_counted, h(60));
        // The same activities, seen for 2025: 2023-2025, the 2026 one is out (and future).
        let s = standing(&cac(), &acts, 2025, d(TODAY));
        assert_eq!(s.first_year, 2023);
        assert_eq!(s.counted, vec![h(50), h(20), h(20), 0]);
        assert_eq!((s.year_counted, s.year_missing, s.period_counted, s.period_missing), (h(20), 0, h(90), h(30)));
        // A cap is consumed within the period considered only: conferences of 2023 no
        // longer take room in 2024-2026.
        let acts = [act(Conference, "2023-06-01", h(40)), act(Conference, "2026-06-01", h(40))];
        assert_eq!(standing(&cac(), &acts, 2025, d(TODAY)).counted, vec![h(40), 0]);
        assert_eq!(standing(&cac(), &acts, 2026, d(TODAY)).counted, vec![0, h(40)]);
    }

    #[test]
    fn nineteen_and_a_half_hours_miss_half_an_hour() {
        let acts = [act(Formation, "2026-02-03", h(19) + 30)];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!(s.year_missing, 30);
        assert_eq!(hours_fr(s.year_missing), "0 h 30");
        assert_eq!(s.period_missing, h(100) + 30);
        // Exactly 20 h: the year is done.
        let s = standing(&cac(), &[act(Formation, "2026-02-03", h(20))], 2026, d(TODAY));
        assert_eq!(s.year_missing, 0);
    }

    #[test]
    fn each_rule_is_computed_apart_and_the_same_activity_counts_for_each() {
        let mut ec = cac();
        ec.profession = "ec".into();
        ec.caps[Conference.index()] = Some(h(10));
        let acts = [act(Conference, "2026-04-01", h(25)), act(Formation, "2026-05-01", h(7))];
        let for_cac = standing(&cac(), &acts, 2026, d(TODAY));
        let for_ec = standing(&ec, &acts, 2026, d(TODAY));
        assert_eq!(for_cac.counted, vec![h(25), h(7)]);
        assert_eq!(for_ec.counted, vec![h(10), h(7)]);
        assert_eq!((for_cac.year_missing, for_ec.year_missing), (0, h(3)));
    }

    #[test]
    fn a_kind_capped_to_nothing_left_counts_nothing_more() {
        let acts = [
            act(Publication, "2024-01-15", h(30)),
            act(Publication, "2026-09-01", h(12)),
            act(Technical, "2025-01-01", h(32)),
            act(Technical, "2026-01-01", h(1)),
        ];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!(s.counted, vec![h(30), 0, h(32), 0]);
        assert_eq!(s.kinds[Publication.index()].left, Some(0));
        assert_eq!(s.kinds[Technical.index()].left, Some(0));
        assert_eq!(s.kinds[Formation.index()].left, None, "trainings are never capped");
        assert_eq!(s.year_counted, 0);
        // A cap of 0 in the rules: the kind never counts.
        let mut none = cac();
        none.caps[Teaching.index()] = Some(0);
        let s = standing(&none, &[act(Teaching, "2026-01-05", h(8))], 2026, d(TODAY));
        assert_eq!((s.counted[0], s.kinds[Teaching.index()].done), (0, h(8)));
    }

    #[test]
    fn future_activities_are_left_out() {
        let acts = [act(Formation, "2026-12-01", h(7)), act(Formation, "2026-12-02", h(14))];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!(s.counted, vec![h(7), 0]);
        assert_eq!(s.years.last().unwrap().done, h(7), "not even as done");
        // Nor do they take room under a cap.
        let acts = [act(Conference, "2026-12-20", h(40)), act(Conference, "2026-11-20", h(10))];
        assert_eq!(standing(&cac(), &acts, 2026, d(TODAY)).counted, vec![0, h(10)]);
    }

    #[test]
    fn minutes_stay_whole() {
        // 3 × 6 h 50 = 20 h 30: no rounding anywhere.
        let acts = [act(Formation, "2026-01-01", 410), act(Formation, "2026-01-02", 410), act(Formation, "2026-01-03", 410)];
        let s = standing(&cac(), &acts, 2026, d(TODAY));
        assert_eq!(s.year_counted, 1230);
        assert_eq!(s.period_missing, h(120) - 1230);
        assert_eq!(hours_fr(s.period_missing), "99 h 30");
        // Zero or negative durations (never stored) count for nothing.
        let s = standing(&cac(), &[act(Formation, "2026-01-01", -60), act(Formation, "2026-01-02", 0)], 2026, d(TODAY));
        assert_eq!((s.year_counted, s.counted.clone()), (0, vec![0, 0]));
    }

    #[test]
    fn the_sentence_says_what_is_missing_and_by_when() {
        let today = d("2026-06-01");
        let s = standing(&cac(), &[act(Formation, "2026-02-03", h(7) + 30), act(Formation, "2024-02-03", h(115))], 2026, today);
        assert_eq!(s.sentence(&cac(), today), "Il vous manque 12 h 30 d'ici le 31 décembre 2026 pour le minimum annuel de 20 h.");
        let s = standing(&cac(), &[act(Formation, "2026-02-03", h(30))], 2026, today);
        assert_eq!(s.sentence(&cac(), today), "Il vous manque 90 h d'ici le 31 décembre 2026 pour atteindre 120 h sur la période 2024-2026.");
        let s = standing(&cac(), &[act(Formation, "2026-02-03", h(10))], 2026, today);
        assert_eq!(
            s.sentence(&cac(), today),
            "Il vous manque 110 h d'ici le 31 décembre 2026 : 10 h pour le minimum annuel de 20 h et 110 h pour atteindre 120 h \
             sur la période 2024-2026 (les heures de 2026 comptent pour les deux)."
        );
        let done = [act(Formation, "2024-02-03", h(40)), act(Formation, "2025-02-03", h(40)), act(Formation, "2026-02-03", h(40))];
        let s = standing(&cac(), &done, 2026, today);
        assert!(s.sentence(&cac(), today).starts_with("Votre obligation de 2026 est remplie"), "{}", s.sentence(&cac(), today));
        let s = standing(&cac(), &[], 2025, today);
        assert!(s.sentence(&cac(), today).starts_with("Il vous a manqué 120 h au 31 décembre 2025"));
    }

    #[test]
    fn the_declaration_is_due_the_next_year() {
        assert_eq!(cac().declaration_due(2026), d("2027-03-31"));
        let mut r = cac();
        (r.deadline_month, r.deadline_day) = (2, 31);
        assert_eq!(r.declaration_due(2027), d("2028-02-29"), "clamped to the month");
    }

    #[test]
    fn hours_by_half_hours() {
        for (raw, minutes) in [("3", 180), ("3,5", 210), ("3.5", 210), ("3,50", 210), ("3 h 30", 210), ("3h30", 210), ("3 h", 180), ("0,5", 30), ("300", 18_000)] {
            assert_eq!(parse_hours(raw), Ok(minutes), "{raw}");
        }
        for raw in ["", "-3", "-0,5", "0", "0,0", "3,25", "3h15", "3h60", "3h5", "abc", "3,5,5", "1e3", "301", "99999999999", "3 h 30 min", "½"] {
            assert!(parse_hours(raw).is_err(), "{raw} accepted");
        }
    }

    #[test]
    fn the_form_parses_or_says_what_is_wrong() {
        let today = d(TODAY);
        let ok = ActivityForm {
            kind: "conference".into(),
            title: "Congrès national".into(),
            organiser: "CNCC".into(),
            date: "2026-10-02".into(),
            hours: "6,5".into(),
        };
        let v = ok.parse(today).unwrap();
        assert_eq!((v.kind, v.minutes, v.date), (Conference, 390, d("2026-10-02")));
        let refused = |f: ActivityForm, field: &str| {
            let e = f.parse(today).unwrap_err();
            assert!(e.contains(field), "{field}: {e:?}");
        };
        refused(ActivityForm { kind: "sieste".into(), ..ok.clone() }, "kind");
        refused(ActivityForm { title: "  ".into(), ..ok.clone() }, "title");
        refused(ActivityForm { organiser: "x".repeat(201), ..ok.clone() }, "organiser");
        refused(ActivityForm { date: "2026-12-02".into(), ..ok.clone() }, "date");
        refused(ActivityForm { date: "2026-02-30".into(), ..ok.clone() }, "date");
        refused(ActivityForm { date: "2015-01-01".into(), ..ok.clone() }, "date");
        refused(ActivityForm { hours: "-2".into(), ..ok.clone() }, "hours");
        assert_eq!(ActivityForm::default().parse(today).unwrap_err().len(), 5);
    }
}
