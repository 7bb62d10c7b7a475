//! Doc comments from spec text, escaped so rustdoc renders them as written and
//! `cargo doc` stays free of warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for spec text, one per line, escaped for rustdoc;
/// nothing for `None` or blank text.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    lines(&sanitise(text))
}

/// `#[doc = "..."]` attributes for the generator's own Markdown, kept as written.
pub fn doc_markdown(text: &str) -> TokenStream {
    lines(&text.lines().map(str::to_string).collect::<Vec<_>>())
}

fn lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}").trim_end().to_string());
    quote! { #( #[doc = #lines] )* }
}

/// Rustdoc reads doc text as Markdown and warns on bare URLs and on `[x]` that look
/// like broken intra-doc links; `<tag>` would become HTML. Spec prose is not written
/// for rustdoc, so those are escaped; code spans are kept as they are.
fn sanitise(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            // Fenced blocks would be compiled as doctests; spec examples are not Rust.
            if let Some(rest) = line.trim_start().strip_prefix("```") {
                in_fence = !in_fence;
                let _language = rest;
                return if in_fence {
                    "```text".to_string()
                } else {
                    "```".to_string()
                };
            }
            if in_fence {
                return line.to_string();
            }
            // Four spaces of indent would start an (also compiled) indented code block.
            let trimmed = line.trim_start_matches([' ', '\t']);
            let indent = line.len() - trimmed.len();
            let line = if indent > 3 {
                format!("   {trimmed}")
            } else {
                line.to_string()
            };
            let line = line.as_str();
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
                    if let Some(link_len) = markdown_link_len(rest) {
                        out.push_str(&rest[..link_len]);
                        rest = &rest[link_len..];
                        continue;
                    }
                    if let Some(url_len) = bare_url_len(rest) {
                        out.push('<');
                        out.push_str(&rest[..url_len]);
                        out.push('>');
                        rest = &rest[url_len..];
                        continue;
                    }
                    match c {
                        '[' | ']' | '<' | '>' => {
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

/// Length of a Markdown link `[text](http…)` at the start of `s`, kept as written.
fn markdown_link_len(s: &str) -> Option<usize> {
    let text_end = s.strip_prefix('[')?.find(']')? + 1;
    let after = &s[text_end + 1..];
    let target = after.strip_prefix('(')?;
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let close = target.find(')')?;
    Some(text_end + 1 + 1 + close + 1)
}

fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let len = s
        .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"')
        .unwrap_or(s.len());
    let url = s[..len].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_hazards() {
        assert_eq!(
            sanitise("see https://x.com/a."),
            vec!["see <https://x.com/a>."]
        );
        assert_eq!(
            sanitise("GET /a/{id} [beta] <b>"),
            vec!["GET /a/{id} \\[beta\\] \\<b\\>"]
        );
        assert_eq!(
            sanitise("[the guide](https://x.com/g) ok"),
            vec!["[the guide](https://x.com/g) ok"]
        );
        assert_eq!(
            sanitise("`[x]` and snake_case ## Usage"),
            vec!["`[x]` and snake_case ## Usage"]
        );
        assert_eq!(sanitise("open `code"), vec!["open `code`"]);
        assert_eq!(
            sanitise("```json\n  {}\n```"),
            vec!["```text", "  {}", "```"]
        );
        assert_eq!(sanitise("        deep"), vec!["   deep"]);
    }
}
