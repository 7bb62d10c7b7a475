//! Test support shared by the hostile-spec and fuzz tests: an independent judge of the
//! doc comments in generated code.

pub mod shapes;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Every doc comment of `code` (runs of `///` or `//!` lines, one per item, as rustdoc
/// groups them), each read with the Markdown options rustdoc uses. Returns what rustdoc
/// would do with it that spec text must never cause: a code block other than a `text`
/// fence (rustdoc compiles those as doctests), or raw HTML.
pub fn doc_hazards(code: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if code.contains("#[doc") {
        problems.push("a doc attribute that is not a `///` comment".to_string());
    }
    for block in doc_blocks(code) {
        problems.extend(markdown_hazards(&block));
    }
    problems
}

/// The doc comments of `code`, one string per item, without the comment markers.
pub fn doc_blocks(code: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let t = line.trim_start();
        let text = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
        match text {
            // `////` is an ordinary comment, not a doc comment.
            Some(text) if !text.starts_with('/') => {
                let text = text.strip_prefix(' ').unwrap_or(text);
                let block = current.get_or_insert_with(String::new);
                block.push_str(text);
                block.push('\n');
            }
            _ => blocks.extend(current.take()),
        }
    }
    blocks.extend(current);
    blocks
}

/// What in one doc comment rustdoc would compile or read as HTML.
pub fn markdown_hazards(doc: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut problems = Vec::new();
    for event in Parser::new_ext(doc, options) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => {}
            Event::Start(Tag::CodeBlock(kind)) => {
                problems.push(format!("code block {kind:?} in doc:\n{doc}"))
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                problems.push(format!("HTML {html:?} in doc:\n{doc}"))
            }
            _ => {}
        }
    }
    problems
}
