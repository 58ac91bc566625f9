// The example page's logic: every call goes through the Latchkey client.
import { createClient } from './latchkey-client.js';

const mode = new URLSearchParams(location.search).get('mode') === 'bearer' ? 'bearer' : 'cookie';
const auth = createClient({ mode });
window.latchkey = auth;   // for the browser console (and the tests); holds no token in cookie mode

const $ = (id) => document.getElementById(id);
let refreshCount = 0;

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
  };
  return known[error.code] || error.message || String(error);
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
  if ($('stepup-dialog').open) $('stepup-dialog').close();
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
  } catch (error) {
    say(`Could not list the signed-in devices: ${explain(error)}`, 'error');
  }
}

// One device: "Chrome on Linux · 203.0.113.7 · last used 12/4/2026, 3:20 PM" (text only).
function sessionItem(session) {
  const item = document.createElement('li');
  item.dataset.id = session.id;
  item.dataset.current = String(Boolean(session.current));
  const what = document.createElement('div');
  what.className = 'device';
  const name = document.createElement('strong');
  name.textContent = session.device || 'Unknown device';
  what.append(name);
  if (session.current) {
    const mark = document.createElement('span');
    mark.className = 'badge';
    mark.textContent = 'this device';
    what.append(' ', mark);
  }
  const details = document.createElement('div');
  details.className = 'hint';
  const used = session.lastUsedAt || session.createdAt;
  details.textContent = [session.ip || 'unknown address',
    used ? `last used ${new Date(used).toLocaleString()}` : '',
    (session.amr || []).includes('otp') ? 'with a code' : ''].filter(Boolean).join(' · ');
  what.append(details);
  item.append(what);
  if (!session.current) {
    const end = document.createElement('button');
    end.type = 'button';
    end.className = 'secondary end-session';
    end.textContent = 'Sign out';
    end.setAttribute('aria-label', `Sign out ${session.device || 'this session'}`);
    end.addEventListener('click', async () => {
      try {
        await auth.revokeSession(session.id);
        say(`Signed out ${session.device || 'the device'}.`, 'ok');
      } catch (error) {
        say(`Could not sign that device out: ${explain(error)}`, 'error');
      }
      await loadSessions();
    });
    item.append(end);
  }
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
    say('Two-factor authentication is on.', 'ok');
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
    say('Two-factor authentication is off.', 'ok');
  } catch (error) {
    say(explainCode(error), 'error');
  }
});

// ---- The second factor at sign-in (after a password or a mailed link) ------------------------

function showMfaPrompt(show, useRecovery = false) {
  $('mfa-form').hidden = !show;
  document.querySelector('#signed-out .cards').hidden = show;
  $('mfa-code-label').hidden = useRecovery;
  $('mfa-code').required = !useRecovery;
  $('mfa-recovery-label').hidden = !useRecovery;
  $('mfa-recovery').required = useRecovery;
  $('mfa-switch').textContent = useRecovery ? 'Use a code from the app instead' : 'Use a recovery code instead';
  $('mfa-prompt').textContent = useRecovery
    ? 'Enter one of the recovery codes you saved when you turned two-factor authentication on.'
    : 'Enter the 6-digit code from your authenticator app.';
  $('mfa-form').dataset.recovery = String(useRecovery);
  $('mfa-code').value = '';
  $('mfa-recovery').value = '';
  if (show) (useRecovery ? $('mfa-recovery') : $('mfa-code')).focus();
}

$('mfa-switch').addEventListener('click', () => {
  showMfaPrompt(true, $('mfa-form').dataset.recovery !== 'true');
});

$('mfa-cancel').addEventListener('click', () => {
  auth.cancelMfa();
  showMfaPrompt(false);
  say('');
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
      return say('The sign-in took too long: please sign in again.', 'error');
    }
    say(explainCode(error), 'error');
  }
});

// ---- Step-up: a protected call needs a second factor -------------------------------------------

auth.addEventListener('mfarequired', () => {
  const dialog = $('stepup-dialog');
  if (dialog.open) return;
  const hasTotp = Boolean(auth.user?.mfa?.totp);
  $('stepup-text').textContent = hasTotp
    ? 'This needs a second factor: enter the 6-digit code from your authenticator app.'
    : 'This needs two-factor authentication: turn it on under Security first.';
  $('stepup-code-label').hidden = !hasTotp;
  $('stepup-code').required = hasTotp;
  $('stepup-button').hidden = !hasTotp;
  $('stepup-code').value = '';
  $('stepup-error').textContent = '';
  dialog.showModal();
});

$('stepup-cancel').addEventListener('click', () => $('stepup-dialog').close());

$('stepup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await auth.stepUp({ code: $('stepup-code').value.trim() });
    $('stepup-dialog').close();
    say('Confirmed.', 'ok');
    await loadNotes();   // what asked for it, again
  } catch (error) {
    $('stepup-error').textContent = explainCode(error);
  }
});

// ---- Session events ------------------------------------------------------------------------------

auth.addEventListener('loggedin', (event) => {
  showSignedIn(event.detail.user);
  showTotpState(event.detail.user);
  loadNotes();
  loadSessions();
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
    if (result.mfaRequired) showMfaPrompt(true);
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
