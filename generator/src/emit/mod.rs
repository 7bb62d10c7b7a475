//! Emit: the named IR into Rust tokens. The only place that uses `quote!`.

mod client;
mod docs;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// The whole generated module: `types`, the `Client` and its request builders.
pub fn api(api: &Api) -> TokenStream {
    let types = types::all(&api.types);
    let client = client::client(api);
    quote! {
        #client
        #types
    }
}
