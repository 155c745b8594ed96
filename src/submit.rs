//! Delivering responses: the outbox of [`crate::delivery`] wired to `fetch`, one timer and the
//! page's life (`online`, `pageshow`, `pagehide`). See `docs/delivery.md`.
//!
//! A submitted response is serialized once and pushed into the outbox before its first send;
//! the outbox keeps that exact body for every attempt. The first attempt is made at once; after
//! that, whichever tab holds the flush lease sends what is due, when the host is idle after
//! load, when the retry timer fires, and on `online` and `pageshow`. On `pagehide` every
//! pending response is sent once more with `keepalive`.
//!
//! Nothing here calls the host page (events, focus) while the outbox is borrowed: a host's
//! event handler may call `SurveyWidget.open`, which reads the display rules' storage.

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use model::{ResponseV1, SignedTransaction};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{AbortSignal, Headers, RequestInit, Response};

use crate::contract::{EVENT_SUBMITTED, SUBMIT_TIMEOUT_MS, error_code};
use crate::delivery::lease::LEASE_MS;
use crate::delivery::outbox::{Dropped, PushError};
use crate::delivery::{
    DropReason, Env, Lease, NO_ANSWER, Outbox, Outcome, RetryPolicy, Send, display_rules,
};
use crate::host;
use crate::state::{Controller, Phase};

/// Why a response was not delivered. The customer keeps their answers and may retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitError {
    /// Every allowed attempt failed, or the response could not be kept for sending.
    Network,
    /// The endpoint refused the response with this final status (a 4xx such as 400 or 422).
    Status(u16),
}

/// The delivery machinery of this page life.
struct Courier {
    env: Env,
    outbox: Outbox,
    lease: Lease,
    /// The one callback for the retry timer and the page events (see [`wake`]).
    wake: Function,
    /// The pending retry timer: when it fires (ms since the epoch) and its handle.
    timer: Option<(u64, i32)>,
    /// The widget whose response is shown: told when it is delivered, saved or dropped.
    ctl: Option<Controller>,
    /// Between `pagehide` and `pageshow`: answers are still recorded, but nothing is sent and
    /// the lease is not taken (a page being unloaded must not hold it).
    hidden: bool,
}

thread_local! {
    static COURIER: RefCell<Option<Courier>> = const { RefCell::new(None) };
}

/// Starts delivery for this page: listens to the page's life and flushes what earlier pages
/// left in the outbox, in a task of its own (the retry timer at 0 ms) rather than in the
/// host's task that boots the widget. `base_ms` is the retry schedule's base delay (1 000 ms
/// as shipped; a smaller value only for tests, see `data-test-retry-base-ms`).
pub fn start(base_ms: u64) {
    COURIER.with_borrow_mut(|c| c.get_or_insert_with(|| Courier::new(base_ms)).schedule(0));
}

impl Courier {
    fn new(base_ms: u64) -> Courier {
        let wake: Function = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| wake(&event))
            .into_js_value()
            .unchecked_into();
        if let Some(window) = web_sys::window() {
            for name in ["online", "pageshow", "pagehide"] {
                let _ = window.add_event_listener_with_callback(name, &wake);
            }
        }
        Courier {
            env: crate::delivery::web::browser_env(),
            outbox: Outbox::new(RetryPolicy::with_base_ms(base_ms)),
            lease: Lease::new(host::uuid_v4().unwrap_or_default()),
            wake,
            timer: None,
            ctl: None,
            hidden: false,
        }
    }

    /// Makes sure a flush runs within `in_ms`.
    fn schedule(&mut self, in_ms: u64) {
        let at = self.env.now().saturating_add(in_ms);
        if self.timer.is_some_and(|(when, _)| when <= at) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some((_, handle)) = self.timer.take() {
            window.clear_timeout_with_handle(handle);
        }
        // setTimeout takes at most 2^31 − 1 ms; the outbox never waits longer than 300 s.
        let ms = i32::try_from(in_ms).unwrap_or(i32::MAX);
        if let Ok(handle) =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&self.wake, ms)
        {
            self.timer = Some((at, handle));
        }
    }
}

/// Runs `f` on this page's courier, starting it with the shipped schedule if needed.
fn with<T>(f: impl FnOnce(&mut Courier) -> T) -> T {
    COURIER.with_borrow_mut(|c| {
        f(c.get_or_insert_with(|| Courier::new(crate::delivery::backoff::BASE_MS)))
    })
}

/// Runs `f` with the page's storage, clock and randomness (for the display rules).
pub fn with_env<T>(f: impl FnOnce(&Env) -> T) -> T {
    with(|c| f(&c.env))
}

/// The retry timer fired (no argument), or a page event arrived.
fn wake(event: &JsValue) {
    let kind = Reflect::get(event, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string());
    match kind.as_deref() {
        Some("pagehide") => {
            let sends = with(|c| {
                c.hidden = true;
                c.lease.release(&c.env);
                c.outbox.on_pagehide(&c.env)
            });
            for send in sends {
                attempt(send, true);
            }
        }
        // `online`, or `pageshow` (also a back/forward cache restore): try what was paused.
        Some(_) => {
            with(|c| {
                c.hidden = false;
                c.outbox.resume();
            });
            flush();
        }
        None => {
            with(|c| c.timer = None);
            flush();
        }
    }
}

/// Sends what is due, if this tab holds the lease; sets the timer for what is not due yet.
pub fn flush() {
    let (sends, dropped) = with(|c| {
        if c.hidden {
            return Default::default();
        }
        if !c.lease.acquire(&c.env) {
            // Another tab flushes; look again when its lease would have run out.
            c.schedule(LEASE_MS);
            return Default::default();
        }
        let due = c.outbox.take_due(&c.env);
        match due.wake_in_ms {
            Some(ms) => c.schedule(ms),
            None if due.sends.is_empty() && !c.outbox.busy() => c.lease.release(&c.env),
            None => {}
        }
        (due.sends, due.dropped)
    });
    report(dropped);
    for send in sends {
        attempt(send, false);
    }
}

/// Puts the customer's response in the outbox and makes its first attempt. The widget shows
/// "sending" until the answer, then the thank-you, "saved, will send later", or the retry.
pub fn submit(ctl: Controller, endpoint: &str, payload: &ResponseV1<SignedTransaction>) {
    let id = &payload.response_id;
    let Ok(body) = serde_json::to_string(payload) else {
        return show(ctl, id, Outcome::Dropped(DropReason::GaveUp));
    };
    let (pushed, send) = with(|c| {
        c.ctl = Some(ctl);
        let pushed = c.outbox.push(&c.env, id, endpoint, &body);
        if pushed.is_ok() {
            display_rules::record_answered(&c.env, &payload.survey.id);
        }
        (pushed, c.outbox.take(&c.env, id))
    });
    match pushed {
        Ok(dropped) => report(dropped),
        Err(PushError::AlreadySettled(true)) => return show(ctl, id, Outcome::Delivered),
        Err(_) => return show(ctl, id, Outcome::Dropped(DropReason::GaveUp)),
    }
    match send {
        Some(send) => attempt(send, false),
        None => show(ctl, id, Outcome::Paused),
    }
}

/// POSTs one item. A normal attempt sends JSON with its `Idempotency-Key`; the `pagehide`
/// attempt sends `text/plain` without the header (so no CORS preflight is needed while the page
/// unloads) with `keepalive`. `fetch` is called now, not in a later task, so that a `pagehide`
/// attempt starts before the page goes.
fn attempt(send: Send, keepalive: bool) {
    let promise = post(&send, keepalive);
    wasm_bindgen_futures::spawn_local(async move {
        let (status, retry_after) = match promise {
            Some(p) => answer(p).await,
            None => (NO_ANSWER, None),
        };
        settled(&send.response_id, status, retry_after.as_deref());
    });
}

fn post(send: &Send, keepalive: bool) -> Option<Promise> {
    let init = RequestInit::new();
    init.set_method("POST");
    if keepalive {
        // A string body without a Content-Type goes as `text/plain;charset=UTF-8`.
        // `RequestInit.keepalive` has no setter in this web-sys.
        Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE).ok()?;
    } else {
        let headers = Headers::new().ok()?;
        headers.set("Content-Type", "application/json").ok()?;
        headers
            .set(model::response::IDEMPOTENCY_KEY_HEADER, &send.response_id)
            .ok()?;
        init.set_headers(&headers);
    }
    init.set_body(&JsValue::from_str(&send.body));
    init.set_signal(Some(&AbortSignal::timeout_with_u32(SUBMIT_TIMEOUT_MS)));
    Some(web_sys::window()?.fetch_with_str_and_init(&send.endpoint, &init))
}

/// The status and `Retry-After` of a `fetch`, or [`NO_ANSWER`] when it rejected.
async fn answer(promise: Promise) -> (u16, Option<String>) {
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(promise).await else {
        return (NO_ANSWER, None);
    };
    let response: Response = response.unchecked_into();
    let retry_after = response.headers().get("retry-after").ok().flatten();
    (response.status(), retry_after)
}

/// Records the answer to an attempt, tells the widget, and flushes on.
fn settled(id: &str, status: u16, retry_after: Option<&str>) {
    let (outcome, ctl) = with(|c| (c.outbox.settle(&c.env, id, status, retry_after), c.ctl));
    if let Some(ctl) = ctl {
        show(ctl, id, outcome);
    }
    if let Outcome::Dropped(reason) = outcome {
        report(vec![Dropped {
            response_id: id.to_owned(),
            reason,
        }]);
    }
    flush();
}

/// Moves the widget on if `id` is the response it shows.
fn show(ctl: Controller, id: &str, outcome: Outcome) {
    let (mine, phase) = ctl.peek(|s| (s.response_id.as_deref() == Some(id), s.phase));
    if !mine {
        return;
    }
    match outcome {
        Outcome::Delivered if phase != Phase::Sent => {
            ctl.update(|s| s.phase = Phase::Sent);
            host::emit(EVENT_SUBMITTED, &host::object(&[("response_id", id)]));
            crate::api::focus_after_render("#sw-thanks");
        }
        Outcome::Retry { .. } | Outcome::Paused if phase == Phase::Sending => {
            ctl.update(|s| s.phase = Phase::Saved);
            crate::api::focus_after_render("#sw-thanks");
        }
        Outcome::Dropped(reason) => ctl.update(|s| {
            s.phase = Phase::Failed(match reason {
                DropReason::Rejected(status) => SubmitError::Status(status),
                _ => SubmitError::Network,
            });
            // A retry is a new response: this one is never sent again.
            s.response_id = None;
        }),
        _ => {}
    }
}

/// One `survey-widget:error` (and console error) per dropped response.
fn report(dropped: Vec<Dropped>) {
    for d in dropped {
        host::report_error(error_code::SUBMIT, &d.reason.message());
    }
}
