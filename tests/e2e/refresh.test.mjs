// Staying signed in with a 10-second access token: by the timer, and by the 401 path when timers
// are blocked. `leeway_seconds: 0` so that an expired token is refused at once (the default 30 s
// leeway would hide a missing refresh).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createUser, events, launchBrowser, newContext, recordEvents, signIn, sleep, startHost,
  uniqueEmail, watchRequests,
} from './support.mjs';

const shortTokens = { access_ttl_seconds: 10, leeway_seconds: 0 };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the timer refreshes before every expiry: no 401, still signed in after 27 s', { timeout: 60_000 }, async () => {
  const host = await startHost({ tokens: shortTokens });
  const context = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('timer'));
    const page = await context.newPage();
    const api = watchRequests(page, /^\/api\//);
    await signIn(page, host.base, user);
    await recordEvents(page);
    api.length = 0;   // forget the page load's refresh attempt (401: no session yet) and the login
    const start = Date.now();

    // Ask "who am I" now and then while three or more access tokens expire.
    while (Date.now() - start < 27_000) {
      await sleep(4_000);
      const me = await page.evaluate(async () => (await window.latchkey.me())?.email);
      assert.equal(me, user.email, `me failed after ${Date.now() - start} ms`);
    }

    const refreshes = api.filter((r) => r.path === '/api/auth/refresh');
    assert.ok(refreshes.length >= 3, `expected 3+ timer refreshes in 27 s, saw ${refreshes.length}`);
    assert.ok(refreshes.every((r) => r.status === 200), JSON.stringify(refreshes));
    const unauthorized = api.filter((r) => r.status === 401);
    assert.deepEqual(unauthorized, [], 'the timer should refresh before the token expires');
    assert.deepEqual(await events(page, 'loggedout'), []);
    assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
  } finally {
    await context.close();
    await host.stop();
  }
});

for (const mode of ['cookie', 'bearer']) {
  test(`timers blocked (${mode} mode): after expiry a 401 leads to one shared refresh and a retry`, { timeout: 60_000 }, async () => {
    const host = await startHost({ tokens: shortTokens });
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail(`blocked-${mode}`));
      const page = await context.newPage();
      // The scheduled refresh never fires: long timeouts are swallowed (and counted).
      await page.addInitScript(() => {
        const original = window.setTimeout;
        window.__blockedTimers = [];
        window.setTimeout = (fn, ms, ...rest) => {
          if (ms >= 1000) { window.__blockedTimers.push(ms); return 0; }
          return original(fn, ms, ...rest);
        };
      });
      const api = watchRequests(page, /^\/api\//);
      await signIn(page, host.base, user, mode === 'bearer' ? '?mode=bearer' : '');
      await recordEvents(page);
      assert.ok((await page.evaluate(() => window.__blockedTimers.length)) > 0, 'no refresh was scheduled');
      assert.equal(await page.evaluate(() => window.latchkey.mode), mode);

      if (mode === 'cookie') {
        // A tab that slept past its refresh time (due at 75-85 % of 10 s) refreshes on wake,
        // before the token expires: no 401.
        await sleep(9_000);
        const beforeWake = api.length;
        await page.evaluate(() => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
          document.dispatchEvent(new Event('visibilitychange'));
        });
        await page.waitForFunction(() => window.__events.some((e) => e.type === 'refreshed'), null, { timeout: 5_000 });
        const woke = api.slice(beforeWake);
        assert.deepEqual(woke.map((r) => `${r.path} ${r.status}`), ['/api/auth/refresh 200']);
      }

      await sleep(11_500);   // the access token (and its cookie) expired
      const before = api.length;
      // Three concurrent requests and the page's own "Who am I?" button.
      const statuses = await page.evaluate(() => Promise.all([
        window.latchkey.fetch('/api/auth/me'),
        window.latchkey.fetch('/api/me'),
        window.latchkey.fetch('/api/auth/me'),
      ].map((p) => p.then((r) => r.status))));
      assert.deepEqual(statuses, [200, 200, 200]);
      await page.click('#me-button');
      await page.waitForSelector('#me-output:not([hidden])');
      assert.equal(JSON.parse(await page.textContent('#me-output')).email, user.email);

      const after = api.slice(before);
      const refreshes = after.filter((r) => r.path === '/api/auth/refresh');
      assert.equal(refreshes.length, 1, `one shared refresh expected: ${JSON.stringify(after)}`);
      assert.equal(refreshes[0].status, 200);
      assert.equal(after.filter((r) => r.status === 401).length, 3, JSON.stringify(after));
      assert.deepEqual(await events(page, 'loggedout'), []);
      assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
    } finally {
      await context.close();
      await host.stop();
    }
  });
}
