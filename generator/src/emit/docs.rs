//! Doc comments from spec text, escaped so rustdoc renders them as written and
//! `cargo doc` stays free of warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `text`, one per line; nothing for `None` or blank text.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitise(text);
    let lines = lines.iter().map(|l| format!(" {l}").trim_end().to_string());
    quote! { #( #[doc = #lines] )* }
}

/// Rustdoc reads doc text as Markdown and warns on bare URLs and on `[x]` that look
/// like broken intra-doc links; `<tag>` would become HTML. Spec prose is not written
/// for rustdoc, so those are escaped; code spans are kept as they are.
fn sanitise(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut in_code = false;
            let mut rest = line;
            while let Some(c) = rest.chars().next() {
                if c == '`' {
                    in_code = !in_code;
                    out.push(c);
                    rest = &rest[1..];
                    continue;
                }
                if !in_code {
                    if let Some(url_len) = bare_url_len(rest) {
                        out.push('<');
                        out.push_str(&rest[..url_len]);
                        out.push('>');
                        rest = &rest[url_len..];
                        continue;
                    }
                    match c {
                        '[' | ']' | '<' | '>' | '*' | '_' | '#' if needs_escape(c, &out) => {
                            out.push('\\');
                            out.push(c);
                            rest = &rest[1..];
                            continue;
                        }
                        _ => {}
                    }
                }
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
            if in_code {
                // An unclosed code span would swallow the following lines.
                out.push('`');
            }
            out
        })
        .collect()
}

fn needs_escape(c: char, before: &str) -> bool {
    match c {
        // Markdown links `[text](url)` are kept; lone brackets are escaped.
        '[' | ']' | '<' | '>' => true,
        // Emphasis markers inside words (`snake_case`) are harmless.
        '*' | '_' => before.ends_with(' ') || before.is_empty(),
        '#' => before.trim().is_empty(),
        _ => false,
    }
}

fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let len = s.find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"').unwrap_or(s.len());
    let url = s[..len].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_hazards() {
        assert_eq!(sanitise("see https://x.com/a."), vec!["see <https://x.com/a>."]);
        assert_eq!(sanitise("GET /a/{id} [beta] <b>"), vec!["GET /a/{id} \\[beta\\] \\<b\\>"]);
        assert_eq!(sanitise("`[x]` and snake_case"), vec!["`[x]` and snake_case"]);
        assert_eq!(sanitise("open `code"), vec!["open `code`"]);
    }
}
