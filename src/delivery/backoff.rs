//! When to try again: exponential backoff with jitter, the attempt caps, and `Retry-After`.

/// The retry schedule and caps. [`RetryPolicy::default`] is what ships; tests use
/// [`RetryPolicy::with_base_ms`] to run the same schedule faster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay before the second attempt, before jitter. Defaults to 1 000 ms.
    pub base_ms: u64,
    /// The longest backoff delay. Defaults to 60 000 ms (60 × `base_ms`).
    pub cap_ms: u64,
    /// The most attempts per item, over all page lives. Defaults to 10.
    pub max_attempts: u32,
    /// The most attempts per item that end without an answer (status 0: offline, CORS,
    /// blocked, timeout) within one page life. Defaults to 3.
    pub max_network_attempts: u32,
    /// The longest wait a `Retry-After` header can ask for. Defaults to 300 000 ms; a longer
    /// request is cut to this.
    pub retry_after_cap_ms: u64,
}

/// The shipped base delay.
pub const BASE_MS: u64 = 1_000;
/// How many base delays the backoff may grow to (1 s → 60 s).
const CAP_FACTOR: u64 = 60;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::with_base_ms(BASE_MS)
    }
}

impl RetryPolicy {
    /// The shipped schedule scaled to another base delay, for tests: the cap stays 60 bases,
    /// the attempt caps and the `Retry-After` cap stay as shipped (a server's `Retry-After` is
    /// in real seconds). A base of 0 is taken as 1 ms.
    pub fn with_base_ms(base_ms: u64) -> RetryPolicy {
        let base_ms = base_ms.max(1);
        RetryPolicy {
            base_ms,
            cap_ms: base_ms.saturating_mul(CAP_FACTOR),
            max_attempts: 10,
            max_network_attempts: 3,
            retry_after_cap_ms: 300_000,
        }
    }

    /// How long an item being sent is not due for anyone else (another tab, the next page
    /// life): 10 base delays, the request timeout as shipped. A page that dies mid-request
    /// leaves its item to be tried again this long after the attempt started.
    pub fn in_flight_ms(&self) -> u64 {
        self.base_ms.saturating_mul(10)
    }

    /// The backoff before the next attempt, after `attempts` attempts have failed (1 for the
    /// first failure): `base × 2^(attempts − 1)`, at most the cap, then "equal jitter": a
    /// uniform pick in the upper half, so that tabs that failed together spread out but no
    /// wait is shorter than half the schedule. `random` is in `[0, 1)`.
    pub fn backoff_ms(&self, attempts: u32, random: f64) -> u64 {
        let exponent = attempts.saturating_sub(1).min(32);
        let full = self
            .base_ms
            .saturating_mul(1u64 << exponent)
            .min(self.cap_ms);
        let half = full / 2;
        // `as` saturates and maps NaN to 0; `random` is clamped so that a bad source cannot
        // push the wait past the schedule.
        let jitter = ((full - half) as f64 * random.clamp(0.0, 1.0)) as u64;
        half.saturating_add(jitter).min(full)
    }

    /// The wait before the next attempt: the backoff, or what `Retry-After` asked for (at most
    /// [`RetryPolicy::retry_after_cap_ms`]), whichever is longer.
    pub fn delay_ms(&self, attempts: u32, retry_after_ms: Option<u64>, random: f64) -> u64 {
        let backoff = self.backoff_ms(attempts, random);
        match retry_after_ms {
            Some(ms) => backoff.max(ms.min(self.retry_after_cap_ms)),
            None => backoff,
        }
    }
}

/// Milliseconds to wait that a `Retry-After` value asks for, or `None` if it cannot be read.
///
/// Both forms of RFC 9110 are read: delay-seconds (`120`) and an HTTP-date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 and asctime forms). A date in
/// the past means no wait. The result is not capped here; [`RetryPolicy::delay_ms`] caps it.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit saturate: such a wait is capped anyway.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    let at = http_date_ms(value)?;
    Some(at.saturating_sub(now_ms))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An HTTP-date as milliseconds since the epoch. Hand-written to keep a date library out of
/// the wasm.
fn http_date_ms(value: &str) -> Option<u64> {
    let mut tokens = value
        .split([' ', ',', '-', ':'])
        .filter(|t| !t.is_empty())
        .peekable();
    // The weekday is redundant; skip it.
    tokens.next_if(|t| t.bytes().all(|b| b.is_ascii_alphabetic()))?;
    let number = |t: Option<&str>| -> Option<u64> {
        let t = t?;
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let month_of = |t: Option<&str>| -> Option<u64> {
        let t = t?.to_ascii_lowercase();
        MONTHS.iter().position(|m| *m == t).map(|i| i as u64 + 1)
    };
    let (day, month, year, hour, minute, second): (u64, u64, u64, u64, u64, u64);
    if tokens.peek()?.bytes().all(|b| b.is_ascii_alphabetic()) {
        // asctime: `Sun Nov  6 08:49:37 1994`
        month = month_of(tokens.next())?;
        day = number(tokens.next())?;
        hour = number(tokens.next())?;
        minute = number(tokens.next())?;
        second = number(tokens.next())?;
        year = number(tokens.next())?;
    } else {
        // IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` and RFC 850 `Sunday, 06-Nov-94 …`.
        day = number(tokens.next())?;
        month = month_of(tokens.next())?;
        let y = number(tokens.next())?;
        // RFC 9110: a two-digit year more than 50 years ahead is in the past century; today
        // every two-digit year is 20xx.
        year = if y < 100 { 2000 + y } else { y };
        hour = number(tokens.next())?;
        minute = number(tokens.next())?;
        second = number(tokens.next())?;
        if !tokens.next()?.eq_ignore_ascii_case("gmt") {
            return None;
        }
    }
    if tokens.next().is_some()
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || year < 1970
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000)
}

/// Days from 1970-01-01 to the given date (proleptic Gregorian), after Howard Hinnant's
/// `days_from_civil`, for years from 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_doubles_from_one_second_and_stops_at_sixty() {
        let p = RetryPolicy::default();
        // With the top of the jitter range (random → 1) the wait is the full schedule.
        let full: Vec<u64> = (1..=10).map(|a| p.backoff_ms(a, 0.999_999_9)).collect();
        assert_eq!(
            full,
            [
                999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999, 59999
            ]
        );
        // With the bottom, half of it.
        let low: Vec<u64> = (1..=8).map(|a| p.backoff_ms(a, 0.0)).collect();
        assert_eq!(low, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    }

    #[test]
    fn jitter_stays_within_the_upper_half_for_any_random_value() {
        let p = RetryPolicy::default();
        for r in [0.0, 0.25, 0.5, 0.75, 0.999, 1.0, 7.0, -3.0, f64::NAN] {
            for a in 1..=12 {
                let full = (1000u64 << (a - 1).min(6)).min(60_000);
                let d = p.backoff_ms(a, r);
                assert!(d >= full / 2 && d <= full, "attempt {a}, random {r}: {d}");
            }
        }
        assert_eq!(p.backoff_ms(3, 0.5), 3000);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(u32::MAX, 0.0), 30_000);
        assert_eq!(p.backoff_ms(0, 0.0), 500);
        let slow = RetryPolicy::with_base_ms(u64::MAX);
        assert_eq!(slow.backoff_ms(40, 1.0), u64::MAX);
    }

    #[test]
    fn the_test_base_scales_the_schedule_but_not_the_caps() {
        let p = RetryPolicy::with_base_ms(10);
        assert_eq!(p.cap_ms, 600);
        assert_eq!(p.backoff_ms(1, 0.0), 5);
        assert_eq!(p.backoff_ms(10, 0.0), 300);
        assert_eq!(p.max_attempts, 10);
        assert_eq!(p.max_network_attempts, 3);
        assert_eq!(p.retry_after_cap_ms, 300_000);
        assert_eq!(RetryPolicy::with_base_ms(0).base_ms, 1);
    }

    #[test]
    fn retry_after_wins_when_longer_and_is_capped_at_five_minutes() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(1, Some(2_000), 0.0), 2_000);
        assert_eq!(p.delay_ms(1, Some(0), 0.0), 500);
        assert_eq!(p.delay_ms(5, Some(2_000), 0.0), 8_000);
        assert_eq!(p.delay_ms(1, Some(300_000), 0.0), 300_000);
        assert_eq!(p.delay_ms(1, Some(300_001), 0.0), 300_000);
        assert_eq!(p.delay_ms(1, Some(u64::MAX), 0.0), 300_000);
        assert_eq!(p.delay_ms(1, None, 0.0), 500);
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(parse_retry_after("2", 0), Some(2_000));
        assert_eq!(parse_retry_after(" 120 ", 0), Some(120_000));
        assert_eq!(parse_retry_after("0", 0), Some(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(u64::MAX)
        );
        for bad in ["", " ", "-1", "1.5", "2s", "abc", "+3", "Sun"] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad:?}");
        }
    }

    /// 1994-11-06T08:49:37Z, the RFC's example.
    const RFC_EXAMPLE_MS: u64 = 784_111_777_000;

    #[test]
    fn retry_after_http_dates_in_all_three_forms() {
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "sun, 06 nov 1994 08:49:37 gmt",
        ] {
            // Two-digit years are read as 20xx, so the RFC 850 form lands in 2094.
            let expected = if form.contains("-94") {
                http_date_ms("Sat, 06 Nov 2094 08:49:37 GMT")
            } else {
                Some(RFC_EXAMPLE_MS)
            };
            assert_eq!(http_date_ms(form), expected, "{form}");
        }
        let now = RFC_EXAMPLE_MS - 7_000;
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(7_000)
        );
        // A date in the past: no wait.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE_MS + 1),
            Some(0)
        );
    }

    #[test]
    fn http_dates_agree_with_known_epochs() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_ms("Fri, 27 Nov 2026 19:40:00 GMT"),
            Some(1_795_808_400_000)
        );
        // Leap day and the end of a leap year.
        assert_eq!(
            http_date_ms("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(1_709_164_800_000)
        );
        assert_eq!(
            http_date_ms("Tue, 31 Dec 2024 23:59:59 GMT"),
            Some(1_735_689_599_000)
        );
    }

    #[test]
    fn malformed_dates_are_refused_without_panicking() {
        for bad in [
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov 99999 08:49:37 GMT",
            "06 Nov 1994 08:49:37 GMT",
            "Sun,",
            "Sun Nov",
            "Sun, ١٢ Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }
}
