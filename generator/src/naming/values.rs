//! Variant names inside one enum or union. Input: each variant's wire value (a listed
//! string) or its hint word; output: one name per variant and the name of the catch-all.
//!
//! A value is first spelled by its words (`Etc/GMT-6` → `EtcGmt6`). Values whose words
//! meet step up together to a spelling that reads their signs (`EtcGmtMinus6` beside
//! `EtcGmtPlus6`, `ReactionsPlus1` beside `ReactionsMinus1`), then one that reads every
//! symbol (`a/b` → `ASlashB` beside `a.b` → `ADotB`, `text-input` → `TextDashInput`
//! beside `textInput`); a number only after that. The catch-all of
//! an open enum or a response union is `Unknown`, or `Other` when a listed value is
//! `unknown`, so no listed value carries a number for it.

use std::collections::{BTreeMap, BTreeSet};

use super::{type_ident, unique};
use crate::lower::value_word;

/// The catch-all's names, the first one free.
const CATCH_ALL: &[&str] = &["Unknown", "Other", "Unlisted"];

/// The names one variant may take, plainest first.
pub(super) struct Ladder {
    rungs: Vec<String>,
    /// A listed string's spellings: its second rung reads its signs.
    literal: bool,
}

impl Ladder {
    /// The spellings of a listed string, each a legal identifier. A rung may repeat the
    /// one below it: a value with no sign keeps its name while those beside it step up
    /// to theirs (`Etc/GMT0` stays `EtcGmt0` beside `EtcGmtPlus0`).
    pub(super) fn value(wire: &str) -> Ladder {
        let rungs = [wire.to_string(), signs(wire), symbols(wire)]
            .iter()
            .map(|spelled| type_ident(&value_word(spelled)))
            .collect();
        Ladder {
            rungs,
            literal: true,
        }
    }

    /// A data variant: its word, then the name of the type it holds, if it holds one.
    pub(super) fn data(word: String, holds: Option<&str>) -> Ladder {
        let mut rungs = vec![word];
        rungs.extend(holds.map(str::to_string));
        Ladder {
            rungs,
            literal: false,
        }
    }

    /// Whether its second rung reads a sign its first does not.
    fn signed(&self) -> bool {
        self.literal && self.rungs[1] != self.rungs[0]
    }
}

/// `+` and `-` read as words where they are a number's sign (before a digit).
fn signs(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        match c {
            '+' if before_digit => out.push_str(" plus "),
            '-' if before_digit => out.push_str(" minus "),
            _ => out.push(c),
        }
    }
    out
}

/// Every symbol read as a word; a hyphen inside a word is a dash (`text-input` →
/// `TextDashInput` beside `textInput`), elsewhere a minus.
fn symbols(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let inside = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        let word = match c {
            '-' if inside => Some("dash"),
            _ => symbol_word(c),
        };
        match word {
            Some(word) => {
                out.push(' ');
                out.push_str(word);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '*' => "any",
        '+' => "plus",
        '-' => "minus",
        '.' => "dot",
        '/' => "slash",
        '<' => "less",
        '>' => "greater",
        '=' => "equal",
        '!' => "not",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '~' => "tilde",
        '?' => "question",
        ':' => "colon",
        ',' => "comma",
        _ => return None,
    })
}

/// One name per ladder: every ladder starts on its first rung, and all ladders whose
/// names meet step up together while they can; what still meets is numbered, in order.
pub(super) fn settle(ladders: &[Ladder], taken: &mut BTreeSet<String>) -> Vec<String> {
    let mut level = vec![0usize; ladders.len()];
    let name = |level: &[usize], i: usize| ladders[i].rungs[level[i]].as_str();
    // Each round counts the names once, so an enum of n values takes a few passes of
    // n log n, whatever n is (a ladder has at most three rungs).
    let counts = |level: &[usize]| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for i in 0..ladders.len() {
            *counts.entry(name(level, i)).or_default() += 1;
        }
        counts
    };
    loop {
        let current = counts(&level);
        let mut moved = false;
        for i in 0..ladders.len() {
            if current[name(&level, i)] > 1 && level[i] + 1 < ladders[i].rungs.len() {
                level[i] += 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // Signs are read alike in one enum: once one value reads its sign, every value with a
    // sign does (`EtcGmtMinus13` beside `EtcGmtMinus12`, though only the latter met
    // `EtcGmtPlus12`), where that name is free.
    if (0..ladders.len()).any(|i| level[i] >= 1 && ladders[i].signed()) {
        let mut used: BTreeSet<String> = (0..ladders.len())
            .map(|i| name(&level, i).to_string())
            .collect();
        for i in 0..ladders.len() {
            if level[i] == 0 && ladders[i].signed() && used.insert(ladders[i].rungs[1].clone()) {
                level[i] = 1;
            }
        }
    }
    (0..ladders.len())
        .map(|i| unique(name(&level, i).to_string(), taken))
        .collect()
}

/// The catch-all's name once the listed values are named.
pub(super) fn catch_all(taken: &mut BTreeSet<String>) -> String {
    let free = CATCH_ALL.iter().find(|n| !taken.contains(**n));
    unique(free.unwrap_or(&CATCH_ALL[0]).to_string(), taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(wires: &[&str]) -> Vec<String> {
        let ladders: Vec<Ladder> = wires.iter().map(|w| Ladder::value(w)).collect();
        settle(&ladders, &mut BTreeSet::new())
    }

    #[test]
    fn signs_tell_values_apart() {
        assert_eq!(
            names(&[
                "Etc/GMT+6",
                "Etc/GMT-6",
                "GMT0",
                "GMT-0",
                "GMT+0",
                "Etc/GMT0"
            ]),
            [
                "EtcGmtPlus6",
                "EtcGmtMinus6",
                "Gmt0",
                "GmtMinus0",
                "GmtPlus0",
                "EtcGmt0"
            ]
        );
        assert_eq!(
            names(&["reactions", "reactions-+1", "reactions--1"]),
            ["Reactions", "ReactionsPlus1", "ReactionsMinus1"]
        );
        assert_eq!(
            names(&["GMT+1", "GMT-1", "GMT-13", "UTC"]),
            ["GmtPlus1", "GmtMinus1", "GmtMinus13", "Utc"]
        );
        assert_eq!(names(&["GMT-13", "v-1"]), ["Gmt13", "V1"]);
    }

    #[test]
    fn only_values_that_meet_step_up() {
        assert_eq!(
            names(&["a.b", "a/b", "item-1", "c"]),
            ["ADotB", "ASlashB", "Item1", "C"]
        );
        assert_eq!(names(&["a b", "a_b", "A-B"]), ["Ab", "Ab2", "ADashB"]);
        assert_eq!(names(&["-created", "created"]), ["MinusCreated", "Created"]);
    }

    #[test]
    fn a_large_enum_settles_in_a_few_passes() {
        // 100,000 values that all meet a twin: pairwise comparison would not finish here.
        let wires: Vec<String> = (0..50_000)
            .flat_map(|i| [format!("n-{i}"), format!("n+{i}")])
            .collect();
        let ladders: Vec<Ladder> = wires.iter().map(|w| Ladder::value(w)).collect();
        let names = settle(&ladders, &mut BTreeSet::new());
        assert_eq!(names[0], "NMinus0");
        assert_eq!(names[99_999], "NPlus49999");
    }

    #[test]
    fn data_variants_that_meet_take_their_types_names() {
        let ladders = [
            Ladder::data("Labels".into(), Some("SetLabelsRequestLabels")),
            Ladder::data("Labels".into(), Some("Labels")),
            Ladder::data("Text".into(), None),
            Ladder::value("labels"),
        ];
        assert_eq!(
            settle(&ladders, &mut BTreeSet::new()),
            ["SetLabelsRequestLabels", "Labels", "Text", "Labels2"]
        );
    }

    #[test]
    fn the_catch_all_steps_aside_for_a_listed_unknown() {
        let mut taken: BTreeSet<String> = names(&["unknown"]).into_iter().collect();
        assert_eq!(catch_all(&mut taken), "Other");
        let mut taken: BTreeSet<String> = names(&["known"]).into_iter().collect();
        assert_eq!(catch_all(&mut taken), "Unknown");
        let mut taken: BTreeSet<String> = names(&["unknown", "other", "unlisted"])
            .into_iter()
            .collect();
        assert_eq!(catch_all(&mut taken), "Unknown2");
    }
}
