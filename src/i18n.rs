//! The built-in UI strings, zh-CN and en. Survey wording (questions, labels, reasons, thanks)
//! comes from the survey definition in `model`; everything else a customer reads is here.

use model::definition::{AnswerProblem, AnswerProblemKind, Question};
use model::{Locale, QuestionType};

/// Every UI string in one locale.
#[derive(Debug)]
pub struct Strings {
    /// Accessible name of the close button.
    pub close: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// The submit button while sending, and the live-region announcement.
    pub sending: &'static str,
    /// Announced when the response has been accepted.
    pub sent: &'static str,
    /// Shown when the response is saved in the browser and will be sent once the network or
    /// the endpoint is back.
    pub saved: &'static str,
    /// The retry button after a failed submit.
    pub retry: &'static str,
    /// A network failure or timeout.
    pub error_network: &'static str,
    /// The endpoint answered with an error status.
    pub error_server: &'static str,
    /// Shown while no rating is chosen and the customer tries to submit.
    pub rating_required: &'static str,
    /// Shown as soon as a bad rating is chosen without a reason or comment.
    pub reason_required: &'static str,
    /// Shown when a text answer is over its limit.
    pub comment_too_long: &'static str,
    /// Shown when a required question other than a scale has no answer.
    pub answer_required: &'static str,
    /// Shown when "other" is selected without a text.
    pub other_empty: &'static str,
    /// How many options a multiple choice takes: before the fewest, between, after the most.
    pub choose_between: [&'static str; 3],
    /// Suffix after the character counter's numbers, for screen readers ("characters").
    pub chars: &'static str,
    /// Placeholder of the comment box.
    pub comment_placeholder: &'static str,
}

const ZH_CN: Strings = Strings {
    close: "关闭",
    submit: "提交评价",
    sending: "正在提交…",
    sent: "评价已提交",
    saved: "已保存，联网后将自动提交",
    retry: "重试",
    error_network: "网络异常，评价未能提交。您填写的内容已保留，请重试。",
    error_server: "服务暂时不可用，评价未能提交。您填写的内容已保留，请重试。",
    rating_required: "请先选择满意程度。",
    reason_required: "请选择不满意的原因，或填写意见。",
    comment_too_long: "内容超出字数限制，请删减。",
    answer_required: "请回答此问题。",
    other_empty: "请填写“其他”的具体内容。",
    choose_between: ["请选择 ", " 至 ", " 项。"],
    chars: "字",
    comment_placeholder: "请输入您的意见或建议",
};

const EN: Strings = Strings {
    close: "Close",
    submit: "Submit",
    sending: "Sending…",
    sent: "Feedback sent",
    saved: "Saved — we'll send it when you're back online",
    retry: "Try again",
    error_network: "Network problem: your feedback was not sent. Your answers are kept; please try again.",
    error_server: "The service is unavailable: your feedback was not sent. Your answers are kept; please try again.",
    rating_required: "Please choose a rating first.",
    reason_required: "Please choose what went wrong, or write a comment.",
    comment_too_long: "The text is too long; please shorten it.",
    answer_required: "Please answer this question.",
    other_empty: "Please describe “other”.",
    choose_between: ["Please choose ", " to ", " options."],
    chars: "characters",
    comment_placeholder: "Tell us more",
};

impl Strings {
    /// The table for `locale`.
    pub const fn of(locale: Locale) -> &'static Strings {
        match locale {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        }
    }

    /// The message for a problem with the answer to `question`, which the customer can fix.
    pub fn problem(&self, problem: &AnswerProblem, question: Option<&Question>) -> String {
        let stand_in = question.is_some_and(|q| !q.satisfied_by.is_empty());
        let scale = question.is_some_and(|q| q.kind != QuestionType::Choice && q.kind.is_numeric());
        match problem.kind {
            AnswerProblemKind::Required if stand_in => self.reason_required.to_owned(),
            AnswerProblemKind::Required if scale => self.rating_required.to_owned(),
            AnswerProblemKind::TooLong | AnswerProblemKind::OtherTooLong => {
                self.comment_too_long.to_owned()
            }
            AnswerProblemKind::OtherEmpty => self.other_empty.to_owned(),
            AnswerProblemKind::TooFewSelected | AnswerProblemKind::TooManySelected => {
                let (min, max) = question.map_or((1, 1), Question::selection_bounds);
                let [before, between, after] = self.choose_between;
                [
                    before,
                    &decimal(min as usize),
                    between,
                    &decimal(max as usize),
                    after,
                ]
                .concat()
            }
            _ => self.answer_required.to_owned(),
        }
    }
}

/// `n` in decimal digits, as every locale here writes numbers (`model::digits`: without
/// `core::fmt`).
pub fn decimal(n: usize) -> String {
    model::digits::decimal(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_writes_plain_digits() {
        for n in [0, 7, 10, 500, 1234567] {
            assert_eq!(super::decimal(n), n.to_string());
        }
    }
}
