//! Schema-driven properties of the generated types, for every spec in `specs/` and every
//! fixture (whatever is dropped there is tested the same way):
//!
//! 1. Round trip: documents generated from a schema (`apigen_check::docs`) that the
//!    independent judge (jsonschema) accepts decode into the generated type, and encode
//!    back to the same JSON (numbers by value; undeclared properties dropped where the
//!    types drop them); what the types write is judged valid too.
//! 2. Rejection: one-edit mutations that the judge rejects (wrong type, missing required
//!    property, value outside an enum, no matching union branch, wrong literal, fraction
//!    for an integer, extra key on a closed object) are rejected by the types, except the
//!    documented gaps listed in `KNOWN_GAPS`.
//!
//! Seeded (APIGEN_PROP_SEED) and sized (APIGEN_PROP_CASES, documents per schema for specs,
//! 5,200 by default so that the seed's two body schemas give over 10,000 documents;
//! fixtures get a twentieth) so that every run is reproducible; proptest shrinks a failure to a
//! minimal document.

use std::cell::RefCell;
use std::collections::BTreeMap;

use apigen_check::docs::{DocGen, MutationKind, Tape};
use apigen_check::SpecJudge;
use apigen_fixtures::{Suite, Typed, SUITES};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::Value;

/// Mutations the types accept on purpose, by the role of the schema. Each is in the README.
fn known_gap(role: &str, kind: MutationKind) -> bool {
    // Enums in responses are open: a value the spec does not list yet decodes into the
    // enum's catch-all variant instead of failing the whole response.
    // The same for a discriminator's tag: a response keeps the object as it came.
    role != "request body" && matches!(kind, MutationKind::OutOfEnum | MutationKind::UnknownTag)
}

/// Mutations tried per valid document.
const MUTATIONS_PER_DOC: usize = 12;

impl Tally {
    fn add(&mut self, other: Tally) {
        self.round_trips += other.round_trips;
        self.several_any_of += other.several_any_of;
        self.judged_invalid += other.judged_invalid;
        self.ambiguous += other.ambiguous;
        for (kind, (rejected, accepted)) in other.mutations {
            let entry = self.mutations.entry(kind).or_default();
            entry.0 += rejected;
            entry.1 += accepted;
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default, Debug)]
struct Tally {
    /// Documents the judge accepted and the round trip passed.
    round_trips: u64,
    /// Of them, documents made to match two `anyOf` branches at once.
    several_any_of: u64,
    /// Documents the generator made that the judge turned down (not used).
    judged_invalid: u64,
    /// Why the judge turned down the first of them.
    first_invalid: Option<String>,
    /// Documents valid but for matching several `oneOf` branches: decoded by the first
    /// branch that accepts them and round-tripped unchanged (the rule in the README).
    ambiguous: u64,
    /// Per mutation kind: (rejected by the types, accepted as a documented gap).
    mutations: BTreeMap<MutationKind, (u64, u64)>,
}

/// Runs both properties over one schema; returns the tally.
fn check_schema(
    suite: &Suite,
    spec: &Value,
    judge: &SpecJudge,
    typed: &Typed,
    cases: u32,
    seed: u64,
) -> Tally {
    let validator = judge
        .validator(typed.pointer)
        .unwrap_or_else(|e| panic!("{}: {e}", suite.name));
    // The same schema with every `oneOf` read as `anyOf`.
    let lenient = judge
        .any_of_validator(typed.pointer)
        .unwrap_or_else(|e| panic!("{}: {e}", suite.name));
    let generator = DocGen::new(spec, suite.keep_unknown);
    let tally = RefCell::new(Tally::default());
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let name_hash = typed
        .pointer
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    seed_bytes[8..16].copy_from_slice(&name_hash.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let result = runner.run(&proptest::collection::vec(any::<u8>(), 0..768), |bytes| {
        let doc = generator.generate(typed.pointer, &mut Tape::new(&bytes));
        let ambiguous = !validator.is_valid(&doc.value) && lenient.is_valid(&doc.value);
        if ambiguous {
            let encoded = (typed.re_encode)(&doc.value).map_err(|e| {
                TestCaseError::fail(format!(
                    "{} {}: a document matching several oneOf branches is refused: {e}\n{:#}",
                    suite.name, typed.pointer, doc.value
                ))
            })?;
            prop_assert!(
                apigen_runtime::same_json(&doc.expected, &encoded),
                "{} {}: an ambiguous document changed in the round trip\nsent: {:#}\ngot:  {:#}",
                suite.name,
                typed.pointer,
                doc.value,
                encoded
            );
            tally.borrow_mut().ambiguous += 1;
            return Ok(());
        }
        if !validator.is_valid(&doc.value) {
            let mut tally = tally.borrow_mut();
            tally.judged_invalid += 1;
            if tally.first_invalid.is_none() {
                // For looking into the generator's misses: APIGEN_PROP_DUMP=file.json.
                if let Ok(path) = std::env::var("APIGEN_PROP_DUMP") {
                    let _ = std::fs::write(path, doc.value.to_string());
                }
                tally.first_invalid = validator
                    .iter_errors(&doc.value)
                    .next()
                    .map(|e| format!("at {}: {e}", e.instance_path()));
            }
            return Ok(());
        }
        let encoded = (typed.re_encode)(&doc.value).map_err(|e| {
            TestCaseError::fail(format!(
                "{} {} ({}): a valid document is refused: {e}\n{:#}",
                suite.name, typed.pointer, typed.rust_type, doc.value
            ))
        })?;
        prop_assert!(
            apigen_runtime::same_json(&doc.expected, &encoded),
            "{} {} ({}): the round trip changed the document\nsent:     {:#}\nexpected: {:#}\ngot:      {:#}",
            suite.name,
            typed.pointer,
            typed.rust_type,
            doc.value,
            doc.expected,
            encoded
        );
        let complaints: Vec<String> = validator.iter_errors(&encoded).map(|e| format!("at {}: {e}", e.instance_path())).collect();
        prop_assert!(
            complaints.is_empty(),
            "{} {}: what the types write is invalid: {complaints:?}\n{encoded:#}",
            suite.name,
            typed.pointer
        );
        tally.borrow_mut().round_trips += 1;
        if doc.several_any_of {
            tally.borrow_mut().several_any_of += 1;
        }
        // A sample of the sites (a document can have hundreds), spread over the document.
        let stride = doc.sites.len().div_ceil(MUTATIONS_PER_DOC).max(1);
        let offset = bytes.first().map_or(0, |b| usize::from(*b) % stride);
        for site in doc.sites.iter().skip(offset).step_by(stride) {
            let Some(mutated) = site.apply(&doc.value) else {
                continue;
            };
            if validator.is_valid(&mutated) {
                continue; // not an invalid document after all (e.g. another branch takes it)
            }
            let accepted = (typed.re_encode)(&mutated).is_ok();
            let gap = known_gap(typed.role, site.kind);
            prop_assert!(
                !accepted || gap,
                "{} {} ({}): a {:?} mutation at {:?} is accepted, but the schema rejects it\n{:#}",
                suite.name,
                typed.pointer,
                typed.rust_type,
                site.kind,
                site.path,
                mutated
            );
            let mut tally = tally.borrow_mut();
            let entry = tally.mutations.entry(site.kind).or_default();
            if accepted {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    tally.into_inner()
}

#[test]
fn generated_documents_round_trip_and_mutations_are_rejected() {
    let per_schema = env_number("APIGEN_PROP_CASES", 5_200) as u32;
    let seed = env_number("APIGEN_PROP_SEED", 20261122);
    let mut total = Tally::default();
    let mut spec_round_trips = 0;
    for suite in SUITES {
        let is_spec = suite.from_specs;
        let cases = if is_spec {
            per_schema
        } else {
            (per_schema / 20).max(20)
        };
        let spec = apigen_check::load_spec(suite.spec);
        let judge = SpecJudge::new(&spec);
        for typed in suite.schemas {
            let t = check_schema(suite, &spec, &judge, typed, cases, seed);
            println!(
                "{:<32} {:<16} {:<70} {:>6} round trips, {:>4} ambiguous, {:>4} judged invalid",
                suite.name, typed.role, typed.pointer, t.round_trips, t.ambiguous, t.judged_invalid
            );
            if let Some(reason) = &t.first_invalid {
                // The end says which keyword failed; the start is the (long) document.
                let start = reason.char_indices().rev().nth(199).map_or(0, |(i, _)| i);
                println!("    e.g. …{}", &reason[start..]);
            }
            assert!(
                t.round_trips * 2 >= u64::from(cases),
                "{} {}: only {} of {cases} generated documents were valid; the generator misses this schema",
                suite.name,
                typed.pointer,
                t.round_trips
            );
            if is_spec {
                spec_round_trips += t.round_trips + t.ambiguous;
            }
            total.add(t);
        }
    }
    println!(
        "\n{} documents tried, all decoded and round-tripped (0 failed), {} of them from specs/; {} of them match several oneOf branches; {} generated documents the judge turned down",
        total.round_trips + total.ambiguous,
        spec_round_trips,
        total.ambiguous,
        total.judged_invalid
    );
    println!(
        "{} of the round trips are of documents made to match two anyOf branches at once",
        total.several_any_of
    );
    println!("mutations the judge rejects: rejected by the types / accepted (documented gap)");
    for kind in MutationKind::ALL {
        let (rejected, accepted) = total.mutations.get(&kind).copied().unwrap_or_default();
        println!("  {kind:?}: {rejected} / {accepted}");
    }
    if per_schema >= 5_200 {
        assert!(
            spec_round_trips >= 10_000,
            "only {spec_round_trips} documents from specs/"
        );
    }
}
