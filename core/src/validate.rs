//! Input checks done before anything is sent (Neon's own limits, see `neon-api.md`).

use crate::{Error, ErrorKind, Result};

/// Neon's `maxLength` for `key_name`.
pub(crate) const MAX_KEY_NAME_CHARS: usize = 64;
/// The longest org or project id Neon accepts.
const MAX_ID_CHARS: usize = 60;

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// A key name: 1 to 64 characters (not bytes), no control characters.
pub(crate) fn key_name(name: &str) -> Result<()> {
    let chars = name.chars().count();
    if chars == 0 || name.trim().is_empty() {
        return Err(invalid("key_name must not be empty".to_string()));
    }
    if chars > MAX_KEY_NAME_CHARS {
        return Err(invalid(format!(
            "key_name is {chars} characters long; Neon allows at most {MAX_KEY_NAME_CHARS}"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            "key_name must not contain control characters".to_string(),
        ));
    }
    Ok(())
}

fn slug(what: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID_CHARS
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} must match ^[a-z0-9-]{{1,60}}$ (lowercase letters, digits and '-'), got {} characters",
            value.chars().count()
        )))
    }
}

/// An organization id: `^[a-z0-9-]{1,60}$`.
pub(crate) fn org_id(value: &str) -> Result<()> {
    slug("org_id", value)
}

/// A project id: `^[a-z0-9-]{1,60}$`.
pub(crate) fn project_id(value: &str) -> Result<()> {
    slug("project_id", value)
}

/// A key id: a positive int64.
pub(crate) fn key_id(value: i64) -> Result<()> {
    if value > 0 {
        Ok(())
    } else {
        Err(invalid(format!("key_id must be positive, got {value}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_name_counts_chars_not_bytes() {
        assert!(key_name(&"é".repeat(64)).is_ok());
        assert!(key_name(&"é".repeat(65)).is_err());
        assert!(key_name(&"a".repeat(64)).is_ok());
        assert!(key_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn key_name_rejects_empty_blank_and_control() {
        for bad in ["", "   ", "a\nb", "tab\there", "nul\0"] {
            let err = key_name(bad).err();
            assert_eq!(
                err.map(|e| e.kind()),
                Some(ErrorKind::InvalidInput),
                "{bad:?}"
            );
        }
        assert!(key_name("ci deploy (prod) ✓").is_ok());
    }

    #[test]
    fn ids_follow_neon_pattern() {
        assert!(org_id("org-acme-1234").is_ok());
        assert!(project_id(&"a".repeat(60)).is_ok());
        for bad in ["", "Org", "a_b", "a/b", "../x", "a b", "ünï"] {
            assert!(org_id(bad).is_err(), "{bad:?}");
        }
        assert!(project_id(&"a".repeat(61)).is_err());
    }

    #[test]
    fn key_ids_must_be_positive() {
        assert!(key_id(1).is_ok());
        assert!(key_id(0).is_err());
        assert!(key_id(-5).is_err());
    }
}
