// The learned classifier on the moderator page: after moderators have taught it, a held comment
// shows its spam probability and the features that weighed most each way, and a decision taken
// on the page teaches it in turn.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVokter, launchBrowser, newPage, postComment, moderatorApi, signIn, screenshot } from './harness.js';

// Only the classifier scores: it speaks after 3 ham and 3 spam.
const RULES = `version = "browser-classifier.1"
[thresholds]
hold = 5.0
spam = 10.0

[[heuristic]]
id = "CLASSIFIER"
kind = "classifier"
description = "Learned from this blog's moderators"
min_ham = 3
min_spam = 3
bands = [{ min = 0.0, score = -1.0 }, { min = 0.2, score = 0.0 }, { min = 0.9, score = 6.0 }]
`;

let vokter;
let browser;

before(async () => {
  vokter = await startVokter({ rules: RULES });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (vokter) await vokter.stop();
});

async function metric(name) {
  const text = await (await fetch(`${vokter.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line.slice(name.length + 1));
}

async function trained(ham, spam) {
  for (let i = 0; i < 200; i++) {
    if ((await metric('vokter_classifier_learned{label="ham"}')) === ham &&
        (await metric('vokter_classifier_learned{label="spam"}')) === spam) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the classifier did not reach ${ham} ham and ${spam} spam`);
}

test('a held comment shows what the classifier learned, and a decision on the page teaches it', async () => {
  const spam = [];
  const ham = [];
  for (const n of [1, 2, 3, 4]) {
    spam.push((await postComment(vokter, {
      thread: '/blogg/turer', name: 'Cheap Car Insurance',
      body: `Greetings from Carolina! Very helpful advice, cheap insurance quotes on my site ${n}`,
    })).data.id);
    ham.push((await postComment(vokter, {
      thread: '/blogg/turer', name: 'Kari',
      body: `Nydelig tur rundt Bogstadvannet i dag, takk for kartet ${n}`,
    })).data.id);
  }
  assert.equal((await moderatorApi(vokter, 'POST', '/api/moderation/decisions', { ids: spam, action: 'spam' })).status, 200);
  assert.equal((await moderatorApi(vokter, 'POST', '/api/moderation/decisions', { ids: ham, action: 'approve' })).status, 200);
  await trained(4, 4);

  const { status, data } = await postComment(vokter, {
    thread: '/blogg/turer', name: 'Best Car Insurance',
    body: 'Greetings! Very helpful advice on cheap insurance quotes',
  });
  assert.equal(status, 202);

  const context = await browser.newContext();
  const page = await newPage(context);
  await signIn(page, vokter);
  const item = page.locator(`.item[data-id="${data.id}"]`);
  await item.waitFor();
  const explanation = item.locator('.classifier');
  await explanation.waitFor();
  assert.match(await explanation.locator('p').textContent(),
    /^Sannsynlighet for spam (0\.9\d\d|1\.000) \(lært av 4 godkjente, 4 spam\)$/);
  const toward = explanation.locator('.spamward');
  assert.equal(await toward.locator('.clue-heading').textContent(), 'Mot spam');
  const clues = await toward.locator('li code').allTextContents();
  assert.ok(clues.length >= 1 && clues.length <= 4, clues.join(' | '));
  assert.ok(clues.some((c) => /^(w|b|n):.*(insurance|greetings|helpful|advice|cheap)/.test(c)), clues.join(' | '));
  for (const p of await toward.locator('li .p').allTextContents()) assert.ok(Number(p) > 0.5, p);
  await screenshot(page, 'moderate-classifier.png', { clip: await item.boundingBox() });

  // Approving it here (the moderator disagrees) teaches the classifier one more ham.
  await item.getByRole('button', { name: /^Godkjenn kommentar/ }).click();
  await page.locator('#announce', { hasText: 'godkjent' }).waitFor();
  await trained(5, 4);
  assert.deepEqual(page.errors, []);
  await context.close();
});
