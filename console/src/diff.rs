//! The version history's diff: every user-visible text of two versions of a survey, side by
//! side, keyed by stable ids (question and option ids, not positions), so that a reordered
//! question is not reported as every text changing.

use model::{Definition, definition::LocalizedText};

/// One text that differs between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Which text: `title`, `satisfaction · text`, `reasons · long_wait`, then the locale.
    pub key: String,
    /// The text in the older version; `None` where it has none.
    pub old: Option<String>,
    /// The text in the newer version; `None` where it has none.
    pub new: Option<String>,
}

/// Every text of `def`, in document order, as `(key, text)`.
pub fn texts(def: &Definition) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |key: &str, text: &LocalizedText| {
        for (locale, value) in &text.0 {
            out.push((format!("{key} · {}", locale.tag()), value.clone()));
        }
    };
    add("title", &def.title);
    for q in &def.questions {
        let id = &q.id;
        add(&format!("{id} · text"), &q.text);
        for (k, label) in q.labels.iter().flatten().enumerate() {
            add(&format!("{id} · labels[{k}]"), label);
        }
        if let Some(ends) = &q.end_labels {
            add(&format!("{id} · end_labels.low"), &ends.low);
            add(&format!("{id} · end_labels.high"), &ends.high);
        }
        for option in q.options.iter().flatten() {
            add(&format!("{id} · {}", option.id), &option.label);
        }
        if let Some(other) = &q.other {
            add(&format!("{id} · other"), &other.label);
            if let Some(placeholder) = &other.placeholder {
                add(&format!("{id} · other.placeholder"), placeholder);
            }
        }
        if let Some(placeholder) = &q.placeholder {
            add(&format!("{id} · placeholder"), placeholder);
        }
    }
    add("thanks", &def.thanks);
    out
}

/// The texts that differ from `old` to `new`: changed, added or removed, in `old`'s order and
/// then the texts that only `new` has.
pub fn diff(old: &Definition, new: &Definition) -> Vec<Change> {
    let before = texts(old);
    let after = texts(new);
    let find = |list: &[(String, String)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut changes = Vec::new();
    for (key, value) in &before {
        let now = find(&after, key);
        if now.as_ref() != Some(value) {
            changes.push(Change {
                key: key.clone(),
                old: Some(value.clone()),
                new: now,
            });
        }
    }
    for (key, value) in &after {
        if find(&before, key).is_none() {
            changes.push(Change {
                key: key.clone(),
                old: None,
                new: Some(value.clone()),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use model::{Locale, definition::default_definition};

    use super::*;

    #[test]
    fn the_same_version_has_no_changes() {
        let d = default_definition();
        assert!(diff(d, d).is_empty());
        assert!(texts(d).contains(&(
            "reasons · long_wait · zh-CN".to_owned(),
            "等待时间长".to_owned()
        )));
    }

    #[test]
    fn changed_added_and_removed_texts_are_listed_by_id() {
        let old = default_definition().clone();
        let mut new = old.clone();
        new.questions[0]
            .text
            .0
            .insert(Locale::ZhCn, "满意吗？".to_owned());
        new.questions[2].text.0.remove(&Locale::En);
        new.questions.swap(1, 2); // moving a question changes no text
        new.thanks.0.insert(Locale::En, "Thanks".to_owned());
        let mut title = old.clone();
        title.title = LocalizedText::of(&[(Locale::ZhCn, "评价")]);
        let changes = diff(&old, &new);
        assert_eq!(
            changes,
            [
                Change {
                    key: "satisfaction · text · zh-CN".to_owned(),
                    old: Some("您对本次服务满意吗？".to_owned()),
                    new: Some("满意吗？".to_owned()),
                },
                Change {
                    key: "comment · text · en".to_owned(),
                    old: Some("Comments (optional)".to_owned()),
                    new: None,
                },
                Change {
                    key: "thanks · en".to_owned(),
                    old: Some("Thank you! Your feedback helps us improve.".to_owned()),
                    new: Some("Thanks".to_owned()),
                },
            ]
        );
        let back = diff(&new, &old);
        assert_eq!(back[1].key, "thanks · en");
        assert_eq!(
            (back[2].key.as_str(), back[2].old.as_deref()),
            ("comment · text · en", None)
        );
        assert_eq!(diff(&old, &title).len(), 2, "zh-CN changed, en removed");
    }
}
