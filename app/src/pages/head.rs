//! The head of a page: its title and its description (`<meta name="description">`, the
//! sentence search engines show under the title and Lighthouse asks for), set together.

use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_meta::{Meta, Title};

/// The length, in characters, of a description: under 70 says too little, over 160 is
/// cut by search engines.
pub const DESCRIPTION_LENGTH: std::ops::RangeInclusive<usize> = 70..=160;

/// The page's `<title>` and its one `<meta name="description">` (one French sentence:
/// what the page offers, never a person's or a company's data). A page renders it once
/// on each of its paths, error paths included: descriptions, unlike titles, add up.
#[component]
pub fn PageHead(#[prop(into)] title: TextProp, #[prop(into)] description: TextProp) -> impl IntoView {
    view! {
        <Title text=title />
        <Meta name="description" content=description />
    }
}

/// A description made of a text of any length (a training's summary, written by its
/// provider): the text when its length fits, cut after a word with "…" when longer,
/// `fallback` when shorter.
pub fn fit_description(text: &str, fallback: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = text.chars().count();
    if DESCRIPTION_LENGTH.contains(&length) {
        return text;
    }
    if length < *DESCRIPTION_LENGTH.start() {
        return fallback.to_string();
    }
    // The most words that fit with the ellipsis.
    let room = DESCRIPTION_LENGTH.end() - 1;
    let mut cut = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!cut.is_empty());
        if cut.chars().count() + sep + word.chars().count() > room {
            break;
        }
        if sep == 1 {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    let cut = cut.trim_end_matches([',', ';', ':', '.', '—', '-', ' ']);
    if cut.chars().count() < *DESCRIPTION_LENGTH.start() {
        fallback.to_string()
    } else {
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FALLBACK: &str = "Fiche d'une formation : objectifs, programme, prix, dates et lieux des sessions.";

    #[test]
    fn a_text_that_fits_is_kept_with_its_spaces_made_single() {
        let text = "Faire le point sur les normes d'exercice professionnel récemment homologuées\n  et leurs incidences.";
        assert_eq!(
            fit_description(text, FALLBACK),
            "Faire le point sur les normes d'exercice professionnel récemment homologuées et leurs incidences."
        );
    }

    #[test]
    fn a_short_text_gives_the_fallback() {
        assert_eq!(fit_description("Loi de finances.", FALLBACK), FALLBACK);
        assert_eq!(fit_description("", FALLBACK), FALLBACK);
    }

    #[test]
    fn a_long_text_is_cut_after_a_word() {
        let text = "Décrypter les principales mesures fiscales de la loi de finances, leurs conséquences pour vos clients, \
                    les nouvelles obligations déclaratives, les régimes transitoires et les points d'attention de la clôture.";
        let d = fit_description(text, FALLBACK);
        assert!(DESCRIPTION_LENGTH.contains(&d.chars().count()), "{} characters: {d}", d.chars().count());
        let kept = d.strip_suffix('…').expect("an ellipsis");
        assert!(text.starts_with(kept), "{d}");
        assert!(text[kept.len()..].starts_with([' ', ',']), "cut inside a word: {d}");
        assert!(!kept.ends_with(','), "{d}");
    }

    #[test]
    fn a_text_without_spaces_gives_the_fallback() {
        assert_eq!(fit_description(&"x".repeat(200), FALLBACK), FALLBACK);
    }
}
