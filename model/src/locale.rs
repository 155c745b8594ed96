//! The languages the product speaks, and how language tags map onto them.

use serde::{Deserialize, Serialize};

/// A supported UI and survey language. zh-CN is the default.
///
/// Public contract: the serialized tags (`"zh-CN"`, `"en"`) appear in the payload and in
/// `data-locale`. Changing one is a breaking change.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Locale {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Every supported locale, default first.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The canonical BCP 47 tag, as used in the payload and in `<html lang>`.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Maps a BCP 47 tag onto a supported locale by its primary language subtag, ignoring case:
    /// `zh`, `zh-CN`, `zh-Hans-CN` give zh-CN; `en`, `en-GB` give en. Anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_tag_uses_the_primary_subtag() {
        for tag in ["zh", "zh-CN", "ZH-cn", "zh-Hans-CN", "zh_CN", " zh-TW "] {
            assert_eq!(Locale::from_tag(tag), Some(Locale::ZhCn), "{tag}");
        }
        for tag in ["en", "en-US", "EN-gb"] {
            assert_eq!(Locale::from_tag(tag), Some(Locale::En), "{tag}");
        }
        for tag in ["", "fr", "zhx", "eng", "-en"] {
            assert_eq!(Locale::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn serde_uses_the_canonical_tags() {
        for locale in Locale::ALL {
            let json = serde_json::to_string(&locale).unwrap();
            assert_eq!(json, format!("\"{}\"", locale.tag()));
            assert_eq!(serde_json::from_str::<Locale>(&json).unwrap(), locale);
        }
        assert!(serde_json::from_str::<Locale>("\"fr\"").is_err());
    }
}
