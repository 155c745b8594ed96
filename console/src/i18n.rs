//! The Studio's UI strings, zh-CN (the default) and en, in one table. Survey texts come from
//! the definition; messages about a definition come from `model`'s `Definition::check`.

use model::{
    Locale, QuestionType,
    definition::{ChoiceMode, Comparison, RatingStyle},
};

/// Every UI string of the Studio in one language. `{n}` in a string is filled in by [`fill`].
#[derive(Debug)]
pub struct Strings {
    /// The app's name, in the header and the page title.
    pub app_name: &'static str,
    /// The button that switches the UI to the other language, in that language.
    pub other_language: &'static str,
    /// The accessible name of that button.
    pub switch_language: &'static str,
    /// Sign out.
    pub sign_out: &'static str,
    /// The sign-in heading.
    pub sign_in_title: &'static str,
    /// What to enter to sign in.
    pub sign_in_intro: &'static str,
    /// The token field's label.
    pub token_label: &'static str,
    /// The sign-in button.
    pub sign_in: &'static str,
    /// While a token is checked.
    pub signing_in: &'static str,
    /// A token the collector does not accept.
    pub wrong_token: &'static str,
    /// An empty token field.
    pub token_empty: &'static str,
    /// The collector cannot be reached.
    pub network_error: &'static str,
    /// Another answer from the collector; followed by its status and message.
    pub server_error: &'static str,
    /// Signed out because the token stopped working.
    pub session_expired: &'static str,
    /// The survey list's heading.
    pub surveys_title: &'static str,
    /// Column: survey id.
    pub col_id: &'static str,
    /// Column: current version.
    pub col_version: &'static str,
    /// Column: last change.
    pub col_changed: &'static str,
    /// Column: who made it.
    pub col_author: &'static str,
    /// Column: actions.
    pub col_actions: &'static str,
    /// The built-in survey, never published.
    pub builtin: &'static str,
    /// Opens a survey in the editor.
    pub open: &'static str,
    /// Heading: a new survey.
    pub new_survey_title: &'static str,
    /// Where a new survey starts from.
    pub new_survey_intro: &'static str,
    /// The new survey's id field.
    pub new_id_label: &'static str,
    /// The rule for ids.
    pub new_id_hint: &'static str,
    /// Creates the new survey.
    pub create: &'static str,
    /// An id that exists.
    pub id_taken: &'static str,
    /// While something loads.
    pub loading: &'static str,
    /// Back to the list.
    pub back_to_list: &'static str,
    /// Asked before leaving an editor with unpublished changes.
    pub leave_unsaved: &'static str,
    /// "Version {n}".
    pub version_n: &'static str,
    /// A survey not published yet.
    pub not_published: &'static str,
    /// Edits not published yet.
    pub unsaved: &'static str,
    /// Nothing changed since the last publish.
    pub no_changes: &'static str,
    /// The editor's tabs' accessible name.
    pub views: &'static str,
    /// Tab: the form.
    pub tab_form: &'static str,
    /// Tab: JSON.
    pub tab_json: &'static str,
    /// Tab: history.
    pub tab_history: &'static str,
    /// Publish.
    pub publish: &'static str,
    /// While publishing.
    pub publishing: &'static str,
    /// "Published as version {n}."
    pub published: &'static str,
    /// "Errors to fix before you can publish: {n}."
    pub errors_block: &'static str,
    /// No errors.
    pub ready: &'static str,
    /// "Warnings (they do not stop a publish): {n}."
    pub warnings_n: &'static str,
    /// Download JSON.
    pub download_json: &'static str,
    /// A token that may not publish.
    pub forbidden: &'static str,
    /// The collector refused a definition; followed by its message.
    pub rejected: &'static str,
    /// Heading of the list of problems.
    pub problems_title: &'static str,
    /// Before an error's message.
    pub error: &'static str,
    /// Before a warning's message.
    pub warning: &'static str,
    /// Section: the survey.
    pub section_survey: &'static str,
    /// Survey id.
    pub survey_id: &'static str,
    /// Default language.
    pub default_locale: &'static str,
    /// Languages offered.
    pub locales: &'static str,
    /// The survey's title.
    pub title: &'static str,
    /// The thank-you text.
    pub thanks: &'static str,
    /// Placeholder of an empty translation.
    pub missing_translation: &'static str,
    /// Section: questions.
    pub section_questions: &'static str,
    /// "Question {n}".
    pub question_n: &'static str,
    /// Question id.
    pub question_id: &'static str,
    /// Question type.
    pub question_type: &'static str,
    /// The question's text.
    pub question_text: &'static str,
    /// Required.
    pub required: &'static str,
    /// Move up.
    pub move_up: &'static str,
    /// Move down.
    pub move_down: &'static str,
    /// Remove.
    pub remove: &'static str,
    /// Add a question.
    pub add_question: &'static str,
    /// The type of the question to add.
    pub new_question_type: &'static str,
    /// Rating: points.
    pub points: &'static str,
    /// Rating: style.
    pub style: &'static str,
    /// Rating: which labels.
    pub labels_mode: &'static str,
    /// Labels: the defaults.
    pub labels_default: &'static str,
    /// Labels: one per point.
    pub labels_points: &'static str,
    /// Labels: both ends.
    pub labels_ends: &'static str,
    /// "Label of point {n}".
    pub point_label_n: &'static str,
    /// Low end label.
    pub end_low: &'static str,
    /// High end label.
    pub end_high: &'static str,
    /// NPS: custom end labels.
    pub custom_end_labels: &'static str,
    /// Expectation: custom labels.
    pub custom_labels: &'static str,
    /// Choice: mode.
    pub mode: &'static str,
    /// Choice: the fewest selections.
    pub min: &'static str,
    /// Choice: the most selections.
    pub max: &'static str,
    /// Choice: options.
    pub options: &'static str,
    /// "Option {n}".
    pub option_n: &'static str,
    /// Option id.
    pub option_id: &'static str,
    /// Option label.
    pub option_label: &'static str,
    /// Add an option.
    pub add_option: &'static str,
    /// Offer "other".
    pub other: &'static str,
    /// The "other" label.
    pub other_label: &'static str,
    /// The "other" text's maximum length.
    pub other_max: &'static str,
    /// The "other" text's placeholder.
    pub other_placeholder: &'static str,
    /// Text: maximum length.
    pub max_length: &'static str,
    /// Text: placeholder.
    pub placeholder: &'static str,
    /// Text: multi-line.
    pub multiline: &'static str,
    /// Condition: show if.
    pub show_if: &'static str,
    /// Condition: required if.
    pub required_if: &'static str,
    /// Turns on a show-if condition.
    pub show_if_on: &'static str,
    /// Turns on a required-if condition.
    pub required_if_on: &'static str,
    /// Condition: the question.
    pub cond_question: &'static str,
    /// Condition: the comparison.
    pub cond_op: &'static str,
    /// Condition: the value.
    pub cond_value: &'static str,
    /// Condition: values of `in`.
    pub cond_values: &'static str,
    /// Questions whose answer counts instead.
    pub satisfied_by: &'static str,
    /// Section: display.
    pub section_display: &'static str,
    /// Placement.
    pub placement: &'static str,
    /// Placement: corner.
    pub corner: &'static str,
    /// Placement: bottom sheet.
    pub bottom_sheet: &'static str,
    /// Placement: inline.
    pub inline: &'static str,
    /// The inline element's id.
    pub inline_id: &'static str,
    /// Accent colour.
    pub accent: &'static str,
    /// Large text.
    pub large_text: &'static str,
    /// Display rules.
    pub rules: &'static str,
    /// Sample rate.
    pub sample_rate: &'static str,
    /// Recontact days.
    pub recontact_days: &'static str,
    /// Cooldown days.
    pub cooldown_days: &'static str,
    /// Delay.
    pub delay_ms: &'static str,
    /// Transaction types.
    pub transaction_types: &'static str,
    /// The JSON field.
    pub json_label: &'static str,
    /// What JSON edits do.
    pub json_hint: &'static str,
    /// JSON that cannot be read; followed by the error.
    pub json_invalid: &'static str,
    /// History: the older version.
    pub history_from: &'static str,
    /// History: the newer version.
    pub history_to: &'static str,
    /// History: the diff table's caption.
    pub history_caption: &'static str,
    /// History: no differences.
    pub history_same: &'static str,
    /// History: column of the text's place.
    pub col_text: &'static str,
    /// History: a text a version does not have.
    pub absent: &'static str,
    /// Preview heading.
    pub preview: &'static str,
    /// Preview: desktop width.
    pub preview_desktop: &'static str,
    /// Preview: phone width.
    pub preview_phone: &'static str,
    /// Preview: its width.
    pub preview_width: &'static str,
    /// Preview: its language.
    pub preview_locale: &'static str,
    /// Preview: the draft has errors, so the last valid version shows.
    pub preview_stale: &'static str,
    /// Names of the question types, in [`QuestionType`] order: rating, nps, choice, text,
    /// expectation.
    pub types: [&'static str; 5],
    /// Names of the rating styles: stars, faces, numbers, labels.
    pub styles: [&'static str; 4],
    /// Names of the choice modes: single, multiple.
    pub modes: [&'static str; 2],
    /// Names of the comparisons: eq, lte, gte, in.
    pub ops: [&'static str; 4],
    /// Names of the locales: zh-CN, en.
    pub locale_names: [&'static str; 2],
}

/// The zh-CN strings, the default.
pub static ZH_CN: Strings = Strings {
    app_name: "问卷工作室",
    other_language: "English",
    switch_language: "Switch the interface to English",
    sign_out: "退出登录",
    sign_in_title: "登录问卷工作室",
    sign_in_intro: "请输入管理员为您创建的 API 令牌（以 sv_ 开头）。令牌只保存在本标签页中，关闭后需重新登录。",
    token_label: "API 令牌",
    sign_in: "登录",
    signing_in: "正在验证令牌…",
    wrong_token: "令牌无效或已被吊销。请检查是否完整复制，或请管理员重新创建。",
    token_empty: "请输入 API 令牌。",
    network_error: "无法连接收集服务，请稍后重试。",
    server_error: "收集服务返回错误：",
    session_expired: "登录已失效（令牌无效或已被吊销），请重新登录。",
    surveys_title: "问卷列表",
    col_id: "问卷 ID",
    col_version: "当前版本",
    col_changed: "最后修改时间",
    col_author: "修改人",
    col_actions: "操作",
    builtin: "内置（尚未发布）",
    open: "编辑",
    new_survey_title: "新建问卷",
    new_survey_intro: "新问卷以内置的默认问卷（5 级好差评）为起点。",
    new_id_label: "新问卷 ID",
    new_id_hint: "小写字母、数字、- 或 _；发布后不能更改，嵌入代码用它引用问卷。",
    create: "创建",
    id_taken: "已有使用此 ID 的问卷。",
    loading: "正在加载…",
    back_to_list: "返回问卷列表",
    leave_unsaved: "有未发布的修改，离开后将丢失。仍要离开吗？",
    version_n: "版本 {n}",
    not_published: "尚未发布",
    unsaved: "有未发布的修改",
    no_changes: "与已发布版本相同",
    views: "编辑方式",
    tab_form: "表单",
    tab_json: "JSON",
    tab_history: "版本历史",
    publish: "发布",
    publishing: "正在发布…",
    published: "已发布为版本 {n}。下一位客户将看到新文字。",
    errors_block: "还有 {n} 个错误，改正后才能发布。",
    ready: "没有错误，可以发布。",
    warnings_n: "{n} 个提醒（不影响发布）",
    download_json: "下载 JSON",
    forbidden: "您的令牌没有发布权限（需要 marketer 角色）。",
    rejected: "收集服务拒绝了此问卷：",
    problems_title: "需要处理的问题",
    error: "错误",
    warning: "提醒",
    section_survey: "问卷",
    survey_id: "问卷 ID",
    default_locale: "默认语言",
    locales: "提供的语言",
    title: "标题",
    thanks: "感谢语",
    missing_translation: "缺少翻译：将显示默认语言的文字",
    section_questions: "问题",
    question_n: "问题 {n}",
    question_id: "问题 ID",
    question_type: "题型",
    question_text: "问题文字",
    required: "必答",
    move_up: "上移",
    move_down: "下移",
    remove: "删除",
    add_question: "添加问题",
    new_question_type: "新问题的题型",
    points: "分值个数（3–10）",
    style: "样式",
    labels_mode: "刻度文字",
    labels_default: "默认",
    labels_points: "每个分值一个",
    labels_ends: "仅两端",
    point_label_n: "第 {n} 分",
    end_low: "最低端",
    end_high: "最高端",
    custom_end_labels: "自定义两端文字",
    custom_labels: "自定义五个刻度的文字",
    mode: "选择方式",
    min: "最少选择",
    max: "最多选择",
    options: "选项",
    option_n: "选项 {n}",
    option_id: "选项 ID",
    option_label: "选项文字",
    add_option: "添加选项",
    other: "提供可填写的“其他”选项",
    other_label: "“其他”的文字",
    other_max: "“其他”最多字数",
    other_placeholder: "“其他”输入框提示",
    max_length: "最多字数",
    placeholder: "输入框提示",
    multiline: "多行输入",
    show_if: "显示条件",
    required_if: "必答条件",
    show_if_on: "仅在满足条件时显示",
    required_if_on: "仅在满足条件时必答",
    cond_question: "依据的问题",
    cond_op: "比较",
    cond_value: "值",
    cond_values: "值（多个用逗号分隔）",
    satisfied_by: "回答以下问题也算作答",
    section_display: "展示设置",
    placement: "位置",
    corner: "右下角卡片",
    bottom_sheet: "底部面板",
    inline: "嵌入页面元素",
    inline_id: "页面元素 ID",
    accent: "强调色（#rgb 或 #rrggbb，留空为默认蓝色）",
    large_text: "大字模式（适老化）",
    rules: "展示规则",
    sample_rate: "抽样比例（%）",
    recontact_days: "作答后再次邀请的间隔（天）",
    cooldown_days: "关闭后的冷却期（天）",
    delay_ms: "延迟显示（毫秒）",
    transaction_types: "交易类型（逗号分隔，留空为全部）",
    json_label: "问卷定义 JSON",
    json_hint: "在此修改后，表单会同步更新；无法读取的 JSON 不会生效。",
    json_invalid: "JSON 无法读取：",
    history_from: "旧版本",
    history_to: "新版本",
    history_caption: "两个版本之间变化的文字",
    history_same: "两个版本的文字相同。",
    col_text: "位置",
    absent: "（无）",
    preview: "预览",
    preview_desktop: "桌面",
    preview_phone: "手机（375 px）",
    preview_width: "预览宽度",
    preview_locale: "预览语言",
    preview_stale: "问卷有错误，预览显示的是最近一次没有错误的内容。",
    types: ["评分", "NPS 推荐度", "选择", "文本", "预期对比"],
    styles: ["星级", "表情", "数字", "文字按钮"],
    modes: ["单选", "多选"],
    ops: ["等于", "小于等于", "大于等于", "属于其中之一"],
    locale_names: ["中文（zh-CN）", "英文（en）"],
};

/// The en strings.
pub static EN: Strings = Strings {
    app_name: "Survey Studio",
    other_language: "中文",
    switch_language: "切换为中文界面",
    sign_out: "Sign out",
    sign_in_title: "Sign in to the Survey Studio",
    sign_in_intro: "Enter the API token an administrator created for you (it starts with sv_). It is kept in this tab only: sign in again after closing it.",
    token_label: "API token",
    sign_in: "Sign in",
    signing_in: "Checking the token…",
    wrong_token: "This token is not valid or has been revoked. Check that you copied all of it, or ask for a new one.",
    token_empty: "Enter your API token.",
    network_error: "Cannot reach the collector. Try again later.",
    server_error: "The collector answered with an error: ",
    session_expired: "Your sign-in no longer works (the token is not valid or was revoked). Sign in again.",
    surveys_title: "Surveys",
    col_id: "Survey id",
    col_version: "Current version",
    col_changed: "Last change",
    col_author: "Changed by",
    col_actions: "Actions",
    builtin: "built-in (never published)",
    open: "Edit",
    new_survey_title: "New survey",
    new_survey_intro: "A new survey starts from the built-in default (the 5-level satisfaction scale).",
    new_id_label: "New survey id",
    new_id_hint: "Lowercase letters, digits, - or _. It cannot change once published: embed codes refer to it.",
    create: "Create",
    id_taken: "A survey with this id already exists.",
    loading: "Loading…",
    back_to_list: "Back to the surveys",
    leave_unsaved: "Your changes are not published and will be lost. Leave anyway?",
    version_n: "Version {n}",
    not_published: "not published yet",
    unsaved: "Unpublished changes",
    no_changes: "Same as the published version",
    views: "Views",
    tab_form: "Form",
    tab_json: "JSON",
    tab_history: "History",
    publish: "Publish",
    publishing: "Publishing…",
    published: "Published as version {n}. The next customer sees the new text.",
    errors_block: "Errors to fix before you can publish: {n}.",
    ready: "No errors: ready to publish.",
    warnings_n: "Warnings (they do not stop a publish): {n}.",
    download_json: "Download JSON",
    forbidden: "Your token may not publish (it needs the marketer role).",
    rejected: "The collector refused the survey: ",
    problems_title: "To fix",
    error: "Error",
    warning: "Warning",
    section_survey: "Survey",
    survey_id: "Survey id",
    default_locale: "Default language",
    locales: "Languages offered",
    title: "Title",
    thanks: "Thank-you text",
    missing_translation: "Missing translation: the default language is shown",
    section_questions: "Questions",
    question_n: "Question {n}",
    question_id: "Question id",
    question_type: "Type",
    question_text: "Question text",
    required: "Required",
    move_up: "Move up",
    move_down: "Move down",
    remove: "Remove",
    add_question: "Add a question",
    new_question_type: "Type of the new question",
    points: "Points (3–10)",
    style: "Style",
    labels_mode: "Point labels",
    labels_default: "Default",
    labels_points: "One per point",
    labels_ends: "Both ends only",
    point_label_n: "Point {n}",
    end_low: "Low end",
    end_high: "High end",
    custom_end_labels: "Custom end labels",
    custom_labels: "Custom labels for the five points",
    mode: "Selection",
    min: "At least",
    max: "At most",
    options: "Options",
    option_n: "Option {n}",
    option_id: "Option id",
    option_label: "Option label",
    add_option: "Add an option",
    other: "Offer “other” with a text field",
    other_label: "“Other” label",
    other_max: "“Other” maximum length",
    other_placeholder: "“Other” placeholder",
    max_length: "Maximum length",
    placeholder: "Placeholder",
    multiline: "Multi-line",
    show_if: "Show condition",
    required_if: "Required condition",
    show_if_on: "Show only when a condition holds",
    required_if_on: "Required only when a condition holds",
    cond_question: "On question",
    cond_op: "Comparison",
    cond_value: "Value",
    cond_values: "Values (separated by commas)",
    satisfied_by: "An answer to these counts instead",
    section_display: "Display",
    placement: "Placement",
    corner: "Corner card",
    bottom_sheet: "Bottom sheet",
    inline: "Inline in a page element",
    inline_id: "Page element id",
    accent: "Accent colour (#rgb or #rrggbb; empty for the default blue)",
    large_text: "Large text (for elderly customers)",
    rules: "Display rules",
    sample_rate: "Sample rate (%)",
    recontact_days: "Days before asking again after an answer",
    cooldown_days: "Days of rest after a dismissal",
    delay_ms: "Delay before showing (ms)",
    transaction_types: "Transaction types (comma-separated; empty for all)",
    json_label: "Survey definition JSON",
    json_hint: "Edits here update the form. JSON that cannot be read has no effect.",
    json_invalid: "The JSON cannot be read: ",
    history_from: "Older version",
    history_to: "Newer version",
    history_caption: "Texts that differ between the two versions",
    history_same: "The two versions have the same texts.",
    col_text: "Where",
    absent: "(none)",
    preview: "Preview",
    preview_desktop: "Desktop",
    preview_phone: "Phone (375 px)",
    preview_width: "Preview width",
    preview_locale: "Preview language",
    preview_stale: "The survey has errors: the preview shows its last version without errors.",
    types: ["Rating", "NPS", "Choice", "Text", "Expectation"],
    styles: ["Stars", "Faces", "Numbers", "Labelled buttons"],
    modes: ["Single", "Multiple"],
    ops: ["equals", "at most", "at least", "one of"],
    locale_names: ["Chinese (zh-CN)", "English (en)"],
};

/// The strings of `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

/// `template` with `{n}` replaced by `n`.
pub fn fill(template: &str, n: impl std::fmt::Display) -> String {
    template.replace("{n}", &n.to_string())
}

/// Every question type, in the order of [`Strings::types`].
pub const TYPES: [QuestionType; 5] = [
    QuestionType::Rating,
    QuestionType::Nps,
    QuestionType::Choice,
    QuestionType::Text,
    QuestionType::Expectation,
];
/// Every rating style, in the order of [`Strings::styles`].
pub const STYLES: [RatingStyle; 4] = [
    RatingStyle::Stars,
    RatingStyle::Faces,
    RatingStyle::Numbers,
    RatingStyle::Labels,
];
/// Every choice mode, in the order of [`Strings::modes`].
pub const MODES: [ChoiceMode; 2] = [ChoiceMode::Single, ChoiceMode::Multiple];
/// Every comparison, in the order of [`Strings::ops`].
pub const OPS: [Comparison; 4] = [
    Comparison::Eq,
    Comparison::Lte,
    Comparison::Gte,
    Comparison::In,
];

impl Strings {
    /// The name of a question type.
    pub fn type_name(&self, kind: QuestionType) -> &'static str {
        self.types[TYPES.iter().position(|k| *k == kind).unwrap_or(0)]
    }

    /// The name of a locale.
    pub fn locale_name(&self, locale: Locale) -> &'static str {
        self.locale_names[Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_have_their_placeholder_in_both_languages() {
        for s in [&ZH_CN, &EN] {
            for template in [
                s.version_n,
                s.published,
                s.errors_block,
                s.warnings_n,
                s.question_n,
                s.option_n,
                s.point_label_n,
            ] {
                assert!(template.contains("{n}"), "{template}");
            }
        }
        assert_eq!(fill(ZH_CN.version_n, 2), "版本 2");
    }

    #[test]
    fn names_follow_the_model_order() {
        assert_eq!(EN.type_name(QuestionType::Expectation), "Expectation");
        assert_eq!(ZH_CN.locale_name(Locale::En), "英文（en）");
    }
}
