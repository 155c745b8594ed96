//! Survey definitions. For now there is one, built in: the 5-level 好差评 satisfaction scale,
//! reason tags for a bad rating, and an optional comment.

use crate::Locale;

/// A user-visible string in every supported locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// Simplified Chinese.
    pub zh_cn: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// The string in `locale`.
    pub const fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::ZhCn => self.zh_cn,
            Locale::En => self.en,
        }
    }
}

/// A reason tag offered after a bad rating. Its `id` is stable and is what the payload carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason {
    /// Stable id, sent in `answers.reasons`. Changing one is a breaking change for reports.
    pub id: &'static str,
    /// What the customer reads.
    pub label: Text,
}

/// A survey: what the customer is asked, and the limits its answers must respect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Survey {
    /// Stable id, sent in the payload's `survey.id`.
    pub id: &'static str,
    /// Version of the wording, sent in the payload's `survey.version`.
    pub version: u32,
    /// The dialog's accessible name and visible heading.
    pub title: Text,
    /// The rating question.
    pub rating_question: Text,
    /// One label per score, lowest score first (the order on screen, left to right).
    pub rating_labels: &'static [Text],
    /// Ratings at or below this score are bad ratings (差评): reasons are shown and a reason
    /// tag or a comment is required.
    pub bad_rating_max: u8,
    /// The reason question, shown for a bad rating.
    pub reasons_question: Text,
    /// The reason tags, in display order.
    pub reasons: &'static [Reason],
    /// The label of the optional comment.
    pub comment_label: Text,
    /// The most characters (Unicode scalar values) a comment may have.
    pub comment_max_chars: usize,
    /// Shown after a successful submit.
    pub thanks: Text,
}

impl Survey {
    /// The highest score; scores run from 1 to this.
    pub fn max_score(&self) -> u8 {
        // The built-in survey has 5 labels; a definition never has more than 10 (issue 3).
        u8::try_from(self.rating_labels.len()).unwrap_or(u8::MAX)
    }

    /// The label of `score`, if the score is on the scale.
    pub fn rating_label(&self, score: u8) -> Option<Text> {
        let index = usize::from(score).checked_sub(1)?;
        self.rating_labels.get(index).copied()
    }

    /// Whether `score` is a bad rating (差评).
    pub fn is_bad_rating(&self, score: u8) -> bool {
        score <= self.bad_rating_max
    }

    /// The reason tag with this id.
    pub fn reason(&self, id: &str) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.id == id)
    }
}

const fn t(zh_cn: &'static str, en: &'static str) -> Text {
    Text { zh_cn, en }
}

/// The 好差评 scale's labels, lowest score first (see `shared/domain/README.md`). A 5-point
/// rating question without labels of its own gets these.
pub const SATISFACTION_LABELS: &[Text] = &[
    t("非常不满意", "Very dissatisfied"),
    t("不满意", "Dissatisfied"),
    t("基本满意", "Neutral"),
    t("满意", "Satisfied"),
    t("非常满意", "Very satisfied"),
];

/// The built-in survey, following the 好差评 convention (see `shared/domain/README.md`).
pub const DEFAULT_SURVEY: Survey = Survey {
    id: "default",
    version: 1,
    title: t("服务评价", "Rate this service"),
    rating_question: t(
        "您对本次服务满意吗？",
        "How satisfied are you with this service?",
    ),
    rating_labels: SATISFACTION_LABELS,
    bad_rating_max: 2,
    reasons_question: t(
        "哪些方面让您不满意？（可多选）",
        "What went wrong? (choose any)",
    ),
    reasons: &[
        Reason {
            id: "long_wait",
            label: t("等待时间长", "Long wait"),
        },
        Reason {
            id: "too_many_steps",
            label: t("流程繁琐", "Too many steps"),
        },
        Reason {
            id: "unclear_information",
            label: t("信息不清楚", "Unclear information"),
        },
        Reason {
            id: "system_failure",
            label: t("系统故障", "System failure"),
        },
        Reason {
            id: "poor_attitude",
            label: t("服务态度差", "Poor attitude"),
        },
        Reason {
            id: "problem_not_solved",
            label: t("问题未解决", "Problem not solved"),
        },
        Reason {
            id: "other",
            label: t("其他", "Other"),
        },
    ],
    comment_label: t("意见或建议（选填）", "Comments (optional)"),
    comment_max_chars: 500,
    thanks: t(
        "感谢您的评价！您的意见将帮助我们改进服务。",
        "Thank you! Your feedback helps us improve.",
    ),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_survey_is_the_five_level_scale_lowest_first() {
        let s = DEFAULT_SURVEY;
        assert_eq!(s.max_score(), 5);
        assert_eq!(s.rating_label(1).map(|t| t.zh_cn), Some("非常不满意"));
        assert_eq!(s.rating_label(5).map(|t| t.zh_cn), Some("非常满意"));
        assert_eq!(s.rating_label(0), None);
        assert_eq!(s.rating_label(6), None);
        assert!(s.is_bad_rating(1) && s.is_bad_rating(2) && !s.is_bad_rating(3));
    }

    #[test]
    fn every_string_is_translated_and_reason_ids_are_unique() {
        let s = DEFAULT_SURVEY;
        let mut texts = vec![
            s.title,
            s.rating_question,
            s.reasons_question,
            s.comment_label,
            s.thanks,
        ];
        texts.extend(s.rating_labels.iter().copied());
        texts.extend(s.reasons.iter().map(|r| r.label));
        for text in texts {
            assert!(!text.zh_cn.is_empty() && !text.en.is_empty(), "{text:?}");
        }
        let mut ids: Vec<_> = s.reasons.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), s.reasons.len());
    }
}
