// Two tabs (two pages of one context, so one cookie jar) sharing one session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  claims, createUser, events, launchBrowser, liveSessions, newContext, openApp, recordEvents,
  signIn, sleep, startHost, uniqueEmail, waitFor, watchRequests,
} from './support.mjs';
import { startHoldProxy } from './hold_proxy.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function sessionId(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'accessToken');
  assert.ok(cookie, 'no access cookie');
  return claims(cookie.value).sid;
}

async function twoTabs(host, user, { withoutLocks = false, base = host.base } = {}) {
  const context = await newContext(browser);
  if (withoutLocks) {
    // Without Web Locks both tabs reach the server at once: the server's grace window must hold.
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
  }
  const a = await context.newPage();
  await signIn(a, base, user);
  const b = await context.newPage();
  await openApp(b, base);
  assert.equal(await b.textContent('#status'), `Signed in as ${user.email}`, 'the second tab found the session');
  await recordEvents(a);
  await recordEvents(b);
  return { context, a, b };
}

for (const withoutLocks of [false, true]) {
  test(`two tabs refresh at the same moment${withoutLocks ? ' (no Web Locks: server grace)' : ''}: no logout, one session`, { timeout: 60_000 }, async (t) => {
    // Without Web Locks the pages go through a proxy that holds each refresh until the other tab's
    // has arrived too, so both carry the same refresh cookie: the race happens on every machine.
    const proxy = withoutLocks ? await startHoldProxy({ hold: /^\/api\/auth\/refresh$/ }) : null;
    const host = await startHost(proxy ? { auth: { csrf: { allowed_origins: [proxy.base] } } } : {});
    if (proxy) proxy.targetPort = host.port;
    const user = await createUser(host, uniqueEmail('tabs'));
    const { context, a, b } = await twoTabs(host, user, { withoutLocks, base: proxy?.base ?? host.base });
    try {
      assert.equal(await a.evaluate(() => !!navigator.locks), !withoutLocks);
      const sid = await sessionId(context);
      const refreshes = watchRequests(context, /^\/api\/auth\/refresh$/);

      const rounds = withoutLocks ? 5 : 3;
      if (proxy) proxy.holding = true;   // not before: opening the pages may refresh on its own
      for (let round = 0; round < rounds; round += 1) {
        const users = await Promise.all([a, b].map((page) => page.evaluate(() => window.latchkey.refresh().then((u) => u?.email ?? null))));
        assert.deepEqual(users, [user.email, user.email], `round ${round}`);
      }
      if (proxy) {
        assert.deepEqual(proxy.stats.groups, Array(rounds).fill(2), 'each round should send both tabs\' refreshes together');
        proxy.holding = false;
      }
      // Both keep working, on the same session.
      for (const page of [a, b]) {
        assert.equal(await page.evaluate(async () => (await window.latchkey.me())?.email), user.email);
        assert.deepEqual(await events(page, 'loggedout'), []);
        assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
      }
      assert.equal(await sessionId(context), sid, 'the session forked');
      assert.ok(refreshes.every((r) => r.status === 200), JSON.stringify(refreshes));
      const graceAnswers = refreshes.filter((r) => !r.refreshCookie).length;
      t.diagnostic(`${refreshes.length} refresh requests, ${graceAnswers} without a new refresh cookie (grace)`);
      if (withoutLocks) {
        // Each round: one request rotates, the other is answered from the grace window.
        assert.equal(refreshes.length, 2 * rounds, 'each tab should have refreshed itself');
        assert.equal(graceAnswers, rounds, 'one grace answer per raced round');
      } else {
        // With Web Locks the tab that waited uses the result the other broadcast: one per round.
        assert.ok(refreshes.length >= rounds && refreshes.length <= rounds + 1, `${refreshes.length} refreshes`);
      }

      // After the races the refresh cookie still works (the winners' cookies stood).
      assert.equal(await a.evaluate(() => window.latchkey.refresh().then((u) => u?.email ?? null)), user.email);
      const live = await liveSessions(host);
      assert.equal(live, 1, 'one live session expected (script/bootstrap installs the sqlite3 CLI)');
    } finally {
      await context.close();
      await host.stop();
      await proxy?.stop();
    }
  });
}

test('with a 10 s token two tabs share the timer refreshes (one refresh per expiry, not two)', { timeout: 60_000 }, async () => {
  const host = await startHost({ tokens: { access_ttl_seconds: 10, leeway_seconds: 0 } });
  const user = await createUser(host, uniqueEmail('tabs-timer'));
  const { context, a, b } = await twoTabs(host, user);
  try {
    const sid = await sessionId(context);
    const api = watchRequests(context, /^\/api\//);
    await sleep(22_000);
    const refreshes = api.filter((r) => r.path === '/api/auth/refresh');
    // 22 s of 10 s tokens refreshed at 75-85 %: 2-3 refreshes when the tabs share them, 5-6 if not.
    assert.ok(refreshes.length >= 2 && refreshes.length <= 4, `refreshes: ${JSON.stringify(refreshes)}`);
    assert.ok(refreshes.every((r) => r.status === 200));
    for (const page of [a, b]) {
      assert.ok((await events(page, 'refreshed')).length >= 2, 'each tab learns of every refresh');
      assert.equal(await page.evaluate(async () => (await window.latchkey.me())?.email), user.email);
      assert.deepEqual(await events(page, 'loggedout'), []);
    }
    assert.deepEqual(api.filter((r) => r.status === 401), []);
    assert.equal(await sessionId(context), sid);
  } finally {
    await context.close();
    await host.stop();
  }
});

test('signing out in one tab signs out the other', { timeout: 45_000 }, async () => {
  const host = await startHost();
  const user = await createUser(host, uniqueEmail('logout'));
  const { context, a, b } = await twoTabs(host, user);
  try {
    await a.click('#logout-button');
    await a.waitForSelector('#status[data-state="signed-out"]');
    // The other tab learns it over the BroadcastChannel, without a request of its own.
    await b.waitForSelector('#status[data-state="signed-out"]', { timeout: 5_000 });
    assert.equal(await b.textContent('#status'), 'Not signed in');
    assert.match(await b.textContent('#message'), /another tab/);
    assert.deepEqual((await events(b, 'loggedout')).map((e) => e.reason), ['other_tab']);
    // And the server agrees.
    assert.equal(await b.evaluate(() => window.latchkey.me()), null);
    await waitFor('the cookies to be cleared', async () => !(await context.cookies()).some((c) => c.name === 'refreshToken'), 5_000);
  } finally {
    await context.close();
    await host.stop();
  }
});
