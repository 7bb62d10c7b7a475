//! Locate: maps JSON pointers to 1-based lines in the spec's text.
//!
//! Neither parser keeps positions for values, so this reads the text once more: YAML by
//! indentation (exact for block style; in flow style the deepest line found stands), JSON
//! by scanning its tokens (exact, however it is laid out), all pointers in one pass.
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
    /// The text itself when it is JSON, scanned on demand.
    json: Option<String>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        if text.trim_start().starts_with('{') {
            return LineIndex {
                lines: Vec::new(),
                json: Some(text.to_string()),
            };
        }
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
        LineIndex { lines, json: None }
    }

    /// Whether lines are best found for many pointers at once ([`LineIndex::lines_of`]).
    pub fn batched(&self) -> bool {
        self.json.is_some()
    }

    /// The line of each pointer, as [`LineIndex::line_of`] gives it, in one pass over JSON.
    pub fn lines_of(&self, pointers: &[&str]) -> Vec<Option<usize>> {
        match &self.json {
            Some(text) => json_lines(text, pointers),
            None => pointers.iter().map(|p| self.line_of(p)).collect(),
        }
    }

    /// The 1-based line where the value at `pointer` is written, or where its deepest
    /// ancestor that can be found is; `None` when not even the first token is found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        if let Some(text) = &self.json {
            return json_lines(text, &[pointer])[0];
        }
        if self.lines.is_empty() {
            return None;
        }
        let mut at: Option<usize> = None; // line of the current node; None = document root
        let mut indent_of_node: Option<usize> = None;
        for token in pointer.split('/').skip(1) {
            let token = crate::pointer::unescape(token);
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

/// For each pointer, the line of the value it names in JSON `text` (a member's line is
/// its key's), or of the deepest ancestor found. One pass; nesting is kept on a stack.
fn json_lines(text: &str, pointers: &[&str]) -> Vec<Option<usize>> {
    // Every prefix of a wanted pointer, with the pointers (and depth) it would locate.
    let mut wanted: std::collections::HashMap<&str, Vec<(usize, usize)>> = Default::default();
    for (i, p) in pointers.iter().enumerate() {
        let mut depth = 0;
        wanted.entry("").or_default().push((i, 0));
        for (at, _) in p.match_indices('/').skip(1) {
            depth += 1;
            wanted.entry(&p[..at]).or_default().push((i, depth));
        }
        if !p.is_empty() {
            wanted.entry(p).or_default().push((i, depth + 1));
        }
    }
    let mut best: Vec<Option<(usize, usize)>> = vec![None; pointers.len()];
    let mut found = |current: &str, line: usize| {
        for &(i, depth) in wanted.get(current).into_iter().flatten() {
            if best[i].is_none_or(|(d, _)| depth > d) {
                best[i] = Some((depth, line));
            }
        }
    };
    let bytes = text.as_bytes();
    let mut current = String::new();
    // Per open container: the length of `current` at its start, and for arrays the index.
    let mut frames: Vec<(usize, Option<usize>)> = Vec::new();
    let (mut line, mut i) = (1, 0);
    // After `[` or an array's `,`: the next value is an item, located where it starts.
    let mut item_pending = false;
    found("", 1);
    while i < bytes.len() {
        if item_pending && !bytes[i].is_ascii_whitespace() {
            item_pending = false;
            if bytes[i] != b']' {
                found(&current, line);
            }
        }
        match bytes[i] {
            b'\n' => line += 1,
            b'{' | b'[' => {
                let array = bytes[i] == b'[';
                frames.push((current.len(), array.then_some(0)));
                if array {
                    current.push_str("/0");
                    item_pending = true;
                }
            }
            b'}' | b']' => {
                if let Some((len, _)) = frames.pop() {
                    current.truncate(len);
                }
            }
            b',' => {
                if let Some((len, index)) = frames.last_mut() {
                    current.truncate(*len);
                    if let Some(index) = index {
                        *index += 1;
                        current.push_str(&format!("/{index}"));
                        item_pending = true;
                    }
                }
            }
            b'"' => {
                let end = string_end(bytes, i);
                let is_key = matches!(frames.last(), Some((len, None)) if current.len() == *len)
                    && bytes[end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
                if is_key {
                    let key: String = serde_json::from_str(&text[i..end]).unwrap_or_default();
                    current.push('/');
                    current.push_str(&crate::error::escape_token(&key));
                    found(&current, line);
                }
                line += text[i..end].matches('\n').count();
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    best.into_iter().map(|b| b.map(|(_, line)| line)).collect()
}

/// The index just past the JSON string that starts at `start` (its opening quote).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
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
    fn finds_json_members_and_items_however_laid_out() {
        let pretty = "{\n  \"a\": {\n    \"b/c\": [\n      1,\n      {\"x\": \"q\\\"\"}\n    ]\n  },\n  \"d\": 2\n}\n";
        let idx = LineIndex::new(pretty);
        assert_eq!(
            idx.lines_of(&["/a", "/a/b~1c/0", "/a/b~1c/1/x", "/d", "/a/missing", "/zz"]),
            vec![Some(2), Some(4), Some(5), Some(8), Some(2), Some(1)]
        );
        let mini = LineIndex::new(r#"{"a":{"b":[1,2]},"c":{"d":"e"}}"#);
        assert_eq!(mini.line_of("/c/d"), Some(1));
    }

    #[test]
    fn unescapes_tokens() {
        let idx = LineIndex::new("paths:\n  /v1/x:\n    post: {}\n");
        assert_eq!(idx.line_of("/paths/~1v1~1x/post"), Some(3));
    }
}
