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
// refresh and one retry when a request answers 401 about its token (concurrent 401s share one
// refresh; a 401 invalid_code or invalid_credentials is the answer, never retried), a refresh
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
// - 'refreshed' {user, expiresIn}: new access token (here or in another tab, or after stepUp()).
// - 'loggedout' {reason}: 'logout', 'refresh_failed' (the refresh token was refused) or
//   'other_tab'. A network error or a 5xx during refresh is not a logout: it is retried.
// - 'mfarequired' {url}: a request through auth.fetch answered 403 {"error":"mfa_required"} (a
//   `protect` rule with "mfa": true): ask for a code, call stepUp({code}), then try again.
//
// Second factors, sessions and sign-in links (CONTRACT §10):
//   const result = await auth.login(email, password);   // the user, or {mfaRequired, methods}
//   if (result.mfaRequired) await auth.verifyMfa({ code });   // or { recoveryCode }
//   await auth.stepUp({ code });                 // adds the factor to this session (amr)
//   await auth.sessions();                       // [{id, current, device, ip, lastUsedAt, ...}]
//   await auth.revokeSession(id); await auth.logoutOthers();
//   await auth.requestMagicLink(email);          // the mail's link opens magic.html?token=...
//   await auth.verifyMagicLink(token);           // the user, or {mfaRequired, methods}
//   TOTP: auth.mfa.setupTotp() -> {secret, otpauthUri, qrSvg};
//         auth.mfa.enableTotp({code, password}) -> {recoveryCodes} (shown once);
//         auth.mfa.disableTotp({password, code} | {password, recoveryCode}).
// The mfaToken of a login that needs a second factor stays inside the client (`mfaPending` tells
// whether one is held); verifyMfa() spends it. It is not shared with other tabs.
//
// Passkeys (WebAuthn; the page must be opened by host name, e.g. http://localhost:8080, never an IP
// address, and that name must be the server's webauthn.rp_id or end with it):
//   await auth.passkeys.register('Work laptop');   // {id, name, createdAt}; the name may be left out
//   await auth.passkeys.login();                    // the user ('loggedin'), no email or password
//   auth.passkeys.login({ conditional: true });     // on load, for <input autocomplete="username
//                                                   // webauthn">: resolves to the user once one is
//                                                   // picked from the autofill list, or to null (not
//                                                   // available here, or another sign-in came first)
//   await auth.passkeys.list();                     // [{id, name, createdAt, lastUsedAt, flagged}]
//   await auth.passkeys.remove(id);                 // 403 reauthentication_required: stepUp() first
//   await auth.verifyMfa({ passkey: true });        // a passkey as the second factor of a login
//   await auth.stepUp({ passkey: true });           // ... and for step-up
// The server's options (JSON, binary fields in base64url) are decoded here for
// navigator.credentials, and the credential goes back in its JSON form (PublicKeyCredential
// toJSON(), or the same built by hand where a browser lacks it). Errors of the browser's side
// (the user cancelled: NotAllowedError; this authenticator already holds a passkey for the
// account: InvalidStateError; a wrong host name: SecurityError) reject as its DOMException.

const CHANNEL = 'latchkey';
const LOCK = 'latchkey-refresh';
const LONG_LIFETIME_MS = 10 * 60_000;   // under this: refresh at 75-85 % of the lifetime
const EARLY_MS = 2 * 60_000;            // otherwise: 2 minutes (plus up to 15 s) before expiry
const RETRY_MS = 10_000;                // a refresh that failed for a transient reason
const REQUEST_TIMEOUT_MS = 15_000;
const SETTLE_MS = 25;
const CONDITIONAL_RENEW_MS = 4 * 60_000; // a waiting passkey autofill gets a new challenge (5 min)

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
  #mfaToken = null;      // from a login that needs a second factor; spent by verifyMfa()
  #sessionId = null;     // this session's id, as the last sessions() answer marked it
  #conditional = null;   // the AbortController of a passkey autofill request that is waiting

  constructor(base, prefix, mode) {
    super();
    this.#base = base;
    this.#prefix = prefix;
    this.#mode = mode;
    /** TOTP management for the signed-in user (all protected calls). */
    this.mfa = Object.freeze({
      /** A new secret (not on yet): resolves to {secret, otpauthUri, qrSvg}. */
      setupTotp: () => this.#call('POST', '/mfa/totp/setup'),
      /** Turns TOTP on: resolves to {recoveryCodes} (10 codes, shown once). */
      enableTotp: ({ code, password }) => this.#call('POST', '/mfa/totp/enable', { code, password }),
      /** Turns TOTP off and drops the recovery codes: {password, code} or {password, recoveryCode}. */
      disableTotp: ({ password, code, recoveryCode }) =>
        this.#call('POST', '/mfa/totp/disable', { password, code, recoveryCode }),
    });
    /** Passkeys (WebAuthn): see the top of this file. */
    this.passkeys = Object.freeze({
      /** Whether this browser can use passkeys at all (a secure context with WebAuthn). */
      supported: passkeysSupported(),
      /** Whether it offers passkeys in the autofill of a field (conditional mediation). */
      conditionalAvailable: () => conditionalMediationAvailable(),
      /** Makes a passkey for the signed-in user: resolves to {id, name, createdAt}. */
      register: (name) => this.#registerPasskey(name),
      /**
       * Signs in with a passkey. Resolves like login(): the user (or {mfaRequired, methods}); with
       * {conditional: true}, null when autofill is not available or the request was superseded.
       */
      login: (options) => this.#passkeyLogin(options),
      /**
       * This user's passkeys: [{id, name, createdAt, lastUsedAt, flagged}] (flagged: its counter
       * went backwards, as a copy's would; it signs nothing in until removed).
       */
      list: async () => (await this.#call('GET', '/passkeys')).passkeys,
      /** Removes one (403 reauthentication_required without a recent sign-in or step-up). */
      remove: async (id) => { await this.#call('DELETE', `/passkeys/${encodeURIComponent(id)}`); },
    });
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

  /** Whether a login waits for its second factor (verifyMfa() would use the kept mfaToken). */
  get mfaPending() { return this.#mfaToken !== null; }

  /**
   * Signs in. Resolves to the user, or to {mfaRequired: true, methods} when the account has a
   * second factor (then call verifyMfa()); rejects with a LatchkeyError (401 invalid_credentials,
   * 403 email_not_confirmed, 429 rate_limited, ...).
   * @param {string} email @param {string} password
   */
  async login(email, password) {
    return this.#signedInOrChallenge(await this.#post('/login', { email, password }));
  }

  /**
   * The second step of a login that answered mfaRequired: a code from the authenticator app, one
   * of the recovery codes, or a passkey (when `methods` named "passkey"). Resolves to the user;
   * rejects with a LatchkeyError (401 invalid_code or invalid_credential, 400 invalid_request, 429
   * rate_limited: try again) or the browser's DOMException (the passkey prompt was cancelled: try
   * again). 401 invalid_mfa_token (used, or the 5 minutes are over) drops the kept mfaToken: sign
   * in again.
   * @param {{code: string}|{recoveryCode: string}|{passkey: true}} factor
   */
  async verifyMfa({ code, recoveryCode, passkey = false } = {}) {
    if (this.#mfaToken === null) {
      throw new LatchkeyError(400, { error: 'no_mfa_pending', message: 'Sign in first.' });
    }
    const mfaToken = this.#mfaToken;
    let body;
    try {
      // (JSON.stringify leaves out the factor that is undefined.)
      body = passkey
        ? await this.#post('/mfa/verify', { mfaToken, credential: await this.#assertion() })
        : await this.#post('/mfa/verify', { mfaToken, code, recoveryCode });
    } catch (error) {
      // The sign-in itself is over (401 invalid_mfa_token: used or expired); a wrong, malformed or
      // throttled factor leaves it open for another try.
      if (error instanceof LatchkeyError && error.status === 401 &&
          error.code !== 'invalid_code' && error.code !== 'invalid_credential' &&
          this.#mfaToken === mfaToken) {
        this.#mfaToken = null;
      }
      throw error;
    }
    return this.#signedInOrChallenge(body);
  }

  /** Forgets a pending second-factor step (the page's "Cancel"). */
  cancelMfa() { this.#mfaToken = null; }

  /**
   * Proves a second factor for the current session (after an 'mfarequired' event, or a 403
   * reauthentication_required): the session gets a new access token whose `amr` includes it.
   * Resolves to the user.
   * @param {{code: string}|{passkey: true}} factor
   */
  async stepUp({ code, passkey = false } = {}) {
    const body = await this.#call('POST', '/mfa/step-up',
      passkey ? { credential: await this.#assertion() } : { code });
    this.#accept(body);
    this.#broadcast('refreshed', body);
    this.#emit('refreshed', { user: this.#user, expiresIn: body.expiresIn });
    return this.#user;
  }

  /**
   * This user's live sessions, newest first:
   * [{id, current, createdAt, lastUsedAt, expiresAt, ip, userAgent, device, amr}].
   */
  async sessions() {
    const { sessions } = await this.#call('GET', '/sessions');
    this.#sessionId = sessions.find((session) => session.current)?.id ?? null;
    return sessions;
  }

  /**
   * Ends one of this user's sessions (404 not_found for an id that is not one of them). Ending
   * this device's own session (as sessions() marked it) signs out here and in the other tabs.
   */
  async revokeSession(id) {
    await this.#call('DELETE', `/sessions/${encodeURIComponent(id)}`);
    if (id === this.#sessionId) this.#signOut('logout', true);
  }

  /** Ends every session of this user but this one. */
  async logoutOthers() { await this.#call('POST', '/logout-others'); }

  /** Asks for a sign-in link by mail (202 for every address). */
  requestMagicLink(email) { return this.#post('/magic-link', { email }); }

  /**
   * Signs in with the token of a mailed link (any browser, once). Resolves like login(): the
   * user, or {mfaRequired: true, methods}.
   */
  async verifyMagicLink(token) {
    return this.#signedInOrChallenge(await this.#post('/magic-link/verify', { token }));
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
    let answer = await send();
    // Refresh unless a new token arrived while this request was out (then just retry). Only a 401
    // about the access token: a wrong code or password (401 invalid_code, invalid_credentials) sent
    // again would count twice against the user's attempts.
    if (answer.status === 401 && isTokenRefusal(await readJson(answer.clone())) &&
        (generation !== this.#generation || await this.refresh())) {
      answer = await send();
    }
    if (answer.status === 403 && (await readJson(answer.clone()))?.error === 'mfa_required') {
      this.#emit('mfarequired', { url: answer.url });
    }
    return answer;
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
    this.#sessionId = null;
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

  // ---- Passkeys ----

  async #registerPasskey(name) {
    this.#stopConditional();
    const options = await this.#call('POST', '/passkeys/register/options', {});
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    const named = typeof name === 'string' && name.trim() !== '' ? { name: name.trim() } : {};
    return this.#call('POST', '/passkeys/register', { credential: credentialJson(credential), ...named });
  }

  async #passkeyLogin({ conditional = false } = {}) {
    if (!conditional) {
      return this.#signedInOrChallenge(await this.#post('/passkeys/login', { credential: await this.#assertion() }));
    }
    if (!(await conditionalMediationAvailable())) return null;
    this.#stopConditional();
    const controller = new AbortController();
    this.#conditional = controller;
    try {
      // The autofill may wait a long time for the user: renew the challenge before it expires.
      for (;;) {
        const renew = new AbortController();
        const timer = setTimeout(() => renew.abort(), CONDITIONAL_RENEW_MS);
        let credential;
        try {
          const options = await this.#post('/passkeys/login/options', {});
          if (controller.signal.aborted) return null;
          credential = await navigator.credentials.get({
            publicKey: requestOptions(options), mediation: 'conditional',
            signal: anySignal(controller.signal, renew.signal),
          });
        } catch (error) {
          if (controller.signal.aborted) return null;   // another sign-in came first
          if (renew.signal.aborted) continue;
          throw error;
        } finally {
          clearTimeout(timer);
        }
        this.#conditional = null;
        return this.#signedInOrChallenge(await this.#post('/passkeys/login', { credential: credentialJson(credential) }));
      }
    } finally {
      if (this.#conditional === controller) this.#conditional = null;
    }
  }

  // A passkey assertion (the modal prompt) over a challenge of login/options, in its JSON form.
  async #assertion() {
    this.#stopConditional();   // a browser runs one WebAuthn request at a time
    const options = await this.#post('/passkeys/login/options', {});
    return credentialJson(await navigator.credentials.get({ publicKey: requestOptions(options) }));
  }

  #stopConditional() {
    const controller = this.#conditional;
    this.#conditional = null;
    controller?.abort();
  }

  // A login-like answer: the token body (signed in), or a second factor to ask for.
  #signedInOrChallenge(body) {
    this.#stopConditional();
    if (body && body.mfaRequired) {
      this.#mfaToken = body.mfaToken;
      return { mfaRequired: true, methods: body.methods || [] };
    }
    this.#mfaToken = null;
    this.#accept(body);
    this.#broadcast('loggedin', body);
    this.#emit('loggedin', { user: this.#user });
    return this.#user;
  }

  // A call of the signed-in user (through fetch: refreshed once on a 401). Resolves to the JSON
  // answer (null for 204); rejects with a LatchkeyError.
  async #call(method, path, json) {
    const init = { method };
    if (json !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(json);
    }
    const answer = await this.fetch(this.#prefix + path, init);
    const body = await readJson(answer);
    if (!answer.ok) throw new LatchkeyError(answer.status, body);
    return body;
  }

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

// A 401 that a refresh can cure: the access token's (RFC 6750), or one without a JSON error code
// (an application route's own 401).
function isTokenRefusal(body) {
  const code = body?.error;
  return typeof code !== 'string' || code === 'invalid_token' || code === 'token_expired';
}

async function readJson(answer) {
  if (answer.status === 204) return null;
  try { return await answer.json(); } catch { return null; }
}

function pause(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// ---- WebAuthn: the server's JSON options to navigator.credentials, and the credential back ----

function passkeysSupported() {
  return typeof window !== 'undefined' && window.isSecureContext === true &&
    typeof window.PublicKeyCredential === 'function' && Boolean(navigator.credentials);
}

async function conditionalMediationAvailable() {
  if (!passkeysSupported() || typeof PublicKeyCredential.isConditionalMediationAvailable !== 'function') {
    return false;
  }
  try { return Boolean(await PublicKeyCredential.isConditionalMediationAvailable()); } catch { return false; }
}

// PublicKeyCredentialCreationOptions: challenge, user.id and excludeCredentials[].id are bytes.
function creationOptions(json) {
  const options = { ...json, challenge: fromBase64url(json.challenge), user: { ...json.user, id: fromBase64url(json.user?.id) } };
  if (Array.isArray(json.excludeCredentials)) options.excludeCredentials = json.excludeCredentials.map(descriptor);
  return options;
}

// PublicKeyCredentialRequestOptions: challenge and allowCredentials[].id are bytes.
function requestOptions(json) {
  const options = { ...json, challenge: fromBase64url(json.challenge) };
  if (Array.isArray(json.allowCredentials)) options.allowCredentials = json.allowCredentials.map(descriptor);
  return options;
}

function descriptor(credential) { return { ...credential, id: fromBase64url(credential.id) }; }

// A PublicKeyCredential in the JSON form of WebAuthn Level 3 (RegistrationResponseJSON or
// AuthenticationResponseJSON): the browser's toJSON(), or the same members built by hand.
function credentialJson(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const answer = credential.response;
  const response = { clientDataJSON: toBase64url(answer.clientDataJSON) };
  if ('attestationObject' in answer) {
    response.attestationObject = toBase64url(answer.attestationObject);
    response.transports = typeof answer.getTransports === 'function' ? answer.getTransports() : [];
  } else {
    response.authenticatorData = toBase64url(answer.authenticatorData);
    response.signature = toBase64url(answer.signature);
    if (answer.userHandle) response.userHandle = toBase64url(answer.userHandle);
  }
  const json = {
    id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type, response,
    clientExtensionResults: typeof credential.getClientExtensionResults === 'function'
      ? credential.getClientExtensionResults() : {},
  };
  if (credential.authenticatorAttachment) json.authenticatorAttachment = credential.authenticatorAttachment;
  return json;
}

function fromBase64url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new TypeError('the server sent a binary field that is not base64url');
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// A signal that aborts when either does (AbortSignal.any where the browser has it).
function anySignal(a, b) {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const both = new AbortController();
  for (const signal of [a, b]) {
    if (signal.aborted) both.abort();
    else signal.addEventListener('abort', () => both.abort(), { once: true });
  }
  return both.signal;
}

function timeout(ms) {
  return typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(ms) : undefined;
}
