//! A small document writer on top of `pdf-writer`: A4 pages, the standard Helvetica
//! fonts (no font embedded: every PDF reader has them) in WinAnsi encoding, so that
//! French text stays extractable (`pdftotext`). Headings, wrapped paragraphs, rules
//! and label/amount rows; a new page when the current one is full.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Encodes text for a WinAnsi font; characters it lacks become '?' (narrow and
/// no-break spaces become spaces).
pub fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0x20..=0x7e => c as u8,
            0xa0 | 0x202f | 0x2009 => b' ',
            0xa1..=0xff => c as u32 as u8,
            0x20ac => 0x80,
            0x2019 => 0x92,
            0x2018 => 0x91,
            0x201c => 0x93,
            0x201d => 0x94,
            0x2013 => 0x96,
            0x2014 => 0x97,
            0x2026 => 0x85,
            0x0152 => 0x8c,
            0x0153 => 0x9c,
            _ => b'?',
        })
        .collect()
}

/// Width of a text in points, close to Helvetica's metrics: exact for digits and
/// punctuation of amounts, generous for letters (so that wrapped lines never overflow).
fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '€' => 556,
            ' ' | ',' | '.' | '\u{a0}' | '\u{202f}' => 278,
            '-' => 333,
            'i' | 'l' | 'j' | '\'' => 240,
            'm' | 'w' => 833,
            'M' | 'W' => 944,
            c if c.is_uppercase() => 722,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0 * if bold { 1.05 } else { 1.0 }
}

pub struct Doc {
    title: String,
    pages: Vec<Vec<u8>>,
    content: Content,
    y: f32,
}

impl Doc {
    pub fn new(title: &str) -> Self {
        Doc { title: title.to_string(), pages: Vec::new(), content: Content::new(), y: HEIGHT - MARGIN }
    }

    fn room(&mut self, needed: f32) {
        if self.y - needed < MARGIN {
            let full = std::mem::replace(&mut self.content, Content::new());
            self.pages.push(full.finish().into_vec());
            self.y = HEIGHT - MARGIN;
        }
    }

    fn put(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        self.content.begin_text();
        self.content.set_font(if bold { BOLD } else { REGULAR }, size);
        self.content.next_line(x, self.y);
        self.content.show(Str(&winansi(text)));
        self.content.end_text();
    }

    /// Splits a text into lines no wider than `max` points.
    fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && text_width(&candidate, size, bold) > max {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
        lines
    }

    /// A line of text, wrapped to the page's width.
    pub fn write(&mut self, text: &str, size: f32, bold: bool) {
        for line in Self::wrap(text, size, bold, WIDTH - 2.0 * MARGIN) {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            self.put(MARGIN, &line, size, bold);
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.gap(6.0);
        self.write(text, 16.0, true);
        self.gap(4.0);
    }

    pub fn subheading(&mut self, text: &str) {
        self.gap(6.0);
        self.write(text, 11.0, true);
    }

    pub fn text(&mut self, text: &str) {
        self.write(text, 10.0, false);
    }

    pub fn small(&mut self, text: &str) {
        self.write(text, 8.0, false);
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// A label on the left (wrapped before the amount's column), an amount aligned on
    /// the right of its first line.
    pub fn row(&mut self, label: &str, amount: &str, bold: bool) {
        let size = 10.0;
        let amount_width = text_width(amount, size, bold);
        let lines = Self::wrap(label, size, bold, WIDTH - 2.0 * MARGIN - amount_width - 24.0);
        for (i, line) in lines.iter().enumerate() {
            self.room(size * 1.5);
            self.y -= size * if i == 0 { 1.5 } else { 1.3 };
            self.put(MARGIN, line, size, bold);
            if i == 0 {
                self.put(WIDTH - MARGIN - amount_width, amount, size, bold);
            }
        }
    }

    pub fn rule(&mut self) {
        self.room(8.0);
        self.y -= 4.0;
        self.content.set_line_width(0.5);
        self.content.move_to(MARGIN, self.y);
        self.content.line_to(WIDTH - MARGIN, self.y);
        self.content.stroke();
        self.y -= 4.0;
    }

    pub fn finish(mut self) -> Vec<u8> {
        let last = std::mem::replace(&mut self.content, Content::new());
        self.pages.push(last.finish().into_vec());
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let first_page = 6;
        let ids: Vec<(Ref, Ref)> =
            (0..self.pages.len() as i32).map(|i| (Ref::new(first_page + 2 * i), Ref::new(first_page + 2 * i + 1))).collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(ids.iter().map(|(p, _)| *p)).count(ids.len() as i32);
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info).title(TextStr(&self.title)).producer(TextStr("Espace Entreprise"));
        for ((page_id, content_id), content) in ids.iter().zip(&self.pages) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
            page.parent(tree);
            page.contents(*content_id);
            let mut resources = page.resources();
            resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
            resources.finish();
            page.finish();
            pdf.stream(*content_id, content);
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_encoded_for_winansi() {
        assert_eq!(winansi("Éé à ç €"), vec![0xc9, 0xe9, b' ', 0xe0, b' ', 0xe7, b' ', 0x80]);
        assert_eq!(winansi("1\u{202f}234,50\u{a0}€"), b"1 234,50 \x80".to_vec());
        assert_eq!(winansi("Œuvre — 漢"), vec![0x8c, b'u', b'v', b'r', b'e', b' ', 0x97, b' ', b'?']);
    }

    #[test]
    fn long_documents_get_more_pages() {
        let mut doc = Doc::new("Test");
        for i in 0..200 {
            doc.text(&format!("Ligne {i} d'un document assez long pour remplir plusieurs pages."));
        }
        let bytes = doc.finish();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        let count: usize = text.split("/Count ").nth(1).and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next()).unwrap().parse().unwrap();
        // 200 lines of 14 points on pages of 742 usable points: 53 lines a page.
        assert_eq!(count, 4);
    }
}
