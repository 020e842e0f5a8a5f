// The moderator page's entry point: sign-in, the navigation between the three views (queue,
// stats, rules; chosen by the URL fragment) and sign-out. Each view is a module exporting
// `show(main)` that fills <main> and returns an optional cleanup function.

import { api, call, session, ApiError } from './moderate-api.js';
import { el, announce } from './moderate-dom.js';
import * as queue from './moderate-queue.js';
import * as stats from './moderate-stats.js';
import * as rules from './moderate-rules.js';

const VIEWS = { queue, stats, rules };
const main = document.getElementById('main');
const nav = document.getElementById('views');
const who = document.getElementById('who');
let cleanup = null;

function signInView(reason) {
  const input = el('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const error = el('p', { id: 'token-error', class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading' },
    el('h1', { id: 'sign-in-heading' }, 'Logg inn som moderator'),
    reason === 'expired' ? el('p', { class: 'notice' }, 'Tokenet gjelder ikke lenger. Logg inn på nytt.') : null,
    el('label', { for: 'token' }, 'Moderatortoken'),
    el('p', { id: 'token-hint', class: 'hint' },
      'Fra «vokter moderator add NAVN». Det huskes bare i denne fanen til den lukkes.'),
    input,
    error,
    el('button', { type: 'submit', class: 'primary' }, 'Logg inn'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (!token) {
      error.textContent = 'Skriv inn tokenet.';
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'token-hint token-error');
      input.focus();
      return;
    }
    try {
      await call('GET', '/api/moderation/queue?limit=1', undefined, token);
      session.signIn(token);
      route();
    } catch (e) {
      error.textContent =
        e instanceof ApiError && e.status === 401
          ? 'Ukjent token.'
          : e instanceof ApiError && e.status === 429
            ? 'For mange mislykkede forsøk. Vent litt og prøv igjen.'
            : 'Fikk ikke kontakt med Vokter.';
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'token-hint token-error');
      input.focus();
    }
  });
  nav.hidden = true;
  who.hidden = true;
  main.replaceChildren(form);
  document.title = 'Logg inn – Vokter';
  input.focus();
}

// "Innlogget som NAME", and a warning when the token expires within a week. Asked once per
// sign-in; a failure leaves the plain "Innlogget".
let whoShownFor = null;
async function showWho() {
  const token = session.token();
  if (whoShownFor === token) return;
  whoShownFor = token;
  const label = document.getElementById('who-name');
  label.textContent = 'Innlogget';
  try {
    const me = await api.me();
    if (session.token() !== token) return;
    let text = `Innlogget som ${me.name}`;
    const expires = me.expires ? Date.parse(me.expires) : NaN;
    if (expires - Date.now() < 7 * 24 * 3600 * 1000) {
      text += ` (tokenet utløper ${me.expires.slice(0, 10)})`;
    }
    label.textContent = text;
  } catch (e) {
    whoShownFor = null;
  }
}

function currentView() {
  const name = location.hash.replace(/^#/, '');
  return VIEWS[name] ? name : 'queue';
}

// The comment a link names (#comment-42, as notifications link to it), or null.
function linkedComment() {
  const match = /^#comment-(\d{1,18})$/.exec(location.hash);
  return match ? match[1] : null;
}

// Shows the view named by the fragment, or the sign-in form without a token.
function route(reason) {
  if (cleanup) cleanup();
  cleanup = null;
  if (!session.token()) {
    signInView(reason);
    return;
  }
  const name = currentView();
  nav.hidden = false;
  who.hidden = false;
  showWho();
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  cleanup = VIEWS[name].show(main, name === 'queue' ? linkedComment() : undefined) || null;
}

session.onSignedOut = (reason) => route(reason);
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  announce('Logget ut.');
  route();
});
window.addEventListener('hashchange', () => {
  route();
  main.focus();
});
document.getElementById('who-name').textContent = 'Innlogget';
route();
