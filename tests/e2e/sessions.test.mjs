// The signed-in devices on the page: two browsers, this device marked, end the other one (its next
// refresh fails: it is signed out), "sign out other devices".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createUser, launchBrowser, newContext, openApp, screenshot, signIn, startHost, uniqueEmail,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

const listed = (page) => page.$$eval('#sessions li', (items) => items.map((item) => ({
  current: item.dataset.current === 'true', text: item.textContent,
})));

test('two devices listed, this one marked; ending the other from the page signs it out there',
  { timeout: 60_000 }, async () => {
    const host = await startHost();
    const mine = await newContext(browser);
    const other = await newContext(browser, { userAgent: FIREFOX_ON_WINDOWS });
    const third = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('sessions'));
      const page = await mine.newPage();
      await signIn(page, host.base, user);
      const otherPage = await other.newPage();
      await signIn(otherPage, host.base, user);

      // The first page lists both (a reload reads the list again).
      await openApp(page, host.base);
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 2);
      const two = await listed(page);
      assert.deepEqual(two.map((s) => s.current).sort(), [false, true]);
      const here = two.find((s) => s.current);
      assert.match(here.text, /this device/);
      assert.match(here.text, /on Linux/);   // headless chromium
      assert.match(here.text, /127\.0\.0\.1/);
      assert.match(two.find((s) => !s.current).text, /Firefox on Windows/);
      assert.equal(await page.locator('#sessions li[data-current="true"] button').count(), 0,
        'no "Sign out" button for this device (that is the toolbar\'s)');
      await screenshot(page, 'sessions');

      // End the other one.
      await page.click('#sessions li[data-current="false"] button.end-session');
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
      assert.equal(await page.getAttribute('#sessions li', 'data-current'), 'true');
      assert.equal(await page.isVisible('#logout-others-button'), false);

      // There: the next refresh is refused, and the page shows it is signed out.
      assert.equal(await otherPage.evaluate(() => window.latchkey.refresh()), null);
      await otherPage.waitForSelector('#status[data-state="signed-out"]');
      assert.match(await otherPage.textContent('#message'), /session ended/);
      await screenshot(otherPage, 'session-ended');
      // Here: still signed in.
      assert.ok(await page.evaluate(() => window.latchkey.refresh()));

      // "Sign out other devices".
      const thirdPage = await third.newPage();
      await signIn(thirdPage, host.base, user);
      await openApp(page, host.base);
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 2);
      await page.click('#logout-others-button');
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
      assert.equal(await thirdPage.evaluate(() => window.latchkey.refresh()), null);
      await thirdPage.waitForSelector('#status[data-state="signed-out"]');
      await openApp(page, host.base);
      assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
    } finally {
      await Promise.all([mine.close(), other.close(), third.close()]);
      await host.stop();
    }
  });
