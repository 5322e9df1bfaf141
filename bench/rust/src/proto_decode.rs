//! A prototype of a faster list decoder for the core (profiling evidence for the lead, not used by the SDK).
//!
//! It builds the same `neon_api_keys::ApiKey` values as `core/src/decode.rs` and is as lenient, but streams
//! straight from the bytes: no `#[serde(untagged)]` enums (serde buffers every untagged value, so the core's
//! untagged `Shape` copies the whole 10,000-key array into an intermediate tree before decoding it again), and no
//! `serde_json::Value` for dates and addresses (they are read as borrowed strings).

use chrono::{DateTime, Utc};
use neon_api_keys::{ApiKey, Creator};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Decodes `GET /api_keys`: a bare array, or an object with `api_keys`.
pub fn decode_list(body: &[u8]) -> Result<Vec<ApiKey>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wrapped {
        api_keys: Vec<Key>,
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let keys: Vec<Key> = if first == Some(&b'{') {
        serde_json::from_slice::<Wrapped>(body)?.api_keys
    } else {
        serde_json::from_slice(body)?
    };
    Ok(keys.into_iter().map(Key::into_api_key).collect())
}

#[derive(Deserialize)]
struct Key {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    created_at: Date,
    #[serde(default)]
    created_by: Option<Creator2>,
    #[serde(default)]
    last_used_at: Date,
    #[serde(default)]
    last_used_from_addr: Addrs,
    #[serde(default)]
    project_id: Option<String>,
}

impl Key {
    fn into_api_key(self) -> ApiKey {
        ApiKey {
            id: self.id.0,
            name: self.name.unwrap_or_default(),
            created_at: self.created_at.0,
            created_by: self.created_by.map(|c| c.0),
            last_used_at: self.last_used_at.0,
            last_used_from_addr: self.last_used_from_addr.0,
            project_id: self.project_id.filter(|p| !p.is_empty()),
        }
    }
}

/// An int64 id, as a number or a numeric string.
struct Id(i64);
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an int64 id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                i64::try_from(v)
                    .map(Id)
                    .map_err(|_| E::custom("id out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                v.trim()
                    .parse()
                    .map(Id)
                    .map_err(|_| E::custom("id is not an int64"))
            }
        }
        d.deserialize_any(V)
    }
}

/// An RFC 3339 date-time; anything else (null, a number, garbage, an object) is `None`.
#[derive(Default)]
struct Date(Option<DateTime<Utc>>);
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date-time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Ok(Date(
                    DateTime::parse_from_rfc3339(v.trim())
                        .ok()
                        .map(|d| d.with_timezone(&Utc)),
                ))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Date, E> {
                Ok(Date(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Date, E> {
                Ok(Date(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Date, E> {
                Ok(Date(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Date, E> {
                Ok(Date(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Date, E> {
                Ok(Date(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Date, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Date(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Date, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Date(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// `""` → empty, `"a,b"` → `[a, b]`, an array of strings → as is; anything else → empty.
#[derive(Default)]
struct Addrs(Vec<String>);
impl<'de> Deserialize<'de> for Addrs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        fn split(s: &str) -> Vec<String> {
            s.split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        }
        impl<'de> Visitor<'de> for V {
            type Value = Addrs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("addresses")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Addrs, E> {
                Ok(Addrs(split(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Addrs, E> {
                Ok(Addrs::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Addrs, E> {
                Ok(Addrs::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Addrs, E> {
                Ok(Addrs::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Addrs, E> {
                Ok(Addrs::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Addrs, E> {
                Ok(Addrs::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Addrs, A::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Item<'a> {
                    #[serde(borrow)]
                    Str(Cow<'a, str>),
                    Other(IgnoredAny),
                }
                let mut out = Vec::new();
                while let Some(item) = a.next_element::<Item>()? {
                    if let Item::Str(s) = item {
                        let s = s.trim();
                        if !s.is_empty() {
                            out.push(s.to_string());
                        }
                    }
                }
                Ok(Addrs(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Addrs, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Addrs::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// `created_by`: an object on lists, a uuid string on create/revoke.
struct Creator2(Creator);
impl<'de> Deserialize<'de> for Creator2 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Creator2;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a creator object or uuid")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Creator2, E> {
                Ok(Creator2(Creator {
                    id: Some(v.to_string()),
                    name: None,
                    image: None,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Creator2, A::Error> {
                let mut c = Creator::default();
                while let Some(k) = a.next_key::<Cow<'de, str>>()? {
                    match k.as_ref() {
                        "id" => c.id = a.next_value()?,
                        "name" => c.name = a.next_value()?,
                        "image" => c.image = a.next_value()?,
                        _ => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Creator2(c))
            }
        }
        d.deserialize_any(V)
    }
}
