// The example page's logic: every call goes through the Latchkey client.
import { createClient, LatchkeyError } from './latchkey-client.js';

const mode = new URLSearchParams(location.search).get('mode') === 'bearer' ? 'bearer' : 'cookie';
const auth = createClient({ mode });
window.latchkey = auth;   // for the browser console (and the tests); holds no token in cookie mode

const $ = (id) => document.getElementById(id);
let refreshCount = 0;
let currentDevice = '';   // this session's device text ("Chrome on Linux"), a name for a new passkey

function say(text, kind = 'info') {
  $('message').textContent = text;
  $('message').dataset.kind = kind;
}

function explain(error) {
  const known = {
    invalid_credentials: 'Wrong email or password.',
    email_not_confirmed: 'Confirm your email address first: open the link we mailed you.',
    account_disabled: 'This account is disabled.',
    rate_limited: 'Too many attempts: wait a little and try again.',
    weak_password: 'Choose a longer password.',
    invalid_code: 'That code is not right (or was already used). Try the next one.',
    invalid_credential: 'That passkey is not accepted here: it may have been removed from this account.',
    reauthentication_required: 'This needs a recent sign-in.',
  };
  return known[error.code] || error.message || String(error);
}

// The browser's side of a passkey ceremony fails with a DOMException; the server's with a
// LatchkeyError.
function explainPasskey(error) {
  if (!(error instanceof LatchkeyError)) {
    const known = {
      NotAllowedError: 'The passkey prompt was closed or timed out.',
      InvalidStateError: 'This device already holds a passkey for this account.',
      AbortError: 'The passkey request was cancelled.',
      NotSupportedError: 'This device cannot make a passkey of a kind the server accepts.',
      SecurityError: `Passkeys do not work at ${location.host}: open this page by the server's host name.`,
    };
    if (known[error?.name]) return known[error.name];
  }
  return explain(error);
}

// Why passkeys cannot work on this page, or null. Browsers refuse WebAuthn on an IP address.
function passkeyBlocker() {
  if (!auth.passkeys.supported) return 'This browser cannot use passkeys on this page.';
  const host = location.hostname;
  if (/^[0-9.]+$/.test(host) || host.startsWith('[')) {
    const local = host === '127.0.0.1' || host === '[::1]';
    return `Passkeys need the site's host name, not an IP address: open ${
      local ? `${location.protocol}//localhost${location.port ? `:${location.port}` : ''}/` : 'this page by its name'} instead.`;
  }
  return null;
}

function showSignedIn(user) {
  $('status').textContent = `Signed in as ${user.email}`;
  $('status').dataset.state = 'signed-in';
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  showMfaPrompt(false);
}

function showSignedOut() {
  $('status').textContent = 'Not signed in';
  $('status').dataset.state = 'signed-out';
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('me-output').hidden = true;
  $('notes').replaceChildren();
  $('session-info').textContent = '';
  $('sessions').replaceChildren();
  $('passkeys').replaceChildren();
  if ($('stepup-dialog').open) $('stepup-dialog').close();
  offerPasskeyAutofill();
}

async function loadNotes() {
  const answer = await auth.fetch('/api/notes');
  if (!answer.ok) return say(`Could not load notes (HTTP ${answer.status}).`, 'error');
  const { notes } = await answer.json();
  $('notes').replaceChildren(...notes.map(noteItem));
  $('notes-empty').hidden = notes.length > 0;
}

function noteItem(note) {
  const item = document.createElement('li');
  item.dataset.id = note.id;
  const text = document.createElement('span');
  text.className = 'note-text';
  text.textContent = note.text;
  const when = document.createElement('time');
  when.textContent = note.createdAt ? new Date(note.createdAt).toLocaleString() : '';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'delete secondary';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete note ${note.text}`);
  remove.addEventListener('click', async () => {
    const answer = await auth.fetch(`/api/notes/${encodeURIComponent(note.id)}`, { method: 'DELETE' });
    if (!answer.ok) return say(`Could not delete the note (HTTP ${answer.status}).`, 'error');
    await loadNotes();
  });
  item.append(text, when, remove);
  return item;
}

// ---- Security: signed-in devices -------------------------------------------------------------

async function loadSessions() {
  try {
    const sessions = await auth.sessions();
    $('sessions').replaceChildren(...sessions.map(sessionItem));
    $('logout-others-button').hidden = !sessions.some((session) => !session.current);
    currentDevice = sessions.find((session) => session.current)?.device || '';
  } catch (error) {
    say(`Could not list the signed-in devices: ${explain(error)}`, 'error');
  }
}

// A row of the devices or passkeys list, all text: a name, an optional badge, a line of details
// joined by " · ", and an optional button.
function listItem({ id, name, badge, badgeClass = '', details, button }) {
  const item = document.createElement('li');
  item.dataset.id = id;
  const what = document.createElement('div');
  what.className = 'device';
  const title = document.createElement('strong');
  title.textContent = name;
  what.append(title);
  if (badge) {
    const mark = document.createElement('span');
    mark.className = `badge ${badgeClass}`.trim();
    mark.textContent = badge;
    what.append(' ', mark);
  }
  const line = document.createElement('div');
  line.className = 'hint';
  line.textContent = details.filter(Boolean).join(' · ');
  what.append(line);
  item.append(what);
  if (button) {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = `secondary ${button.className}`;
    element.textContent = button.text;
    element.setAttribute('aria-label', button.label);
    element.addEventListener('click', button.onClick);
    item.append(element);
  }
  return item;
}

// One device: "Chrome on Linux · 203.0.113.7 · last used 12/4/2026, 3:20 PM" (text only).
function sessionItem(session) {
  const used = session.lastUsedAt || session.createdAt;
  const item = listItem({
    id: session.id,
    name: session.device || 'Unknown device',
    badge: session.current ? 'this device' : '',
    details: [session.ip || 'unknown address',
      used ? `last used ${new Date(used).toLocaleString()}` : '',
      (session.amr || []).includes('otp') ? 'with a code' : '',
      (session.amr || []).includes('hwk') ? 'with a passkey' : ''],
    button: session.current ? null : {
      className: 'end-session',
      text: 'Sign out',
      label: `Sign out ${session.device || 'this session'}`,
      onClick: async () => {
        try {
          await auth.revokeSession(session.id);
          say(`Signed out ${session.device || 'the device'}.`, 'ok');
        } catch (error) {
          say(`Could not sign that device out: ${explain(error)}`, 'error');
        }
        await loadSessions();
      },
    },
  });
  item.dataset.current = String(Boolean(session.current));
  return item;
}

$('logout-others-button').addEventListener('click', async () => {
  try {
    await auth.logoutOthers();
    say('Every other device is signed out.', 'ok');
  } catch (error) {
    say(`Could not sign the other devices out: ${explain(error)}`, 'error');
  }
  await loadSessions();
});

// ---- Security: two-factor authentication (TOTP) ---------------------------------------------

// One of the TOTP parts is visible: off, enrolling, recovery codes, on.
function showTotp(part) {
  for (const name of ['off', 'enable-form', 'recovery', 'on']) $(`totp-${name}`).hidden = name !== part;
}

function showTotpState(user) { showTotp(user?.mfa?.totp ? 'on' : 'off'); }

// For the forms that send a code: a malformed one is a typing slip, not a broken request.
function explainCode(error) {
  return error.code === 'invalid_request' ? 'That does not look like a code: check what you typed.' : explain(error);
}

// A 6-digit code, or else a recovery code (for the fields that take either).
function codeOrRecovery(text) {
  const value = text.trim();
  return /^[0-9]{6}$/.test(value) ? { code: value } : { recoveryCode: value };
}

$('totp-setup-button').addEventListener('click', async () => {
  try {
    const { secret, qrSvg } = await auth.mfa.setupTotp();
    // The server's SVG as an image: an <img> never runs what an SVG holds, and nothing of it goes
    // through innerHTML.
    $('totp-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`;
    $('totp-secret').textContent = secret.replace(/(.{4})(?=.)/g, '$1 ');
    $('totp-enable-code').value = '';
    $('totp-enable-password').value = '';
    showTotp('enable-form');
    say('');
  } catch (error) {
    say(`Could not start the set-up: ${explain(error)}`, 'error');
  }
});

$('totp-enable-cancel').addEventListener('click', () => showTotpState(auth.user));

$('totp-enable-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const { recoveryCodes } = await auth.mfa.enableTotp({
      code: $('totp-enable-code').value.trim(), password: $('totp-enable-password').value,
    });
    $('totp-enable-password').value = '';
    $('totp-qr').removeAttribute('src');
    $('totp-secret').textContent = '';
    $('recovery-codes').replaceChildren(...recoveryCodes.map((code) => {
      const item = document.createElement('li');
      item.textContent = code;
      return item;
    }));
    showTotp('recovery');
    say('Codes from your authenticator app are on.', 'ok');
  } catch (error) {
    say(explainCode(error), 'error');
  }
});

$('totp-recovery-done').addEventListener('click', async () => {
  $('recovery-codes').replaceChildren();   // shown once
  showTotpState(await auth.me());
});

$('totp-disable-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await auth.mfa.disableTotp({
      password: $('totp-disable-password').value, ...codeOrRecovery($('totp-disable-code').value),
    });
    $('totp-disable-password').value = '';
    $('totp-disable-code').value = '';
    showTotpState(await auth.me());
    say('Codes from your authenticator app are off.', 'ok');
  } catch (error) {
    say(explainCode(error), 'error');
  }
});

// ---- The second factor at sign-in (after a password or a mailed link) ------------------------

let mfaMethods = [];   // what the server accepts for the pending sign-in: totp, recovery_code, passkey

// The prompt for the methods of the pending sign-in: a code (or a recovery code), and "Use a
// passkey" when one of the user's passkeys would do.
function showMfaPrompt(show, methods = mfaMethods, useRecovery = false) {
  mfaMethods = methods.length > 0 ? methods : ['totp', 'recovery_code'];
  const hasPasskey = mfaMethods.includes('passkey');
  const codes = mfaMethods.includes('totp') || mfaMethods.includes('recovery_code');
  const recovery = codes && (useRecovery || !mfaMethods.includes('totp'));
  $('mfa-form').hidden = !show;
  document.querySelector('#signed-out .cards').hidden = show;
  $('mfa-code-label').hidden = !codes || recovery;
  $('mfa-code').required = codes && !recovery;
  $('mfa-recovery-label').hidden = !recovery;
  $('mfa-recovery').required = recovery;
  $('mfa-button').hidden = !codes;
  $('mfa-switch').hidden = !(mfaMethods.includes('totp') && mfaMethods.includes('recovery_code'));
  $('mfa-switch').textContent = recovery ? 'Use a code from the app instead' : 'Use a recovery code instead';
  $('mfa-passkey').hidden = !hasPasskey;
  $('mfa-passkey').classList.toggle('secondary', codes);
  $('mfa-prompt').textContent = !codes ? 'Confirm it is you with one of your passkeys.'
    : (recovery
      ? 'Enter one of the recovery codes you saved when you turned two-factor authentication on.'
      : 'Enter the 6-digit code from your authenticator app.') + (hasPasskey ? ' Or use a passkey.' : '');
  $('mfa-form').dataset.recovery = String(recovery);
  $('mfa-code').value = '';
  $('mfa-recovery').value = '';
  if (show && codes) (recovery ? $('mfa-recovery') : $('mfa-code')).focus();
}

$('mfa-switch').addEventListener('click', () => {
  showMfaPrompt(true, mfaMethods, $('mfa-form').dataset.recovery !== 'true');
});

$('mfa-cancel').addEventListener('click', () => {
  auth.cancelMfa();
  showMfaPrompt(false);
  say('');
  offerPasskeyAutofill();
});

$('mfa-passkey').addEventListener('click', async () => {
  say('Waiting for your passkey…');
  try {
    await auth.verifyMfa({ passkey: true });
    say('');
  } catch (error) {
    if (!auth.mfaPending) {
      showMfaPrompt(false);
      offerPasskeyAutofill();
      return say('The sign-in took too long: please sign in again.', 'error');
    }
    say(explainPasskey(error), 'error');
  }
});

$('mfa-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const factor = $('mfa-form').dataset.recovery === 'true'
    ? { recoveryCode: $('mfa-recovery').value.trim() } : { code: $('mfa-code').value.trim() };
  try {
    await auth.verifyMfa(factor);
    say('');
  } catch (error) {
    if (!auth.mfaPending) {
      showMfaPrompt(false);
      offerPasskeyAutofill();
      return say('The sign-in took too long: please sign in again.', 'error');
    }
    say(explainCode(error), 'error');
  }
});

// ---- Step-up: a call needs a second factor, or a recent sign-in ---------------------------------

let afterStepUp = null;   // what asked for the step-up, to run again once it is done

// Opens the dialog with the factors this user has: a code from the app, a passkey, or neither
// (then it says where to turn one on). `need` says why: "This needs a second factor".
function openStepUp(need, then) {
  const dialog = $('stepup-dialog');
  if (dialog.open) return;
  afterStepUp = then;
  const hasTotp = Boolean(auth.user?.mfa?.totp);
  const hasPasskey = Number(auth.user?.mfa?.passkeys) > 0;
  const ways = [hasTotp && 'enter the 6-digit code from your authenticator app',
    hasPasskey && (hasTotp ? 'use a passkey' : 'use one of your passkeys')].filter(Boolean).join(', or ');
  $('stepup-text').textContent = ways ? `${need}: ${ways}.`
    : `${need}, and this account has none: turn it on under Security first (an authenticator app or a passkey).`;
  $('stepup-code-label').hidden = !hasTotp;
  $('stepup-code').required = hasTotp;
  $('stepup-button').hidden = !hasTotp;
  $('stepup-passkey').hidden = !hasPasskey;
  $('stepup-passkey').classList.toggle('secondary', hasTotp);
  $('stepup-code').value = '';
  $('stepup-error').textContent = '';
  dialog.showModal();
}

async function finishStepUp(factor) {
  try {
    await auth.stepUp(factor);
    $('stepup-dialog').close();
    say('Confirmed.', 'ok');
    const then = afterStepUp;
    afterStepUp = null;
    await then?.();
  } catch (error) {
    $('stepup-error').textContent = factor.passkey ? explainPasskey(error) : explainCode(error);
  }
}

auth.addEventListener('mfarequired', () => openStepUp('This needs a second factor', loadNotes));

$('stepup-cancel').addEventListener('click', () => {
  afterStepUp = null;
  $('stepup-dialog').close();
});

$('stepup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  finishStepUp({ code: $('stepup-code').value.trim() });
});

$('stepup-passkey').addEventListener('click', () => finishStepUp({ passkey: true }));

// ---- Security: passkeys ------------------------------------------------------------------------

async function loadPasskeys() {
  const blocker = passkeyBlocker();
  $('passkeys-unavailable').textContent = blocker || '';
  $('passkeys-unavailable').hidden = !blocker;
  $('passkey-add-button').hidden = Boolean(blocker) || !$('passkey-add-form').hidden;
  try {
    const passkeys = await auth.passkeys.list();
    $('passkeys').replaceChildren(...passkeys.map(passkeyItem));
    $('passkeys-empty').hidden = passkeys.length > 0;
  } catch (error) {
    say(`Could not list the passkeys: ${explain(error)}`, 'error');
  }
}

// One passkey: "Work laptop · added 12/4/2026, 3:20 PM · last used 12/5/2026, 9:02 AM" (text only).
// A flagged one (its signature counter went backwards, as a copy's would) signs nothing in.
function passkeyItem(passkey) {
  const item = listItem({
    id: passkey.id,
    name: passkey.name || 'Passkey',
    badge: passkey.flagged ? 'blocked' : '',
    badgeClass: 'warning',
    details: [
      passkey.createdAt ? `added ${new Date(passkey.createdAt).toLocaleString()}` : '',
      passkey.lastUsedAt ? `last used ${new Date(passkey.lastUsedAt).toLocaleString()}` : 'not used yet',
      passkey.flagged ? 'it answered as a copy would (its counter went backwards), so it no longer signs in: remove it' : ''],
    button: {
      className: 'remove-passkey',
      text: 'Remove',
      label: `Remove the passkey ${passkey.name || ''}`.trim(),
      onClick: () => removePasskey(passkey),
    },
  });
  item.dataset.flagged = String(Boolean(passkey.flagged));
  return item;
}

// Removing needs a recent sign-in (403 reauthentication_required): a step-up, then again.
async function removePasskey(passkey) {
  try {
    await auth.passkeys.remove(passkey.id);
    say(`Removed the passkey ${passkey.name || ''}. Remove it from the device too (its password manager or settings).`.replace(/  +/g, ' '), 'ok');
  } catch (error) {
    if (error.code === 'reauthentication_required') {
      say('Removing a passkey needs a recent sign-in: confirm it is you, or sign out and sign in again.', 'error');
      return openStepUp('Removing a passkey needs a recent sign-in', () => removePasskey(passkey));
    }
    say(`Could not remove the passkey: ${explain(error)}`, 'error');
  }
  await auth.me();   // user.mfa.passkeys, for the step-up dialog
  await loadPasskeys();
}

function showPasskeyForm(show) {
  $('passkey-add-form').hidden = !show;
  $('passkey-add-button').hidden = show;
  if (show) {
    $('passkey-name').value = currentDevice;
    $('passkey-name').focus();
    $('passkey-name').select();
  }
}

$('passkey-add-button').addEventListener('click', () => showPasskeyForm(true));
$('passkey-add-cancel').addEventListener('click', () => showPasskeyForm(false));

$('passkey-add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  say('Follow your browser\'s prompt to create the passkey…');
  try {
    const created = await auth.passkeys.register($('passkey-name').value);
    showPasskeyForm(false);
    say(`Passkey "${created.name}" added: use it to sign in without a password.`, 'ok');
    await auth.me();
    await loadPasskeys();
  } catch (error) {
    if (error.code === 'reauthentication_required') return addNeedsRecentSignIn();
    say(`No passkey was added: ${explainPasskey(error)}`, 'error');
  }
});

// Adding a passkey needs a sign-in within 10 minutes (403 reauthentication_required), so that a
// stolen access token cannot add one: a step-up with a factor the user has, then again; without
// one, only signing in again will do.
function addNeedsRecentSignIn() {
  const hasFactor = Boolean(auth.user?.mfa?.totp) || Number(auth.user?.mfa?.passkeys) > 0;
  if (!hasFactor) {
    return say('Adding a passkey needs a sign-in within the last 10 minutes: sign out, sign in again, then add it.', 'error');
  }
  say('Adding a passkey needs a recent sign-in: confirm it is you.', 'error');
  openStepUp('Adding a passkey needs a recent sign-in', () => $('passkey-add-form').requestSubmit());
}

// ---- Signing in with a passkey -------------------------------------------------------------------

$('passkey-login-button').addEventListener('click', async () => {
  const blocker = passkeyBlocker();
  if (blocker) return say(blocker, 'error');
  say('Waiting for your passkey…');
  try {
    const result = await auth.passkeys.login();
    say('');
    if (result.mfaRequired) showMfaPrompt(true, result.methods);
  } catch (error) {
    say(explainPasskey(error), 'error');
    offerPasskeyAutofill();   // the button's request stopped the autofill one: offer it again
  }
});

// The browser's autofill offers the passkeys of this site in the email field (conditional UI)
// while the form is shown. Before a passkey is picked, failures say nothing (no authenticator,
// the browser's own refusal); once one is, the server's answer is shown.
async function offerPasskeyAutofill() {
  if (passkeyBlocker()) return;
  try {
    const result = await auth.passkeys.login({ conditional: true });
    if (result?.mfaRequired) showMfaPrompt(true, result.methods);
  } catch (error) {
    if (error instanceof LatchkeyError && (error.status === 401 || error.status === 429)) {
      say(explainPasskey(error), 'error');
    }
  }
}

// ---- Session events ------------------------------------------------------------------------------

auth.addEventListener('loggedin', (event) => {
  showSignedIn(event.detail.user);
  showTotpState(event.detail.user);
  showPasskeyForm(false);
  loadNotes();
  loadSessions();
  loadPasskeys();
});
auth.addEventListener('refreshed', (event) => {
  refreshCount += 1;
  const seconds = Math.round(event.detail.expiresIn / 1000);
  $('session-info').textContent =
    `Session renewed ${refreshCount}× silently (${mode} mode); the access token lasts ${seconds} s.`;
});
auth.addEventListener('loggedout', (event) => {
  showSignedOut();
  if (event.detail.reason === 'refresh_failed') say('Your session ended. Please sign in again.', 'error');
  else if (event.detail.reason === 'other_tab') say('Signed out in another tab.');
});

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  say('Signing in…');
  try {
    const result = await auth.login($('login-email').value, $('login-password').value);
    $('login-password').value = '';
    say('');
    if (result.mfaRequired) showMfaPrompt(true, result.methods);
  } catch (error) {
    say(explain(error), 'error');
  }
});

$('magic-button').addEventListener('click', async () => {
  const email = $('login-email');
  if (!email.reportValidity()) return;
  try {
    await auth.requestMagicLink(email.value);
    say(`If ${email.value} has an account, a sign-in link is on its way: open it in any browser.`, 'ok');
  } catch (error) {
    say(explain(error), 'error');
  }
});

$('register-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await auth.register($('register-email').value, $('register-password').value);
    $('register-password').value = '';
    say(`Check ${$('register-email').value}: we sent a link to confirm the address.`, 'ok');
  } catch (error) {
    say(explain(error), 'error');
  }
});

$('forgot-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await auth.forgotPassword($('forgot-email').value);
    say('If that address has an account, a reset link is on its way.', 'ok');
  } catch (error) {
    say(explain(error), 'error');
  }
});

$('me-button').addEventListener('click', async () => {
  const user = await auth.me();
  $('me-output').hidden = false;
  $('me-output').textContent = user ? JSON.stringify(user, null, 2) : 'Not signed in.';
});

$('logout-button').addEventListener('click', () => auth.logout());

$('note-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('note-text').value.trim();
  if (!text) return;
  const answer = await auth.fetch('/api/notes', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }),
  });
  if (!answer.ok) return say(`Could not add the note (HTTP ${answer.status}).`, 'error');
  $('note-text').value = '';
  await loadNotes();
});

// On load: pick up an existing session from the refresh cookie.
const user = await auth.resume();
if (!user) showSignedOut();
document.body.dataset.ready = 'true';
