//! Text from other portals: HTML descriptions to Markdown-safe plain text, and the many ways
//! portals write dates.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Whitespace runs (newlines included) become one space; the ends are trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "figure",
];
/// Elements whose content is never text.
const DROPPED: &[&str] =
    &["script", "style", "head", "title", "template", "iframe", "object", "svg"];

/// HTML to plain text with paragraphs (blank lines), line breaks, list items (`- `) and the text
/// of links; every tag, comment and script goes. Text without tags is returned as it is (it may
/// already be Markdown). The result is rendered as sanitised Markdown like any description.
pub fn html_to_markdown(input: &str) -> String {
    if !looks_like_html(input) {
        return input.trim().to_owned();
    }
    let mut out = Output::default();
    let mut rest = input;
    let mut dropping: Option<String> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if dropping.is_none() {
                out.text(rest);
            }
            break;
        };
        if dropping.is_none() {
            out.text(&rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            // A lone `<` is text.
            if dropping.is_none() {
                out.text("<");
            }
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            if dropping.is_none() && !tag.starts_with('!') && !tag.starts_with('?') && !closing {
                out.text(&format!("<{tag}>"));
            }
            continue;
        }
        if let Some(dropped) = &dropping {
            if closing && *dropped == name {
                dropping = None;
            }
            continue;
        }
        if DROPPED.contains(&name.as_str()) {
            if !closing && !tag.ends_with('/') {
                dropping = Some(name);
            }
            continue;
        }
        match name.as_str() {
            "br" => out.brk(1),
            "li" if !closing => out.list_item(),
            "li" => out.brk(1),
            "td" | "th" if closing => out.text(" "),
            name if BLOCKS.contains(&name) => out.brk(2),
            _ => {}
        }
    }
    out.finish()
}

fn looks_like_html(input: &str) -> bool {
    input.match_indices('<').any(|(i, _)| {
        let next = input[i + 1..].chars().next();
        next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
            && tag_end(&input[i..]).is_some()
    })
}

/// The index of the `>` closing the tag that starts `s` (quotes respected), if any.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// Inline text gathers in `current`; a break flushes it, whitespace collapsed, into `text`.
#[derive(Default)]
struct Output {
    text: String,
    current: String,
    /// Newlines owed before the next words (1: line break, 2: paragraph).
    owed: usize,
}

impl Output {
    fn text(&mut self, raw: &str) {
        self.current.push_str(&decode_entities(raw));
    }

    fn flush(&mut self) {
        let words = collapse(&self.current);
        self.current.clear();
        if words.is_empty() || words == "-" {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str(&"\n".repeat(self.owed.max(1)));
        }
        self.text.push_str(&words);
        self.owed = 0;
    }

    fn brk(&mut self, newlines: usize) {
        self.flush();
        self.owed = self.owed.max(newlines);
    }

    fn list_item(&mut self) {
        self.brk(1);
        self.current.push_str("- ");
    }

    fn finish(mut self) -> String {
        self.flush();
        self.text
    }
}

/// Decodes the character references portals use (`&amp;`, `&eacute;`, `&#39;`, `&#x2019;`…);
/// an unknown one stays as written.
pub fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "acirc" => 'â',
        "ccedil" => 'ç',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "Eacute" => 'É',
        "Agrave" => 'À',
        "Ccedil" => 'Ç',
        "laquo" => '«',
        "raquo" => '»',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "euro" => '€',
        "deg" => '°',
        "copy" => '©',
        _ => return None,
    })
}

/// Reads the dates portals write: RFC 3339, naive ISO timestamps (CKAN writes UTC without an
/// offset, with or without fractions or a `T`), plain dates, `dd/mm/yyyy`. Anything else (DKAN's
/// `mercredi, 5 juin, 2019 - 14:05`, `jeu, 19/12/2019 - 03:00`) is `None`: the caller warns.
pub fn parse_date(raw: &str) -> Option<OffsetDateTime> {
    let raw = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Some(t);
    }
    let naive = raw.replacen(' ', "T", 1);
    let naive = naive.trim_end_matches('Z');
    for format in [
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ] {
        if let Ok(t) = PrimitiveDateTime::parse(naive, format) {
            return Some(t.assume_utc());
        }
    }
    for format in
        [format_description!("[year]-[month]-[day]"), format_description!("[day]/[month]/[year]")]
    {
        if let Ok(d) = Date::parse(raw, format) {
            return Some(d.midnight().assume_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_paragraphs_lists_and_link_text() {
        let html = "<DIV STYLE=\"text-align:Left;\"><DIV><P><SPAN>Emplacement des   stationnements\nvélos</SPAN></P></DIV></DIV>\
            <p>Voir <a href=\"https://x.org\" onclick=\"evil()\">le site</a>&nbsp;&amp; la <b>carte</b>.<br/>Ligne 2</p>\
            <ul><li>un</li><li>deux &#233;t&#xE9;</li></ul><script>alert(1)</script><style>p{}</style><!-- note -->Fin";
        assert_eq!(
            html_to_markdown(html),
            "Emplacement des stationnements vélos\n\nVoir le site & la carte.\nLigne 2\n\n- un\n- deux été\n\nFin"
        );
    }

    #[test]
    fn plain_text_and_markdown_stay_as_they_are() {
        assert_eq!(
            html_to_markdown("  a < b and **c** > d\n\nsecond  "),
            "a < b and **c** > d\n\nsecond"
        );
        assert_eq!(html_to_markdown("x <y"), "x <y");
        assert_eq!(html_to_markdown("<p>a <unclosed</p>"), "a <unclosed");
        assert_eq!(html_to_markdown("<img src=x onerror=alert(1)>"), "");
        assert_eq!(decode_entities("&unknown; &amp &#0; &#x41;"), "&unknown; &amp &#0; A");
    }

    #[test]
    fn dates_in_the_shapes_portals_write_them() {
        let t = |s: &str| parse_date(s).map(|t| t.unix_timestamp());
        assert_eq!(t("2019-06-05T14:05:00Z"), Some(1_559_743_500));
        assert_eq!(t("2019-06-05T16:05:00+02:00"), Some(1_559_743_500));
        assert_eq!(t("2019-06-05T14:05:00.123456"), Some(1_559_743_500));
        assert_eq!(t("2019-06-05 14:05:00"), Some(1_559_743_500));
        assert_eq!(t("2019-06-05"), Some(1_559_692_800));
        assert_eq!(t("05/06/2019"), Some(1_559_692_800));
        assert_eq!(t("mercredi, 5 juin, 2019 - 14:05"), None);
        assert_eq!(t("jeu, 19/12/2019 - 03:00"), None);
        assert_eq!(t(""), None);
    }
}
