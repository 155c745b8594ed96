// A response endpoint that fails on purpose, programmable per test, for the delivery tests of
// issue 4. It answers CORS like the real collector and, when it does not fail, stores responses
// the way the collector does (201 new, 200 replay, 422 reused id, 409 second response for a
// transaction). Its own log of every request it received is what tests assert on.
//
// From a test (JS API):
//   const server = await startFaultServer();
//   server.plan({ status: 503, times: 5 }, { status: 429, retryAfter: '2' });
//   ... drive the widget at server.endpoint ...
//   await server.waitForStored(1);
//   server.assertStoredOnce([responseId]);
//   server.stop();
//
// From anywhere else (HTTP control API, same port, no CORS):
//   POST /__control/plan   body: JSON array of steps (replaces the plan)
//   POST /__control/reset  forgets plan, log and stored responses
//   GET  /__control/log    the log; GET /__control/stored the stored responses
//
// A step is one planned answer to one POST of a response (OPTIONS preflights are always
// answered); `times` repeats it. When the plan is used up, POSTs are stored.
//   { status: 500 }                        answer this status with a JSON error body
//   { status: 429, retryAfter: '2' }       with a Retry-After header (seconds or an HTTP-date)
//   { status: 409 } / { status: 422 }      answer it without storing
//   { hang: true }                         read the body, never answer (until stop/reset)
//   { blackhole: true }                    accept the connection, never read or answer
//   { reset: true }                        read the body, then reset the TCP connection
//   { delayMs: 300 }                       wait, then store (or with status: answer it)
//   { store: true }                        store now (useful between failing steps)
import { createServer } from 'node:http';
import { AssertionError } from 'node:assert';

export const RESPONSES_PATH = '/v1/responses';

// What the collector's CorsLayer sends (collector/src/routes/responses.rs).
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'retry-after',
};
const PREFLIGHT = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST',
  'Access-Control-Allow-Headers': 'content-type,idempotency-key',
  'Access-Control-Max-Age': '3600',
};

/** Expands `{ ..., times: n }` into n single steps; checks each step's shape. */
export function expandPlan(steps) {
  const out = [];
  for (const step of steps) {
    const { times = 1, ...one } = step ?? {};
    const modes = ['hang', 'blackhole', 'reset', 'store'].filter((m) => one[m]);
    const known = ['status', 'retryAfter', 'hang', 'blackhole', 'reset', 'delayMs', 'store'];
    const unknown = Object.keys(one).filter((k) => !known.includes(k));
    if (unknown.length || modes.length > 1 || (modes.length && one.status !== undefined)
      || !Number.isInteger(times) || times < 0
      || (one.status !== undefined && !(Number.isInteger(one.status) && one.status >= 200 && one.status <= 599))) {
      throw new TypeError(`fault-server: bad step ${JSON.stringify(step)}`);
    }
    for (let i = 0; i < times; i += 1) out.push(one);
  }
  return out;
}

/**
 * Starts the server on 127.0.0.1 and a free port. Returns its API; `endpoint` is the URL to put
 * in `data-endpoint`.
 */
export async function startFaultServer() {
  let plan = [];
  let log = [];
  /** response_id → { body (parsed), text, transaction key } of what was stored. */
  let stored = new Map();
  const held = new Set(); // sockets of hung and blackholed requests
  const waiters = new Set();
  const started = Date.now();

  const notify = () => { for (const w of waiters) w(); };

  const answer = (res, status, headers, body) => {
    res.writeHead(status, { ...CORS, 'Content-Type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res, status, code, headers = {}) =>
    answer(res, status, headers, { error: code, message: 'failing on purpose', fields: [] });

  // What the collector does with a well-formed payload.
  const store = (res, entry) => {
    const body = entry.json;
    const id = body?.response_id;
    if (typeof id !== 'string' || typeof body?.transaction?.id !== 'string') {
      entry.outcome = 'invalid';
      return error(res, 422, 'invalid_payload');
    }
    const key = entry.headers['idempotency-key'];
    if (key !== undefined && key !== id) {
      entry.outcome = 'idempotency_key_mismatch';
      return error(res, 400, 'idempotency_key_mismatch');
    }
    const txKey = `${body.survey?.id}\u0000${body.transaction.id}`;
    const same = stored.get(id);
    if (same) {
      entry.outcome = same.text === entry.body ? 'replay' : 'response_id_reused';
      return same.text === entry.body
        ? answer(res, 200, {}, { response_id: id })
        : error(res, 422, 'response_id_reused');
    }
    if ([...stored.values()].some((s) => s.txKey === txKey)) {
      entry.outcome = 'already_rated';
      return error(res, 409, 'already_rated');
    }
    stored.set(id, { body, text: entry.body, txKey, at: Date.now() });
    entry.outcome = 'stored';
    return answer(res, 201, {}, { response_id: id });
  };

  const control = (req, res, url, text) => {
    const json = (status, value) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(value)); };
    if (req.method === 'POST' && url.pathname === '/__control/plan') {
      try {
        api.plan(...JSON.parse(text || '[]'));
        return json(200, { planned: plan.length });
      } catch (e) {
        return json(400, { error: String(e.message) });
      }
    }
    if (req.method === 'POST' && url.pathname === '/__control/reset') { api.reset(); return json(200, {}); }
    if (req.method === 'GET' && url.pathname === '/__control/log') return json(200, log);
    if (req.method === 'GET' && url.pathname === '/__control/stored') return json(200, api.stored());
    return json(404, { error: 'not_found' });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const entry = {
      time: Date.now() - started,
      method: req.method,
      path: url.pathname,
      headers: req.headers,
      body: null,
      json: null,
      step: null,
      outcome: null,
    };
    if (req.method === 'POST' && url.pathname === RESPONSES_PATH && plan[0]?.blackhole) {
      // Accept, never read, never answer: the request vanishes in flight.
      entry.step = plan.shift();
      entry.outcome = 'blackhole';
      log.push(entry);
      held.add(req.socket);
      notify();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (url.pathname.startsWith('/__control/')) return control(req, res, url, text);
      entry.body = text;
      try { entry.json = text ? JSON.parse(text) : null; } catch { entry.json = null; }
      log.push(entry);
      if (req.method === 'OPTIONS') {
        entry.outcome = 'preflight';
        res.writeHead(200, PREFLIGHT);
        res.end();
        return notify();
      }
      if (req.method !== 'POST' || url.pathname !== RESPONSES_PATH) {
        entry.outcome = 'not_found';
        error(res, 404, 'not_found');
        return notify();
      }
      const step = plan.shift() ?? { store: true };
      entry.step = step;
      const act = () => {
        if (step.hang) {
          entry.outcome = 'hang';
          held.add(req.socket);
        } else if (step.reset) {
          entry.outcome = 'reset';
          req.socket.resetAndDestroy();
        } else if (step.status !== undefined) {
          entry.outcome = `status ${step.status}`;
          const headers = step.retryAfter === undefined ? {} : { 'Retry-After': String(step.retryAfter) };
          if (step.status < 300) answer(res, step.status, headers, { response_id: entry.json?.response_id ?? null });
          else error(res, step.status, 'planned_failure', headers);
        } else {
          store(res, entry);
        }
        notify();
      };
      if (step.delayMs) {
        entry.outcome = 'delayed';
        setTimeout(act, step.delayMs);
      } else {
        act();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  const posts = () => log.filter((e) => e.method === 'POST' && e.path === RESPONSES_PATH);

  const waitUntil = (check, what, timeoutMs) => new Promise((resolve, reject) => {
    const done = () => {
      if (!check()) return;
      clearTimeout(timer);
      waiters.delete(done);
      resolve();
    };
    const timer = setTimeout(() => {
      waiters.delete(done);
      reject(new Error(`fault-server: timed out after ${timeoutMs} ms waiting for ${what}; log: ${api.summary()}`));
    }, timeoutMs);
    waiters.add(done);
    done();
  });

  const api = {
    /** The server's origin, such as `http://127.0.0.1:41234`. */
    origin,
    /** The URL to POST responses to (`data-endpoint`). */
    endpoint: `${origin}${RESPONSES_PATH}`,
    /** Replaces the plan: each step answers one POST, in order. Returns the server. */
    plan(...steps) { plan = expandPlan(steps); return api; },
    /** Adds steps after the current plan. (Not named `then`: that would make the server a thenable.) */
    append(...steps) { plan.push(...expandPlan(steps)); return api; },
    /** Steps not used yet. */
    remaining() { return plan.length; },
    /** Every request received, oldest first: { time (ms since start), method, path, headers, body, json, step, outcome }. */
    log() { return log.slice(); },
    /** The POSTs of responses (not preflights), oldest first. */
    posts,
    /** The POSTs that carried `responseId`. */
    postsOf(responseId) { return posts().filter((e) => e.json?.response_id === responseId); },
    /** The stored responses' bodies, in the order they were stored. */
    stored() { return [...stored.values()].map((s) => s.body); },
    /** One line per request, for failure messages. */
    summary() {
      return log.map((e) => `${e.time}ms ${e.method} ${e.json?.response_id ?? ''} ${e.outcome}`).join('; ') || '(nothing)';
    },
    /** Resolves once `count` POSTs have arrived (whatever their answer). */
    waitForPosts(count, timeoutMs = 10_000) {
      return waitUntil(() => posts().length >= count, `${count} POSTs`, timeoutMs);
    },
    /** Resolves once `count` responses are stored. */
    waitForStored(count, timeoutMs = 10_000) {
      return waitUntil(() => stored.size >= count, `${count} stored responses`, timeoutMs);
    },
    /**
     * Asserts that exactly the responses `expectedIds` are stored: each once, none missing,
     * none unexpected. Every stored body is one that arrived, byte for byte.
     */
    assertStoredOnce(expectedIds) {
      const ids = [...stored.keys()];
      const missing = expectedIds.filter((id) => !stored.has(id));
      const unexpected = ids.filter((id) => !expectedIds.includes(id));
      const repeated = expectedIds.filter((id, i) => expectedIds.indexOf(id) !== i);
      if (missing.length || unexpected.length || repeated.length) {
        throw new AssertionError({
          message: `stored responses differ: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(unexpected)}, `
            + `listed twice ${JSON.stringify(repeated)}; log: ${api.summary()}`,
          actual: ids,
          expected: expectedIds,
        });
      }
    },
    /**
     * Asserts that each of `expectedIds` was POSTed exactly `times` times (the browser's side:
     * how often it sent, whatever the server did with it).
     */
    assertPostedTimes(expectedIds, times) {
      const wrong = expectedIds
        .map((id) => [id, api.postsOf(id).length])
        .filter(([, n]) => n !== times);
      if (wrong.length) {
        throw new AssertionError({
          message: `expected ${times} POSTs of each response, got ${JSON.stringify(wrong)}; log: ${api.summary()}`,
        });
      }
    },
    /** Forgets plan, log and stored responses; frees hung requests. */
    reset() {
      plan = [];
      log = [];
      stored = new Map();
      for (const socket of held) socket.destroy();
      held.clear();
    },
    /** Stops the server and drops every connection, hung ones included. */
    stop() {
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
