//! Numbers written as decimal digits without `core::fmt`.
//!
//! `to_string()` and `format!` on an integer pull `core::fmt`'s machinery into the widget's
//! wasm; the messages `model` builds on every keystroke (answer problems) and the widget's
//! counters use this instead.

/// `n` in decimal digits, with a leading `-` when negative.
pub fn decimal(n: i64) -> String {
    let mut digits = Vec::with_capacity(20);
    let mut rest = n.unsigned_abs();
    loop {
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_what_to_string_writes() {
        for n in [0, 7, -7, 10, 500, -1234567, i64::MAX, i64::MIN] {
            assert_eq!(super::decimal(n), n.to_string());
        }
    }
}
