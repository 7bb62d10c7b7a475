//! Items: a token stream of Rust items (a module's body, one definition's code) cut
//! into its items without parsing. Input: tokens as `emit` writes them; output: one
//! token list per item. `format` prints the items apart; `emit` puts a `#[cfg]` on each.
//!
//! An item ends at a `;`, or at a `{…}` that the start of another item follows: an
//! attribute or a word other than `else`. Outside `const` and `static` initialisers
//! (which `emit` writes only inside `impl` blocks) nothing else follows a brace at item
//! level.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The items of `stream`, in order.
pub fn split(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut after_brace = false;
    for tree in stream {
        if after_brace && starts_item(&tree) {
            out.push(std::mem::take(&mut current));
        }
        let semicolon = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ';');
        after_brace = matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        current.push(tree);
        if semicolon {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn starts_item(tree: &TokenTree) -> bool {
    match tree {
        TokenTree::Punct(p) => p.as_char() == '#',
        TokenTree::Ident(i) => i != "else",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn texts(stream: TokenStream) -> Vec<String> {
        let items = split(stream).into_iter();
        items
            .map(|i| i.into_iter().collect::<TokenStream>().to_string())
            .collect()
    }

    #[test]
    fn each_item_is_cut_whole() {
        let stream = quote! {
            #[doc = "a"]
            #[derive(Debug)]
            pub struct A { x: u8 }
            impl A { fn f() {} }
            open_enum!(B, "b");
            my_macro! { x }
            pub struct C(pub u8);
            impl<T> From<T> for D where T: Into<u8> { fn from(t: T) -> Self { D(t.into()) } }
            pub type E = F;
        };
        let got = texts(stream);
        assert_eq!(got.len(), 7, "{got:#?}");
        assert!(got[0].starts_with("# [doc = \"a\"] # [derive (Debug)] pub struct A"));
        assert!(got[3].starts_with("my_macro !"));
        assert!(got[5].starts_with("impl < T >") && got[5].ends_with("}"));
    }
}
