//! Pathological spec shapes, built at any size: the inputs that overflowed the stack or
//! took exponential time before. Used by the hostile-spec tests (at sizes that prove the
//! point) and by the benchmarks (at ×1, ×10, ×100, to show cost grows linearly).
//! Each returns JSON text; `n` is the size (hops, levels or components).

use std::fmt::Write;

/// One shape: its name and how to build it at size `n`.
pub struct Shape {
    pub name: &'static str,
    pub what: &'static str,
    pub build: fn(usize) -> String,
}

pub const SHAPES: &[Shape] = &[
    Shape {
        name: "ref-chain",
        what: "a `$ref` chain through n non-component pointers",
        build: ref_chain,
    },
    Shape {
        name: "nested-refs",
        what: "objects nested n deep through local `$ref`s",
        build: nested_refs,
    },
    Shape {
        name: "inline-dag",
        what: "local `$ref`s, two per level to the next, n levels",
        build: inline_dag,
    },
    Shape {
        name: "allof-chain",
        what: "an `allOf` chain of n components",
        build: all_of_chain,
    },
    Shape {
        name: "allof-dag",
        what: "`allOf` of the two components of the next level, n levels",
        build: all_of_dag,
    },
    Shape {
        name: "oneof-chain",
        what: "a `oneOf` over a chain of n components",
        build: one_of_chain,
    },
    Shape {
        name: "oneof-dag",
        what: "`oneOf` of the two components of the next level, n levels",
        build: one_of_dag,
    },
    Shape {
        name: "alias-chain",
        what: "n components, each a `$ref` to the next",
        build: alias_chain,
    },
    Shape {
        name: "ring",
        what: "n components in one cycle, each holding the next (Stripe's expandable fields)",
        build: ring,
    },
    Shape {
        name: "wide",
        what: "n components of 10 properties each, one operation using them all",
        build: wide,
    },
];

fn spec(components: &str, extra: &str) -> String {
    format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "shape", "version": "1"}}, "paths": {{"/x": {{"get": {{"operationId": "getX", "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Root"}}}}}}}}}}}}}}}}, "components": {{"schemas": {{{components}}}}}{extra}}}"##
    )
}

/// Joins `n` entries made by `entry`, comma-separated.
fn entries(n: usize, entry: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&entry(i));
    }
    out
}

pub fn ref_chain(n: usize) -> String {
    let hops = entries(n, |i| {
        format!(r##""d{i}": {{"$ref": "#/x-defs/d{}"}}"##, i + 1)
    });
    spec(
        r##""Root": {"type": "object", "properties": {"v": {"$ref": "#/x-defs/d0"}}}"##,
        &format!(r#", "x-defs": {{{hops}, "d{n}": {{"type": "string"}}}}"#),
    )
}

pub fn nested_refs(n: usize) -> String {
    let levels = entries(n, |i| {
        format!(
            r##""d{i}": {{"type": "object", "properties": {{"next": {{"$ref": "#/x-defs/d{}"}}}}}}"##,
            i + 1
        )
    });
    spec(
        r##""Root": {"$ref": "#/x-defs/d0"}"##,
        &format!(r#", "x-defs": {{{levels}, "d{n}": {{"type": "string"}}}}"#),
    )
}

pub fn inline_dag(n: usize) -> String {
    let levels = entries(n, |i| {
        format!(
            r##""d{i}": {{"type": "object", "properties": {{"a{i}": {{"$ref": "#/x-defs/d{j}"}}, "b{i}": {{"$ref": "#/x-defs/d{j}"}}}}}}"##,
            j = i + 1
        )
    });
    spec(
        r##""Root": {"$ref": "#/x-defs/d0"}"##,
        &format!(r#", "x-defs": {{{levels}, "d{n}": {{"type": "string"}}}}"#),
    )
}

pub fn all_of_chain(n: usize) -> String {
    let mut c = String::from(r##""Root": {"$ref": "#/components/schemas/C0"}"##);
    for i in 0..n {
        write!(
            c,
            r##", "C{i}": {{"allOf": [{{"$ref": "#/components/schemas/C{}"}}, {{"type": "object", "properties": {{"p{i}": {{"type": "string"}}}}}}]}}"##,
            i + 1
        )
        .unwrap();
    }
    write!(
        c,
        r#", "C{n}": {{"type": "object", "properties": {{"last": {{"type": "integer"}}}}}}"#
    )
    .unwrap();
    spec(&c, "")
}

pub fn all_of_dag(n: usize) -> String {
    let mut c = String::from(r##""Root": {"$ref": "#/components/schemas/A0"}"##);
    for i in 0..n {
        let j = i + 1;
        for side in ["A", "B"] {
            write!(
                c,
                r##", "{side}{i}": {{"allOf": [{{"$ref": "#/components/schemas/A{j}"}}, {{"$ref": "#/components/schemas/B{j}"}}, {{"type": "object", "properties": {{"{side}{i}": {{"type": "string"}}}}}}]}}"##
            )
            .unwrap();
        }
    }
    for side in ["A", "B"] {
        write!(c, r#", "{side}{n}": {{"type": "object", "properties": {{"{side}{n}": {{"type": "integer"}}}}}}"#).unwrap();
    }
    spec(&c, "")
}

pub fn one_of_chain(n: usize) -> String {
    let mut c = String::from(
        r##""Root": {"oneOf": [{"$ref": "#/components/schemas/C0"}, {"type": "boolean"}]}"##,
    );
    for i in 0..n {
        write!(
            c,
            r##", "C{i}": {{"type": "object", "required": ["next"], "properties": {{"next": {{"$ref": "#/components/schemas/C{}"}}}}}}"##,
            i + 1
        )
        .unwrap();
    }
    write!(c, r#", "C{n}": {{"type": "integer"}}"#).unwrap();
    spec(&c, "")
}

pub fn one_of_dag(n: usize) -> String {
    let mut c = String::from(r##""Root": {"$ref": "#/components/schemas/A0"}"##);
    for i in 0..n {
        let j = i + 1;
        for side in ["A", "B"] {
            write!(
                c,
                r##", "{side}{i}": {{"oneOf": [{{"$ref": "#/components/schemas/A{j}"}}, {{"$ref": "#/components/schemas/B{j}"}}]}}"##
            )
            .unwrap();
        }
    }
    write!(
        c,
        r#", "A{n}": {{"type": "object", "required": ["a"], "properties": {{"a": {{"type": "string"}}}}}}, "B{n}": {{"type": "object", "required": ["b"], "properties": {{"b": {{"type": "string"}}}}}}"#
    )
    .unwrap();
    spec(&c, "")
}

pub fn alias_chain(n: usize) -> String {
    let mut c = String::from(r##""Root": {"$ref": "#/components/schemas/C0"}"##);
    for i in 0..n {
        write!(
            c,
            r##", "C{i}": {{"$ref": "#/components/schemas/C{}"}}"##,
            i + 1
        )
        .unwrap();
    }
    write!(
        c,
        r#", "C{n}": {{"type": "object", "properties": {{"v": {{"type": "string"}}}}}}"#
    )
    .unwrap();
    spec(&c, "")
}

pub fn ring(n: usize) -> String {
    let mut c = String::from(r##""Root": {"$ref": "#/components/schemas/C0"}"##);
    for i in 0..n {
        write!(
            c,
            r##", "C{i}": {{"type": "object", "properties": {{"id": {{"type": "string"}}, "next": {{"$ref": "#/components/schemas/C{}"}}}}}}"##,
            (i + 1) % n
        )
        .unwrap();
    }
    spec(&c, "")
}

pub fn wide(n: usize) -> String {
    let mut c = String::from(r#""Root": {"type": "object", "properties": {"#);
    c.push_str(&entries(n, |i| {
        format!(r##""c{i}": {{"$ref": "#/components/schemas/C{i}"}}"##)
    }));
    c.push_str("}}");
    for i in 0..n {
        let props = entries(10, |k| format!(r#""p{k}": {{"type": "string"}}"#));
        write!(
            c,
            r#", "C{i}": {{"type": "object", "properties": {{{props}}}}}"#
        )
        .unwrap();
    }
    spec(&c, "")
}
