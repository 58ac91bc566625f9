// The journey: register → the confirmation link from the mail → sign in → notes, in the page.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  PASSWORD, launchBrowser, newContext, openApp, paths, signIn, startHost, uniqueEmail, waitForMail,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('register, confirm from the mail, sign in, add/list/delete notes', { timeout: 60_000 }, async () => {
  const host = await startHost();
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const email = uniqueEmail('journey');
    await openApp(page, host.base);
    assert.equal(await page.textContent('#status'), 'Not signed in');

    // Register.
    await page.fill('#register-email', email);
    await page.fill('#register-password', PASSWORD);
    await page.click('#register-button');
    await page.waitForSelector('#message[data-kind="ok"]');
    assert.match(await page.textContent('#message'), /sent a link/);

    // Not confirmed yet: the page says so.
    await page.fill('#login-email', email);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('#message[data-kind="error"]');
    assert.match(await page.textContent('#message'), /Confirm your email/);

    // The confirmation link from the .eml file, opened as it is.
    const mail = await waitForMail(host.mailDir, email);
    const link = mail.match(/https?:\/\/[^\s"'<>]+\/confirm\.html\?token=[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link, `no confirmation link in the mail:\n${mail}`);
    assert.ok(link.startsWith(`${host.base}/confirm.html?token=`), link);
    await page.goto(link);
    await page.waitForSelector('#result[data-state="confirmed"]');
    assert.equal(new URL(page.url()).search, '', 'the token stays in the address bar');

    // The link works once.
    await page.goto(link);
    await page.waitForSelector('#result[data-state="failed"]');

    // Sign in.
    await signIn(page, host.base, { email, password: PASSWORD });

    // Who am I.
    await page.click('#me-button');
    await page.waitForSelector('#me-output:not([hidden])');
    const me = JSON.parse(await page.textContent('#me-output'));
    assert.equal(me.email, email);
    assert.equal(me.emailConfirmed, true);

    // Notes: add two, list, delete one.
    assert.ok(host.hasNotes, `the notes plugin is not built: ${paths.notes}`);
    for (const text of ['Buy milk', 'Renew the passport']) {
      await page.fill('#note-text', text);
      await page.click('#note-add');
      await page.waitForSelector(`#notes li:has-text("${text}")`);
    }
    assert.deepEqual(await page.$$eval('#notes .note-text', (items) => items.map((i) => i.textContent).sort()),
      ['Buy milk', 'Renew the passport']);

    const listed = await page.evaluate(async () => (await (await window.latchkey.fetch('/api/notes')).json()).notes);
    assert.equal(listed.length, 2);
    assert.ok(listed.every((note) => note.id && note.createdAt));

    await page.click('#notes li:has-text("Buy milk") button.delete');
    await page.waitForSelector('#notes li:has-text("Buy milk")', { state: 'detached' });
    assert.deepEqual(await page.$$eval('#notes .note-text', (items) => items.map((i) => i.textContent)),
      ['Renew the passport']);

    // A reload picks the session up again from the refresh cookie.
    await openApp(page, host.base);
    assert.equal(await page.textContent('#status'), `Signed in as ${email}`);
    await page.waitForSelector('#notes li:has-text("Renew the passport")');

    // The artifact: the signed-in page.
    await page.click('#me-button');
    await page.waitForSelector('#me-output:not([hidden])');
    await mkdir(paths.artifacts, { recursive: true });
    await page.screenshot({ path: path.join(paths.artifacts, 'logged-in.png'), fullPage: true });

    // Sign out.
    await page.click('#logout-button');
    await page.waitForSelector('#status[data-state="signed-out"]');
    await openApp(page, host.base);
    assert.equal(await page.textContent('#status'), 'Not signed in');
  } finally {
    await context.close();
    await host.stop();
  }
});

test('the auth plugin serves the same client at /api/auth/client.js, usable as a module', { timeout: 30_000 }, async () => {
  const host = await startHost();
  const context = await newContext(browser);
  try {
    const answer = await fetch(`${host.base}/api/auth/client.js`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type'), /javascript/);
    assert.equal(await answer.text(), await readFile(path.join(paths.web, 'latchkey-client.js'), 'utf8'),
      'the embedded client differs from examples/web/latchkey-client.js (rebuild)');
    const page = await context.newPage();
    await page.goto(`${host.base}/confirm.html`);   // any page of the origin
    const result = await page.evaluate(async () => {
      const { createClient } = await import('/api/auth/client.js');
      const client = createClient();
      return { me: await client.me(), signedIn: client.signedIn, mode: client.mode };
    });
    assert.deepEqual(result, { me: null, signedIn: false, mode: 'cookie' });
  } finally {
    await context.close();
    await host.stop();
  }
});
