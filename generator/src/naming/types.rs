//! Type names. Input: the lowered `TypeSpace` (each type's component key or name hints);
//! output: every type's module and name, settled per module.
//!
//! A component is named after its key and wins every collision. Any other type walks a
//! ladder of candidates, shortest first: its base word, then that word joined with its
//! parents' words one at a time (`Status`, `StoreStatus`, `ProjectStoreStatus`), each cut
//! to the last words that fit in 40 characters; then names that say what it is to its
//! owner (`RuleSuitesItem`), the words its branches share (`RulesetConditions` for
//! `RepositoryRulesetConditions | OrgRulesetConditions`) and its kind
//! (`…StatusEnum`); a number only after all of them. Types that want the same name step
//! up a rung together, unless the name is the whole of what one of them is called (its
//! base and every parent): that one keeps it.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::{modules, type_ident, unique, MAX_PREFERRED_LEN, TAKEN_TYPE_NAMES};
use crate::ir::*;

/// A name a type may take. `complete` when it uses every word the type's place gives (its
/// base and all its parents), so that it beats types for which it is a shortened name.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    name: String,
    complete: bool,
}

/// Names every type; returns, by the PascalCase of each dotted key, the word its type is
/// named by (`IoK8sApiCoreV1Pod` → `Pod`), for the names made from it elsewhere.
pub(super) fn name_types(space: &mut TypeSpace, flat: bool) -> BTreeMap<String, String> {
    let keys = space.types.iter().filter_map(|t| t.component.as_deref());
    let layout = modules::layout(keys, flat);
    // A dotted component's word, for the hints of the types written inside it.
    let short: BTreeMap<String, String> = layout
        .placed
        .iter()
        .map(|(key, (_, word))| (key.to_upper_camel_case(), word.clone()))
        .collect();
    for def in &mut space.types {
        def.module = module_of(def, &layout);
    }
    space.modules = layout.modules.clone();
    let candidates: Vec<Vec<Candidate>> = space
        .types
        .iter()
        .map(|def| candidates_of(def, &space.types, &layout, &short))
        .collect();
    settle(space, &candidates);
    short
}

/// Gives each type the first candidate no other type wants more: components first, then
/// rung by rung.
fn settle(space: &mut TypeSpace, candidates: &[Vec<Candidate>]) {
    let count = space.types.len();
    let mut level = vec![0usize; count];
    let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    let mut fixed = vec![false; count];
    for i in 0..count {
        if space.types[i].component.is_some() {
            let taken = taken_in(&mut taken, &space.types[i].module);
            space.types[i].name = unique_type(&candidates[i][0].name, taken);
            fixed[i] = true;
        }
    }
    loop {
        let mut wanted: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
        for i in (0..count).filter(|&i| !fixed[i]) {
            let key = (
                space.types[i].module.clone(),
                candidates[i][level[i]].name.clone(),
            );
            wanted.entry(key).or_default().push(i);
        }
        if wanted.is_empty() {
            break;
        }
        let whole = whole_names(space, candidates, &level, &fixed);
        for ((module, name), ids) in wanted {
            let taken = taken_in(&mut taken, &module);
            let owned = whole.contains(&(module.clone(), name.clone()));
            let winner = winner(&ids, &name, taken, owned, |i| &candidates[i][level[i]]);
            if let Some(w) = winner {
                space.types[w].name = fallback(&candidates[w][..level[w]], &name, taken);
                fixed[w] = true;
            }
            for i in ids.into_iter().filter(|&i| Some(i) != winner) {
                if level[i] + 1 < candidates[i].len() {
                    level[i] += 1;
                } else {
                    space.types[i].name = match fallback(&candidates[i][..level[i]], "", taken) {
                        free if !free.is_empty() => free,
                        _ => unique_type(&name, taken),
                    };
                    fixed[i] = true;
                }
            }
        }
    }
}

/// The names some type still unnamed may yet take as its whole name: no other type takes
/// one as a cut.
fn whole_names(
    space: &TypeSpace,
    candidates: &[Vec<Candidate>],
    level: &[usize],
    fixed: &[bool],
) -> BTreeSet<(Vec<String>, String)> {
    let mut whole = BTreeSet::new();
    for i in (0..candidates.len()).filter(|&i| !fixed[i]) {
        for c in candidates[i][level[i]..].iter().filter(|c| c.complete) {
            whole.insert((space.types[i].module.clone(), c.name.clone()));
        }
    }
    whole
}

/// Takes `name` unless it is longer than preferred (or empty: a number is next) and one
/// of the `earlier` candidates, given up when others wanted it too, is free now: the
/// nearest of those (`ConfigurationsFeaturesCustomerUpdate`, once its twin took
/// `ConfigurationFeaturesCustomerUpdate`, rather than the 61 characters of its whole name).
fn fallback(earlier: &[Candidate], name: &str, taken: &mut BTreeSet<String>) -> String {
    let short = !name.is_empty() && name.len() <= MAX_PREFERRED_LEN;
    let free = earlier.iter().rev().find(|c| !taken.contains(&c.name));
    let chosen = match free {
        Some(c) if !short => c.name.clone(),
        _ => name.to_string(),
    };
    if !chosen.is_empty() {
        taken.insert(chosen.clone());
    }
    chosen
}

/// Which of the types that want the free `name` takes it: the only one (unless it is a
/// cut of its name and `owned`, the whole name of another), or the only one whose whole
/// name it is. So `source.object` is `SourceObject`, though the objects of
/// `balance_transaction.source`, a `SourceObject` cut from `BalanceTransactionSourceObject`,
/// want it a rung earlier.
fn winner<'a>(
    ids: &[usize],
    name: &str,
    taken: &BTreeSet<String>,
    owned: bool,
    candidate: impl Fn(usize) -> &'a Candidate,
) -> Option<usize> {
    if taken.contains(name) {
        return None;
    }
    match ids {
        [only] if owned && !candidate(*only).complete => None,
        [only] => Some(*only),
        _ => {
            let mut complete = ids.iter().filter(|&&i| candidate(i).complete);
            match (complete.next(), complete.next()) {
                (Some(&one), None) => Some(one),
                _ => None,
            }
        }
    }
}

/// A word made from a dotted component's whole key (`IoK8sApiCoreV1PodList`) made from
/// its word instead (`PodList`).
pub(super) fn shortened(word: &str, short: &BTreeMap<String, String>) -> String {
    use std::ops::Bound;
    match short
        .range::<str, _>((Bound::Unbounded, Bound::Included(word)))
        .next_back()
    {
        Some((long, word_of)) if word.starts_with(long.as_str()) => {
            format!("{word_of}{}", &word[long.len()..])
        }
        _ => word.to_string(),
    }
}

/// The names taken in one module: at first, those the generated code uses itself.
fn taken_in<'a>(
    taken: &'a mut BTreeMap<Vec<String>, BTreeSet<String>>,
    module: &[String],
) -> &'a mut BTreeSet<String> {
    taken
        .entry(module.to_vec())
        .or_insert_with(|| TAKEN_TYPE_NAMES.iter().map(|s| s.to_string()).collect())
}

/// The module a type goes in: its key's, or, for a type written inside a component
/// schema, that component's; else `types` itself.
fn module_of(def: &TypeDef, layout: &modules::Layout) -> Vec<String> {
    let key = match &def.component {
        Some(key) => Some(key.clone()),
        None => def
            .origin
            .strip_prefix("/components/schemas/")
            .map(|rest| crate::pointer::unescape(rest.split('/').next().unwrap_or(rest))),
    };
    key.and_then(|k| layout.placed.get(&k))
        .map(|(path, _)| path.clone())
        .unwrap_or_default()
}

/// A component's own name: its key's word.
fn component_word(key: &str, layout: &modules::Layout) -> String {
    match layout.placed.get(key) {
        Some((_, word)) => word.clone(),
        None => key.to_upper_camel_case(),
    }
}

/// The names a type may take, in the order tried (see the module's doc). The base is the
/// hint its uses agree on: the common last words of all hints (`SupportedProtocol`,
/// `PrimaryProtocol` → `Protocol`), else the most frequent, then the shortest.
fn candidates_of(
    def: &TypeDef,
    types: &[TypeDef],
    layout: &modules::Layout,
    short: &BTreeMap<String, String>,
) -> Vec<Candidate> {
    if let Some(c) = &def.component {
        let name = type_ident(&component_word(c, layout));
        return vec![Candidate {
            name,
            complete: true,
        }];
    }
    let hint = preferred_hint(&def.hints);
    let parents: Vec<&str> = hint
        .parents
        .iter()
        .map(|p| short.get(p).unwrap_or(p).as_str())
        .collect();
    let alone = parents.is_empty();
    let distinct: BTreeSet<&str> = def.hints.iter().map(|h| h.base.as_str()).collect();
    let base = common_suffix(&distinct).unwrap_or_else(|| hint.base.clone());
    let mut names = vec![(base, alone), (hint.base.clone(), alone)];
    names.extend(chain(&hint.base, &parents, join_words));
    // Every word, repeated ones too: GitHub's `commit.commit.author` is a
    // `CommitCommitAuthor` when `CommitAuthor` is another's.
    names.extend(chain(&hint.base, &parents, |p, n| format!("{p}{n}")));
    let mut rungs = Vec::new();
    if let Some(role) = &hint.role {
        rungs.extend(
            chain(role, &parents, join_words)
                .pop()
                .map(|(n, _)| (n, true)),
        );
    }
    rungs.extend(branch_words(&def.kind, types, layout).map(|w| (w, true)));
    let kind = format!("{}{}", hint.base, kind_word(&def.kind));
    rungs.extend(
        chain(&kind, &parents, join_words)
            .pop()
            .map(|(n, _)| (n, true)),
    );
    let idents = |names: Vec<(String, bool)>| -> Vec<(String, bool)> {
        names
            .into_iter()
            .map(|(n, c)| (type_ident(&n), c))
            .collect()
    };
    let mut out = ladder_of(&idents(names));
    // Only cut: shortened further, these would say little (`AcceptanceObject`).
    for (name, complete) in idents(rungs) {
        let name = tail_within(&words(&name), MAX_PREFERRED_LEN).unwrap_or(name);
        if !out.iter().any(|o| o.name == name) {
            out.push(Candidate { name, complete });
        }
    }
    out
}

/// `name` joined with each parent in turn by `join`, nearest first. The last is complete
/// unless a join left a parent's word out (`Commit` in `Commit` stays `Commit`; the whole
/// of GitHub's `webhook-status.commit.commit` is `WebhookStatusCommitCommit`).
fn chain(name: &str, parents: &[&str], join: impl Fn(&str, &str) -> String) -> Vec<(String, bool)> {
    let mut name = name.to_string();
    let mut out = Vec::new();
    let mut every_word = true;
    for (i, parent) in parents.iter().enumerate() {
        let joined = join(parent, &name);
        every_word &= joined.len() == parent.len() + name.len();
        name = joined;
        out.push((name.clone(), every_word && i + 1 == parents.len()));
    }
    if parents.is_empty() {
        out.push((name, true));
    }
    out
}

/// The last words the components a union (or `anyOf`) chooses between share:
/// `RulesetConditions` for `RepositoryRulesetConditions | OrgRulesetConditions`.
fn branch_words(kind: &TypeKind, types: &[TypeDef], layout: &modules::Layout) -> Option<String> {
    if !matches!(kind, TypeKind::Union(_) | TypeKind::AnyOf(_)) {
        return None;
    }
    let mut words = BTreeSet::new();
    for ty in kind.uses() {
        let key = ty.named().and_then(|id| types[id.0].component.as_deref())?;
        words.insert(component_word(key, layout).to_upper_camel_case());
    }
    common_suffix(&words.iter().map(String::as_str).collect())
}

/// A word for what a type is, the last thing tried before a number.
fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "Object",
        TypeKind::Enum(_) => "Enum",
        TypeKind::Union(_) => "Union",
        TypeKind::AnyOf(_) => "AnyOf",
        TypeKind::Multipart(_) => "Form",
        TypeKind::Tuple(_) => "Tuple",
        TypeKind::Alias(_) | TypeKind::Newtype(_) => "Value",
    }
}

/// Candidates shortest first: each name within the preferred length (cut to its last
/// words when longer); then, for a long name, one earlier word of it before the last
/// words that fit (`PatchAutoscalingV2NamespacedHorizontalPodAutoscalerStatusBody` →
/// `V2HorizontalPodAutoscalerStatusBody`, told apart from its `V1` twin); then the long
/// names whole, the last resort before a number.
pub(super) fn ladder(names: &[String]) -> Vec<String> {
    let marked: Vec<(String, bool)> = names.iter().map(|n| (n.clone(), true)).collect();
    ladder_of(&marked).into_iter().map(|c| c.name).collect()
}

/// `ladder` over names marked complete or not; a complete name and its cut are complete
/// unless a name before it gave them first.
fn ladder_of(names: &[(String, bool)]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut offer = |name: String, complete: bool| {
        if !out.iter().any(|c| c.name == name) {
            out.push(Candidate { name, complete });
        }
    };
    for (name, complete) in names {
        let cut = tail_within(&words(name), MAX_PREFERRED_LEN).unwrap_or_else(|| name.clone());
        offer(cut, *complete);
    }
    let long = || names.iter().filter(|(n, _)| n.len() > MAX_PREFERRED_LEN);
    // Cut twice, these say less than the name: none is complete.
    for (name, _) in long() {
        let words = words(name);
        for (i, front) in words.iter().enumerate() {
            let rest = &words[i + 1..];
            if let Some(tail) = tail_within(rest, MAX_PREFERRED_LEN.saturating_sub(front.len())) {
                offer(format!("{front}{tail}"), false);
            }
        }
    }
    for (name, complete) in long() {
        offer(name.clone(), *complete);
    }
    out
}

/// The most of the last `words` that fit in `len` characters (all of them if they fit),
/// or `None` when not even the last does.
fn tail_within(words: &[String], len: usize) -> Option<String> {
    let mut tail = String::new();
    for word in words.iter().rev() {
        if tail.len() + word.len() > len {
            break;
        }
        tail.insert_str(0, word);
    }
    (!tail.is_empty()).then_some(tail)
}

/// The first of `candidates` not taken, else the last one numbered.
pub(super) fn first_free(candidates: &[String], taken: &mut BTreeSet<String>) -> String {
    match candidates.iter().find(|c| !taken.contains(*c)) {
        Some(free) => {
            taken.insert(free.clone());
            free.clone()
        }
        None => unique(candidates.last().cloned().unwrap_or_default(), taken),
    }
}

/// `Store` + `StoreCapabilities` stays `StoreCapabilities`: a word already there is not repeated.
fn join_words(parent: &str, name: &str) -> String {
    if name.starts_with(parent) {
        name.to_string()
    } else {
        format!("{parent}{name}")
    }
}

fn preferred_hint(hints: &[Hint]) -> &Hint {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for h in hints {
        *counts.entry(h.base.as_str()).or_default() += 1;
    }
    let best = counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then(b.0.len().cmp(&a.0.len()))
                .then(b.0.cmp(a.0))
        })
        .map(|(base, _)| *base)
        .unwrap_or_default();
    hints.iter().find(|h| h.base == best).unwrap_or(&hints[0])
}

/// The trailing words shared by all of `names`, when there are several and they share
/// some but not all.
fn common_suffix(names: &BTreeSet<&str>) -> Option<String> {
    if names.len() < 2 {
        return None;
    }
    let split: Vec<Vec<String>> = names.iter().map(|h| words(h)).collect();
    let mut common: Vec<String> = Vec::new();
    for i in 1.. {
        let word = split[0].len().checked_sub(i).map(|j| split[0][j].clone())?;
        if split.iter().all(|w| w.len() >= i && w[w.len() - i] == word) {
            common.insert(0, word);
        } else {
            break;
        }
    }
    (!common.is_empty()).then(|| common.concat())
}

/// Splits a PascalCase name into its words.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || out.is_empty() {
            out.push(c.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn unique_type(name: &str, taken: &mut BTreeSet<String>) -> String {
    let name = if TAKEN_TYPE_NAMES.contains(&name) {
        format!("{name}Type")
    } else {
        name.to_string()
    };
    unique(name, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_to_words_that_fit() {
        let long = "PatchAutoscalingV2NamespacedHorizontalPodAutoscalerStatusBody".to_string();
        let got = ladder(&["Status".into(), long.clone()]);
        assert_eq!(got[0], "Status");
        // The last words that fit, then an earlier word before them, then the whole.
        assert_eq!(got[1], "HorizontalPodAutoscalerStatusBody");
        assert_eq!(got[2], "PatchHorizontalPodAutoscalerStatusBody");
        assert!(got.contains(&"V2HorizontalPodAutoscalerStatusBody".to_string()));
        assert_eq!(got.last(), Some(&long));
        assert!(got[..got.len() - 1]
            .iter()
            .all(|n| n.len() <= MAX_PREFERRED_LEN));
        // Short names are left alone.
        assert_eq!(ladder(&["GetItemResponse".into()]), ["GetItemResponse"]);
    }

    #[test]
    fn common_suffix_of_names() {
        let of = |names: &[&'static str]| common_suffix(&names.iter().copied().collect());
        assert_eq!(
            of(&["SupportedProtocol", "PrimaryProtocol"]),
            Some("Protocol".into())
        );
        assert_eq!(of(&["Environment", "Target"]), None);
        assert_eq!(of(&["Store"]), None);
        assert_eq!(
            of(&["RepositoryRulesetConditions", "OrgRulesetConditions"]),
            Some("RulesetConditions".into())
        );
    }

    #[test]
    fn a_tie_goes_to_the_type_whose_whole_name_it_is() {
        let c = |complete| Candidate {
            name: "SourceObject".into(),
            complete,
        };
        let (whole, cut) = (c(true), c(false));
        let pick = |i: usize| if i == 0 { &whole } else { &cut };
        let free = BTreeSet::new();
        assert_eq!(winner(&[0, 1], "SourceObject", &free, true, pick), Some(0));
        assert_eq!(winner(&[1], "SourceObject", &free, false, pick), Some(1));
        // A cut does not take another type's whole name, even a rung before it.
        assert_eq!(winner(&[1], "SourceObject", &free, true, pick), None);
        let both = |_| &whole;
        assert_eq!(winner(&[0, 1], "SourceObject", &free, true, both), None);
        let taken: BTreeSet<String> = ["SourceObject".to_string()].into();
        assert_eq!(winner(&[0], "SourceObject", &taken, true, pick), None);
    }
}
