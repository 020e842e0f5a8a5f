// The moderator page in Chromium: sign-in, bulk spam with the keyboard, the rules editor's
// check and save, the stats chart, and the page's security headers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, newPage, postComment, moderatorApi, signIn, TEST_RULES } from './harness.js';

let env;

before(async () => {
  env = await startAll();
});

after(async () => {
  if (env) await env.stop();
});

test('a wrong token is refused at its field and nothing is stored', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await page.goto(`${env.vokter.base}/moderate`);
  await page.getByLabel('Moderatortoken', { exact: true }).fill('feil-token');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByText('Ukjent token.').waitFor();
  assert.equal(await page.getByLabel('Moderatortoken', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await context.close();
});

test('a notification link #comment-ID shows that comment, ready to decide on', async () => {
  const { status, data } = await postComment(env.vokter, {
    thread: '/blogg/lenket',
    name: 'Lenket Leser',
    body: 'Venteliste! Denne kommentaren lenkes fra et varsel',
  });
  assert.equal(status, 202);
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await signIn(page, env.vokter);
  await page.goto(`${env.vokter.base}/moderate#comment-${data.id}`);
  await page.locator('#queue-summary', { hasText: `Kommentar ${data.id} (venter).` }).waitFor();
  assert.equal(await page.locator('.item').count(), 1);
  await page.locator(`.item[data-id="${data.id}"]`).getByRole('button', { name: `Godkjenn kommentar ${data.id}` }).click();
  await page.locator('#announce', { hasText: 'godkjent' }).waitFor();
  const item = await moderatorApi(env.vokter, 'GET', `/api/moderation/comments/${data.id}`);
  assert.equal(item.data.status, 'approved');
  // A link to a comment that is gone says so.
  await page.goto(`${env.vokter.base}/moderate#comment-999999`);
  await page.locator('#queue-summary', { hasText: 'Kommentar 999999 finnes ikke lenger.' }).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('three comments selected with x are filed as spam at once with s', async () => {
  const ids = [];
  for (const n of [1, 2, 3]) {
    const { status, data } = await postComment(env.vokter, {
      thread: '/blogg/andre-innlegg',
      name: `Bot ${n}`,
      body: `Kjøp nå! Venteliste nummer ${n} på https://spam${n}.example`,
    });
    assert.equal(status, 202);
    ids.push(data.id);
  }
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await signIn(page, env.vokter);
  // Who is signed in, from GET /api/moderation/me (kari's token never expires: no warning).
  await page.locator('#who-name', { hasText: 'Innlogget som kari' }).waitFor();
  assert.equal(await page.locator('#who-name').textContent(), 'Innlogget som kari');
  for (const id of ids) await page.locator(`.item[data-id="${id}"]`).waitFor();
  await page.waitForFunction(() => document.activeElement.classList.contains('item'));
  const focusedId = () => page.evaluate(() => Number(document.activeElement.dataset.id));
  const chosen = [];
  for (let i = 0; i < 3; i++) {
    chosen.push(await focusedId());
    await page.keyboard.press('x');
    await page.keyboard.press('j');
  }
  assert.deepEqual([...chosen].sort(), [...ids].sort());
  assert.equal(await page.locator('#selection-count').textContent(), '3 valgt');
  await page.keyboard.press('s');
  await page.locator('#announce', { hasText: '3 kommentarer merket som spam' }).waitFor();
  for (const id of ids) assert.equal(await page.locator(`.item[data-id="${id}"]`).count(), 0);

  const { data } = await moderatorApi(env.vokter, 'GET', '/api/moderation/queue?status=spam');
  assert.deepEqual(data.items.map((c) => c.id).sort(), [...ids].sort());
  const log = await moderatorApi(env.vokter, 'GET', '/api/moderation/log');
  assert.equal(log.data.entries.filter((e) => e.action === 'spam' && e.moderator === 'kari').length, 3);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('every action has a button, and the spam filter shows the filed comments', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await signIn(page, env.vokter);
  await page.getByLabel('Status', { exact: true }).selectOption('spam');
  const first = page.locator('.item').first();
  await first.waitFor();
  for (const name of ['Godkjenn', 'Spam', 'Avvis', 'Slett']) {
    assert.equal(await first.getByRole('button', { name: new RegExp(`^${name} kommentar`) }).count(), 1);
  }
  await page.getByLabel('Søk', { exact: true }).fill('nummer 2');
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await page.locator('#queue-summary', { hasText: '1 kommentar' }).waitFor();
  await first.getByRole('button', { name: /^Avvis kommentar/ }).click();
  await page.locator('#announce', { hasText: 'avvist' }).waitFor();
  await context.close();
});

test('the rules view shows errors at their lines and saves a valid file', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await signIn(page, env.vokter);
  await page.getByRole('link', { name: 'Regler' }).click();
  const editor = page.getByLabel('Regelfil (TOML)', { exact: true });
  await editor.waitFor();
  assert.equal(await editor.inputValue(), TEST_RULES);

  const broken = TEST_RULES.replace("pattern = '(?i)\\bventeliste\\b'", "pattern = '(unclosed'");
  await editor.fill(broken);
  await page.getByRole('button', { name: 'Sjekk' }).click();
  const lineButton = page.locator('#rules-result button', { hasText: /^Linje \d+$/ }).first();
  await lineButton.waitFor();
  const line = Number((await lineButton.textContent()).replace('Linje ', ''));
  assert.equal(broken.split('\n')[line - 1].trim(), "pattern = '(unclosed'");
  assert.equal(await page.locator('.gutter .err').textContent(), String(line));
  await lineButton.click();
  assert.match(await page.locator('#rules-position').textContent(), new RegExp(`^Linje ${line},`));

  await editor.fill(TEST_RULES.replace('browser-test.1', 'browser-test.2'));
  await page.getByRole('button', { name: 'Sjekk' }).click();
  await page.getByText('Regelfilen er gyldig.').waitFor();
  await page.getByRole('button', { name: 'Lagre og ta i bruk' }).click();
  await page.getByText('Versjon browser-test.2 er i bruk').waitFor();
  const { data } = await moderatorApi(env.vokter, 'GET', '/api/rules');
  assert.equal(data.version, 'browser-test.2');
  await context.close();
});

test('the stats view draws the last 30 days and the top rules', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await signIn(page, env.vokter);
  await page.getByRole('link', { name: 'Statistikk' }).click();
  const chart = page.locator('svg.chart');
  await chart.waitFor();
  assert.equal(await chart.locator('polyline').count(), 4);
  const points = (await chart.locator('.series-submitted polyline').getAttribute('points')).split(' ');
  assert.equal(points.length, 30);
  assert.match(await chart.locator('title').textContent(), /sendt inn [1-9]/);
  await page.locator('.rules-table', { hasText: 'HOLD_WORD' }).waitFor();
  await context.close();
});

test('the page allows only its own scripts and is never framed', async () => {
  const res = await fetch(`${env.vokter.base}/moderate`);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();
  assert.doesNotMatch(html, /<script>|\son[a-z]+=/);
  const etag = res.headers.get('etag');
  const again = await fetch(`${env.vokter.base}/moderate`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});
