//! Docs: every doc comment the generator writes, from generator text and spec text, into
//! `#[doc = "..."]` attributes. The one way spec text reaches rustdoc.
//!
//! Spec text is data, never markup rustdoc acts on. Whatever a description says, the
//! lines written here cannot open a code block that rustdoc would compile as a doctest
//! (fenced with backticks or tildes, indented, inside a list item or a block quote), hold
//! characters the compiler refuses in a doc comment (a bare CR, bidi controls), or make
//! `cargo doc` warn (bare URLs, `<tag>`, `[x]` read as links). How:
//! - a fence in the spec becomes a fence of our own, always `text`, long enough that no
//!   line inside can close it, and closed at the end of the text if the spec left it open;
//! - every other line loses its indentation, so nothing is an indented code block, and a
//!   list marker keeps one space after it, so no list item holds one either;
//! - block-level openers that remain (`>`, `<`, a run of three backticks or tildes) are
//!   escaped, as are `[`, `]`, `<`, `>` in text; code spans stay as written;
//! - control and direction-changing characters are written as `U+XXXX`.
//!
//! Emit builds docs with [`Doc`]: spec prose through [`Doc::prose`], and generator
//! sentences through [`Doc::para`], whose parts take spec values only as code spans
//! ([`Part::Code`]) or checked identifiers ([`Part::Ident`]); generator Markdown is
//! `&'static str`, so a string computed from the spec cannot be passed as Markdown.

use proc_macro2::TokenStream;
use quote::quote;

/// One piece of a generator-written paragraph.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// The generator's own Markdown, written as is.
    Md(&'static str),
    /// A value from the spec (a path, a media type, an enum value), as an inline code span.
    Code(&'a str),
    /// An identifier or path chosen by `naming` (`Client::get_item`), as is; anything that
    /// is not made of identifier characters is written as a code span instead.
    Ident(&'a str),
}

/// The doc comment of one generated item, built paragraph by paragraph.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Doc::default()
    }

    /// Spec prose (a description or summary) as its own paragraph; nothing when blank.
    pub fn prose(mut self, text: Option<&str>) -> Self {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            self.start_paragraph();
            self.lines.extend(sanitise(text));
        }
        self
    }

    /// A paragraph of generator text with spec values filled in.
    pub fn para(mut self, parts: &[Part]) -> Self {
        self.start_paragraph();
        self.lines.push(inline(parts));
        self
    }

    /// Generator text ending in spec prose on the same line where the prose starts with a
    /// plain line (`` `404`: Not found. ``); a prose that opens with a fence starts its own
    /// paragraph instead, so the fence stays a fence.
    pub fn para_then_prose(mut self, parts: &[Part], text: Option<&str>) -> Self {
        self.start_paragraph();
        let head = inline(parts);
        let body = text
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(sanitise)
            .unwrap_or_default();
        match body.split_first() {
            Some((first, rest)) if !first.starts_with("```") && !first.is_empty() => {
                self.lines.push(format!("{head} {first}"));
                self.lines.extend(rest.iter().cloned());
            }
            Some(_) => {
                self.lines.push(head);
                self.lines.push(String::new());
                self.lines.extend(body);
            }
            None => self.lines.push(head),
        }
        self
    }

    /// A heading (`# Errors`) with a generator paragraph right below it.
    pub fn section(mut self, heading: &'static str, parts: &[Part]) -> Self {
        self.start_paragraph();
        self.lines.push(heading.to_string());
        self.lines.push(inline(parts));
        self
    }

    /// Generator Markdown of several lines (headings, sections), as written.
    pub fn md(mut self, text: &'static str) -> Self {
        self.start_paragraph();
        self.lines.extend(text.lines().map(str::to_string));
        self
    }

    fn start_paragraph(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
    }

    /// The doc as `#[doc = " line"]` attributes, one per line.
    pub fn tokens(&self) -> TokenStream {
        let lines = self
            .lines
            .iter()
            .map(|l| format!(" {l}").trim_end().to_string());
        quote! { #( #[doc = #lines] )* }
    }
}

/// Doc attributes for spec prose alone; nothing for `None` or blank text.
pub fn doc(text: Option<&str>) -> TokenStream {
    Doc::new().prose(text).tokens()
}

/// Doc attributes for one generator paragraph.
pub fn para(parts: &[Part]) -> TokenStream {
    Doc::new().para(parts).tokens()
}

fn inline(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Md(text) => out.push_str(text),
            Part::Code(value) => out.push_str(&code(value)),
            Part::Ident(name) if is_identifier_path(name) => out.push_str(name),
            Part::Ident(name) => out.push_str(&code(name)),
        }
    }
    out
}

fn is_identifier_path(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '#'))
}

/// `value` as one inline code span on one line: line breaks and tabs become spaces,
/// hidden characters `U+XXXX`, and the span's backticks outnumber any run inside it.
/// A value that would need a run of three (which could open a fence at a line start) is
/// written as escaped text instead.
pub fn code(value: &str) -> String {
    let flat: String = visible(value)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    if flat.is_empty() {
        return "`\"\"`".to_string();
    }
    let longest = longest_run(&flat, '`');
    if longest >= 2 {
        return escape_all(&flat);
    }
    let ticks = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space between, which CommonMark
    // strips again; an all-space value is shown as written.
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{flat}{pad}{ticks}")
}

/// Text with every Markdown punctuation character escaped: shown exactly as written.
fn escape_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn longest_run(text: &str, ch: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for c in text.chars() {
        current = if c == ch { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Characters the compiler refuses in doc comments or that change how text reads
/// (controls other than tab and line feed, bidi overrides and isolates, line and
/// paragraph separators), written as `U+XXXX`; CR and CRLF become line feeds.
fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2028}' | '\u{2029}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        if hidden {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` for a line comment (the `@generated` header's spec path): hidden characters
/// and line breaks as `U+XXXX`, so a file name cannot end the comment and start code.
pub fn one_line(text: &str) -> String {
    visible(text).replace('\n', "U+000A")
}

/// An opening code fence: a run of three or more backticks or tildes at the start of the
/// (trimmed) line; a backtick fence's info string holds no backtick.
fn fence_open(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|c| *c == ch).count();
    let info = &t[len..];
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, len))
}

/// Whether `line` closes a fence opened with `len` times `ch`.
fn fence_closes(line: &str, ch: char, len: usize) -> bool {
    let t = line.trim();
    t.len() >= len && t.chars().all(|c| c == ch)
}

/// Spec prose into doc lines that rustdoc can only render as text (see the module docs).
fn sanitise(text: &str) -> Vec<String> {
    // Tabs as four spaces, as clippy's `tabs_in_doc_comments` asks (they mean nothing
    // else to Markdown here: text lines lose their indentation anyway).
    let text = visible(text).replace('\t', "    ");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    // A fence opened inside a list item is shown as text, and so is its closing line,
    // which would otherwise open a fence of its own.
    let mut escaped_fence: Option<(char, usize)> = None;
    // Inside a list item: lines that go on with it are indented to its content (as
    // clippy's `doc_lazy_continuation` asks), never further, so never code.
    let mut item_indent: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some((ch, len)) = escaped_fence {
            if fence_closes(line, ch, len) {
                escaped_fence = None;
                out.push(indented(
                    item_indent,
                    format!("\\{}", inline_text(line.trim())),
                ));
                continue;
            }
        } else if let Some((ch, len)) = fence_open(line) {
            item_indent = None;
            i = fenced_block(&lines, i, ch, len, &mut out);
            continue;
        } else {
            escaped_fence = item_fence(line);
        }
        let (text, markers) = text_line(line);
        if text.is_empty() {
            item_indent = None;
            out.push(text);
        } else if markers > 0 {
            item_indent = Some(markers);
            out.push(text);
        } else {
            out.push(indented(item_indent, text));
        }
    }
    out
}

fn indented(indent: Option<usize>, text: String) -> String {
    match indent {
        Some(n) => format!("{}{text}", " ".repeat(n)),
        None => text,
    }
}

/// Writes the fenced block whose content starts at line `start` (opened by `len` times
/// `ch`) as a `text` fence of our own, and returns the line after its end.
fn fenced_block(
    lines: &[&str],
    start: usize,
    ch: char,
    len: usize,
    out: &mut Vec<String>,
) -> usize {
    let mut end = start;
    while end < lines.len() && !fence_closes(lines[end], ch, len) {
        end += 1;
    }
    let body = &lines[start..end];
    // Our fence outnumbers any backtick run a line inside starts with.
    let inner = body
        .iter()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(inner.max(2) + 1);
    out.push(format!("{fence}text"));
    out.extend(body.iter().map(|l| l.to_string()));
    out.push(fence);
    end + 1
}

/// One line outside a fence: no indentation, list markers followed by one space, then the
/// content with block openers and link/HTML characters escaped. Also returns the width of
/// the markers (0 when the line is no list item).
fn text_line(line: &str) -> (String, usize) {
    let mut rest = line.trim_start();
    let mut out = String::with_capacity(line.len() + 8);
    // Nested markers (`- 1. x`) are kept, each followed by one space, so no list item
    // starts with an indented code block.
    while let Some(marker_len) = list_marker(rest) {
        out.push_str(&rest[..marker_len]);
        out.push(' ');
        rest = rest[marker_len..].trim_start();
    }
    let markers = out.len();
    if let Some(('~', _)) = fence_open(rest) {
        // A tilde fence inside a list item: shown as written, not opened. (A backtick
        // fence has no matching run on its line, so `inline_text` escapes it.)
        out.push('\\');
    }
    out.push_str(&inline_text(rest));
    let text = out.trim_end().to_string();
    // A line of markers alone is no item to continue.
    let markers = if text.len() > markers { markers } else { 0 };
    (text, markers)
}

/// The fence a list item's content opens (`1. ~~~`), if any.
fn item_fence(line: &str) -> Option<(char, usize)> {
    let mut rest = line.trim_start();
    let mut marked = false;
    while let Some(len) = list_marker(rest) {
        rest = rest[len..].trim_start();
        marked = true;
    }
    fence_open(rest).filter(|_| marked)
}

/// Length of a list marker at the start of `s` (`-`, `+`, `*`, `1.`, `1)`) when it is
/// followed by whitespace or ends the line.
fn list_marker(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let len = match bytes.first()? {
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') if digits <= 9 => digits + 1,
                _ => return None,
            }
        }
        _ => return None,
    };
    match bytes.get(len) {
        None | Some(b' ' | b'\t') => Some(len),
        _ => None,
    }
}

/// Inline text: code spans kept (a backtick run with its matching run on the line),
/// Markdown links to http(s) kept, bare URLs made autolinks, and `[`, `]`, `<`, `>` and
/// unmatched backticks escaped.
fn inline_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let run = rest.chars().take_while(|c| *c == '`').count();
            match code_span_len(rest, run) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str(&"\\`".repeat(run));
                    rest = &rest[run..];
                }
            }
            continue;
        }
        if let Some(len) = markdown_link_len(rest) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if let Some(len) = bare_url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a code span opened by the `run` backticks at the start of `s`: up to and
/// including the next run of exactly `run` backticks.
fn code_span_len(s: &str, run: usize) -> Option<usize> {
    let body = &s[run..];
    let mut offset = 0;
    while let Some(start) = body[offset..].find('`') {
        let at = offset + start;
        let len = body[at..].chars().take_while(|c| *c == '`').count();
        if len == run {
            return Some(run + at + len);
        }
        offset = at + len;
    }
    None
}

/// Length of a Markdown link `[text](http…)` at the start of `s`, kept as written when
/// neither its text nor its target holds anything rustdoc could read as markup.
fn markdown_link_len(s: &str) -> Option<usize> {
    let text_end = s.strip_prefix('[')?.find(']')? + 1;
    let text = &s[1..text_end];
    let target = s[text_end + 1..].strip_prefix('(')?;
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let close = target.find(')')?;
    let url = &target[..close];
    let plain_text = !text.contains(['[', '<', '>', '`', '\\']);
    let plain_url = !url.contains(|c: char| c.is_whitespace() || "<>()`\\".contains(c));
    (plain_text && plain_url).then_some(text_end + 2 + close + 1)
}

/// Length of a bare http(s) URL at the start of `s`, without trailing punctuation. It
/// ends where an autolink cannot go on: whitespace, `<`, `>`, and also `)`, `"`, `` ` ``.
fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let len = s
        .find(|c: char| c.is_whitespace() || "<>)\"`\\".contains(c))
        .unwrap_or(s.len());
    let url = s[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    (url.len() > "https://".len()).then_some(url.len())
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
        assert_eq!(sanitise("open `code"), vec!["open \\`code"]);
        assert_eq!(
            sanitise("https://a.example/<id> and See https://example.com/a<b>c"),
            vec!["<https://a.example/>\\<id\\> and See <https://example.com/a>\\<b\\>c"]
        );
    }

    #[test]
    fn fences_become_text_fences_that_cannot_be_closed_early() {
        assert_eq!(
            sanitise("```json\n  {}\n```"),
            vec!["```text", "  {}", "```"]
        );
        assert_eq!(
            sanitise("~~~\nfn main() {}\n~~~\nafter"),
            vec!["```text", "fn main() {}", "```", "after"]
        );
        assert_eq!(
            sanitise("````\n```\nstill inside\n````"),
            vec!["````text", "```", "still inside", "````"]
        );
        // Unclosed: closed at the end of the text.
        assert_eq!(sanitise("```rust\nx"), vec!["```text", "x", "```"]);
    }

    #[test]
    fn no_indented_code_in_text_or_list_items() {
        assert_eq!(sanitise("a\n\n    code"), vec!["a", "", "code"]);
        assert_eq!(sanitise("\tcode"), vec!["code"]);
        assert_eq!(sanitise(" \tcode"), vec!["code"]);
        assert_eq!(sanitise("-     code"), vec!["- code"]);
        assert_eq!(sanitise("1.\t\tcode"), vec!["1. code"]);
        assert_eq!(
            sanitise("```\n\tx\ty\n```"),
            vec!["```text", "    x    y", "```"]
        );
        assert_eq!(sanitise("1. ~~~"), vec!["1. \\~~~"]);
        assert_eq!(
            sanitise("1. ~~~\n   x\n   ~~~\nafter"),
            vec!["1. \\~~~", "   x", "   \\~~~", "   after"]
        );
        assert_eq!(
            sanitise("- a\n      more\n\nout"),
            vec!["- a", "  more", "", "out"]
        );
        assert_eq!(sanitise("- ```"), vec!["- \\`\\`\\`"]);
        assert_eq!(sanitise("> ```"), vec!["\\> \\`\\`\\`"]);
    }

    #[test]
    fn hidden_characters_are_shown() {
        assert_eq!(sanitise("a\rb"), vec!["a", "b"]);
        assert_eq!(sanitise("x\u{202E}y"), vec!["xU+202Ey"]);
        assert_eq!(code("a\nb\u{7}"), "`a bU+0007`");
    }

    #[test]
    fn code_spans_hold_any_value_on_one_line() {
        assert_eq!(code("application/json"), "`application/json`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a``b"), "a\\`\\`b");
        assert_eq!(
            code("/a\n    std::fs::write()"),
            "`/a     std::fs::write()`"
        );
        assert_eq!(code(""), "`\"\"`");
    }

    #[test]
    fn identifiers_are_checked() {
        assert_eq!(
            inline(&[Part::Md("[`"), Part::Ident("Client::get"), Part::Md("`]")]),
            "[`Client::get`]"
        );
        assert_eq!(inline(&[Part::Ident("a\nb")]), "`a b`");
    }
}

#[cfg(test)]
mod ownership {
    /// The rest of `emit` writes doc attributes only through this module: a `#[doc = #x]`
    /// there would let a computed string past the sanitiser.
    #[test]
    fn no_other_emit_module_writes_doc_attributes() {
        for (file, text) in [
            ("client.rs", include_str!("client.rs")),
            ("types.rs", include_str!("types.rs")),
            ("mod.rs", include_str!("mod.rs")),
        ] {
            assert!(
                !text.contains("doc = #"),
                "emit/{file} writes a doc attribute itself; use docs::Doc"
            );
        }
    }
}
