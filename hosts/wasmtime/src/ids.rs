//! The names a control request may carry: tenant ids and component hashes.

/// A tenant id: 1 to 128 letters, digits, `.`, `_` or `-` (it becomes part of a URL path).
pub fn valid_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// A component's name: the sha256 of its component.wasm, 64 lowercase hex digits.
pub fn valid_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_url_safe_names() {
        assert!(valid_id("hello-c.t_0"));
        assert!(valid_id(&"a".repeat(128)));
        assert!(!valid_id(""));
        assert!(!valid_id(&"a".repeat(129)));
        for bad in ["a/b", "a b", "é", "a%2F", "..\u{0}"] {
            assert!(!valid_id(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn component_names_are_lowercase_sha256() {
        let good = "0123456789abcdef".repeat(4);
        assert!(valid_sha256(&good));
        assert!(!valid_sha256(&good.to_uppercase()));
        assert!(!valid_sha256(&good[1..]));
        assert!(!valid_sha256(&format!("{}g", &good[1..])));
        assert!(!valid_sha256("../../etc/passwd"));
    }
}
