//! Pointer: JSON pointers (RFC 6901) and `$ref` fragments, read and written in one place.
//!
//! A `$ref` is a URI; its fragment is a JSON pointer whose characters may be
//! percent-encoded (`#/paths/~1keys~1%7Bid%7D`). RFC 6901 §6: the fragment is
//! percent-decoded first, then each token's `~1` and `~0` are read.

pub use crate::error::{escape_token as escape, join};

/// The JSON pointer a local `$ref` names (`#/components/schemas/A%20B` →
/// `/components/schemas/A B`), or `None` for a reference to another document.
pub fn of_reference(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// One reference token as the key it names: `~1` is `/`, then `~0` is `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The component a pointer names directly (`/components/schemas/A~1B` → `A/B`), if any.
pub fn component_name(pointer: &str) -> Option<String> {
    let token = pointer.strip_prefix("/components/schemas/")?;
    (!token.contains('/')).then(|| unescape(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_percent_decoded_before_tokens_are_read() {
        assert_eq!(
            of_reference("#/paths/~1v2~1keys~1%7Bkey_id%7D/get/parameters/0").as_deref(),
            Some("/paths/~1v2~1keys~1{key_id}/get/parameters/0")
        );
        assert_eq!(of_reference("#/a%25b%20c").as_deref(), Some("/a%b c"));
        assert_eq!(of_reference("other.yaml#/a"), None);
        assert_eq!(unescape("a~01~1b"), "a~1/b");
        assert_eq!(
            component_name("/components/schemas/A~1B").as_deref(),
            Some("A/B")
        );
        assert_eq!(component_name("/components/schemas/A/properties/b"), None);
    }
}
