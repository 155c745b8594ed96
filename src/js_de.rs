//! A serde `Deserializer` over a value the browser's `JSON.parse` returned.
//!
//! The widget reads survey definitions at run time. `model`'s derived `Deserialize` is the one
//! reader of that format; this module only walks the JS value it is given, so the wasm carries
//! no JSON parser (serde_json's reader costs ~22 KB brotli: `docs/performance.md`). An error
//! names the JSON path of the value it is about, such as `questions[2].points`.

use std::fmt;

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be read, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The JSON path, such as `questions[2].points`; empty for the whole document.
    pub path: String,
    /// What is wrong, in serde's words.
    pub message: String,
}

impl ReadError {
    /// The same error, one level further out: `segment` is a key or an `[index]`.
    fn under(mut self, segment: &str) -> ReadError {
        let joined = if self.path.is_empty() || self.path.starts_with('[') {
            [segment, &self.path].concat()
        } else {
            [segment, ".", &self.path].concat()
        };
        self.path = joined;
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            f.write_str(&[&self.path, ": ", &self.message].concat())
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    fn new(message: String) -> ReadError {
        ReadError {
            path: String::new(),
            message,
        }
    }
}

/// What a JSON value is, in words. (serde's own `Unexpected` message would format the float,
/// which pulls `core::fmt`'s float printing into the wasm.)
fn kind_of(unexpected: &de::Unexpected<'_>) -> &'static str {
    match unexpected {
        de::Unexpected::Bool(_) => "a boolean",
        de::Unexpected::Unsigned(_) | de::Unexpected::Signed(_) | de::Unexpected::Float(_) => {
            "a number"
        }
        de::Unexpected::Str(_) | de::Unexpected::Char(_) => "a string",
        de::Unexpected::Unit | de::Unexpected::Option => "null",
        de::Unexpected::Seq => "an array",
        de::Unexpected::Map => "an object",
        _ => "a value",
    }
}

fn one_of(names: &[&str]) -> String {
    ["one of '", &names.join("', '"), "'"].concat()
}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> ReadError {
        ReadError::new(msg.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> ReadError {
        ReadError::new(
            [
                "is ",
                kind_of(&unexpected),
                ", expected ",
                &expected.to_string(),
            ]
            .concat(),
        )
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> ReadError {
        ReadError::new(
            [
                "invalid ",
                kind_of(&unexpected),
                ", expected ",
                &expected.to_string(),
            ]
            .concat(),
        )
    }

    fn invalid_length(_len: usize, expected: &dyn de::Expected) -> ReadError {
        ReadError::new(["wrong number of items, expected ", &expected.to_string()].concat())
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> ReadError {
        ReadError::new(
            [
                "unknown value '",
                variant,
                "', expected ",
                &one_of(expected),
            ]
            .concat(),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> ReadError {
        ReadError::new(["unknown field '", field, "', expected ", &one_of(expected)].concat())
    }

    fn missing_field(field: &'static str) -> ReadError {
        ReadError::new(["missing field '", field, "'"].concat())
    }

    fn duplicate_field(field: &'static str) -> ReadError {
        ReadError::new(["duplicate field '", field, "'"].concat())
    }
}

/// Reads a `T` from a parsed JSON value.
pub fn from_value<T: de::DeserializeOwned>(value: JsValue) -> Result<T, ReadError> {
    T::deserialize(Value(value))
}

/// Parses `json` with the browser's `JSON.parse`.
pub fn parse(json: &str) -> Result<JsValue, ReadError> {
    js_sys::JSON::parse(json).map_err(|error| ReadError {
        path: String::new(),
        message: error
            .dyn_ref::<js_sys::Error>()
            .map_or_else(|| "not JSON".to_owned(), |e| String::from(e.message())),
    })
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

struct Value(JsValue);

impl<'de> de::Deserializer<'de> for Value {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let v = self.0;
        if v.is_null() || v.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = v.as_f64() {
            // As serde_json: non-negative whole numbers are u64, negative ones i64.
            if n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&n) {
                visitor.visit_u64(n as u64)
            } else if n.fract() == 0.0 && (-MAX_SAFE..0.0).contains(&n) {
                visitor.visit_i64(n as i64)
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&v) {
            visitor.visit_seq(Seq {
                items: v.unchecked_into(),
                next: 0,
            })
        } else if v.is_object() {
            let object: Object = v.unchecked_into();
            visitor.visit_map(Map {
                keys: Object::keys(&object),
                object,
                next: 0,
                key: String::new(),
            })
        } else {
            Err(de::Error::custom("not a JSON value"))
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // A unit variant is a string; a variant with data is an object of one key.
        if let Some(name) = self.0.as_string() {
            return visitor.visit_enum(name.into_deserializer());
        }
        let object: Object = self.0.unchecked_into();
        let keys = Object::keys(&object);
        if keys.length() != 1 {
            return Err(de::Error::custom(
                "expected a string or an object with one key",
            ));
        }
        let name = keys.get(0).as_string().unwrap_or_default();
        let value = Reflect::get(&object, &JsValue::from_str(&name)).unwrap_or_default();
        visitor
            .visit_enum(Variant {
                name: name.clone(),
                value,
            })
            .map_err(|e| e.under(&name))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

struct Seq {
    items: Array,
    next: u32,
}

impl<'de> SeqAccess<'de> for Seq {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        let index = self.next;
        self.next += 1;
        seed.deserialize(Value(self.items.get(index)))
            .map(Some)
            .map_err(|e| e.under(&["[", &crate::i18n::decimal(index as usize), "]"].concat()))
    }
}

struct Map {
    object: Object,
    keys: Array,
    next: u32,
    key: String,
}

impl<'de> MapAccess<'de> for Map {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        if self.next >= self.keys.length() {
            return Ok(None);
        }
        self.key = self.keys.get(self.next).as_string().unwrap_or_default();
        self.next += 1;
        let key = self.key.clone();
        seed.deserialize(key.clone().into_deserializer())
            .map(Some)
            .map_err(|e: ReadError| e.under(&key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let value = Reflect::get(&self.object, &JsValue::from_str(&self.key)).unwrap_or_default();
        seed.deserialize(Value(value))
            .map_err(|e| e.under(&self.key))
    }
}

struct Variant {
    name: String,
    value: JsValue,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = ReadError;
    type Variant = Value;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value), ReadError> {
        let variant = seed.deserialize(self.name.into_deserializer())?;
        Ok((variant, Value(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Err(de::Error::custom("expected a string"))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
