// The widget on a blog of another origin, in Chromium: posting, counts, held comments seen only
// by their author, a moderator approving one with the keyboard, errors at their field, hostile
// markup shown as text, and the same form without JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAll, newPage, postComment, signIn } from './harness.js';

const POST = '/blogg/fem-laeringspunkter';
let env;

before(async () => {
  env = await startAll();
});

after(async () => {
  if (env) await env.stop();
});

// Opens the post in a fresh context (its own localStorage) and waits for the widget.
async function openPost(context, path = POST) {
  const page = await newPage(context);
  await page.goto(env.blog.url(path));
  await page.locator('#vokter-form-heading').waitFor();
  await page.locator('.vokter-heading', { hasText: '(' }).waitFor();
  return page;
}

async function write(page, { name, email, website, body }) {
  if (name !== undefined) await page.getByLabel('Navn', { exact: true }).fill(name);
  if (email !== undefined) await page.getByLabel('E-post', { exact: true }).fill(email);
  if (website !== undefined) await page.getByLabel('Nettsted', { exact: true }).fill(website);
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill(body);
  await page.getByRole('button', { name: 'Send kommentar' }).click();
}

test('a comment posted through the widget appears in place and after a reload', async () => {
  const context = await env.browser.newContext();
  const page = await openPost(context);
  await write(page, { name: 'Kari Nordmann', website: 'https://kari.example', body: 'Takk for en god oppsummering – særlig punkt 3! 🌲' });
  await page.getByText('Takk! Kommentaren din er publisert.').waitFor();
  const comment = page.locator('.vokter-comment', { hasText: 'særlig punkt 3!' });
  await comment.waitFor();
  assert.equal(await comment.locator('.vokter-badge').count(), 0);

  await page.reload();
  const again = page.locator('.vokter-comment', { hasText: 'særlig punkt 3! 🌲' });
  await again.waitFor();
  const link = again.locator('a.vokter-author');
  assert.equal(await link.textContent(), 'Kari Nordmann');
  assert.equal(await link.getAttribute('href'), 'https://kari.example/');
  assert.equal(await link.getAttribute('rel'), 'nofollow ugc noopener');
  assert.match(await again.locator('time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
  assert.match(await page.locator('.vokter-heading').textContent(), /Kommentarer \(1\)/);

  // A reply, from the comment's own button.
  await again.getByRole('button', { name: 'Svar til Kari Nordmann' }).click();
  assert.match(await page.locator('#vokter-form-heading').textContent(), /Svar til Kari Nordmann/);
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Enig, punkt 3 var best.');
  await page.getByRole('button', { name: 'Send kommentar' }).click();
  await again.locator('.vokter-replies .vokter-comment', { hasText: 'punkt 3 var best' }).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the listing page shows every count from one request', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  const countRequests = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/counts')) countRequests.push(r.url());
  });
  await page.goto(env.blog.url('/'));
  const first = page.locator(`a[data-vokter-count="${POST}"]`);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-vokter-count]')].every((a) => a.textContent !== 'kommentarer'));
  assert.equal(await first.textContent(), '2 kommentarer');
  assert.equal(await page.locator('a[data-vokter-count=""]').textContent(), 'Ingen kommentarer');
  assert.equal(countRequests.length, 1);
  await context.close();
});

test('a held comment is shown as pending to its author only, until a moderator approves it with the keyboard', async () => {
  const author = await env.browser.newContext();
  const page = await openPost(author);
  await write(page, { name: 'Ola', body: 'Sett meg på venteliste for neste kurs, takk.' });
  await page.getByText('Takk! Kommentaren din venter på godkjenning.').waitFor();
  const mine = page.locator('.vokter-comment', { hasText: 'venteliste for neste kurs' });
  assert.equal(await mine.locator('.vokter-badge').textContent(), 'Venter på godkjenning');
  assert.equal(await mine.getByRole('button', { name: 'Rediger' }).count(), 1);
  assert.equal(await mine.getByRole('button', { name: 'Slett' }).count(), 1);

  await page.reload();
  await page.locator('.vokter-comment', { hasText: 'venteliste for neste kurs' }).locator('.vokter-badge').waitFor();

  const stranger = await env.browser.newContext();
  const other = await openPost(stranger);
  assert.equal(await other.locator('.vokter-comment', { hasText: 'venteliste' }).count(), 0);

  // The moderator approves it on /moderate with the keyboard alone.
  const moderatorContext = await env.browser.newContext();
  const moderate = await newPage(moderatorContext);
  await signIn(moderate, env.vokter);
  const item = moderate.locator('.item', { hasText: 'venteliste for neste kurs' });
  await item.waitFor();
  await item.locator('mark', { hasText: 'venteliste' }).first().waitFor();
  await moderate.waitForFunction(() => document.activeElement && document.activeElement.classList.contains('item'));
  await moderate.keyboard.press('a');
  await moderate.locator('#announce', { hasText: 'godkjent' }).waitFor();
  assert.equal(await item.count(), 0);

  await other.reload();
  const published = other.locator('.vokter-comment', { hasText: 'venteliste for neste kurs' });
  await published.waitFor();
  assert.equal(await published.locator('.vokter-badge').count(), 0);
  for (const p of [page, other, moderate]) assert.deepEqual(p.errors, []);
  await Promise.all([author.close(), stranger.close(), moderatorContext.close()]);
});

test('an error from the API is shown at its field', async () => {
  const context = await env.browser.newContext();
  const page = await openPost(context);
  await write(page, { name: 'Per', email: 'ikke-en-epost', body: 'Fin artikkel.' });
  const email = page.getByLabel('E-post', { exact: true });
  await page.locator('#vokter-email-error').waitFor({ state: 'visible' });
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.match(await email.getAttribute('aria-describedby'), /\bvokter-email-error\b/);
  assert.match(await page.locator('#vokter-email-error').textContent(), /gyldig e-postadresse/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'vokter-email');
  assert.equal(await page.getByLabel('Navn', { exact: true }).getAttribute('aria-invalid'), null);

  // The empty comment: the error sits at the comment field.
  await email.fill('per@example.no');
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('');
  await page.getByRole('button', { name: 'Send kommentar' }).click();
  await page.locator('#vokter-body-error').waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('textbox', { name: 'Kommentar', exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await email.getAttribute('aria-invalid'), null);
  await context.close();
});

test('markup in a comment is shown as text and never runs', async () => {
  const hostile = '<img src=x onerror=alert(1)><script>window.__pwned=1</script>';
  const context = await env.browser.newContext();
  const page = await openPost(context, '/blogg/andre-innlegg');
  await write(page, { name: '<b>Mallory</b>', website: 'javascript:alert(2)', body: hostile });
  // The API refuses the javascript: website; a plain http one is fine.
  await page.locator('#vokter-website-error').waitFor({ state: 'visible' });
  await page.getByLabel('Nettsted', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Send kommentar' }).click();
  await page.locator('.vokter-comment .vokter-body', { hasText: '<img src=x' }).waitFor();

  // Also stored by someone else and loaded from the API.
  await postComment(env.vokter, { thread: '/blogg/andre-innlegg', name: '"><svg onload=alert(3)>', body: `${hostile} igjen` });
  await page.reload();
  const bodies = page.locator('.vokter-body', { hasText: '<img src=x' });
  await bodies.nth(1).waitFor();
  assert.equal(await bodies.first().textContent(), hostile);
  assert.equal(await page.locator('#vokter-comments img, #vokter-comments script, #vokter-comments svg').count(), 0);
  assert.equal(await page.getByText('"><svg onload=alert(3)>').count(), 1);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without JavaScript the form posts and the 303 brings the reader back', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await newPage(context);
  await page.goto(env.blog.url('/blogg/andre-innlegg'));
  await page.getByLabel('Navn', { exact: true }).fill('Uten Skript');
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Skjemaet virker uten JavaScript – æøå.');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/comments') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Send kommentar' }).click(),
  ]);
  assert.equal(response.status(), 303);
  await page.waitForURL(/\/blogg\/andre-innlegg#comment-\d+$/);
  assert.ok(page.url().startsWith(env.blog.origin));
  const id = Number(/#comment-(\d+)$/.exec(page.url())[1]);
  await context.close();

  const reader = await env.browser.newContext();
  const withScript = await newPage(reader);
  await withScript.goto(env.blog.url(`/blogg/andre-innlegg#comment-${id}`));
  const target = withScript.locator(`#comment-${id}`);
  await target.waitFor();
  assert.match(await target.textContent(), /Skjemaet virker uten JavaScript – æøå\./);
  assert.match(await target.getAttribute('class'), /vokter-target/);
  await reader.close();
});
