//! What errors and `Debug` output may show: no query values, no credentials, no values
//! from a body. Input: URLs and serde messages; output: the same with those left out.
//! (The raw values stay reachable on purpose: `Error::Decode`'s `body`,
//! `DecodeError::raw`, `ApiError::body`.)

use std::fmt;

use reqwest::Url;

/// `url` without its user name, password and query values (the names stay:
/// `?api_key=redacted`).
pub fn url(url: &mut Url) {
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if url.query().is_some() {
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|n| (n.as_str(), "redacted")));
    }
}

/// A URL given as text, redacted; text that is no URL is left out whole.
pub fn url_text(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut parsed) => {
            url(&mut parsed);
            parsed.to_string()
        }
        Err(_) => "<not a URL>".to_string(),
    }
}

/// A serde_json message without the values it quotes from the input: ``invalid type:
/// string "postgres://admin:hunter2@db", expected u32`` becomes ``invalid type: string,
/// expected u32``. What the spec says (`expected one of `a`, `b``) is kept.
pub fn serde_message(message: &str) -> String {
    const QUOTING: &[&str] = &[
        "invalid type: string ",
        "invalid value: string ",
        "invalid type: integer ",
        "invalid value: integer ",
        "invalid type: floating point ",
        "invalid value: floating point ",
        "invalid type: character ",
        "invalid value: character ",
        "unknown variant ",
        "unknown field ",
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while !rest.is_empty() {
        for lead in QUOTING {
            if let Some(after) = rest.strip_prefix(lead) {
                out.push_str(lead.trim_end());
                rest = skip_quoted(after);
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// `text` after the quoted value it starts with (`"…"` with escapes, or `` `…` ``).
fn skip_quoted(text: &str) -> &str {
    let (open, close) = match text.chars().next() {
        Some('"') => ('"', '"'),
        Some('`') => ('`', '`'),
        _ => return text,
    };
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if open == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == close && !escaped {
            return &text[i + c.len_utf8()..];
        }
        escaped = false;
    }
    ""
}

/// Shows a body in `Debug` as its length only.
pub struct Bytes(pub usize);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// Shows headers in `Debug` as their names only.
pub struct HeaderNames<'a>(pub &'a reqwest::header::HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_query_values() {
        let mut u = Url::parse("https://user:pass@api.test/v1/x?api_key=s3cret&team=t1").unwrap();
        url(&mut u);
        assert_eq!(
            u.as_str(),
            "https://api.test/v1/x?api_key=redacted&team=redacted"
        );
        assert_eq!(url_text("https://a:b@h.test/"), "https://h.test/");
        assert_eq!(url_text("not a url"), "<not a URL>");
    }

    #[test]
    fn serde_messages_lose_the_values_they_quote() {
        for (message, want) in [
            (
                r#"invalid type: string "postgres://admin:hunter2@db", expected u32 at line 1 column 9"#,
                "invalid type: string, expected u32 at line 1 column 9",
            ),
            (
                r#"invalid value: string "a\"b", expected x"#,
                "invalid value: string, expected x",
            ),
            (
                "unknown variant `hunter2`, expected one of `a`, `b`",
                "unknown variant, expected one of `a`, `b`",
            ),
            (
                "invalid type: integer `42`, expected a string",
                "invalid type: integer, expected a string",
            ),
            ("missing field `id`", "missing field `id`"),
            ("unknown variant `unterminated", "unknown variant"),
        ] {
            assert_eq!(serde_message(message), want);
        }
    }
}
