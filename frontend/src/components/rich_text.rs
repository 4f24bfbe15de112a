//! Shows an organiser's Markdown as plain, safe text blocks.
//!
//! Only a small subset is understood (paragraphs, headings, lists, `**bold**`, `` `code` ``
//! and `[links](https://…)`), and everything becomes text nodes: no HTML from the server
//! ever reaches `innerHTML`.

use hackops_shared::validation::web_url;
use leptos::prelude::*;

#[derive(Debug, PartialEq)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
}

#[derive(Debug, PartialEq)]
enum Inline {
    Text(String),
    Strong(String),
    Code(String),
    Link(String, String),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = line[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

fn blocks(source: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    for raw in source.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut out);
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            flush(&mut paragraph, &mut out);
            out.push(Block::Heading(hashes as u8, line[hashes..].trim().to_owned()));
        } else if let Some((numbered, item)) = list_item(line) {
            flush(&mut paragraph, &mut out);
            let item = item.trim().to_owned();
            match out.last_mut() {
                Some(Block::Numbered(items)) if numbered => items.push(item),
                Some(Block::Bullets(items)) if !numbered => items.push(item),
                _ if numbered => out.push(Block::Numbered(vec![item])),
                _ => out.push(Block::Bullets(vec![item])),
            }
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let found = if let Some(after) = rest.strip_prefix("**") {
            after
                .find("**")
                .filter(|&end| end > 0)
                .map(|end| (Inline::Strong(after[..end].to_owned()), &after[end + 2..]))
        } else if let Some(after) = rest.strip_prefix('`') {
            after
                .find('`')
                .filter(|&end| end > 0)
                .map(|end| (Inline::Code(after[..end].to_owned()), &after[end + 1..]))
        } else if let Some(after) = rest.strip_prefix('[') {
            after.find("](").and_then(|mid| {
                let url_part = &after[mid + 2..];
                url_part.find(')').map(|end| {
                    let label = after[..mid].to_owned();
                    let inline = match web_url(&url_part[..end]) {
                        Ok(url) => Inline::Link(label, url),
                        Err(_) => Inline::Text(label),
                    };
                    (inline, &url_part[end + 1..])
                })
            })
        } else {
            None
        };
        match found {
            Some((inline, next)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(inline);
                rest = next;
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

fn render_inlines(text: &str) -> AnyView {
    inlines(text)
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(t) => t.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Link(label, url) => view! {
                <a href=url rel="external noopener noreferrer nofollow" target="_blank">
                    {label}
                </a>
            }
            .into_any(),
        })
        .collect_view()
        .into_any()
}

/// `heading_base`: the level of the section the text sits in; its headings go below it.
#[component]
pub fn RichText(source: String, #[prop(default = 2)] heading_base: u8) -> impl IntoView {
    let views = blocks(&source)
        .into_iter()
        .map(|block| match block {
            Block::Heading(level, text) => {
                let inner = render_inlines(&text);
                match (heading_base + level).min(6) {
                    0..=3 => view! { <h3>{inner}</h3> }.into_any(),
                    4 => view! { <h4>{inner}</h4> }.into_any(),
                    5 => view! { <h5>{inner}</h5> }.into_any(),
                    _ => view! { <h6>{inner}</h6> }.into_any(),
                }
            }
            Block::Paragraph(text) => view! { <p>{render_inlines(&text)}</p> }.into_any(),
            Block::Bullets(items) => view! {
                <ul>{items.iter().map(|i| view! { <li>{render_inlines(i)}</li> }).collect_view()}</ul>
            }
            .into_any(),
            Block::Numbered(items) => view! {
                <ol>{items.iter().map(|i| view! { <li>{render_inlines(i)}</li> }).collect_view()}</ol>
            }
            .into_any(),
        })
        .collect_view();
    view! { <div class="rich-text">{views}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_paragraphs_headings_and_lists() {
        let source =
            "# Titre\nUne ligne\nqui continue.\n\n- un\n- deux\n\n1. premier\n2. second\n\nFin.";
        assert_eq!(
            blocks(source),
            vec![
                Block::Heading(1, "Titre".into()),
                Block::Paragraph("Une ligne qui continue.".into()),
                Block::Bullets(vec!["un".into(), "deux".into()]),
                Block::Numbered(vec!["premier".into(), "second".into()]),
                Block::Paragraph("Fin.".into()),
            ]
        );
        assert_eq!(blocks("#hashtag"), vec![Block::Paragraph("#hashtag".into())]);
    }

    #[test]
    fn inlines_keep_markup_as_text_and_links_safe() {
        assert_eq!(
            inlines("Des **données** et du `code`, voir [le portail](https://data.example.org)."),
            vec![
                Inline::Text("Des ".into()),
                Inline::Strong("données".into()),
                Inline::Text(" et du ".into()),
                Inline::Code("code".into()),
                Inline::Text(", voir ".into()),
                Inline::Link("le portail".into(), "https://data.example.org".into()),
                Inline::Text(".".into()),
            ]
        );
        // Not a web address: only the label is kept.
        assert_eq!(
            inlines("[clic](javascript:alert(1))"),
            vec![Inline::Text("clic".into()), Inline::Text(")".into())]
        );
        // Unclosed markers and HTML stay plain text.
        assert_eq!(inlines("2 ** 3 <b>x</b>"), vec![Inline::Text("2 ** 3 <b>x</b>".into())]);
    }
}
