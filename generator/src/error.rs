//! Diagnostics: every problem names the spec file and an RFC 6901 JSON pointer into it.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a spec, located by file, JSON pointer and (where known) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// RFC 6901 pointer, without the leading `#`; empty for the document root.
    pub pointer: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shown(&self.file.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, "#{}: {}", shown(&self.pointer), shown(&self.message))
    }
}

/// Text from the spec (a key in a pointer, a value in a message) as one line: control
/// characters written as escapes (`\n`), so a message cannot forge further lines.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Why a generation run failed. Nothing is written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", list(.0))]
    Spec(Vec<Diagnostic>),
    /// Problems with the inputs or outputs themselves (not their content): a folder that
    /// holds no spec, two specs that would be written to one file.
    #[error("{}", .0.join("\n"))]
    Inputs(Vec<String>),
    #[error("cannot start the generator's thread: {0}")]
    Thread(std::io::Error),
    #[error("internal error: the emitted code does not parse as Rust ({0}); please report this with the spec")]
    Emit(String),
}

fn list(diagnostics: &[Diagnostic]) -> String {
    let mut out = format!(
        "{} problem{} in the spec:",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    );
    for d in diagnostics {
        out.push_str("\n  error: ");
        out.push_str(&d.to_string());
    }
    out
}

/// Escapes one reference token for use in a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
