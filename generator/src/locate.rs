//! Locate: maps a JSON pointer to a 1-based line in the spec's text, best effort.
//!
//! serde_yaml keeps no positions for values, so this reads the text once more, by
//! indentation, which is exact for block-style YAML and good enough for pretty JSON.
//! When it cannot tell, it answers `None` and the message carries the pointer alone.

/// One line of the text: where its content starts and whether it opens a sequence item.
struct Line {
    /// Column of the first character of the content after any `- ` markers.
    indent: usize,
    /// Column of the leading `-` when the line opens a sequence item.
    dash: Option<usize>,
    content: String,
}

/// Line positions of a spec's text, for locating JSON pointers.
#[derive(Default)]
pub struct LineIndex {
    lines: Vec<Option<Line>>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .map(|raw| {
                let trimmed = raw.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    return None;
                }
                let mut indent = raw.len() - trimmed.len();
                let mut content = trimmed;
                let mut dash = None;
                while let Some(rest) = content
                    .strip_prefix("- ")
                    .or_else(|| (content == "-").then_some(""))
                {
                    dash.get_or_insert(indent);
                    let inner = rest.trim_start();
                    indent += content.len() - inner.len();
                    content = inner;
                }
                Some(Line {
                    indent,
                    dash,
                    content: content.to_string(),
                })
            })
            .collect();
        LineIndex { lines }
    }

    /// The 1-based line where the value at `pointer` is written, or where its deepest
    /// ancestor that can be found is; `None` when not even the first token is found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let mut at: Option<usize> = None; // line of the current node; None = document root
        let mut indent_of_node: Option<usize> = None;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            // Inside flow style (`{a: {b: 1}}`) lines run out: the deepest line found stands.
            let Some((next, next_indent)) = self.child(at, indent_of_node, &token) else {
                break;
            };
            at = Some(next);
            indent_of_node = Some(next_indent);
        }
        at.map(|l| l + 1)
    }

    /// Finds the line of `token` below the node at line `at` (written at `indent`).
    fn child(
        &self,
        at: Option<usize>,
        indent: Option<usize>,
        token: &str,
    ) -> Option<(usize, usize)> {
        let start = at.unwrap_or(0);
        // A node written on a `- key: value` line has its first key on that very line.
        let first_is_self =
            at.is_some_and(|l| self.lines[l].as_ref().is_some_and(|x| x.dash.is_some()));
        let within = |line: &Line| {
            indent.is_none_or(|i| line.indent > i || line.dash.is_some_and(|d| d > i))
        };
        let mut child_indent: Option<usize> = None;
        let mut index = 0usize;
        let wanted_index: Option<usize> = token.parse().ok();
        let begin = if at.is_none() || first_is_self {
            start
        } else {
            start + 1
        };
        for (n, line) in self.lines.iter().enumerate().skip(begin) {
            let Some(line) = line else { continue };
            let is_self = Some(n) == at;
            if !is_self && !within(line) {
                break;
            }
            if let (Some(wanted), Some(dash)) = (wanted_index, line.dash) {
                if !is_self {
                    let level = *child_indent.get_or_insert(dash);
                    if dash == level {
                        if index == wanted {
                            return Some((n, dash));
                        }
                        index += 1;
                    }
                    continue;
                }
            }
            let level = if is_self {
                line.indent
            } else {
                *child_indent.get_or_insert(line.indent)
            };
            if line.indent == level && key_matches(&line.content, token) {
                return Some((n, line.indent));
            }
        }
        None
    }
}

fn key_matches(content: &str, token: &str) -> bool {
    [
        format!("{token}:"),
        format!("\"{token}\":"),
        format!("'{token}':"),
        format!("\"{token}\" :"),
    ]
    .iter()
    .any(|k| content.starts_with(k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_sequence_items() {
        let text = "a:\n  b:\n    - x: 1\n      y: 2\n    - x: 3\n  c: 4\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of("/a"), Some(1));
        assert_eq!(idx.line_of("/a/b/0/x"), Some(3));
        assert_eq!(idx.line_of("/a/b/0/y"), Some(4));
        assert_eq!(idx.line_of("/a/b/1/x"), Some(5));
        assert_eq!(idx.line_of("/a/c"), Some(6));
        assert_eq!(idx.line_of("/a/d"), Some(1));
        assert_eq!(idx.line_of("/z"), None);
    }

    #[test]
    fn unescapes_tokens() {
        let idx = LineIndex::new("paths:\n  /v1/x:\n    post: {}\n");
        assert_eq!(idx.line_of("/paths/~1v1~1x/post"), Some(3));
    }
}
