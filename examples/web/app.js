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
  };
  return known[error.code] || error.message || String(error);
}

function showSignedIn(user) {
  $('status').textContent = `Signed in as ${user.email}`;
  $('status').dataset.state = 'signed-in';
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
}

function showSignedOut() {
  $('status').textContent = 'Not signed in';
  $('status').dataset.state = 'signed-out';
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('me-output').hidden = true;
  $('notes').replaceChildren();
  $('session-info').textContent = '';
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

auth.addEventListener('loggedin', (event) => {
  showSignedIn(event.detail.user);
  loadNotes();
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
    await auth.login($('login-email').value, $('login-password').value);
    $('login-password').value = '';
    say('');
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
