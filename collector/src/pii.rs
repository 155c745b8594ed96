//! Masking of personal data in free text, before it is stored.
//!
//! A customer sometimes writes a phone number or an ID number into the comment ("please call
//! me back on 13812345678"). The collector does not need them, and a database that never holds
//! them cannot leak them, so [`mask_personal_data`] replaces their middle digits with `*`:
//!
//! - a mainland-China mobile number, 11 digits `1[3-9]…`: the first 3 and last 4 digits are
//!   kept, `138****5678`;
//! - a PRC resident ID number, 17 digits and a check character (a digit or `X`/`x`), whose
//!   digits 7–14 are a birth date `19xx`/`20xx`, month `01`–`12`, day `01`–`31`: the first 6
//!   and last 4 characters are kept, `110105********002X`. The check character is not verified,
//!   so a mistyped ID number is masked too.
//!
//! Written with spaces or hyphens between digit groups (`138 1234 5678`, `138-1234-5678`,
//! `110105 19491231 002X`), the digits are masked and the separators kept.
//!
//! What is never masked, because it is not one of these numbers:
//!
//! - digits inside a longer digit run: a 20-digit account number, or 12 digits that start like
//!   a phone number;
//! - a number glued to an ASCII letter, digit or `_` (`SKU13812345678`, `13812345678X`), which
//!   is part of a longer alphanumeric token such as an order code;
//! - full-width digits (`１３８…`): out of scope, they are left as written.
//!
//! A group of digits joined by single spaces or hyphens (a "chain") is one number as a whole
//! when its digit count fits (any grouping). Inside a longer chain, only the usual layouts are
//! taken as a number on their own: one group of 11 digits or 3-4-4 for a phone number, one of
//! 18 characters or 6-8-4 for an ID number. So `2026-11-27 13812345678` masks the phone number,
//! while `6222 0213 4567 8901 234` (a card number grouped by four) is left alone.

use std::borrow::Cow;

/// `text` with every mainland-China mobile number and PRC resident ID number masked, as the
/// module documentation describes. Only ASCII digits become `*`, one for one, so the length in
/// characters does not change. Returns `text` itself when there is nothing to mask.
pub fn mask_personal_data(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut masked: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut groups: Vec<Vec<usize>> = Vec::new();
        loop {
            let mut group = Vec::new();
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                group.push(i);
                i += 1;
            }
            groups.push(group);
            let joined = bytes.get(i).is_some_and(|&b| b == b' ' || b == b'-')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !joined {
                break;
            }
            i += 1;
        }
        // A check character X/x belongs to the last group.
        let check = bytes
            .get(i)
            .is_some_and(|&b| b == b'X' || b == b'x')
            .then_some(i);
        let end = check.map_or(i, |x| x + 1);
        // A group glued to a letter belongs to a longer token, but the rest of its chain may
        // still hold a number ("A1 13812345678").
        let glued_before = start > 0 && is_word_byte(bytes[start - 1]);
        let glued_after = bytes.get(end).is_some_and(|&b| is_word_byte(b));
        let lo = usize::from(glued_before);
        let hi = groups.len() - usize::from(glued_after);
        if lo < hi {
            let check = check.filter(|_| !glued_after);
            mask_chain(
                bytes,
                &groups[lo..hi],
                lo == 0 && hi == groups.len(),
                check,
                &mut masked,
            );
        }
        i = end;
    }
    if masked.is_empty() {
        return Cow::Borrowed(text);
    }
    // Only ASCII digits are replaced, so byte offsets are char boundaries.
    let mut out = String::with_capacity(text.len());
    let mut next = masked.iter().peekable();
    for (offset, c) in text.char_indices() {
        if next.peek() == Some(&&offset) {
            next.next();
            out.push('*');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// ASCII letters, digits and `_`: a number touching one is part of a longer token. Other
/// characters (CJK text, punctuation, spaces) end a number, since Chinese text puts no space
/// before one.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Adds to `masked` the byte offsets to mask in the digit `groups` (byte offsets of their
/// digits) of one chain. `check` is the offset of a trailing X/x after the last group, if any;
/// `whole` says whether `groups` is the whole chain, which may then be one number in any
/// grouping.
fn mask_chain(
    bytes: &[u8],
    groups: &[Vec<usize>],
    whole: bool,
    check: Option<usize>,
    masked: &mut Vec<usize>,
) {
    if whole && let Some(found) = match_number(bytes, groups, check) {
        masked.extend(found);
        return;
    }
    // Not one number as a whole: look for one in the usual layouts, left to right.
    let mut first = 0;
    'groups: while first < groups.len() {
        for layout in LAYOUTS {
            let Some(part) = groups.get(first..first + layout.len()) else {
                continue;
            };
            let is_last = first + layout.len() == groups.len();
            let part_check = if is_last { check } else { None };
            let lengths_fit = part.iter().enumerate().all(|(n, group)| {
                let extra = usize::from(n + 1 == part.len() && part_check.is_some());
                group.len() + extra == layout[n]
            });
            if !lengths_fit {
                continue;
            }
            if let Some(found) = match_number(bytes, part, part_check) {
                masked.extend(found);
                first += layout.len();
                continue 'groups;
            }
        }
        first += 1;
    }
}

/// Group layouts that are taken as one number even inside a longer chain. The last group's
/// length counts a check character X.
const LAYOUTS: &[&[usize]] = &[&[11], &[3, 4, 4], &[18], &[6, 8, 4]];

/// The byte offsets to mask if `groups` (plus `check`) are exactly one phone or ID number.
fn match_number(bytes: &[u8], groups: &[Vec<usize>], check: Option<usize>) -> Option<Vec<usize>> {
    let digits: Vec<usize> = groups.iter().flatten().copied().collect();
    let digit = |n: usize| bytes[digits[n]] - b'0';
    match (digits.len(), check) {
        (11, None) if digit(0) == 1 && (3..=9).contains(&digit(1)) => Some(digits[3..7].to_vec()),
        (18, None) | (17, Some(_))
            if is_id_number(&digits.iter().map(|&o| bytes[o]).collect::<Vec<_>>()) =>
        {
            Some(digits[6..14].to_vec())
        }
        _ => None,
    }
}

/// Whether the first 17 (or 18) digits read as an ID number: a region code that does not start
/// with 0, and a plausible birth date.
fn is_id_number(digits: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| {
        digits[range]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    digits[0] != b'0'
        && (1900..=2099).contains(&number(6..10))
        && (1..=12).contains(&number(10..12))
        && (1..=31).contains(&number(12..14))
}

#[cfg(test)]
mod tests {
    use super::mask_personal_data as mask;

    #[test]
    fn a_mobile_number_keeps_its_first_3_and_last_4_digits() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("请回电 13812345678，谢谢"), "请回电 138****5678，谢谢");
        assert_eq!(mask("电话13812345678谢谢"), "电话138****5678谢谢");
        assert_eq!(mask("call 19912345678."), "call 199****5678.");
    }

    #[test]
    fn every_mobile_prefix_from_13_to_19_is_masked_and_others_are_not() {
        for second in 3..=9 {
            let number = format!("1{second}012345678");
            assert_eq!(mask(&number), format!("1{second}0****5678"), "{number}");
        }
        for not_mobile in ["10012345678", "11012345678", "12012345678", "23812345678"] {
            assert_eq!(mask(not_mobile), not_mobile);
        }
    }

    #[test]
    fn an_id_number_keeps_its_first_6_and_last_4_characters() {
        assert_eq!(mask("110105194912310021"), "110105********0021");
        assert_eq!(
            mask("身份证11010519491231002X。"),
            "身份证110105********002X。"
        );
        assert_eq!(mask("id 11010520001231002x"), "id 110105********002x");
        assert_eq!(mask("id 110105200012310021 ok"), "id 110105********0021 ok");
        assert_eq!(mask("id 11010520001231002x ok"), "id 110105********002x ok");
    }

    #[test]
    fn an_id_number_needs_a_plausible_birth_date_and_region() {
        for not_id in [
            "110105184912310021", // born 1849
            "110105210012310021", // born 2100
            "110105194913310021", // month 13
            "110105194900310021", // month 00
            "110105194912320021", // day 32
            "110105194912000021", // day 00
            "010105194912310021", // region 0…
        ] {
            assert_eq!(mask(not_id), not_id);
        }
    }

    #[test]
    fn grouped_numbers_mask_the_digits_and_keep_the_separators() {
        assert_eq!(mask("138 1234 5678"), "138 **** 5678");
        assert_eq!(mask("138-1234-5678"), "138-****-5678");
        assert_eq!(mask("1381-234-5678"), "138*-***-5678");
        assert_eq!(mask("110105 19491231 002X"), "110105 ******** 002X");
        assert_eq!(mask("110105-19491231-0021"), "110105-********-0021");
        assert_eq!(mask("1101 0519 4912 3100 21"), "1101 05** **** **00 21");
    }

    #[test]
    fn a_number_in_a_longer_chain_is_masked_in_the_usual_layouts() {
        assert_eq!(mask("2026-11-27 13812345678"), "2026-11-27 138****5678");
        assert_eq!(mask("3 138 1234 5678"), "3 138 **** 5678");
        assert_eq!(
            mask("2026-11-27 110105 19491231 002X"),
            "2026-11-27 110105 ******** 002X"
        );
        // A card number grouped by four is not a phone number.
        assert_eq!(mask("6222 0213 4567 8901 234"), "6222 0213 4567 8901 234");
    }

    #[test]
    fn digits_in_a_longer_digit_run_are_never_masked() {
        for longer in [
            "12345678901234567890",     // 20 digits
            "138123456789",             // 12 digits starting like a phone
            "013812345678",             // 12 digits ending like a phone
            "1101051949123100211",      // 19 digits starting like an ID
            "8613812345678",            // +86 written without a separator
            "6222 0213 8123 4567 8901", // a card number
            "138 1234 56789",           // one digit too many
        ] {
            assert_eq!(mask(longer), longer);
        }
    }

    #[test]
    fn numbers_inside_longer_alphanumeric_tokens_are_not_masked() {
        for token in [
            "SKU13812345678",
            "13812345678X",
            "13812345678abc",
            "order_13812345678",
            "a110105194912310021",
            "110105194912310021b",
            "110105194912310021X",
        ] {
            assert_eq!(mask(token), token);
        }
    }

    #[test]
    fn boundaries_are_non_word_characters_and_the_ends_of_the_text() {
        assert_eq!(mask("(13812345678)"), "(138****5678)");
        assert_eq!(mask("+13812345678"), "+138****5678");
        assert_eq!(mask("13812345678/13912345678"), "138****5678/139****5678");
        assert_eq!(mask("138-1234-5678-"), "138-****-5678-");
        assert_eq!(mask("-13812345678 "), "-138****5678 ");
        // Two spaces split a chain: each part is too short.
        assert_eq!(mask("138  1234  5678"), "138  1234  5678");
        // A group glued to a letter is left out, not the rest of its chain.
        assert_eq!(mask("A1 13812345678"), "A1 138****5678");
        assert_eq!(mask("13812345678 2B"), "138****5678 2B");
    }

    #[test]
    fn several_numbers_in_one_comment_are_all_masked() {
        assert_eq!(
            mask("手机13812345678，身份证110105194912310021，备用 139-0000-1111"),
            "手机138****5678，身份证110105********0021，备用 139-****-1111"
        );
    }

    #[test]
    fn text_without_numbers_is_returned_as_is() {
        assert!(matches!(
            mask("排队太久 <b>"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(mask(""), "");
        assert_eq!(mask("等了 30 分钟，5 星"), "等了 30 分钟，5 星");
        assert_eq!(mask("2026-11-27"), "2026-11-27");
        assert_eq!(mask("😡13812345678😡"), "😡138****5678😡");
    }

    #[test]
    fn full_width_digits_are_out_of_scope_and_left_alone() {
        assert_eq!(mask("１３８１２３４５６７８"), "１３８１２３４５６７８");
    }

    #[test]
    fn masking_keeps_the_length_in_characters() {
        let text = "电话 138-1234-5678 身份证 110105194912310021";
        assert_eq!(mask(text).chars().count(), text.chars().count());
    }

    #[test]
    fn masking_twice_changes_nothing_more() {
        let once = mask("13812345678 110105194912310021").into_owned();
        assert_eq!(mask(&once), once);
    }
}
