//! What an HTTP status means for an item in the outbox.

/// What to do with an item after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// The endpoint has the response: remove the item. 2xx, and 409 (the endpoint already holds
    /// a response for this transaction, so a retry could never succeed and the customer's
    /// rating is on record).
    Delivered,
    /// Try again later: no answer (status 0: offline, DNS, CORS, blocked, timeout), 408, 425,
    /// 429, 5xx, and statuses a `fetch` should never see (1xx, 3xx, above 599).
    Retry,
    /// The endpoint refused this very request, and sending it again would get the same answer:
    /// drop the item, report it, and never send it again. Every other 4xx (400, 401, 403, 404,
    /// 413, 415, 422, …).
    Final,
}

/// The status a failed `fetch` is given: it never got an answer.
pub const NO_ANSWER: u16 = 0;

/// Classifies the outcome of one attempt; `status` is [`NO_ANSWER`] when `fetch` rejected.
pub const fn classify(status: u16) -> Class {
    match status {
        200..=299 | 409 => Class::Delivered,
        408 | 425 | 429 => Class::Retry,
        400..=499 => Class::Final,
        _ => Class::Retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_s_statuses() {
        for status in [NO_ANSWER, 408, 425, 429, 500, 502, 503, 504, 599] {
            assert_eq!(classify(status), Class::Retry, "{status}");
        }
        for status in [200, 201, 202, 204, 299, 409] {
            assert_eq!(classify(status), Class::Delivered, "{status}");
        }
        for status in [400, 401, 403, 404, 405, 410, 413, 415, 422, 451, 499] {
            assert_eq!(classify(status), Class::Final, "{status}");
        }
    }

    #[test]
    fn statuses_fetch_should_never_show_are_retried_not_dropped() {
        for status in [1, 100, 199, 300, 301, 304, 399, 600, 999, u16::MAX] {
            assert_eq!(classify(status), Class::Retry, "{status}");
        }
    }
}
