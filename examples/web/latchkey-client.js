// Latchkey browser client: an ES module, no build step, no dependencies.
//
//   import { createClient } from '/latchkey-client.js';   // or '/api/auth/client.js'
//   const auth = createClient();                          // cookie mode, prefix /api/auth
//   auth.addEventListener('loggedout', () => showSignIn());
//   const user = await auth.resume();                     // on page load: null when signed out
//   const notes = await (await auth.fetch('/api/notes')).json();
//
// It keeps the session alive by itself: a silent refresh shortly before the access token expires
// (2 minutes before, with jitter; at 75-85 % of the lifetime when that is under 10 minutes), one
// refresh and one retry when a request answers 401 (concurrent 401s share one refresh), a refresh
// on wake when a sleeping tab missed its timer, and one refreshing tab at a time across the tabs of
// an origin (Web Locks), which share the result over a BroadcastChannel. Logging out in one tab
// logs out the others.
//
// Modes:
// - 'cookie' (default): the server's httpOnly cookies carry both tokens; JavaScript never sees
//   a token. The client keeps only the access token's lifetime (`expiresIn`) and the user.
// - 'bearer': the access token is kept in memory only (never in localStorage or sessionStorage)
//   and sent as `Authorization: Bearer`; the refresh token stays in its httpOnly cookie. After a
//   refresh the new access token is posted to the other tabs of the same origin over the
//   BroadcastChannel 'latchkey' (same-origin only, like the memory of those tabs: acceptable).
//
// Events (the client is an EventTarget; `event.detail` carries the data):
// - 'loggedin'  {user}: a login here or in another tab (or a session found by resume()).
// - 'refreshed' {user, expiresIn}: new access token (here or in another tab).
// - 'loggedout' {reason}: 'logout', 'refresh_failed' (the refresh token was refused) or
//   'other_tab'. A network error or a 5xx during refresh is not a logout: it is retried.

const CHANNEL = 'latchkey';
const LOCK = 'latchkey-refresh';
const LONG_LIFETIME_MS = 10 * 60_000;   // under this: refresh at 75-85 % of the lifetime
const EARLY_MS = 2 * 60_000;            // otherwise: 2 minutes (plus up to 15 s) before expiry
const RETRY_MS = 10_000;                // a refresh that failed for a transient reason
const REQUEST_TIMEOUT_MS = 15_000;
const SETTLE_MS = 25;

/** An error answer of the auth API: `status` (HTTP), `code` (the `error` field), `body`. */
export class LatchkeyError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.name = 'LatchkeyError';
    this.status = status;
    this.code = body && body.error;
    this.body = body;
  }
}

/**
 * Creates a client for one auth plugin.
 * @param {object} [options]
 * @param {string} [options.baseUrl=''] origin (and path) the API lives under; '' = this page's origin
 * @param {string} [options.prefix='/api/auth'] the auth plugin's `routes.prefix`
 * @param {'cookie'|'bearer'} [options.mode='cookie'] where the access token lives (see above)
 * @returns {LatchkeyClient}
 */
export function createClient({ baseUrl = '', prefix = '/api/auth', mode = 'cookie' } = {}) {
  if (mode !== 'cookie' && mode !== 'bearer') throw new TypeError(`unknown mode ${mode}`);
  return new LatchkeyClient(baseUrl.replace(/\/$/, ''), prefix.replace(/\/$/, ''), mode);
}

export class LatchkeyClient extends EventTarget {
  #base; #prefix; #mode;
  #accessToken = null;   // bearer mode only
  #user = null;
  #signedIn = false;
  #dueAt = 0;            // when the next silent refresh is due (ms since the epoch)
  #timer = null;
  #generation = 0;       // counts access tokens received (here or from another tab)
  #refreshing = null;    // the one refresh in flight in this tab
  #channel = null;

  constructor(base, prefix, mode) {
    super();
    this.#base = base;
    this.#prefix = prefix;
    this.#mode = mode;
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = (event) => this.#onBroadcast(event.data);
    }
    if (typeof document !== 'undefined') {
      // Timers of hidden or sleeping tabs are throttled or late: catch up on wake.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && this.#signedIn && Date.now() >= this.#dueAt) {
          this.refresh();
        }
      });
    }
  }

  /** The signed-in user as the server last described it, or null. */
  get user() { return this.#user; }

  /** Whether this tab believes it is signed in. */
  get signedIn() { return this.#signedIn; }

  /** 'cookie' or 'bearer'. */
  get mode() { return this.#mode; }

  /**
   * Signs in. Resolves to the user; rejects with a LatchkeyError (401 invalid_credentials,
   * 403 email_not_confirmed, 429 rate_limited, ...).
   * @param {string} email @param {string} password
   */
  async login(email, password) {
    const body = await this.#post('/login', { email, password });
    this.#accept(body);
    this.#broadcast('loggedin', body);
    this.#emit('loggedin', { user: this.#user });
    return this.#user;
  }

  /**
   * Creates an account; the server mails a confirmation link. Resolves to the server's answer
   * (`{status: 'confirmation_sent'}`, the same for an address that already exists).
   * @param {string} email @param {string} password
   */
  register(email, password) { return this.#post('/register', { email, password }); }

  /** Confirms an email address with the token from the confirmation link. */
  confirm(token) { return this.#post('/confirm', { token }); }

  /** Asks for a password-reset mail (202 for every address). */
  forgotPassword(email) { return this.#post('/password/forgot', { email }); }

  /** Sets a new password with the token from the reset link; every session ends. */
  resetPassword(token, password) { return this.#post('/password/reset', { token, password }); }

  /**
   * Ends this session on the server (its cookies are cleared) and in every tab of this origin.
   * Never rejects: the local state is cleared even when the server cannot be reached.
   */
  async logout() {
    try {
      await globalThis.fetch(this.#url(this.#prefix + '/logout'), this.#init({ method: 'POST' }));
    } catch { /* signed out locally all the same */ }
    this.#signOut('logout', true);
  }

  /**
   * Who am I: resolves to the user, or null when not signed in (after one refresh attempt).
   */
  async me() {
    const answer = await this.fetch(this.#prefix + '/me');
    if (answer.status === 401) return null;
    const body = await readJson(answer);
    if (!answer.ok) throw new LatchkeyError(answer.status, body);
    this.#user = body.user;
    return this.#user;
  }

  /**
   * On page load: picks the session up from the refresh cookie (a silent refresh). Resolves to
   * the user, or null when there is no session. Emits 'loggedin' when it finds one.
   */
  async resume() {
    const user = await this.refresh();
    if (user) this.#emit('loggedin', { user });
    return user;
  }

  /**
   * `fetch` with the session: credentials included, `Authorization: Bearer` in bearer mode, and
   * on a 401 one refresh (shared with any other request waiting for it) and one retry. The body
   * must be re-sendable (a string, FormData, Blob, ...; a Request is cloned).
   * @param {RequestInfo|URL} input a path ('/api/notes', resolved against baseUrl), URL or Request
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init = {}) {
    const send = () => globalThis.fetch(
      input instanceof Request ? input.clone() : this.#url(input), this.#init(init));
    const generation = this.#generation;
    const answer = await send();
    if (answer.status !== 401) return answer;
    // Refresh unless a new token arrived while this request was out (then just retry).
    if (generation === this.#generation && !(await this.refresh())) return answer;
    return send();
  }

  /**
   * Gets a new access token now. Within a tab, concurrent calls share one request; across tabs
   * one tab refreshes at a time and a tab that waited uses the result another tab broadcast.
   * Resolves to the user, or null when the session is over (then 'loggedout' was emitted if this
   * tab was signed in) or the server could not be reached (retried later).
   * @returns {Promise<object|null>}
   */
  refresh() {
    if (!this.#refreshing) {
      const generation = this.#generation;
      const locked = typeof navigator !== 'undefined' && navigator.locks
        // After waiting for the lock, let a broadcast from its previous holder land first.
        ? navigator.locks.request(LOCK, () => pause(SETTLE_MS).then(() => this.#refreshUnlessDone(generation)))
        : this.#refreshUnlessDone(generation);
      this.#refreshing = locked.finally(() => { this.#refreshing = null; });
    }
    return this.#refreshing;
  }

  async #refreshUnlessDone(generation) {
    // Another tab refreshed while this one waited for the lock: its result is ours.
    if (generation !== this.#generation && this.#signedIn) return this.#user;
    let answer;
    try {
      answer = await globalThis.fetch(this.#url(this.#prefix + '/refresh'),
        this.#init({ method: 'POST', signal: timeout(REQUEST_TIMEOUT_MS) }, false));
    } catch {
      this.#retrySoon();
      return null;
    }
    const body = await readJson(answer);
    if (answer.ok) {
      // A loser of a concurrent refresh (grace window) gets an access token and no new refresh
      // cookie: the winner's cookie stands. That is a success like any other.
      this.#accept(body);
      this.#broadcast('refreshed', body);
      this.#emit('refreshed', { user: this.#user, expiresIn: body.expiresIn });
      return this.#user;
    }
    if (answer.status >= 500 || answer.status === 429) {
      this.#retrySoon();
      return null;
    }
    this.#signOut('refresh_failed', true);   // 401 invalid_refresh_token: the session is over
    return null;
  }

  // A token body from login or refresh (ours or, via the channel, another tab's).
  #accept({ user, expiresIn, accessToken }, receivedAt = Date.now()) {
    if (user) this.#user = user;
    if (this.#mode === 'bearer') this.#accessToken = accessToken || null;
    this.#signedIn = true;
    this.#generation += 1;
    this.#schedule(expiresIn - (Date.now() - receivedAt));
  }

  #schedule(expiresIn) {
    clearTimeout(this.#timer);
    const lifetime = Math.max(0, Number(expiresIn) || 0);
    const delay = lifetime >= LONG_LIFETIME_MS
      ? lifetime - EARLY_MS - Math.random() * 15_000
      : lifetime * (0.75 + Math.random() * 0.10);
    this.#dueAt = Date.now() + delay;
    this.#timer = setTimeout(() => this.refresh(), delay);
  }

  #retrySoon() {
    if (!this.#signedIn) return;
    clearTimeout(this.#timer);
    this.#dueAt = Date.now() + RETRY_MS;
    this.#timer = setTimeout(() => this.refresh(), RETRY_MS);
  }

  #signOut(reason, tellOthers) {
    const was = this.#signedIn;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#accessToken = null;
    this.#user = null;
    this.#signedIn = false;
    this.#dueAt = 0;
    if (tellOthers) this.#postMessage({ type: 'loggedout' });
    if (was || reason === 'logout') this.#emit('loggedout', { reason });
  }

  #onBroadcast(message) {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'loggedout') {
      this.#signOut('other_tab', false);
    } else if (message.type === 'refreshed' || message.type === 'loggedin') {
      const was = this.#signedIn;
      this.#accept(message, message.sentAt);
      this.#emit(was ? 'refreshed' : 'loggedin', { user: this.#user, expiresIn: message.expiresIn });
    }
  }

  #broadcast(type, { user, expiresIn, accessToken }) {
    const message = { type, user, expiresIn, sentAt: Date.now() };
    if (this.#mode === 'bearer') message.accessToken = accessToken;   // same origin only
    this.#postMessage(message);
  }

  #postMessage(message) {
    try { this.#channel?.postMessage(message); } catch { /* a closed channel: nothing to tell */ }
  }

  #emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  async #post(path, json) {
    const answer = await globalThis.fetch(this.#url(this.#prefix + path), this.#init({
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json),
    }, false));
    const body = await readJson(answer);
    if (!answer.ok) throw new LatchkeyError(answer.status, body);
    return body;
  }

  #url(input) {
    return typeof input === 'string' && input.startsWith('/') ? this.#base + input : input;
  }

  // Request options: cookies always; the Bearer access token in bearer mode.
  #init(init, withToken = true) {
    const headers = new Headers(init.headers);
    if (withToken && this.#mode === 'bearer' && this.#accessToken && !headers.has('Authorization')) {
      headers.set('Authorization', `Bearer ${this.#accessToken}`);
    }
    return { ...init, headers, credentials: 'include' };
  }
}

async function readJson(answer) {
  if (answer.status === 204) return null;
  try { return await answer.json(); } catch { return null; }
}

function pause(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

function timeout(ms) {
  return typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(ms) : undefined;
}
