//! The rustfmt cache: what `rustfmt` made of each piece of the output, kept in a folder
//! (a build script's `OUT_DIR`, or the CLI's `--format-cache`), so that regenerating after
//! a spec edit runs `rustfmt` only on the pieces that changed. Input: a piece's text and
//! a way to format it; output: the formatted text, from the folder when it holds it.
//!
//! An entry is found by a hash of the rustfmt version and the piece, and holds the piece
//! itself, compared in full before its formatted text is used: a hash that meets another
//! (by chance, or made so by a spec) costs a rustfmt run, never a wrong output. Entries
//! the last run did not use are removed, so the folder holds one output's pieces.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const SUFFIX: &str = ".rustfmt";

pub struct Cache {
    dir: PathBuf,
    /// `rustfmt --version`: another rustfmt may format differently.
    tool: String,
    used: Mutex<HashSet<String>>,
}

impl Cache {
    /// The cache in `dir` for the rustfmt `program`; `None` when the folder cannot be
    /// made or rustfmt does not run (then nothing is cached).
    pub fn open(dir: &Path, program: &std::ffi::OsStr) -> Option<Cache> {
        std::fs::create_dir_all(dir).ok()?;
        let out = std::process::Command::new(program)
            .arg("--version")
            .output()
            .ok()?;
        let tool = String::from_utf8(out.stdout)
            .ok()
            .filter(|_| out.status.success())?;
        Some(Cache {
            dir: dir.to_path_buf(),
            tool,
            used: Mutex::new(HashSet::new()),
        })
    }

    /// What `format` makes of `input`: from the folder, else `format`'s (then kept).
    pub fn formatted(
        &self,
        input: &str,
        format: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key = self.key(input);
        let path = self.dir.join(format!("{key}{SUFFIX}"));
        self.used.lock().ok()?.insert(key);
        if let Some(hit) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|e| entry_output(&e, input))
        {
            return Some(hit);
        }
        let output = format()?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let entry = format!("{}\n{input}{output}", input.len());
        if std::fs::write(&tmp, entry).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        Some(output)
    }

    /// Removes the entries this run did not use.
    pub fn prune(&self) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(key) = name.to_str().and_then(|n| n.strip_suffix(SUFFIX)) else {
                continue;
            };
            if !used.contains(key) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// 128 bits of hash over the tool and the input, as hex.
    fn key(&self, input: &str) -> String {
        let half = |salt: u64| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (salt, &self.tool, input).hash(&mut h);
            h.finish()
        };
        format!("{:016x}{:016x}", half(1), half(2))
    }
}

/// The formatted text of an entry, when it was made from exactly `input`.
fn entry_output<'e>(entry: &'e str, input: &str) -> Option<String> {
    let (len, rest) = entry.split_once('\n')?;
    let len: usize = len.parse().ok()?;
    let (stored, output): (&'e str, &'e str) = (rest.get(..len)?, rest.get(len..)?);
    (stored == input).then(|| output.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            tool: "rustfmt 1.0".into(),
            used: Mutex::new(HashSet::new()),
        }
    }

    #[test]
    fn a_piece_is_formatted_once_and_entries_left_unused_go() {
        let dir = std::env::temp_dir().join(format!("apigen-fmt-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let first = cache(&dir);
        assert_eq!(
            first.formatted("a", || Some("A".into())).as_deref(),
            Some("A")
        );
        assert_eq!(
            first.formatted("b", || Some("B".into())).as_deref(),
            Some("B")
        );
        first.prune();
        let second = cache(&dir);
        let ran = std::cell::Cell::new(false);
        let again = second.formatted("a", || {
            ran.set(true);
            Some("other".into())
        });
        assert_eq!((again.as_deref(), ran.get()), (Some("A"), false));
        second.prune();
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "b's entry is gone"
        );
        // An entry made from other text is not used, whatever its name.
        let entry = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::write(&entry, "1\nzWRONG").unwrap();
        let third = cache(&dir);
        assert_eq!(
            third.formatted("a", || Some("A".into())).as_deref(),
            Some("A")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
