// The fault-injecting endpoint that the delivery tests rely on, checked with real HTTP requests
// from Node: every mode does what it says, its log is complete, and its assertions can fail.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startFaultServer, expandPlan } from './support/fault-server.mjs';

const payload = (id = randomUUID(), txn = `T-${id}`) => ({
  response_id: id,
  survey: { id: 'default', version: 1 },
  transaction: { id: txn, type: 'bill_payment', unit: 'east' },
  answers: { satisfaction: 4, reasons: [], comment: '' },
  locale: 'zh-CN',
  submitted_at: '2026-11-27T08:30:00.000Z',
  page: 'https://host.example/pay',
  widget_version: '0.1.0',
});

describe('fault server', () => {
  let server;
  before(async () => { server = await startFaultServer(); });
  after(() => server.stop());
  beforeEach(() => server.reset());

  const post = (body, { key = body.response_id, signal } = {}) => fetch(server.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
    signal,
  });

  it('stores like the collector: 201 new, 200 replay, 422 reused id, 409 same transaction', async () => {
    const p = payload();
    let res = await post(p);
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { response_id: p.response_id });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-expose-headers'), 'retry-after');
    assert.equal((await post(p)).status, 200);
    assert.equal((await post({ ...p, locale: 'en' })).status, 422);
    assert.equal((await post(payload(randomUUID(), p.transaction.id))).status, 409);
    assert.equal((await post(p, { key: randomUUID() })).status, 400);
    assert.equal((await post({ nonsense: true }, { key: null })).status, 422);
    server.assertStoredOnce([p.response_id]);
    assert.deepEqual(server.log().map((e) => e.outcome),
      ['stored', 'replay', 'response_id_reused', 'already_rated', 'idempotency_key_mismatch', 'invalid']);
    assert.deepEqual(server.stored(), [p]);
  });

  it('answers a preflight the way the collector does', async () => {
    const res = await fetch(server.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://host.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type,idempotency-key');
    assert.equal(server.log()[0].outcome, 'preflight');
    assert.equal(server.posts().length, 0, 'a preflight is not a POST');
  });

  it('fails N times with 500 or 503, then stores', async () => {
    server.plan({ status: 500, times: 2 }, { status: 503 });
    const p = payload();
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(p)).status);
    assert.deepEqual(statuses, [500, 500, 503, 201]);
    assert.equal(server.postsOf(p.response_id).length, 4);
    server.assertPostedTimes([p.response_id], 4);
    server.assertStoredOnce([p.response_id]);
    assert.equal(server.remaining(), 0);
    assert.equal((await post(payload())).status, 201, 'the plan is used up: the next is stored');
  });

  it('answers 429 with Retry-After, in seconds or as a date', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    server.plan({ status: 429, retryAfter: 2 }, { status: 503, retryAfter: date });
    const p = payload();
    let res = await post(p);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    res = await post(p);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), date);
    assert.equal(server.stored().length, 0);
  });

  it('answers 409 and 422 without storing', async () => {
    server.plan({ status: 409 }, { status: 422 });
    const p = payload();
    assert.equal((await post(p)).status, 409);
    const res = await post(p);
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error, 'planned_failure');
    assert.deepEqual(server.stored(), []);
  });

  it('hangs: the body arrives, no answer ever comes', async () => {
    server.plan({ hang: true });
    const p = payload();
    await assert.rejects(post(p, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    assert.equal(server.postsOf(p.response_id)[0].outcome, 'hang');
    assert.deepEqual(server.stored(), []);
  });

  it('blackholes: accepts the connection and never reads or answers', async () => {
    server.plan({ blackhole: true });
    const p = payload();
    await assert.rejects(post(p, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    const [entry] = server.posts();
    assert.equal(entry.outcome, 'blackhole');
    assert.equal(entry.body, null, 'the body was never read');
    assert.deepEqual(server.stored(), []);
  });

  it('resets the connection after reading the body', async () => {
    server.plan({ reset: true });
    const p = payload();
    await assert.rejects(post(p), (e) => e instanceof TypeError && /ECONNRESET|socket|other side closed/i.test(String(e.cause?.code ?? e.cause)));
    assert.equal(server.postsOf(p.response_id)[0].outcome, 'reset');
    // The connection pool recovers: the next request is stored.
    assert.equal((await post(p)).status, 201);
  });

  it('delays an answer', async () => {
    server.plan({ delayMs: 250 }, { delayMs: 100, status: 503 });
    const p = payload();
    let t = performance.now();
    assert.equal((await post(p)).status, 201);
    assert.ok(performance.now() - t >= 240, `answered after ${performance.now() - t} ms`);
    t = performance.now();
    assert.equal((await post(payload())).status, 503);
    assert.ok(performance.now() - t >= 90);
  });

  it('waits for POSTs and stored responses, and times out with the log', async () => {
    const p = payload();
    const waiting = server.waitForStored(1, 2000);
    await post(p);
    await waiting;
    await server.waitForPosts(1, 100);
    await assert.rejects(server.waitForStored(2, 100), /timed out after 100 ms waiting for 2 stored responses; log: .*stored/);
  });

  it('its assertions fail on a missing, an unexpected or a repeated response', async () => {
    const [a, b] = [payload(), payload()];
    await post(a);
    await post(a);
    assert.throws(() => server.assertStoredOnce([a.response_id, b.response_id]), /missing \["[^"]+"\]/);
    assert.throws(() => server.assertStoredOnce([]), /unexpected \["[^"]+"\]/);
    assert.throws(() => server.assertStoredOnce([a.response_id, a.response_id]), /listed twice/);
    server.assertStoredOnce([a.response_id]);
    assert.throws(() => server.assertPostedTimes([a.response_id], 1), /expected 1 POSTs/);
    server.assertPostedTimes([a.response_id], 2);
  });

  it('can be programmed and read over HTTP', async () => {
    let res = await fetch(`${server.origin}/__control/plan`, { method: 'POST', body: JSON.stringify([{ status: 503, times: 2 }]) });
    assert.deepEqual(await res.json(), { planned: 2 });
    const p = payload();
    assert.equal((await post(p)).status, 503);
    assert.equal((await post(p)).status, 503);
    assert.equal((await post(p)).status, 201);
    const log = await (await fetch(`${server.origin}/__control/log`)).json();
    assert.deepEqual(log.map((e) => e.outcome), ['status 503', 'status 503', 'stored']);
    assert.equal(log[0].headers['idempotency-key'], p.response_id);
    assert.deepEqual(await (await fetch(`${server.origin}/__control/stored`)).json(), [p]);
    res = await fetch(`${server.origin}/__control/plan`, { method: 'POST', body: '[{"status":99}]' });
    assert.equal(res.status, 400);
    await fetch(`${server.origin}/__control/reset`, { method: 'POST' });
    assert.deepEqual(server.log(), []);
  });

  it('refuses a malformed plan with one precise error', () => {
    for (const bad of [{ status: 700 }, { hang: true, status: 500 }, { hang: true, reset: true }, { times: -1 }, { stauts: 500 }]) {
      assert.throws(() => expandPlan([bad]), /fault-server: bad step/, JSON.stringify(bad));
    }
    assert.equal(expandPlan([{ status: 500, times: 3 }, {}]).length, 4);
  });
});
