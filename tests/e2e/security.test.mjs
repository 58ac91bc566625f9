// What a page's JavaScript, and a page of another origin, can do with the session.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import {
  createUser, launchBrowser, liveSessions, newContext, signIn, startHost, uniqueEmail, waitFor,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const looksLikeToken = /eyJ[A-Za-z0-9_-]{10,}|accessToken|refreshToken/;

for (const mode of ['cookie', 'bearer']) {
  test(`no token in document.cookie or web storage (${mode} mode)`, { timeout: 45_000 }, async () => {
    const host = await startHost();
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail(`cookie-${mode}`));
      const page = await context.newPage();
      await signIn(page, host.base, user, mode === 'bearer' ? '?mode=bearer' : '');
      assert.ok(await page.evaluate(() => window.latchkey.refresh()), 'refresh failed');
      await page.evaluate(() => window.latchkey.me());

      // The cookies exist, httpOnly and SameSite=Strict, the refresh cookie only under the prefix...
      const cookies = await context.cookies();
      const access = cookies.find((c) => c.name === 'accessToken');
      const refresh = cookies.find((c) => c.name === 'refreshToken');
      assert.ok(access && refresh, JSON.stringify(cookies.map((c) => c.name)));
      for (const cookie of [access, refresh]) {
        assert.equal(cookie.httpOnly, true, `${cookie.name} not httpOnly`);
        assert.equal(cookie.sameSite, 'Strict', `${cookie.name} not SameSite=Strict`);
      }
      assert.equal(refresh.path, '/api/auth');

      // ...and JavaScript sees none of them, here or under the prefix's path.
      const seen = await page.evaluate(() => ({
        cookie: document.cookie,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        client: JSON.stringify(window.latchkey) + Object.keys(window.latchkey).join(','),
      }));
      for (const [where, text] of Object.entries(seen)) assert.doesNotMatch(text, looksLikeToken, `${where}: ${text}`);
      const underPrefix = await context.newPage();
      await underPrefix.goto(`${host.base}/api/auth/me`);
      assert.doesNotMatch(await underPrefix.evaluate(() => document.cookie), looksLikeToken);
    } finally {
      await context.close();
      await host.stop();
    }
  });
}

// A page that attacks `target` with the visitor's cookies and reports what it could read.
function attackPage(target) {
  return `<!doctype html><title>attacker</title><script>
    const target = ${JSON.stringify(target)};
    const attempt = (path, init) => fetch(target + path, { credentials: 'include', ...init })
      .then((r) => r.text().then((body) => ({ path, status: r.status, body })), (e) => ({ path, error: String(e) }));
    window.results = Promise.all([
      attempt('/api/auth/logout-all', { method: 'POST' }),
      attempt('/api/notes', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"text":"planted by the attacker"}' }),
      attempt('/api/notes', { method: 'GET' }),
      attempt('/api/auth/refresh', { method: 'POST' }),
      attempt('/api/auth/logout', { method: 'POST' }),
    ]);
  </script>`;
}

test('a page of another origin cannot use the session', { timeout: 60_000 }, async () => {
  const host = await startHost();
  const attacker = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(attackPage(host.base));
  });
  await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const evilPort = attacker.address().port;
  const context = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('foreign'));
    const page = await context.newPage();
    await signIn(page, host.base, user);
    // (Without the notes plugin the journey test fails; here the notes checks are left out.)
    if (host.hasNotes) {
      await page.fill('#note-text', 'mine');
      await page.click('#note-add');
      await page.waitForSelector('#notes li:has-text("mine")');
    }

    // Same site, other origin (another port of 127.0.0.1): SameSite=Strict cookies ARE sent, so the
    // server's Origin check must refuse every state change; CORS keeps the answers unreadable.
    // Other site (localhost): the cookies are not sent at all.
    const logs = {};
    for (const origin of [`http://127.0.0.1:${evilPort}`, `http://localhost:${evilPort}`]) {
      // Access lines reach the log up to 50 ms after their answers (a writer thread writes them;
      // docs/HOST.md "Logs"): let the earlier requests' lines arrive before marking where this
      // origin's begin, or one of them (the page's own POST /api/notes 201) lands in its slice.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const logStart = host.log().length;
      const evil = await context.newPage();
      await evil.goto(`${origin}/`);
      const results = await evil.evaluate(() => window.results);
      for (const result of results) {
        assert.ok(result.error, `${origin} could read ${result.path}: ${result.status} ${result.body}`);
      }
      await evil.close();
      // What the server answered (the host's access log: the browser hides CORS-blocked answers).
      await waitFor('the access log', () => (host.log().slice(logStart).match(/\[access\]/g) || []).length >= 5, 5_000);
      logs[origin] = host.log().slice(logStart).split('\n').filter((l) => l.includes('[access]'));
    }
    const answered = (origin, request) =>
      logs[origin].find((line) => line.includes(`] ${request} `))?.match(/ (\d{3}) /)?.[1];
    const sameSite = `http://127.0.0.1:${evilPort}`;
    const crossSite = `http://localhost:${evilPort}`;
    const refused = ['POST /api/auth/logout-all', 'POST /api/auth/refresh', 'POST /api/auth/logout'];
    if (host.hasNotes) refused.push('POST /api/notes');
    for (const request of refused) {
      assert.equal(answered(sameSite, request), '403', `${request} from ${sameSite}: ${logs[sameSite].join('; ')}`);
    }
    // Cross-site, SameSite=Strict keeps the cookies home: nothing authenticates.
    assert.equal(answered(crossSite, 'POST /api/auth/logout-all'), '401', logs[crossSite].join('; '));
    assert.equal(answered(crossSite, 'POST /api/auth/refresh'), '401', logs[crossSite].join('; '));
    if (host.hasNotes) assert.equal(answered(crossSite, 'POST /api/notes'), '401', logs[crossSite].join('; '));

    // The session is alive and untouched.
    assert.equal(await page.evaluate(async () => (await window.latchkey.me())?.email), user.email);
    if (host.hasNotes) {
      const notes = await page.evaluate(async () => (await (await window.latchkey.fetch('/api/notes')).json()).notes.map((n) => n.text));
      assert.deepEqual(notes, ['mine']);
    }
    assert.ok(await page.evaluate(() => window.latchkey.refresh()), 'the refresh cookie was spent or cleared');
    const live = await liveSessions(host);
    assert.equal(live, 1, 'one live session expected (script/bootstrap installs the sqlite3 CLI)');
  } finally {
    await context.close();
    await new Promise((resolve) => attacker.close(resolve));
    await host.stop();
  }
});
