//! The outbox against a map standing in for `localStorage`, a settable clock and a fixed random
//! sequence. "Reload" is a new `Outbox` (and a new `Env`) over the same map.

use super::*;
use crate::delivery::testing::{CORRUPTED, Harness, T0};
use crate::delivery::{Env, NO_ANSWER};

const ENDPOINT: &str = "https://collector.example.cn/v1/responses";

fn id(n: usize) -> String {
    // UUID-shaped, so that sizes are realistic.
    let mut digits = String::new();
    crate::delivery::store::decimal(&mut digits, n as u64);
    let mut id = "00000000-0000-4000-8000-000000000000".to_owned();
    id.replace_range(36 - digits.len().., &digits);
    id
}

fn body(id: &str, comment: &str) -> String {
    serde_json::json!({
        "response_id": id,
        "survey": {"id": "default", "version": 1},
        "transaction": {"id": "PAY-1", "type": "bill_payment", "unit": "城东供电营业厅"},
        "answers": {"satisfaction": 2, "reasons": ["long_wait"], "comment": comment},
        "locale": "zh-CN",
        "submitted_at": "2026-11-27T08:30:00.123Z",
        "page": "https://95598.example.cn/hall/pay",
        "widget_version": "0.1.0"
    })
    .to_string()
}

fn outbox() -> Outbox {
    Outbox::new(RetryPolicy::default())
}

fn push(o: &mut Outbox, env: &Env, n: usize) -> Vec<Dropped> {
    let id = id(n);
    o.push(env, &id, ENDPOINT, &body(&id, "排队太久")).unwrap()
}

fn ids(pending: &[Pending]) -> Vec<String> {
    pending.iter().map(|p| p.response_id.clone()).collect()
}

fn stored(h: &Harness) -> OutboxState {
    OutboxState::decode(&h.kv.value(OUTBOX_KEY).unwrap()).unwrap()
}

#[test]
fn a_response_is_stored_before_its_first_send_and_removed_once_delivered() {
    let h = Harness::new();
    let mut o = outbox();
    assert_eq!(push(&mut o, &h.env, 1), []);
    // In storage under the one key, with its id and the exact body, before any send.
    let state = stored(&h);
    assert_eq!(state.items.len(), 1);
    assert_eq!(state.items[0].id, id(1));
    assert_eq!(state.items[0].body, body(&id(1), "排队太久"));
    assert_eq!(state.items[0].attempts, 0);
    assert_eq!(h.kv.keys(), [OUTBOX_KEY]);

    let send = o.take(&h.env, &id(1)).unwrap();
    assert_eq!(send.response_id, id(1));
    assert_eq!(send.endpoint, ENDPOINT);
    assert_eq!(send.body, body(&id(1), "排队太久"));
    // A double click: the item is in flight already.
    assert_eq!(o.take(&h.env, &id(1)), None);
    assert_eq!(o.settle(&h.env, &id(1), 201, None), Outcome::Delivered);
    assert_eq!(o.pending(&h.env), []);
    assert_eq!(o.take_due(&h.env), Due::default());
}

#[test]
fn every_attempt_sends_the_same_id_and_body() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    let first = o.take(&h.env, &id(1)).unwrap();
    assert_eq!(
        o.settle(&h.env, &id(1), 503, None),
        Outcome::Retry { in_ms: 500 }
    );
    h.clock.advance(500);
    let due = o.take_due(&h.env);
    assert_eq!(due.sends, [first]);
}

#[test]
fn three_500s_then_200_is_exactly_four_attempts_on_the_schedule() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    // Top of the jitter range: the full schedule.
    h.random.set(&[0.999_999]);
    let mut sends = vec![o.take(&h.env, &id(1)).unwrap()];
    let mut waits = Vec::new();
    for _ in 0..3 {
        let Outcome::Retry { in_ms } = o.settle(&h.env, &id(1), 500, None) else {
            panic!("retry expected");
        };
        waits.push(in_ms);
        // Not a millisecond early.
        h.clock.advance(in_ms - 1);
        let early = o.take_due(&h.env);
        assert_eq!(early.sends, []);
        assert_eq!(early.wake_in_ms, Some(1));
        h.clock.advance(1);
        sends.extend(o.take_due(&h.env).sends);
    }
    assert_eq!(waits, [999, 1999, 3999]);
    assert_eq!(o.settle(&h.env, &id(1), 200, None), Outcome::Delivered);
    assert_eq!(sends.len(), 4);
    assert!(sends.iter().all(|s| s.response_id == id(1)));
}

#[test]
fn always_500_stops_at_ten_attempts_and_drops_the_item_once() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    let mut attempts = 0;
    let mut outcomes = Vec::new();
    let mut next = o.take(&h.env, &id(1));
    while let Some(send) = next {
        attempts += 1;
        let outcome = o.settle(&h.env, &send.response_id, 500, None);
        outcomes.push(outcome);
        h.clock.advance(60_000);
        let due = o.take_due(&h.env);
        assert_eq!(due.dropped, []);
        next = due.sends.into_iter().next();
    }
    assert_eq!(attempts, 10);
    assert_eq!(outcomes.last(), Some(&Outcome::Dropped(DropReason::GaveUp)));
    assert!(
        outcomes[..9]
            .iter()
            .all(|o| matches!(o, Outcome::Retry { .. }))
    );
    // Quiet afterwards, also after a reload.
    let mut reloaded = outbox();
    assert_eq!(reloaded.take_due(&h.env), Due::default());
    assert_eq!(
        reloaded.push(&h.env, &id(1), ENDPOINT, "{}"),
        Err(PushError::AlreadySettled(false))
    );
}

#[test]
fn an_item_whose_tenth_attempt_never_settled_is_dropped_by_the_next_page() {
    let h = Harness::new();
    {
        let mut o = outbox();
        push(&mut o, &h.env, 1);
        for _ in 0..9 {
            o.take(&h.env, &id(1)).unwrap();
            o.settle(&h.env, &id(1), 503, None);
        }
        // The tenth starts, and the tab closes before the answer.
        o.take(&h.env, &id(1)).unwrap();
    }
    h.clock.advance(1);
    let mut next_page = outbox();
    let due = next_page.take_due(&h.env);
    assert_eq!(due.sends, []);
    assert_eq!(
        due.dropped,
        [Dropped {
            response_id: id(1),
            reason: DropReason::GaveUp
        }]
    );
}

#[test]
fn three_attempts_without_an_answer_pause_the_item_for_this_page_life() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    assert!(matches!(
        o.settle(&h.env, &id(1), NO_ANSWER, None),
        Outcome::Retry { .. }
    ));
    h.clock.advance(60_000);
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
    assert!(matches!(
        o.settle(&h.env, &id(1), NO_ANSWER, None),
        Outcome::Retry { .. }
    ));
    h.clock.advance(60_000);
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
    assert_eq!(o.settle(&h.env, &id(1), NO_ANSWER, None), Outcome::Paused);
    h.clock.advance(60 * 60_000);
    // Paused: nothing to send and nothing to wake for.
    assert_eq!(o.take_due(&h.env), Due::default());
    assert_eq!(o.take(&h.env, &id(1)).map(|s| s.response_id), Some(id(1)));
    o.settle(&h.env, &id(1), NO_ANSWER, None);
    h.clock.advance(60_000);
    assert_eq!(o.take_due(&h.env), Due::default());
    // `online` resumes.
    o.resume();
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
    o.settle(&h.env, &id(1), NO_ANSWER, None);
    h.clock.advance(60_000);
    // A new page life tries again; the item kept its attempts.
    let mut reloaded = outbox();
    assert_eq!(reloaded.take_due(&h.env).sends.len(), 1);
    assert_eq!(reloaded.pending(&h.env)[0].attempts, 6);
}

#[test]
fn answered_failures_do_not_count_towards_the_network_cap() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    for status in [NO_ANSWER, NO_ANSWER, 503, 500, 502] {
        assert!(
            matches!(
                o.settle(&h.env, &id(1), status, None),
                Outcome::Retry { .. }
            ),
            "{status}"
        );
        h.clock.advance(60_000);
        assert_eq!(o.take_due(&h.env).sends.len(), 1);
    }
}

#[test]
fn retry_after_seconds_hold_the_next_attempt_back() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    assert_eq!(
        o.settle(&h.env, &id(1), 429, Some("2")),
        Outcome::Retry { in_ms: 2_000 }
    );
    h.clock.advance(1_999);
    assert_eq!(o.take_due(&h.env).sends, []);
    h.clock.advance(1);
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
}

#[test]
fn retry_after_is_capped_at_five_minutes_and_dates_work_too() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    assert_eq!(
        o.settle(&h.env, &id(1), 503, Some("3600")),
        Outcome::Retry { in_ms: 300_000 }
    );
    h.clock.advance(300_000);
    o.take_due(&h.env).sends.first().unwrap();
    // 2026-11-27T00:00:30Z is 30 s after T0.
    assert_eq!(
        o.settle(&h.env, &id(1), 429, Some("Fri, 27 Nov 2026 00:05:30 GMT")),
        Outcome::Retry { in_ms: 30_000 }
    );
    assert_eq!(h.clock.get(), T0 + 300_000);
    // Unreadable: the backoff alone.
    h.clock.advance(30_000);
    o.take_due(&h.env).sends.first().unwrap();
    assert_eq!(
        o.settle(&h.env, &id(1), 503, Some("soon")),
        Outcome::Retry { in_ms: 2_000 }
    );
}

#[test]
fn a_409_counts_as_delivered() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    assert_eq!(o.settle(&h.env, &id(1), 409, None), Outcome::Delivered);
    assert_eq!(o.pending(&h.env), []);
}

#[test]
fn a_final_4xx_drops_the_item_and_it_is_never_sent_again_even_after_a_reload() {
    for status in [400, 401, 403, 404, 413, 415, 422] {
        let h = Harness::new();
        let mut o = outbox();
        push(&mut o, &h.env, 1);
        o.take(&h.env, &id(1)).unwrap();
        assert_eq!(
            o.settle(&h.env, &id(1), status, None),
            Outcome::Dropped(DropReason::Rejected(status))
        );
        h.clock.advance(1);
        let mut reloaded = outbox();
        assert_eq!(reloaded.take_due(&h.env), Due::default(), "{status}");
        assert_eq!(reloaded.on_pagehide(&h.env), []);
        assert_eq!(
            reloaded.push(&h.env, &id(1), ENDPOINT, &body(&id(1), "")),
            Err(PushError::AlreadySettled(false))
        );
    }
}

#[test]
fn a_stale_copy_in_another_tab_s_memory_does_not_bring_a_dropped_item_back() {
    let a = Harness::new();
    let b = a.other_tab();
    let mut oa = outbox();
    let mut ob = outbox();
    push(&mut oa, &a.env, 1);
    // Tab B reads the item, then its storage writes start failing: it keeps a copy in memory.
    b.kv.fail_set.set(true);
    ob.take(&b.env, &id(1)).unwrap();
    // Tab A sends it and the endpoint refuses it for good.
    oa.take(&a.env, &id(1)).unwrap();
    assert_eq!(
        oa.settle(&a.env, &id(1), 422, None),
        Outcome::Dropped(DropReason::Rejected(422))
    );
    // B merges its stale copy with storage: the memory of the drop wins.
    a.clock.advance(60_000);
    assert_eq!(ob.pending(&b.env), []);
    assert_eq!(
        ob.settle(&b.env, &id(1), 503, None),
        Outcome::Dropped(DropReason::Rejected(422))
    );
    ob.forget_in_flight();
    assert_eq!(ob.take_due(&b.env).sends, []);
}

#[test]
fn pushing_past_twenty_evicts_the_oldest_and_reports_it() {
    let h = Harness::new();
    let mut o = outbox();
    for n in 1..=20 {
        h.clock.advance(1);
        assert_eq!(push(&mut o, &h.env, n), []);
    }
    h.clock.advance(1);
    assert_eq!(
        push(&mut o, &h.env, 21),
        [Dropped {
            response_id: id(1),
            reason: DropReason::Evicted
        }]
    );
    h.clock.advance(1);
    assert_eq!(push(&mut o, &h.env, 22)[0].response_id, id(2));
    let pending = o.pending(&h.env);
    assert_eq!(pending.len(), MAX_ITEMS);
    assert_eq!(ids(&pending), (3..=22).map(id).collect::<Vec<_>>());
    // An evicted id is remembered as dropped.
    assert_eq!(
        o.push(&h.env, &id(1), ENDPOINT, "{}"),
        Err(PushError::AlreadySettled(false))
    );
}

#[test]
fn two_hundred_pending_items_stay_within_the_caps() {
    let h = Harness::new();
    let mut o = outbox();
    let mut evicted = Vec::new();
    for n in 1..=200 {
        h.clock.advance(1_000);
        let id = id(n);
        let comment = "很长的意见".repeat(100);
        evicted.extend(o.push(&h.env, &id, ENDPOINT, &body(&id, &comment)).unwrap());
        let bytes = h.kv.value(OUTBOX_KEY).unwrap().len();
        assert!(bytes <= MAX_BYTES, "{bytes} bytes after {n}");
        assert!(o.pending(&h.env).len() <= MAX_ITEMS);
    }
    assert_eq!(evicted.len(), 180);
    // Oldest first, each once.
    assert_eq!(
        evicted
            .iter()
            .map(|d| d.response_id.clone())
            .collect::<Vec<_>>(),
        (1..=180).map(id).collect::<Vec<_>>()
    );
    assert!(evicted.iter().all(|d| d.reason == DropReason::Evicted));
    // The memory of settled ids is bounded too.
    assert_eq!(stored(&h).done.len(), MAX_DONE);
}

#[test]
fn the_64_kb_bound_evicts_by_size_when_comments_are_large() {
    let h = Harness::new();
    let mut o = outbox();
    // Bodies of about 15 KB: four fit in 64 KB, five do not.
    let comment = "意".repeat((15_000 - 450) / 3);
    let mut evicted = Vec::new();
    for n in 1..=8 {
        h.clock.advance(1);
        let id = id(n);
        let b = body(&id, &comment);
        assert!(b.len() <= MAX_BODY_BYTES && b.len() > 14_500, "{}", b.len());
        evicted.extend(o.push(&h.env, &id, ENDPOINT, &b).unwrap());
    }
    let stored_len = h.kv.value(OUTBOX_KEY).unwrap().len();
    assert!(stored_len <= MAX_BYTES, "{stored_len}");
    assert!(stored_len > MAX_BYTES - 16 * 1024, "{stored_len}");
    assert_eq!(ids(&o.pending(&h.env)), (5..=8).map(id).collect::<Vec<_>>());
    assert_eq!(
        evicted
            .iter()
            .map(|d| d.response_id.clone())
            .collect::<Vec<_>>(),
        (1..=4).map(id).collect::<Vec<_>>()
    );
}

#[test]
fn a_body_over_16_kb_is_refused() {
    let h = Harness::new();
    let mut o = outbox();
    let big = "x".repeat(MAX_BODY_BYTES + 1);
    assert_eq!(
        o.push(&h.env, &id(1), ENDPOINT, &big),
        Err(PushError::TooLarge)
    );
    let fits = "x".repeat(MAX_BODY_BYTES);
    assert_eq!(o.push(&h.env, &id(1), ENDPOINT, &fits), Ok(Vec::new()));
}

#[test]
fn pushing_a_pending_id_again_changes_nothing() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    o.settle(&h.env, &id(1), 503, None);
    h.clock.advance(10);
    assert_eq!(
        o.push(&h.env, &id(1), ENDPOINT, "{\"other\":1}"),
        Ok(vec![])
    );
    let pending = o.pending(&h.env);
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].created_ms, T0);
    assert_eq!(stored(&h).items[0].body, body(&id(1), "排队太久"));
}

#[test]
fn items_expire_exactly_at_seven_days() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    o.settle(&h.env, &id(1), NO_ANSWER, None);
    let mut reloaded = outbox();
    h.clock.set(T0 + MAX_AGE_MS - 1);
    let due = reloaded.take_due(&h.env);
    assert_eq!(due.sends.len(), 1);
    assert_eq!(due.dropped, []);
    reloaded.settle(&h.env, &id(1), NO_ANSWER, None);
    h.clock.set(T0 + MAX_AGE_MS);
    let due = reloaded.take_due(&h.env);
    assert_eq!(due.sends, []);
    assert_eq!(
        due.dropped,
        [Dropped {
            response_id: id(1),
            reason: DropReason::Expired
        }]
    );
    // Reported once.
    assert_eq!(reloaded.take_due(&h.env), Due::default());
}

#[test]
fn expiry_found_by_settle_is_reported_by_the_next_take_due() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    h.clock.advance(MAX_AGE_MS - 10);
    push(&mut o, &h.env, 2);
    o.take(&h.env, &id(2)).unwrap();
    h.clock.advance(10);
    assert_eq!(o.settle(&h.env, &id(2), 201, None), Outcome::Delivered);
    assert_eq!(o.take_due(&h.env).dropped[0].response_id, id(1));
}

#[test]
fn the_memory_of_settled_ids_expires_and_then_the_key_is_removed() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    o.settle(&h.env, &id(1), 201, None);
    assert!(h.kv.value(OUTBOX_KEY).is_some());
    h.clock.advance(MAX_AGE_MS);
    push(&mut o, &h.env, 2);
    o.take(&h.env, &id(2)).unwrap();
    o.settle(&h.env, &id(2), 201, None);
    assert_eq!(
        stored(&h)
            .done
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>(),
        [id(2)]
    );
    h.clock.advance(MAX_AGE_MS);
    assert_eq!(o.take_due(&h.env), Due::default());
    o.on_pagehide(&h.env);
    assert_eq!(h.kv.value(OUTBOX_KEY), None);
}

#[test]
fn storage_throwing_on_get_still_delivers_from_memory() {
    let h = Harness::new();
    h.kv.fail_get.set(true);
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    let send = o.take(&h.env, &id(1)).unwrap();
    assert_eq!(send.response_id, id(1));
    assert!(matches!(
        o.settle(&h.env, &id(1), 503, None),
        Outcome::Retry { .. }
    ));
    h.clock.advance(60_000);
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
    assert_eq!(o.settle(&h.env, &id(1), 201, None), Outcome::Delivered);
}

#[test]
fn storage_throwing_on_set_keeps_items_in_memory_until_it_works_again() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    // Quota exceeded from now on.
    h.kv.quota.set(Some(10));
    push(&mut o, &h.env, 2);
    assert_eq!(ids(&o.pending(&h.env)), [id(1), id(2)]);
    assert_eq!(stored(&h).items.len(), 1);
    // Another tab changes storage meanwhile: both are kept.
    let b = h.other_tab();
    h.kv.quota.set(None);
    let mut ob = outbox();
    h.clock.advance(1);
    push(&mut ob, &b.env, 3);
    h.kv.quota.set(Some(10));
    assert_eq!(ids(&o.pending(&h.env)), [id(1), id(2), id(3)]);
    // Storage works again: the next write saves everything.
    h.kv.quota.set(None);
    h.clock.advance(1);
    let due = o.take_due(&h.env);
    assert_eq!(due.sends.len(), 3);
    assert_eq!(stored(&h).items.len(), 3);
}

#[test]
fn storage_throwing_everywhere_never_panics_and_loses_nothing() {
    let h = Harness::new();
    h.kv.fail_all();
    let mut o = outbox();
    for n in 1..=3 {
        push(&mut o, &h.env, n);
    }
    let due = o.take_due(&h.env);
    assert_eq!(due.sends.len(), 3);
    for send in &due.sends {
        assert_eq!(
            o.settle(&h.env, &send.response_id, 201, None),
            Outcome::Delivered
        );
    }
    h.clock.advance(MAX_AGE_MS);
    assert_eq!(o.take_due(&h.env), Due::default());
    assert_eq!(h.kv.keys(), Vec::<String>::new());
}

#[test]
fn corrupted_stored_values_start_fresh() {
    for junk in CORRUPTED {
        let h = Harness::new();
        h.kv.put(OUTBOX_KEY, junk);
        let mut o = outbox();
        assert_eq!(o.pending(&h.env), [], "{junk:?}");
        assert_eq!(o.take_due(&h.env), Due::default());
        push(&mut o, &h.env, 1);
        assert_eq!(stored(&h).items.len(), 1, "{junk:?}");
    }
}

#[test]
fn lines_this_code_did_not_write_make_the_value_corrupted() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    let written = h.kv.value(OUTBOX_KEY).unwrap();
    for bad in [
        [&written, "\textra"].concat(),
        [&written, "\nX\tnew-kind"].concat(),
        written.replacen("\t0\t", "\tx\t", 1),
        written.replacen("\t0\t", "\t99999999999\t", 1),
        [&written, "\nD\tid\t1\t200"].concat(),
        [&written, "\nD\tid\t1"].concat(),
        written.replacen("排", "\\q", 1),
    ] {
        assert!(OutboxState::decode(&bad).is_none(), "{bad:?}");
    }
}

#[test]
fn text_fields_survive_tabs_newlines_and_backslashes() {
    let h = Harness::new();
    let mut o = outbox();
    let odd = "id\twith\ntabs\\and\\tbackslashes\\";
    o.push(&h.env, odd, "https://e/\t\n", "{\"a\":\"\\n\"}\n\t")
        .unwrap();
    let send = o.take(&h.env, odd).unwrap();
    assert_eq!(send.response_id, odd);
    assert_eq!(send.endpoint, "https://e/\t\n");
    assert_eq!(send.body, "{\"a\":\"\\n\"}\n\t");
    assert_eq!(h.kv.value(OUTBOX_KEY).unwrap().lines().count(), 1);
}

#[test]
fn two_tabs_share_the_outbox_and_each_item_is_settled_once() {
    let a = Harness::new();
    let b = a.other_tab();
    let mut oa = outbox();
    let mut ob = outbox();
    push(&mut oa, &a.env, 1);
    oa.take(&a.env, &id(1)).unwrap();
    // B flushes meanwhile: the item A is sending is not due for B until A's request would have
    // timed out.
    let hold = RetryPolicy::default().in_flight_ms();
    let due = ob.take_due(&b.env);
    assert_eq!(due.sends.len(), 0);
    assert_eq!(due.wake_in_ms, Some(hold));
    // Had A's page died mid-request, B would send it then (the endpoint stores it once).
    a.clock.advance(hold);
    let due = ob.take_due(&b.env);
    assert_eq!(due.sends.len(), 1);
    assert_eq!(oa.settle(&a.env, &id(1), 201, None), Outcome::Delivered);
    // B's answer arrives later: a replay (200), or even a failure, is settled as delivered.
    assert_eq!(ob.settle(&b.env, &id(1), 503, None), Outcome::Delivered);
    assert_eq!(ob.take_due(&b.env), Due::default());
    assert_eq!(oa.take_due(&a.env), Due::default());
}

#[test]
fn storage_cleared_while_in_flight_puts_the_item_back_on_a_retryable_failure() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    h.kv.map.borrow_mut().clear();
    assert!(matches!(
        o.settle(&h.env, &id(1), 503, None),
        Outcome::Retry { .. }
    ));
    assert_eq!(ids(&o.pending(&h.env)), [id(1)]);
    assert_eq!(
        o.settle(&h.env, "never-pushed", 503, None),
        Outcome::Unknown
    );
    assert_eq!(
        o.settle(&h.env, "never-pushed", 200, None),
        Outcome::Delivered
    );
}

#[test]
fn pagehide_sends_everything_pending_oldest_first() {
    let h = Harness::new();
    let mut o = outbox();
    let comment = "意".repeat(3_000);
    for n in 1..=6 {
        h.clock.advance(1);
        let id = id(n);
        o.push(&h.env, &id, ENDPOINT, &body(&id, &comment)).unwrap();
    }
    // 1 is in flight (its request is about to be aborted), 2 waits for a backoff.
    o.take(&h.env, &id(1)).unwrap();
    o.take(&h.env, &id(2)).unwrap();
    o.settle(&h.env, &id(2), 503, None);
    let sends = o.on_pagehide(&h.env);
    // The outbox's 64 KB bound keeps the bodies within the browser's keepalive budget.
    let total: usize = sends.iter().map(|s| s.body.len()).sum();
    assert!(total <= KEEPALIVE_BUDGET_BYTES);
    assert_eq!(
        sends
            .iter()
            .map(|s| s.response_id.clone())
            .collect::<Vec<_>>(),
        (1..=6).map(id).collect::<Vec<_>>()
    );
    let attempts: Vec<u32> = o.pending(&h.env).iter().map(|p| p.attempts).collect();
    // The in-flight one is not counted twice.
    assert_eq!(attempts, [1, 2, 1, 1, 1, 1]);
    // The items stay until a page learns they arrived.
    assert_eq!(o.pending(&h.env).len(), 6);
}

#[test]
fn pagehide_skips_items_out_of_attempts() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    for _ in 0..10 {
        o.take(&h.env, &id(1)).unwrap();
        if o.settle(&h.env, &id(1), 503, None) == Outcome::Dropped(DropReason::GaveUp) {
            break;
        }
    }
    push(&mut o, &h.env, 2);
    for _ in 0..10 {
        o.take(&h.env, &id(2)).unwrap();
        o.forget_in_flight();
    }
    assert_eq!(o.on_pagehide(&h.env), []);
}

#[test]
fn a_back_forward_restore_never_sends_a_delivered_item() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    push(&mut o, &h.env, 2);
    o.take(&h.env, &id(1)).unwrap();
    o.take(&h.env, &id(2)).unwrap();
    assert_eq!(o.on_pagehide(&h.env).len(), 2);
    // While the page sat in the cache, another page learnt that 1 arrived.
    let mut other = outbox();
    other.take(&h.env, &id(1)).unwrap();
    other.settle(&h.env, &id(1), 200, None);
    // pageshow with persisted, and the keepalive requests' answers never came: the items are
    // due again once their requests would have timed out.
    o.forget_in_flight();
    o.resume();
    assert_eq!(o.take_due(&h.env).sends, []);
    h.clock.advance(RetryPolicy::default().in_flight_ms());
    let due = o.take_due(&h.env);
    assert_eq!(
        due.sends
            .iter()
            .map(|s| s.response_id.clone())
            .collect::<Vec<_>>(),
        [id(2)]
    );
}

#[test]
fn times_from_a_clock_that_went_back_are_pulled_to_now() {
    let h = Harness::new();
    let mut o = outbox();
    push(&mut o, &h.env, 1);
    o.take(&h.env, &id(1)).unwrap();
    o.settle(&h.env, &id(1), 429, Some("300"));
    // The system clock is set back a year.
    h.clock.set(T0 - 365 * DAY_MS);
    let pending = o.pending(&h.env);
    assert_eq!(pending[0].created_ms, h.clock.get());
    // The item neither expires at once nor waits a year: at most the longest real wait.
    assert_eq!(o.take_due(&h.env).dropped, []);
    h.clock.advance(300_000 - 1);
    assert_eq!(o.take_due(&h.env).sends, []);
    h.clock.advance(1);
    assert_eq!(o.take_due(&h.env).sends.len(), 1);
}

#[test]
fn drop_reasons_have_distinct_messages() {
    assert_eq!(
        DropReason::Rejected(422).message(),
        "a response was dropped: the endpoint refused it with HTTP 422"
    );
    let mut messages: Vec<String> = [
        DropReason::Evicted,
        DropReason::Expired,
        DropReason::GaveUp,
        DropReason::Rejected(400),
    ]
    .iter()
    .map(|r| r.message())
    .collect();
    messages.dedup();
    assert_eq!(messages.len(), 4);
}

#[test]
fn the_stored_shape_is_documented() {
    let h = Harness::new();
    let mut o = outbox();
    o.push(&h.env, "r1", "https://e/v1/responses", "{\"a\":1}")
        .unwrap();
    o.take(&h.env, "r1").unwrap();
    o.settle(&h.env, "r1", 422, None);
    o.push(&h.env, "r2", "https://e/v1/responses", "{}")
        .unwrap();
    o.take(&h.env, "r2").unwrap();
    o.settle(&h.env, "r2", 201, None);
    o.push(&h.env, "r3", "https://e/v1/responses", "{}")
        .unwrap();
    assert_eq!(
        h.kv.value(OUTBOX_KEY).unwrap(),
        [
            "I\tr3\t1795737600000\t0\t1795737600000\thttps://e/v1/responses\t{}\n",
            "D\tr1\t1795737600000\t422\n",
            "D\tr2\t1795737600000\t0",
        ]
        .concat()
    );
}
