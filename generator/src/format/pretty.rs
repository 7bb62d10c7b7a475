//! Layout on every core. Input: the file's tokens; output: the text `prettyplease` gives
//! the whole file, or `None` when the cut fails (the caller then prints it whole).
//!
//! Parsing the tokens with `syn` and printing them is most of the generator's time on a
//! large spec (Kubernetes: about 1 s to parse and 0.2 s to print, of 2.9 s). The tokens
//! are cut, without parsing, into runs of whole items; a module is opened and its items
//! cut in turn. Each run is printed on a worker thread inside empty modules as deep as
//! its real ones, so its indentation and line widths are the real ones, and the wrapper
//! lines are dropped. `prettyplease` lays out each item on its own, so the joined text
//! is the text of the whole; a unit test and byte comparisons on real specs check that.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// A run is closed once its text passes this many bytes.
const RUN_BYTES: usize = 128 * 1024;

/// Modules deeper than this are printed as one item (the cut is bounded whatever the
/// spec's dotted keys are).
const MAX_DEPTH: usize = 8;

/// The item a module's opening is printed with, to be cut away after.
const PLACEHOLDER: &str = "const _: () = ();";

/// A part of the file, in order.
enum Unit {
    /// Whole items inside modules `depth` deep.
    Items { depth: usize, text: String },
    /// A module's docs, attributes and opening line: the module, written with the
    /// placeholder as its one item.
    Open { depth: usize, text: String },
    /// A module's closing line.
    Close { depth: usize },
}

/// The whole file's `prettyplease` text, printed in parts on `workers` threads.
pub fn print(tokens: &TokenStream, workers: usize) -> Option<String> {
    let mut units = Vec::new();
    cut(tokens.clone(), 0, &mut units);
    if units.len() < 2 {
        return None;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::OnceLock<Option<String>>> =
        units.iter().map(|_| std::sync::OnceLock::new()).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, units.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(unit) = units.get(i) else { break };
                let _ = results[i].set(print_unit(unit));
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().flatten())
        .collect()
}

/// Cuts one module's items (the file's at depth 0) into units.
fn cut(stream: TokenStream, depth: usize, units: &mut Vec<Unit>) {
    let mut run = String::new();
    let flush = |run: &mut String, units: &mut Vec<Unit>| {
        if !run.is_empty() {
            let text = std::mem::take(run);
            units.push(Unit::Items { depth, text });
        }
    };
    for item in crate::items::split(stream) {
        if depth < MAX_DEPTH {
            if let Some((head, body)) = as_module(&item) {
                flush(&mut run, units);
                let text = format!("{head} {{ {PLACEHOLDER} }}");
                units.push(Unit::Open { depth, text });
                cut(body, depth + 1, units);
                units.push(Unit::Close { depth });
                continue;
            }
        }
        run.push_str(&item.into_iter().collect::<TokenStream>().to_string());
        run.push('\n');
        if run.len() >= RUN_BYTES {
            flush(&mut run, units);
        }
    }
    flush(&mut run, units);
}

/// A `mod name { … }` item (with outer attributes and visibility) that holds something:
/// the text before its braces, and what they hold.
fn as_module(item: &[TokenTree]) -> Option<(String, TokenStream)> {
    let (TokenTree::Group(body), head) = item.split_last()? else {
        return None;
    };
    let mut rest = head;
    // `#[…]` attributes.
    while let [TokenTree::Punct(p), TokenTree::Group(g), tail @ ..] = rest {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        rest = tail;
    }
    if let [TokenTree::Ident(i), tail @ ..] = rest {
        if i == "pub" {
            rest = match tail {
                [TokenTree::Group(g), tail @ ..] if g.delimiter() == Delimiter::Parenthesis => tail,
                _ => tail,
            };
        }
    }
    let module = matches!(rest, [TokenTree::Ident(m), TokenTree::Ident(_)] if m == "mod");
    // An empty module is printed on one line (`pub mod empty {}`): it stays an item.
    let filled = body.delimiter() == Delimiter::Brace && !body.stream().is_empty();
    (module && filled).then(|| {
        let head: TokenStream = head.iter().cloned().collect();
        (head.to_string(), body.stream())
    })
}

/// One unit's text as it stands in the whole file's.
fn print_unit(unit: &Unit) -> Option<String> {
    let (depth, text) = match unit {
        Unit::Close { depth } => return Some(format!("{}}}\n", "    ".repeat(*depth))),
        Unit::Items { depth, text } | Unit::Open { depth, text } => (*depth, text),
    };
    let wrapped = format!("{}{text}{}", "mod w { ".repeat(depth), " }".repeat(depth));
    let printed = prettyplease::unparse(&syn::parse_file(&wrapped).ok()?);
    let lines: Vec<&str> = printed.split_inclusive('\n').collect();
    let inner = lines.get(depth..lines.len().checked_sub(depth)?)?;
    let wrapper_ok = (0..depth).all(|d| {
        let indent = "    ".repeat(d);
        lines[d] == format!("{indent}mod w {{\n")
            && lines[lines.len() - 1 - d] == format!("{indent}}}\n")
    });
    if !wrapper_ok {
        return None;
    }
    match unit {
        Unit::Open { .. } => {
            // The opening is every line before the placeholder, which the closing line
            // follows and ends the text.
            let placeholder = format!("{}{PLACEHOLDER}\n", "    ".repeat(depth + 1));
            let at = inner.iter().position(|l| *l == placeholder)?;
            (at + 2 == inner.len()).then(|| inner[..at].concat())
        }
        _ => Some(inner.concat()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn sample() -> TokenStream {
        let items = (0..3000).map(|i| {
            let name = quote::format_ident!("Item{i}");
            quote! {
                #[doc = "An item."]
                #[derive(Debug, Clone)]
                pub struct #name { pub a: Option<Vec<String>>, pub b: i64 }
                impl #name { pub fn new(a: Option<Vec<String>>) -> Self { Self { a, b: 0 } } }
                static RULE: Rule = Rule { paging: Paging::Link, items: None };
                pub enum Choice { A(String), B { x: u8 } }
                apigen_runtime::open_enum!(#name, Unknown);
                const _: () = { let x = 1; };
            }
        });
        quote! {
            use std::fmt;
            #[doc = "The module."]
            pub mod types {
                use super::*;
                #(#items)*
                pub(crate) mod deeper {
                    pub mod deepest { pub struct Z; }
                    pub struct Y(pub u8);
                }
            }
            impl Client { pub fn f(&self) -> u8 { 1 } }
            pub mod empty {}
        }
    }

    #[test]
    fn printing_in_parts_equals_printing_whole() {
        let tokens = sample();
        let whole = prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap());
        for workers in [1, 2, 3] {
            assert_eq!(print(&tokens, workers).as_deref(), Some(whole.as_str()));
        }
    }

    #[test]
    fn items_end_at_semicolons_and_at_braces_an_item_follows() {
        let tokens = quote! {
            static A: R = R { x: 1 };
            impl A { fn f() {} }
            #[doc = "d"] struct B;
            const C: u8 = { 1 } + 1;
        };
        let texts: Vec<String> = crate::items::split(tokens)
            .into_iter()
            .map(|i| i.into_iter().collect::<TokenStream>().to_string())
            .collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
    }
}
