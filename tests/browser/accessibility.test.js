// axe-core on the widget and on every moderator view (no serious or critical violation), the
// widget at 320 px, and the screenshots kept as artefacts (tests/browser/artifacts/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startAll, newPage, postComment, signIn, seriousViolations, screenshot,
} from './harness.js';

const POST = '/blogg/fem-laeringspunkter';
let env;

before(async () => {
  env = await startAll();
  // A thread worth looking at: comments, a reply, and held ones with rule hits.
  const first = await postComment(env.vokter, {
    thread: POST,
    name: 'Kari Nordmann',
    website: 'https://kari.example',
    body: 'Takk for en god oppsummering – særlig punkt 3! Jeg kjente meg igjen i det om å skrive testene først.',
  });
  await postComment(env.vokter, {
    thread: POST,
    parent: first.data.id,
    name: 'Ola',
    body: 'Enig! Og punkt 4 om små commits har spart meg for mye hodebry.',
  });
  await postComment(env.vokter, {
    thread: POST,
    name: 'Siri',
    body: 'Fin liste. Har du tips til bøker om emnet?',
  });
  await postComment(env.vokter, {
    thread: POST,
    name: 'Billig Reise AS',
    email: 'tilbud@reise.example',
    website: 'https://reise.example',
    body: 'Meld deg på vår venteliste for billige reiser! Se https://reise.example/tilbud nå.',
  });
  await postComment(env.vokter, {
    thread: '/blogg/andre-innlegg',
    name: 'Per',
    email: 'per@example.no',
    body: 'Kan jeg få stå på venteliste til neste kurs?',
  });
});

after(async () => {
  if (env) await env.stop();
});

test('the widget has no serious or critical accessibility violation', async () => {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 1400 } });
  const page = await newPage(context);
  await page.goto(env.blog.url(POST));
  await page.locator('.vokter-comment').first().waitFor();
  // The author's own held comment and a shown field error are part of what is checked.
  await page.getByLabel('Navn', { exact: true }).fill('Liv');
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Kan jeg stå på venteliste til kurset?');
  await page.getByRole('button', { name: 'Send kommentar' }).click();
  await page.getByText('Takk! Kommentaren din venter på godkjenning.').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'widget.png', { fullPage: true });
  await page.getByLabel('E-post', { exact: true }).fill('ikke-en-epost');
  await page.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Ett spørsmål til.');
  await page.getByRole('button', { name: 'Send kommentar' }).click();
  await page.locator('#vokter-email-error').waitFor({ state: 'visible' });
  assert.deepEqual(await seriousViolations(page, '#vokter-comments'), []);

  await context.close();
});

test('the widget fits a 320 px wide screen', async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await newPage(context);
  await page.goto(env.blog.url(POST));
  await page.locator('.vokter-comment').first().waitFor();
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    widget: document.getElementById('vokter-comments').scrollWidth,
  }));
  assert.ok(widths.page <= 320, `page is ${widths.page} px wide`);
  assert.ok(widths.widget <= 320, `widget is ${widths.widget} px wide`);
  await screenshot(page, 'widget-320.png', { fullPage: true });
  await context.close();
});

test('the English widget speaks English', async () => {
  const context = await env.browser.newContext();
  const page = await newPage(context);
  await page.goto(env.blog.url('/en/lessons'));
  await page.getByRole('heading', { name: 'Leave a comment' }).waitFor();
  await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('Great list, thanks!');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.getByText('Thank you! Your comment is published.').waitFor();
  assert.match(await page.locator('.vokter-heading').textContent(), /Comments \(1\)/);
  assert.deepEqual(await seriousViolations(page, '#vokter-comments'), []);
  await context.close();
});

test('every moderator view has no serious or critical accessibility violation', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 1000 }, bypassCSP: true /* for axe-core only */ });
  const page = await newPage(context);
  await page.goto(`${env.vokter.base}/moderate`);
  await page.getByLabel('Moderatortoken', { exact: true }).waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'sign-in');

  await signIn(page, env.vokter);
  await page.locator('.item mark').first().waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('k');
  assert.deepEqual(await seriousViolations(page), [], 'queue');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'moderate.png');

  await page.getByRole('link', { name: 'Statistikk' }).click();
  await page.locator('svg.chart').waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'stats');
  await screenshot(page, 'moderate-stats.png', { fullPage: true });

  await page.getByRole('link', { name: 'Regler' }).click();
  await page.getByLabel('Regelfil (TOML)', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sjekk' }).click();
  await page.getByText('Regelfilen er gyldig.').waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'rules');
  await screenshot(page, 'moderate-rules.png');
  assert.deepEqual(page.errors, []);
  await context.close();
});
