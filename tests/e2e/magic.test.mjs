// "Email me a sign-in link": the link from the mail, opened in a fresh browser context (not the one
// that asked), signs in there, once; with TOTP on it asks for the code first.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  PASSWORD, createUser, launchBrowser, newContext, openApp, screenshot, signIn, startHost, totp, uniqueEmail,
  waitForMail,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Asks for a link on the sign-in form and returns it from the mail.
async function requestLink(page, host, email, shot) {
  await openApp(page, host.base);
  await page.fill('#login-email', email);
  await page.click('#magic-button');
  await page.waitForSelector('#message[data-kind="ok"]');
  assert.match(await page.textContent('#message'), /sign-in link is on its way/);
  if (shot) await screenshot(page, shot);
  const mail = await waitForMail(host.mailDir, email);
  const link = mail.match(/https?:\/\/[^\s"'<>]+\/magic\.html\?token=[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link, `no sign-in link in the mail:\n${mail}`);
  assert.ok(link.startsWith(`${host.base}/magic.html?token=`), link);
  return link;
}

test('a magic link opened in a fresh context signs in there, once', { timeout: 60_000 }, async () => {
  const host = await startHost({ magicLinks: true });
  const asking = await newContext(browser);
  const fresh = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('magic'));
    const link = await requestLink(await asking.newPage(), host, user.email, 'magic-requested');

    const page = await fresh.newPage();
    await page.goto(link);
    await page.waitForSelector('#result[data-state="signed-in"]');
    assert.equal(await page.textContent('#result'), `Signed in as ${user.email}.`);
    assert.equal(new URL(page.url()).search, '', 'the token stays in the address bar');
    await screenshot(page, 'magic-signed-in');

    // The app in that context is signed in (the cookies came with the verify answer)...
    await Promise.all([page.waitForURL(`${host.base}/`), page.click('#continue')]);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#status[data-state="signed-in"]');
    const current = (await page.evaluate(() => window.latchkey.sessions())).find((s) => s.current);
    assert.deepEqual(current.amr, ['email']);

    // ...and the link does not work a second time.
    const again = await (await newContext(browser)).newPage();
    await again.goto(link);
    await again.waitForSelector('#result[data-state="failed"]');
    assert.match(await again.textContent('#result'), /not valid any more/);
    await screenshot(again, 'magic-used');
    await again.context().close();
  } finally {
    await Promise.all([asking.close(), fresh.close()]);
    await host.stop();
  }
});

test('a magic link for an account with TOTP asks for the code, then signs in', { timeout: 60_000 }, async () => {
  const host = await startHost({ magicLinks: true });
  const asking = await newContext(browser);
  const fresh = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('magic-mfa'));
    const page = await asking.newPage();
    await signIn(page, host.base, user);
    // TOTP on through the client (the page's enrolment has its own test).
    const { secret } = await page.evaluate(() => window.latchkey.mfa.setupTotp());
    const enabledAt = Date.now();
    await page.evaluate((args) => window.latchkey.mfa.enableTotp(args),
      { code: totp(secret, enabledAt), password: PASSWORD });
    await page.click('#logout-button');
    await page.waitForSelector('#status[data-state="signed-out"]');
    const link = await requestLink(page, host, user.email);

    const there = await fresh.newPage();
    await there.goto(link);
    await there.waitForSelector('#mfa-form:not([hidden])');
    assert.equal((await fresh.cookies()).some((c) => c.name === 'refreshToken'), false, 'no session before the code');
    await there.fill('#mfa-code', totp(secret, enabledAt + 30_000));
    await screenshot(there, 'magic-mfa');
    await there.click('#mfa-button');
    await there.waitForSelector('#result[data-state="signed-in"]');
    await openApp(there, host.base);
    assert.equal(await there.textContent('#status'), `Signed in as ${user.email}`);
    const current = (await there.evaluate(() => window.latchkey.sessions())).find((s) => s.current);
    assert.deepEqual(current.amr, ['email', 'otp']);
  } finally {
    await Promise.all([asking.close(), fresh.close()]);
    await host.stop();
  }
});
