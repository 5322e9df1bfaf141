//! Lenient parsing of Neon's responses, and classification of its errors (by HTTP status).

use crate::models::{
    ApiKey, AuthDetails, AuthMethod, CreatedApiKey, Creator, Project, RevokedApiKey,
};
use crate::secret::ApiKeySecret;
use crate::{Error, ErrorKind};
use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// Longest error message kept from a response (characters).
const MAX_MESSAGE_CHARS: usize = 2000;
/// Longest error code or request id kept (characters).
const MAX_FIELD_CHARS: usize = 200;
/// Longest body excerpt quoted in a decode error of a non-create response (characters).
const MAX_EXCERPT_CHARS: usize = 120;

/// The visits of a lenient value that reads only strings (and arrays, visited apart): any other JSON value (null,
/// a bool, a number, an object, read in full) gives `$none`.
macro_rules! other_values_are {
    ($value:ty, $none:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$value, A::Error> {
            while map.next_entry::<Skipped, Skipped>()?.is_some() {}
            Ok($none)
        }
    };
}

/// A value nobody uses, read in full all the same (every string and number parsed, as `serde_json::Value` reads
/// them), so that an invalid value anywhere in the body is refused (`IgnoredAny` would skip it
/// unchecked).
struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skipped;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Skipped, E> {
                Ok(Skipped)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skipped, A::Error> {
                while seq.next_element::<Skipped>()?.is_some() {}
                Ok(Skipped)
            }
            other_values_are!(Skipped, Skipped);
        }
        deserializer.deserialize_any(V)
    }
}

/// An int64 id, as a number or a numeric string. `None` is a string that is not an int64, reported once the
/// whole body has parsed (as `the … response has an `id` that is not an int64`); a number past int64 fails the
/// parse itself.
struct WireId(Option<i64>);

impl<'de> Deserialize<'de> for WireId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an int64 id, as a number or a numeric string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireId, E> {
                Ok(WireId(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireId, E> {
                match i64::try_from(v) {
                    Ok(v) => Ok(WireId(Some(v))),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireId, E> {
                Ok(WireId(v.trim().parse().ok()))
            }
            // An array or an object is read to its end before it is refused, so that a syntax error inside it
            // is the one reported.
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireId, A::Error> {
                while seq.next_element::<Skipped>()?.is_some() {}
                Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireId, A::Error> {
                while map.next_entry::<Skipped, Skipped>()?.is_some() {}
                Err(de::Error::invalid_type(de::Unexpected::Map, &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `created_by`: an object on lists, a uuid string on create/revoke. An object's `id`, `name` and `image` are
/// optional strings (null is none; a field given twice is an error); anything else is an error.
struct WireCreator(Creator);

impl<'de> Deserialize<'de> for WireCreator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Field {
            Id,
            Name,
            Image,
            #[serde(other)]
            Other,
        }
        fn once<'de, A: MapAccess<'de>>(
            slot: &mut Option<Option<String>>,
            name: &'static str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            if slot.is_some() {
                return Err(de::Error::duplicate_field(name));
            }
            *slot = Some(map.next_value()?);
            Ok(())
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireCreator;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a creator object or uuid string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireCreator, E> {
                Ok(WireCreator(Creator {
                    id: Some(v.to_string()),
                    name: None,
                    image: None,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireCreator, A::Error> {
                let (mut id, mut name, mut image) = (None, None, None);
                while let Some(field) = map.next_key()? {
                    match field {
                        Field::Id => once(&mut id, "id", &mut map)?,
                        Field::Name => once(&mut name, "name", &mut map)?,
                        Field::Image => once(&mut image, "image", &mut map)?,
                        Field::Other => {
                            map.next_value::<Skipped>()?;
                        }
                    }
                }
                Ok(WireCreator(Creator {
                    id: id.flatten(),
                    name: name.flatten(),
                    image: image.flatten(),
                }))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A date-time: an RFC 3339 string; anything else (null, a number, garbage, an object) is `None`.
#[derive(Default)]
struct WireDate(Option<DateTime<Utc>>);

impl<'de> Deserialize<'de> for WireDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date-time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireDate, E> {
                Ok(WireDate(date_time(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireDate, A::Error> {
                while seq.next_element::<Skipped>()?.is_some() {}
                Ok(WireDate(None))
            }
            other_values_are!(WireDate, WireDate(None));
        }
        deserializer.deserialize_any(V)
    }
}

/// `last_used_from_addr`: `""` → empty, `"a, b"` → `[a, b]`, an array → its non-empty strings (other items
/// skipped); anything else → empty.
#[derive(Default)]
struct WireAddresses(Vec<String>);

impl<'de> Deserialize<'de> for WireAddresses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// One array item: a trimmed non-empty string, or nothing.
        struct Item(Option<String>);
        impl<'de> Deserialize<'de> for Item {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Item;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an address")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
                        let v = v.trim();
                        Ok(Item((!v.is_empty()).then(|| v.to_string())))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                        while seq.next_element::<Skipped>()?.is_some() {}
                        Ok(Item(None))
                    }
                    other_values_are!(Item, Item(None));
                }
                deserializer.deserialize_any(V)
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireAddresses;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("addresses")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireAddresses, E> {
                Ok(WireAddresses(
                    v.split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                ))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireAddresses, A::Error> {
                let mut out = Vec::new();
                while let Some(Item(item)) = seq.next_element()? {
                    out.extend(item);
                }
                Ok(WireAddresses(out))
            }
            other_values_are!(WireAddresses, WireAddresses::default());
        }
        deserializer.deserialize_any(V)
    }
}

/// Every field a key object may carry; all optional but `id`. Read straight from the body: no field is
/// buffered (`#[serde(untagged)]` or `serde_json::Value` would copy it into an intermediate tree first).
#[derive(Deserialize)]
struct WireKey {
    id: WireId,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    created_at: WireDate,
    #[serde(default)]
    created_by: Option<WireCreator>,
    #[serde(default)]
    last_used_at: WireDate,
    #[serde(default)]
    last_used_from_addr: WireAddresses,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    revoked: Option<bool>,
}

/// Parses an RFC 3339 date-time (surrounding blanks allowed); anything else is `None`.
fn date_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn empty_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// Why a 2xx body could not be used. The message never contains a create's body.
#[derive(Debug)]
pub(crate) struct DecodeFailure(pub(crate) String);

impl DecodeFailure {
    pub(crate) fn into_error(self) -> Error {
        Error::new(ErrorKind::Decode, self.0)
    }
}

fn excerpt(body: &[u8]) -> String {
    crate::secret::scrub_and_cap(&String::from_utf8_lossy(body), MAX_EXCERPT_CHARS)
}

/// A decode error for a response that holds no secret: names the problem and quotes a short scrubbed excerpt.
fn failure(what: &str, body: &[u8], err: &serde_json::Error) -> DecodeFailure {
    DecodeFailure(format!(
        "could not parse the {what} response ({:?} error at line {} column {}); body starts with: {:?}",
        err.classify(),
        err.line(),
        err.column(),
        excerpt(body)
    ))
}

/// A decode error for a create: says where parsing failed, never what the body held.
fn create_failure(err: &serde_json::Error) -> DecodeFailure {
    DecodeFailure(format!(
        "could not parse the create response ({:?} error at line {} column {}); its body is not shown because it holds the secret",
        err.classify(),
        err.line(),
        err.column()
    ))
}

fn bad_id(what: &str) -> DecodeFailure {
    DecodeFailure(format!(
        "the {what} response has an `id` that is not an int64"
    ))
}

fn key_id(wire: &WireId, what: &str) -> Result<i64, DecodeFailure> {
    wire.0.ok_or_else(|| bad_id(what))
}

fn list_item(id: i64, wire: WireKey) -> ApiKey {
    ApiKey {
        id,
        name: wire.name.unwrap_or_default(),
        created_at: wire.created_at.0,
        created_by: wire.created_by.map(|c| c.0),
        last_used_at: wire.last_used_at.0,
        last_used_from_addr: wire.last_used_from_addr.0,
        project_id: empty_to_none(wire.project_id),
    }
}

/// The items of a list, each turned into an `ApiKey` as soon as it is parsed. `bad_id`: an item's id was a
/// string that is not an int64 (an error, reported only if the rest of the body parses).
struct ListItems {
    keys: Vec<ApiKey>,
    bad_id: bool,
}

impl<'de> Deserialize<'de> for ListItems {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ListItems;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of API keys")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ListItems, A::Error> {
                let mut items = ListItems {
                    keys: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024)),
                    bad_id: false,
                };
                while let Some(wire) = seq.next_element::<WireKey>()? {
                    match wire.id.0 {
                        Some(id) => items.keys.push(list_item(id, wire)),
                        None => items.bad_id = true,
                    }
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(V)
    }
}

/// The first syntax error of a body read as a whole (as `serde_json::Value` reads it: every string and number,
/// even those nobody uses), if it has one.
fn syntax_error(body: &[u8]) -> Option<serde_json::Error> {
    serde_json::Value::deserialize(&mut serde_json::Deserializer::from_slice(body)).err()
}

fn first_non_blank(body: &[u8]) -> Option<u8> {
    body.iter()
        .copied()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
}

fn list_items(body: &[u8]) -> serde_json::Result<ListItems> {
    #[derive(Deserialize)]
    struct Wrapped {
        api_keys: ListItems,
    }
    // Not UTF-8 is refused even where the bad bytes sit in a field nobody reads. Checked once for the whole
    // body, so that the parse need not check each string.
    let Ok(text) = std::str::from_utf8(body) else {
        if let Some(error) = syntax_error(body) {
            return Err(error);
        }
        // The bad bytes follow the value: the parse below refuses them as trailing characters.
        return match first_non_blank(body) {
            Some(b'{') => serde_json::from_slice::<Wrapped>(body).map(|w| w.api_keys),
            _ => serde_json::from_slice::<ListItems>(body),
        };
    };
    match first_non_blank(body) {
        Some(b'{') => serde_json::from_str::<Wrapped>(text).map(|w| w.api_keys),
        _ => serde_json::from_str::<ListItems>(text),
    }
}

/// `GET /api_keys` and `GET /organizations/{org_id}/api_keys`: a bare array (an object with `api_keys` is
/// accepted too, should Neon ever wrap it), read in one pass straight into `ApiKey`s. A body that fails reports
/// its first syntax error if it has one, else its first data error (a wrong type, a missing `id`).
pub(crate) fn key_list(body: &[u8]) -> Result<Vec<ApiKey>, DecodeFailure> {
    let items =
        list_items(body).map_err(|e| failure("list", body, &syntax_error(body).unwrap_or(e)))?;
    if items.bad_id {
        return Err(bad_id("list"));
    }
    Ok(items.keys)
}

/// `POST` create responses. Registers the secret for scrubbing as soon as it is parsed.
pub(crate) fn created_key(body: &[u8]) -> Result<CreatedApiKey, DecodeFailure> {
    let wire: WireKey = serde_json::from_slice(body).map_err(|e| create_failure(&e))?;
    let secret = wire.key.ok_or_else(|| {
        DecodeFailure("the create response has no `key` field (the secret)".to_string())
    })?;
    let key = ApiKeySecret::new(secret);
    Ok(CreatedApiKey {
        id: key_id(&wire.id, "create")?,
        key,
        name: wire.name.unwrap_or_default(),
        created_at: wire.created_at.0,
        created_by: wire.created_by.and_then(|c| c.0.id),
        project_id: empty_to_none(wire.project_id),
        org_id: None,
    })
}

/// `DELETE` revoke responses (older ones leave out most fields).
pub(crate) fn revoked_key(body: &[u8]) -> Result<RevokedApiKey, DecodeFailure> {
    let wire: WireKey = serde_json::from_slice(body).map_err(|e| failure("revoke", body, &e))?;
    Ok(RevokedApiKey {
        id: key_id(&wire.id, "revoke")?,
        name: wire.name.unwrap_or_default(),
        created_at: wire.created_at.0,
        created_by: wire.created_by.and_then(|c| c.0.id),
        last_used_at: wire.last_used_at.0,
        last_used_from_addr: wire.last_used_from_addr.0,
        revoked: wire.revoked.unwrap_or(true),
        project_id: empty_to_none(wire.project_id),
    })
}

/// `GET /auth`.
pub(crate) fn auth_details(body: &[u8]) -> Result<AuthDetails, DecodeFailure> {
    #[derive(Deserialize)]
    struct Wire {
        #[serde(default)]
        account_id: Option<String>,
        #[serde(default)]
        auth_method: Option<String>,
        #[serde(default)]
        auth_data: Option<String>,
    }
    let wire: Wire = serde_json::from_slice(body).map_err(|e| failure("auth", body, &e))?;
    Ok(AuthDetails {
        account_id: wire.account_id.unwrap_or_default(),
        auth_method: AuthMethod::from_wire(wire.auth_method.as_deref().unwrap_or("")),
        auth_data: wire.auth_data,
    })
}

/// `GET /projects/{id}`: `{"project": {...}}`.
pub(crate) fn project(body: &[u8]) -> Result<Project, DecodeFailure> {
    #[derive(Deserialize)]
    struct WireProject {
        id: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        org_id: Option<String>,
    }
    #[derive(Deserialize)]
    struct Wire {
        project: WireProject,
    }
    let wire: Wire = serde_json::from_slice(body).map_err(|e| failure("project", body, &e))?;
    Ok(Project {
        id: wire.project.id,
        name: wire.project.name,
        org_id: empty_to_none(wire.project.org_id),
    })
}

/// Neon's `GeneralError`.
#[derive(Deserialize)]
struct GeneralError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}

/// The error kind of a non-2xx status. `message` decides between NotFound and OutsideProjectScope.
pub(crate) fn kind_for_status(status: u16, message: &str) -> ErrorKind {
    match status {
        400 | 409 | 422 if is_name_conflict(message) => ErrorKind::Conflict,
        401 => ErrorKind::Auth,
        403 | 404 if message.contains("outside the project") => ErrorKind::OutsideProjectScope,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        408 => ErrorKind::Timeout,
        409 => ErrorKind::Conflict,
        423 => ErrorKind::Locked,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Api,
    }
}

/// Scrubs, then caps (see [`crate::secret::scrub_and_cap`]).
/// Neon's refusal of a key name that a live key of the account already holds. The status is not documented
/// (400, 409 and 422 are all possible), so the message decides.
pub(crate) const NAME_CONFLICT_MESSAGE: &str = "choose another unique name for api key";

/// Whether `message` is Neon's refusal of a duplicate key name.
pub(crate) fn is_name_conflict(message: &str) -> bool {
    message.to_ascii_lowercase().contains(NAME_CONFLICT_MESSAGE)
}

fn cap_chars(text: &str, max: usize) -> String {
    crate::secret::scrub_and_cap(text, max)
}

fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The request id of a response: the body's, else `x-neon-ret-request-id`, else `x-request-id`, else the sent one.
pub(crate) fn response_request_id(
    body_request_id: Option<&str>,
    headers: &http::HeaderMap,
    sent: &str,
) -> String {
    let id = body_request_id
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .or_else(|| header_str(headers, "x-neon-ret-request-id"))
        .or_else(|| header_str(headers, "x-request-id"))
        .unwrap_or(sent);
    cap_chars(id, MAX_FIELD_CHARS)
}

/// The error for a non-2xx response: kind by status, Neon's message verbatim (capped, scrubbed).
pub(crate) fn api_error(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    sent_request_id: &str,
) -> Error {
    let parsed: Option<GeneralError> = serde_json::from_slice(body).ok();
    let (code, message, body_request_id) = match parsed {
        Some(e) => (e.code, e.message, e.request_id),
        None => (None, None, None),
    };
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let message = match message.filter(|m| !m.trim().is_empty()) {
        Some(m) => cap_chars(&m, MAX_MESSAGE_CHARS),
        None if body.is_empty() => format!("HTTP {status} {reason} with an empty body"),
        None => format!("HTTP {status} {reason} (the response body was not a Neon error object)"),
    };
    let kind = kind_for_status(status, &message);
    let request_id = response_request_id(body_request_id.as_deref(), headers, sent_request_id);
    let mut error = Error::new(kind, message)
        .with_status(status)
        .with_request_id(request_id);
    if let Some(code) = code {
        error = error.with_code(cap_chars(&code, MAX_FIELD_CHARS));
    }
    if let Some(wait) = header_str(headers, "retry-after").and_then(crate::retry::parse_retry_after)
    {
        error = error.with_retry_after(wait);
    }
    error
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn list_parses_real_traffic_shapes() {
        let body = br#"[{"id":1954948,"name":"pytest-8050","created_at":"2025-01-16T21:01:58Z",
            "created_by":{"id":"92cdd2ee-a6d8-4647-868f-124531123b03","name":"David Gomes"},
            "last_used_at":null,"last_used_from_addr":"","extra":{"x":1}},
            {"id":"7","name":"b","created_by":"92cdd2ee","last_used_at":"2025-02-01T10:00:00.123+01:00",
            "last_used_from_addr":"113.203.180.132, 35.160.120.126","project_id":"proj-a"}]"#;
        let keys = key_list(body).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].id, 1954948);
        assert!(keys[0].last_used_at.is_none());
        assert!(keys[0].last_used_from_addr.is_empty());
        assert_eq!(
            keys[0].created_by.as_ref().unwrap().name.as_deref(),
            Some("David Gomes")
        );
        assert!(keys[0].created_by.as_ref().unwrap().image.is_none());
        assert_eq!(keys[1].id, 7);
        assert_eq!(
            keys[1].last_used_from_addr,
            vec!["113.203.180.132", "35.160.120.126"]
        );
        assert_eq!(
            keys[1].created_by.as_ref().unwrap().id.as_deref(),
            Some("92cdd2ee")
        );
        assert_eq!(keys[1].project_id.as_deref(), Some("proj-a"));
        assert!(keys[1].last_used_at.is_some());
    }

    fn list_error(body: &str) -> String {
        key_list(body.as_bytes()).unwrap_err().0
    }

    #[test]
    fn list_ids_numbers_or_numeric_strings_exact_to_int64() {
        let keys = key_list(
            br#"{"api_keys":[{"id":" 42 "},{"id":9007199254740993},{"id":-9223372036854775808},
            {"id":"9223372036854775807"}],"next":{"cursor":[1,"x"]}}"#,
        )
        .unwrap();
        let ids: Vec<i64> = keys.iter().map(|k| k.id).collect();
        assert_eq!(ids, [42, 9_007_199_254_740_993, i64::MIN, i64::MAX]);
        assert!(keys
            .iter()
            .all(|k| k.name.is_empty() && k.created_by.is_none()));
        // A string that is no int64 is named as such, once the body has parsed.
        assert_eq!(
            list_error(r#"[{"id":"12a"},{"id":1}]"#),
            "the list response has an `id` that is not an int64"
        );
        assert!(list_error(r#"[{"id":"12a"},{"id":1"#).contains("(Eof error"));
        for past_int64 in [
            "9223372036854775808",
            "18446744073709551615",
            "1e3",
            "1.0",
            "true",
            "null",
            "[1]",
        ] {
            let body = format!(r#"[{{"id":{past_int64}}}]"#);
            assert!(list_error(&body).contains("(Data error"), "{body}");
        }
        assert!(list_error(r#"[{"name":"no id"}]"#).contains("(Data error"));
        assert!(list_error(r#"[{"id":1,"id":2}]"#).contains("(Data error"));
    }

    #[test]
    fn list_lenient_fields() {
        let keys = key_list(
            br#"[{"id":1,"created_at":" 2025-01-16T23:01:58+02:00 ","last_used_at":"garbage",
            "last_used_from_addr":["a"," b ","",null,1,["c"],{"d":"e"}],"created_by":{"id":null,"x":[{}]}},
            {"id":2,"created_at":5,"last_used_at":{"a":[1]},"last_used_from_addr":" , x,,y ","project_id":""},
            {"id":3,"created_at":[],"last_used_at":true,"last_used_from_addr":{"a":"b"},"name":null}]"#,
        )
        .unwrap();
        assert_eq!(
            keys[0].created_at.unwrap().to_rfc3339(),
            "2025-01-16T21:01:58+00:00"
        );
        assert!(keys[0].last_used_at.is_none());
        assert_eq!(keys[0].last_used_from_addr, ["a", "b"]);
        assert_eq!(keys[0].created_by, Some(Creator::default()));
        assert!(keys[1].created_at.is_none() && keys[1].last_used_at.is_none());
        assert_eq!(keys[1].last_used_from_addr, ["x", "y"]);
        assert!(keys[1].project_id.is_none());
        assert!(keys[2].created_at.is_none() && keys[2].last_used_at.is_none());
        assert!(keys[2].last_used_from_addr.is_empty());
        assert_eq!(keys[2].name, "");
    }

    #[test]
    fn list_refusals_keep_their_kind() {
        for (body, kind) in [
            ("null", "Data"),
            ("{}", "Data"),
            (r#"{"message":"ok"}"#, "Data"),
            (r#"{"api_keys":null}"#, "Data"),
            ("[[]]", "Data"),
            (r#"[{"id":1,"created_by":5}]"#, "Data"),
            (r#"[{"id":1,"created_by":["u"]}]"#, "Data"),
            (r#"[{"id":1,"created_by":{"id":"a","id":"b"}}]"#, "Data"),
            (r#"[{"id":1,"created_by":{"name":1}}]"#, "Data"),
            (r#"[{"id":1,"name":5}]"#, "Data"),
            (r#"[{"id":1,"revoked":"yes"}]"#, "Data"),
            // A syntax error anywhere wins over a data error before it.
            (r#"[{"id":1,"name":5},{"#, "Eof"),
            (r#"[{"id":1,"name":5}] x"#, "Data"),
            (r#"[{"id":1}] x"#, "Syntax"),
            ("<html>", "Syntax"),
            ("", "Eof"),
            (r#"[{"id":1"#, "Eof"),
        ] {
            let message = list_error(body);
            assert!(
                message.contains(&format!("({kind} error")),
                "{body}: {message}"
            );
        }
        // Bytes that are not UTF-8, even in a field nobody reads or after the value.
        for body in [
            &b"[{\"id\":1,\"x\":\"\xff\"}]"[..],
            b"[{\"id\":1}]\xff",
            b"\xff",
        ] {
            let message = key_list(body).unwrap_err().0;
            assert!(message.contains("(Syntax error"), "{message}");
        }
    }

    #[test]
    fn create_without_created_by_and_secret_never_in_errors() {
        let body = br#"{"id":5,"key":"supersecretvalue0123456789","name":"n","created_at":"2025-01-16T21:01:58Z"}"#;
        let k = created_key(body).unwrap();
        assert_eq!(k.key.expose_secret(), "supersecretvalue0123456789");
        assert!(k.created_by.is_none());
        let broken = br#"{"id":"x","key":"anothersecretvalue987654321","name":5}"#;
        let err = created_key(broken).unwrap_err();
        assert!(!err.0.contains("anothersecretvalue987654321"), "{}", err.0);
        let truncated = br#"{"id":5,"key":"thirdsecretvalue1234567"#;
        let err = created_key(truncated).unwrap_err();
        assert!(!err.0.contains("thirdsecret"), "{}", err.0);
        assert!(created_key(br#"{"id":5,"name":"n"}"#).is_err());
        let k = created_key(
            br#"{"id":"6","key":"k","created_by":{"id":"u","name":"n"},"project_id":"p","x":[1]}"#,
        )
        .unwrap();
        assert_eq!(
            (k.id, k.created_by.as_deref(), k.project_id.as_deref()),
            (6, Some("u"), Some("p"))
        );
        let err = created_key(br#"{"id":"6x","key":"fourthsecretvalue12345"}"#).unwrap_err();
        assert_eq!(
            err.0,
            "the create response has an `id` that is not an int64"
        );
    }

    #[test]
    fn revoke_with_few_fields() {
        let r = revoked_key(
            br#"{"id":3,"name":"x","revoked":true,"last_used_at":null,"last_used_from_addr":""}"#,
        )
        .unwrap();
        assert_eq!(r.id, 3);
        assert!(r.revoked);
        assert!(r.created_at.is_none());
    }

    #[test]
    fn errors_classified_by_status() {
        let h = http::HeaderMap::new();
        let e = api_error(404, &h, br#"{"code":"","message":"not allowed to perform actions outside the project this key is scoped to; subject_project_id:\"p\""}"#, "sent");
        assert_eq!(e.kind(), ErrorKind::OutsideProjectScope);
        assert_eq!(e.request_id(), Some("sent"));
        assert_eq!(e.code(), None);
        let e = api_error(
            404,
            &h,
            br#"{"code":"NOT_FOUND","message":"no key","request_id":"rid"}"#,
            "sent",
        );
        assert_eq!(
            (e.kind(), e.code(), e.request_id()),
            (ErrorKind::NotFound, Some("NOT_FOUND"), Some("rid"))
        );
        assert_eq!(e.message(), "no key");
        for (status, kind) in [
            (401, ErrorKind::Auth),
            (403, ErrorKind::PermissionDenied),
            (408, ErrorKind::Timeout),
            (409, ErrorKind::Conflict),
            (423, ErrorKind::Locked),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
            (400, ErrorKind::Api),
            (418, ErrorKind::Api),
        ] {
            assert_eq!(
                api_error(status, &h, b"<html>oops</html>", "s").kind(),
                kind
            );
        }
        let e = api_error(502, &h, b"<html>bad gateway</html>", "s");
        assert!(e.message().contains("502"));
        assert!(!e.message().contains("html"));
    }

    #[test]
    fn error_request_id_from_headers_and_retry_after() {
        let mut h = http::HeaderMap::new();
        h.insert("x-request-id", http::HeaderValue::from_static("from-x"));
        assert_eq!(api_error(500, &h, b"", "s").request_id(), Some("from-x"));
        h.insert(
            "x-neon-ret-request-id",
            http::HeaderValue::from_static("from-neon"),
        );
        h.insert("retry-after", http::HeaderValue::from_static("3"));
        let e = api_error(429, &h, br#"{"message":"slow down"}"#, "s");
        assert_eq!(e.request_id(), Some("from-neon"));
        assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(3)));
    }

    #[test]
    fn error_message_is_capped_and_scrubbed() {
        let _secret = ApiKeySecret::new("leakedsecret-abcdef-123");
        let long = format!(
            r#"{{"message":"{} leakedsecret-abcdef-123"}}"#,
            "x".repeat(10)
        );
        let e = api_error(400, &http::HeaderMap::new(), long.as_bytes(), "s");
        assert!(!e.message().contains("leakedsecret"));
        let huge = format!(r#"{{"message":"{}"}}"#, "y".repeat(5000));
        let e = api_error(400, &http::HeaderMap::new(), huge.as_bytes(), "s");
        assert!(e.message().chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn a_secret_at_the_cut_of_a_long_message_is_not_shown_in_part() {
        let secret = ApiKeySecret::new("q".repeat(64));
        // The secret straddles the 2,000-character cut: 30 of its characters would be kept by a cut-first cap.
        let body = format!(
            r#"{{"message":"{}{} and more"}}"#,
            "z".repeat(MAX_MESSAGE_CHARS - 30),
            secret.expose_secret()
        );
        let e = api_error(400, &http::HeaderMap::new(), body.as_bytes(), "s");
        assert!(!e.message().contains("qqqq"), "{}", e.message());
        let e = list_failure_for_tests(format!("<html>{}</html>", secret.expose_secret()));
        assert!(!e.contains("qqqq"), "{e}");
    }

    fn list_failure_for_tests(body: String) -> String {
        match key_list(body.as_bytes()) {
            Err(failure) => failure.0,
            Ok(_) => String::new(),
        }
    }

    #[test]
    fn auth_and_project() {
        let a = auth_details(br#"{"account_id":"u1","auth_method":"api_key_org"}"#).unwrap();
        assert_eq!(a.auth_method, AuthMethod::ApiKeyOrg);
        let p =
            project(br#"{"project":{"id":"proj-a","name":"A","org_id":"org-1","x":2}}"#).unwrap();
        assert_eq!(p.org_id.as_deref(), Some("org-1"));
        let p = project(br#"{"project":{"id":"proj-solo"}}"#).unwrap();
        assert!(p.org_id.is_none());
    }
}
