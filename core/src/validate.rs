//! Input checks done before anything is sent (Neon's own limits, see `neon-api.md`).

use crate::{Error, ErrorKind, Result};
use std::time::Duration;

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
    if let Some(c) = name.chars().find(|&c| is_invisible_formatting(c)) {
        return Err(invalid(format!(
            "key_name must not contain invisible or direction-changing characters (found U+{:04X}): they make \
             a name look like another in audit output",
            u32::from(c)
        )));
    }
    Ok(())
}

/// Bidirectional overrides, embeddings and isolates, and zero-width characters: they reorder or hide text, so
/// a name holding one can pass for another in a list or an audit log.
fn is_invisible_formatting(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'                 // Arabic letter mark
            | '\u{115F}' | '\u{1160}' // Hangul fillers
            | '\u{180E}'           // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
            | '\u{3164}'           // Hangul filler
            | '\u{FEFF}'           // zero-width no-break space (BOM)
            | '\u{FFA0}'           // halfwidth Hangul filler
    )
}

/// Seconds given by a binding (a float in Python, Swift and Node) as a [`Duration`]: finite and not negative,
/// else [`ErrorKind::InvalidInput`] naming `what`. Values past about 31,700 years are clamped.
pub fn duration_from_secs(what: &str, seconds: f64) -> Result<Duration> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(invalid(format!(
            "{what} must be a finite number of seconds, zero or more; got {seconds}"
        )));
    }
    Ok(Duration::try_from_secs_f64(seconds).unwrap_or(MAX_DURATION))
}

/// [`duration_from_secs`] for milliseconds.
pub fn duration_from_millis(what: &str, millis: f64) -> Result<Duration> {
    if !millis.is_finite() || millis < 0.0 {
        return Err(invalid(format!(
            "{what} must be a finite number of milliseconds, zero or more; got {millis}"
        )));
    }
    duration_from_secs(what, millis / 1000.0)
}

/// The longest duration a binding can ask for (1e12 seconds); longer values are clamped to it.
const MAX_DURATION: Duration = Duration::from_secs(1_000_000_000_000);

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
    fn key_name_rejects_bidi_overrides_and_zero_width_characters() {
        for bad in [
            "deploy\u{202E}gnp.exe",
            "ci\u{200B}deploy",
            "ci\u{2066}x\u{2069}",
            "\u{FEFF}ci",
            "a\u{200D}b",
            "rlm\u{200F}",
        ] {
            let err = key_name(bad).err().map(|e| e.message().to_string());
            assert!(
                err.as_deref().is_some_and(|m| m.contains("invisible")),
                "{bad:?}: {err:?}"
            );
        }
        assert!(key_name("名前-ключ-اسم").is_ok());
    }

    #[test]
    fn durations_from_bindings() {
        assert_eq!(
            duration_from_secs("timeout", 1.5).ok(),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            duration_from_secs("timeout", 0.0).ok(),
            Some(Duration::ZERO)
        );
        for bad in [-0.001, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = duration_from_secs("timeout", bad).err();
            assert_eq!(
                err.map(|e| e.kind()),
                Some(ErrorKind::InvalidInput),
                "{bad}"
            );
        }
        assert_eq!(
            duration_from_secs("timeout", 1e300).ok(),
            Some(MAX_DURATION)
        );
        assert_eq!(
            duration_from_millis("timeoutMs", 250.0).ok(),
            Some(Duration::from_millis(250))
        );
        assert!(duration_from_millis("timeoutMs", -1.0).is_err());
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
