// Shared set-up of the browser tests: the real `vokter serve` binary on a free port with a
// temporary database and rule file, a moderator made with `vokter moderator add`, a sample blog
// on another origin (a tiny node http server), and Debian's Chromium driven by playwright-core.
//
// Environment: VOKTER_BINARY (default build/debug/vokter from the repository root),
// CHROMIUM (default /usr/bin/chromium).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const artifacts = path.join(here, 'artifacts');
const binary = path.resolve(repoRoot, process.env.VOKTER_BINARY || 'build/debug/vokter');

// A rule file for the tests: one word sends a comment to the moderator queue; nothing else
// scores, so every other comment is approved at once.
export const TEST_RULES = `version = "browser-test.1"
[thresholds]
hold = 5.0
spam = 10.0

[[rule]]
id = "HOLD_WORD"
description = "The test word that holds a comment for a moderator"
fields = ["body"]
pattern = '(?i)\\bventeliste\\b'
score = 6.0
examples.match = ["Dette skal på venteliste"]
examples.no_match = ["Takk for et godt innlegg"]

[[rule]]
id = "CHEAP_OFFER"
description = "Sales talk: cheap offers"
pattern = '(?i)\\bbillig\\w*'
score = 1.5
examples.match = ["Billige reiser"]

[[heuristic]]
id = "LINK_ANY"
kind = "link_count"
description = "The comment carries a link"
min = 1
score = 2.0
`;

// Starts vokter serve; resolves { base, port, token, stop(), dir, log() }.
export async function startVokter({ corsOrigins = '', rules = TEST_RULES } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vokter-browser-'));
  const db = path.join(dir, 'vokter.db');
  const rulesFile = path.join(dir, 'rules.toml');
  writeFileSync(rulesFile, rules);
  const added = execFileSync(binary, ['moderator', 'add', 'kari', '--db', db], { encoding: 'utf8' });
  const token = /^[0-9a-f]{32,}$/m.exec(added)[0];
  const env = { ...process.env, VOKTER_CORS_ORIGINS: corsOrigins };
  const child = spawn(
    binary,
    ['serve', '--listen', '127.0.0.1:0', '--db', db, '--rules', rulesFile,
      '--rate-limit-per-minute', '0', '--durability', 'normal'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vokter did not start:\n${log}`)), 20000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`vokter exited with ${code}:\n${log}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    token,
    dir,
    log: () => log,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A sample blog on another origin ("localhost" rather than 127.0.0.1): two posts carrying the
// widget and a listing page with comment counts. Pages name Vokter by `blog.vokterBase`, set once
// Vokter runs. Resolves { origin, url(path), vokterBase, stop() }.
export async function startBlog() {
  const blog = { vokterBase: '' };
  const page = (title, body) => `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font-family:Georgia,serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.8rem}</style></head>
<body><header><p><a href="/">Blogg om læring</a></p></header><main>${body}</main></body></html>`;
  const post = (pathName, title, lang = 'nb') =>
    page(title, `<article><h1>${title}</h1><p>Her er fem ting jeg lærte i år – særlig om å skrive tester.</p></article>
<section aria-label="Kommentarer" id="kommentarer">
<div id="vokter-comments" data-vokter-lang="${lang}" data-vokter-title="${title}">
${noJsForm(blog.vokterBase, pathName, title)}
</div>
</section>
<script src="${blog.vokterBase}/widget.js" defer></script>`);
  const routes = {
    '/blogg/fem-laeringspunkter': () => post('/blogg/fem-laeringspunkter', 'Fem læringspunkter'),
    '/blogg/andre-innlegg': () => post('/blogg/andre-innlegg', 'Et annet innlegg'),
    '/en/lessons': () => post('/en/lessons', 'Five lessons', 'en'),
    '/': () => page('Blogg om læring', `<h1>Blogg om læring</h1><ul>
<li><a href="/blogg/fem-laeringspunkter">Fem læringspunkter</a> – <a href="/blogg/fem-laeringspunkter#kommentarer" data-vokter-count="/blogg/fem-laeringspunkter">kommentarer</a></li>
<li><a href="/blogg/andre-innlegg">Et annet innlegg</a> – <a href="/blogg/andre-innlegg#kommentarer" data-vokter-count>kommentarer</a></li>
</ul><script src="${blog.vokterBase}/widget.js" defer></script>`),
  };
  const server = http.createServer((req, res) => {
    const render = routes[new URL(req.url, 'http://x').pathname];
    res.writeHead(render ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(render ? render() : 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  blog.origin = `http://localhost:${server.address().port}`;
  blog.url = (p) => blog.origin + p;
  blog.stop = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return blog;
}

// The blog, then Vokter allowing the blog's origin, then Chromium.
export async function startAll() {
  const blog = await startBlog();
  const vokter = await startVokter({ corsOrigins: blog.origin });
  blog.vokterBase = vokter.base;
  const browser = await launchBrowser();
  return {
    blog,
    vokter,
    browser,
    async stop() {
      await browser.close();
      await blog.stop();
      await vokter.stop();
    },
  };
}

// The README's no-JavaScript form (kept in sync with it by the test that reads the README).
export function noJsForm(vokterBase, thread, title) {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const m = /<!-- no-js-form -->\s*```html\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- no-js-form --> snippet');
  return m[1]
    .replaceAll('https://comments.example', vokterBase)
    .replaceAll('/blogg/innlegg', thread)
    .replaceAll('Innleggets tittel', title);
}

// Debian's Chromium, headless. playwright-core gives every launch a fresh temporary profile
// (its own --user-data-dir, removed on close); it refuses one passed in `args`.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

// A page that fails the test on any uncaught script error and records dialogs.
export async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.errors = [];
  page.dialogs = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.on('dialog', (d) => {
    page.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return page;
}

// Runs axe-core in the page; returns violations of impact serious or critical.
const axeSource = readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
export async function seriousViolations(page, selector) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    (context) => window.axe.run(context || document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }),
    selector,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page, name, options = {}) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, ...options });
  return file;
}

// Calls the moderator API directly (set-up and checks, not what the tests are about).
export async function moderatorApi(vokter, method, apiPath, body) {
  const res = await fetch(vokter.base + apiPath, {
    method,
    headers: { Authorization: `Bearer ${vokter.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, data: res.status === 204 ? null : await res.json() };
}

// Posts a comment as the blog's readers would, without a browser.
export async function postComment(vokter, doc) {
  const res = await fetch(`${vokter.base}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(doc),
  });
  return { status: res.status, data: await res.json() };
}

// Signs in on /moderate with the test moderator's token and waits for the queue.
export async function signIn(page, vokter) {
  await page.goto(`${vokter.base}/moderate`);
  await page.getByLabel('Moderatortoken', { exact: true }).fill(vokter.token);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.locator('h1', { hasText: 'Kø' }).waitFor();
  await page.locator('#queue-summary', { hasText: /Side|Ingen/ }).waitFor();
}
