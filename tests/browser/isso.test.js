// Isso's own client, unchanged (embed.min.js 0.14.0, MIT, from the vendor folder beside the
// project, copied into this test's temporary blog), in Debian's Chromium against `vokter serve`:
// a page that embeds Isso only points data-isso at Vokter's /isso. The reader posts, replies,
// sees a held comment marked as queued, edits and deletes their own comment through Isso's edit
// cookie, and sees a moderator's approval after a reload.
//
// The blog is served from 127.0.0.1 on another port than Vokter: another origin (CORS with
// credentials) on the same site, as a blog at blogg.example.no with Vokter at
// kommentarer.blogg.example.no is.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  repoRoot, startVokter, launchBrowser, newPage, moderatorApi, screenshot,
} from './harness.js';

// The vendored client: VOKTER_ISSO_CLIENT, else the vendor folder beside the repository.
const clientCandidates = [
  process.env.VOKTER_ISSO_CLIENT,
  path.resolve(repoRoot, '../shared/vendor/isso-client/embed.min.js'),
  '/work/shared/vendor/isso-client/embed.min.js',
].filter(Boolean);
const clientFile = clientCandidates.find((file) => existsSync(file));

const THREAD = '/blogg/isso-innlegg';
let vokter;
let blog;
let browser;

async function startIssoBlog(embed) {
  const page = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Et Isso-innlegg</title></head>
<body><main><article><h1>Et Isso-innlegg</h1><p>Teksten i innlegget.</p></article>
<section id="isso-thread" data-isso-id="${THREAD}" data-title="Et Isso-innlegg"></section>
</main>
<script data-isso="__VOKTER__/isso" data-isso-lang="en" src="/js/embed.min.js"></script>
</body></html>`;
  const state = { vokterBase: '' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/js/embed.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(embed);
    } else if (url.pathname === THREAD) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page.replace('__VOKTER__', state.vokterBase));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${server.address().port}`;
  state.url = state.origin + THREAD;
  state.stop = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return state;
}

before(async () => {
  assert.ok(clientFile, `Isso's client embed.min.js not found in ${clientCandidates.join(', ')}`);
  blog = await startIssoBlog(readFileSync(clientFile));
  vokter = await startVokter({ corsOrigins: blog.origin });
  blog.vokterBase = vokter.base;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (blog) await blog.stop();
  if (vokter) await vokter.stop();
});

async function openThread(context) {
  const page = await newPage(context);
  await page.goto(blog.url);
  await page.locator('.isso-postbox').first().waitFor();
  return page;
}

// Fills the main postbox (or `box`) and submits.
async function submit(page, text, author, box = page.locator('.isso-postbox').first()) {
  await box.locator('textarea.isso-textarea').fill(text);
  if (author) await box.locator('input[name=author]').fill(author);
  await box.locator('input[type=submit]').click();
}

function comment(page, id) {
  return page.locator(`#isso-${id}`);
}

async function storedComment(id) {
  const { status, data } = await moderatorApi(vokter, 'GET', `/api/moderation/comments/${id}`);
  assert.equal(status, 200);
  return data;
}

test("Isso's client posts, replies, edits and deletes its own comment through Vokter", async () => {
  const context = await browser.newContext();
  const page = await openThread(context);
  await page.locator('.isso-thread-heading', { hasText: 'No Comments Yet' }).waitFor();

  await submit(page, 'Blåbær, **æøå** og 😀 – første kommentar!', 'Kari Østby');
  const first = page.locator('#isso-root .isso-comment').first();
  await first.waitFor();
  const firstId = Number((await first.getAttribute('id')).replace('isso-', ''));
  await first.locator('.isso-text strong', { hasText: 'æøå' }).waitFor();
  assert.equal(await first.locator('.isso-author').first().textContent(), 'Kari Østby');
  // Its author's cookie: Edit and Delete are offered on it.
  await first.locator('a.isso-edit').first().waitFor();
  await first.locator('a.isso-delete').first().waitFor();
  const stored = await storedComment(firstId);
  assert.equal(stored.status, 'approved');
  assert.equal(stored.body, 'Blåbær, **æøå** og 😀 – første kommentar!');

  // Another reader replies through the comment's own postbox (Isso offers no Reply on one's
  // own comment while it can still be edited).
  const otherContext = await browser.newContext();
  const other = await openThread(otherContext);
  const theirs = comment(other, firstId);
  await theirs.locator('> .isso-text-wrapper a.isso-reply').click();
  await submit(other, 'Enig, godt sagt.', 'Ola', theirs.locator('.isso-postbox'));
  const reply = theirs.locator('.isso-follow-up .isso-comment', { hasText: 'Enig, godt sagt.' });
  await reply.waitFor();
  const replyId = Number((await reply.getAttribute('id')).replace('isso-', ''));
  assert.equal((await storedComment(replyId)).parent, firstId);
  // Not theirs to change: no Edit or Delete on Kari's comment for Ola.
  assert.equal(await theirs.locator('> .isso-text-wrapper a.isso-edit').count(), 0);

  // Edit the first comment: the client asks for its plain text, then saves the new one.
  await comment(page, firstId).locator('> .isso-text-wrapper a.isso-edit').click();
  const editor = comment(page, firstId).locator('> .isso-text-wrapper textarea.isso-textarea');
  await editor.waitFor();
  assert.equal(await editor.inputValue(), 'Blåbær, **æøå** og 😀 – første kommentar!');
  await editor.fill('Rettet: *blåbær* er best.');
  await comment(page, firstId).locator('> .isso-text-wrapper a.isso-edit').click();
  await comment(page, firstId).locator('> .isso-text-wrapper .isso-text em', { hasText: 'blåbær' }).waitFor();
  assert.equal((await storedComment(firstId)).body, 'Rettet: *blåbær* er best.');

  // Ola deletes his reply (Delete, then Confirm): it has no replies, so it leaves the page.
  const del = comment(other, replyId).locator('> .isso-text-wrapper a.isso-delete');
  await del.click();
  await del.click();
  await comment(other, replyId).waitFor({ state: 'detached' });
  assert.equal((await storedComment(replyId)).status, 'deleted');
  assert.deepEqual(other.errors, []);
  await otherContext.close();

  // After a reload: the edited comment, no reply.
  await page.reload();
  await comment(page, firstId).locator('.isso-text em', { hasText: 'blåbær' }).waitFor();
  // Vokter's stylesheet for Isso's elements, where the client looks for it, is in force.
  assert.equal(await comment(page, firstId).evaluate((el) => getComputedStyle(el).display), 'flex');
  assert.equal(await page.locator(`#isso-${replyId}`).count(), 0);
  await screenshot(page, 'isso-thread.png', { fullPage: true });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a held comment shows as queued; it appears for every reader once a moderator approves it", async () => {
  const context = await browser.newContext();
  const page = await openThread(context);
  await submit(page, 'Kan jeg få plass på venteliste til kurset?', 'Liv');
  const held = page.locator('#isso-root .isso-comment', { hasText: 'venteliste' });
  await held.waitFor();
  await held.locator('.isso-note', { hasText: 'Comment in queue for moderation.' }).waitFor();
  const heldId = Number((await held.getAttribute('id')).replace('isso-', ''));
  assert.equal((await storedComment(heldId)).status, 'pending');

  // Another reader does not see it, before the moderator decides.
  const other = await browser.newContext();
  const reader = await openThread(other);
  await reader.locator('#isso-root .isso-comment').first().waitFor();
  assert.equal(await reader.locator(`#isso-${heldId}`).count(), 0);

  const decided = await moderatorApi(vokter, 'POST', '/api/moderation/decisions',
    { ids: [heldId], action: 'approve' });
  assert.equal(decided.status, 200);
  await reader.reload();
  await reader.locator(`#isso-${heldId} .isso-text`, { hasText: 'venteliste' }).waitFor();
  assert.equal(await reader.locator(`#isso-${heldId} .isso-note`).textContent(), '');
  // No Edit or Delete for a reader who did not write it.
  assert.equal(await reader.locator(`#isso-${heldId} a.isso-edit`).count(), 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(reader.errors, []);
  await other.close();
  await context.close();
});

test('no script or javascript: link a commenter writes runs in the page', async () => {
  const context = await browser.newContext();
  const page = await openThread(context);
  await submit(page,
    'Se her <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> '
    + '[klikk](javascript:window.pwned=3) og **fet**',
    '<img src=x onerror="window.pwned = 4">');
  const hostile = page.locator('#isso-root .isso-comment', { hasText: 'Se her' });
  await hostile.locator('.isso-text strong', { hasText: 'fet' }).waitFor();
  await page.reload();
  await page.locator('#isso-root .isso-comment', { hasText: 'Se her' }).waitFor();
  const found = await page.evaluate(() => ({
    pwned: window.pwned ?? null,
    scripts: document.querySelectorAll('#isso-thread script').length,
    images: document.querySelectorAll('#isso-thread .isso-text img, #isso-thread .isso-author img').length,
    hrefs: [...document.querySelectorAll('#isso-thread .isso-text a')].map((a) => a.getAttribute('href')),
  }));
  assert.equal(found.pwned, null);
  assert.equal(found.scripts, 0);
  assert.equal(found.images, 0);
  assert.ok(found.hrefs.every((href) => !/^\s*javascript:/i.test(href)), found.hrefs.join(' '));
  assert.deepEqual(page.dialogs, []);
  await context.close();
});
