// The queue view: comments to moderate, riskiest first, with the reasons beside each.
//
// Keyboard: j/k move between comments, a approve, s spam, r reject, d delete, x select; with a
// selection the action keys apply to every selected comment at once (one POST with ids[]).
// After a decision the comment leaves the list (if it no longer matches the status filter) and
// the focus moves to the next one. Every action also has a visible button.

import { api, ApiError } from './moderate-api.js';
import { el, highlighted, timeElement, announce } from './moderate-dom.js';

const ACTIONS = {
  approve: { key: 'a', label: 'Godkjenn', done: 'godkjent', status: 'approved', class: 'approve' },
  spam: { key: 's', label: 'Spam', done: 'merket som spam', status: 'spam', class: 'spam' },
  reject: { key: 'r', label: 'Avvis', done: 'avvist', status: 'rejected', class: 'reject' },
  delete: { key: 'd', label: 'Slett', done: 'slettet', status: 'deleted', class: 'delete' },
};
const STATUS_LABELS = { pending: 'Venter', spam: 'Spam', approved: 'Godkjent', rejected: 'Avvist' };

// Filter state survives switching views (but not the tab: it lives in the URL-less module).
const filters = { status: 'pending', thread: '', q: '', sort: 'score', limit: '25' };

// `commentId` (from a notification's link, #comment-ID) shows that one comment first, under the
// filter of its status; the filter form and the pager lead back to the queue.
export function show(main, commentId) {
  const state = { items: [], selected: new Set(), current: 0, cursors: [null], page: 0, next: null };
  const list = el('ol', { class: 'queue', 'aria-label': 'Kommentarer' });
  const summary = el('p', { class: 'summary', id: 'queue-summary' });
  const selectionText = el('span', { id: 'selection-count' }, 'Ingen valgt');
  const prev = el('button', { type: 'button', class: 'quiet' }, '← Forrige side');
  const next = el('button', { type: 'button', class: 'quiet' }, 'Neste side →');
  const pager = el('nav', { class: 'pager', 'aria-label': 'Sider' }, prev, next);

  const bulkButtons = Object.entries(ACTIONS).map(([action, a]) =>
    el(
      'button',
      { type: 'button', class: `act ${a.class}`, 'data-bulk': action, disabled: true,
        onclick: () => decide([...state.selected], action) },
      `${a.label} valgte`,
    ),
  );
  const selectAll = el('button', { type: 'button', class: 'quiet', onclick: toggleAll }, 'Velg alle');
  const bulkBar = el(
    'div',
    { class: 'bulk', role: 'group', 'aria-label': 'Valgte kommentarer' },
    selectionText,
    selectAll,
    bulkButtons,
  );

  main.append(
    el('h1', {}, 'Kø'),
    filterForm(() => load(0, true)),
    el(
      'p',
      { class: 'keys', id: 'queue-keys' },
      'Tastatur: ',
      keyHint('j', 'neste'), keyHint('k', 'forrige'), keyHint('a', 'godkjenn'), keyHint('s', 'spam'),
      keyHint('r', 'avvis'), keyHint('d', 'slett'), keyHint('x', 'velg'),
      ' – med valgte kommentarer gjelder handlingen alle valgte.',
    ),
    bulkBar,
    summary,
    list,
    pager,
  );
  document.title = 'Kø – Vokter';

  prev.addEventListener('click', () => load(state.page - 1, true));
  next.addEventListener('click', () => load(state.page + 1, true));

  async function load(page, focusFirst) {
    summary.textContent = 'Henter …';
    try {
      const params = { status: filters.status, sort: filters.sort, limit: filters.limit };
      if (filters.thread) params.thread = filters.thread;
      if (filters.q) params.q = filters.q;
      if (state.cursors[page]) params.cursor = state.cursors[page];
      const data = await api.queue(params);
      state.page = page;
      state.cursors[page + 1] = data.next_cursor;
      state.cursors.length = page + 2;
      state.items = data.items;
      state.selected.clear();
      state.current = 0;
      render();
      if (focusFirst) focusItem(0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      summary.textContent = `Køen kunne ikke hentes: ${e.message}`;
    }
  }

  function render() {
    list.replaceChildren(...state.items.map((item, i) => itemNode(item, i)));
    const n = state.items.length;
    const status = STATUS_LABELS[filters.status].toLowerCase();
    summary.textContent =
      n === 0
        ? `Ingen kommentarer med status «${status}» her. Godt jobbet!`
        : `Side ${state.page + 1}: ${n} ${n === 1 ? 'kommentar' : 'kommentarer'} med status «${status}».`;
    prev.disabled = state.page === 0;
    next.disabled = !state.cursors[state.page + 1];
    pager.hidden = prev.disabled && next.disabled;
    updateSelection();
  }

  function itemNode(item, index) {
    const checkbox = el('input', {
      type: 'checkbox',
      id: `select-${item.id}`,
      checked: state.selected.has(item.id),
      onchange: (event) => {
        if (event.target.checked) state.selected.add(item.id);
        else state.selected.delete(item.id);
        updateSelection();
      },
    });
    const buttons = Object.entries(ACTIONS).map(([action, a]) =>
      el(
        'button',
        {
          type: 'button',
          class: `act ${a.class}`,
          'aria-keyshortcuts': a.key,
          'aria-label': `${a.label} kommentar ${item.id}`,
          onclick: () => {
            state.current = index;
            decide([item.id], action);
          },
        },
        a.label,
      ),
    );
    const article = el(
      'article',
      {
        class: 'item',
        tabindex: '-1',
        'data-id': item.id,
        'aria-labelledby': `item-title-${item.id}`,
        onfocus: () => {
          state.current = index;
          markCurrent();
        },
      },
      el(
        'header',
        { class: 'item-head' },
        el('span', { class: 'select' }, checkbox, el('label', { for: `select-${item.id}` }, 'Velg')),
        el('h2', { id: `item-title-${item.id}` }, `#${item.id} `, item.name || 'Anonym'),
        scoreBadge(item.score),
        el('span', { class: `status status-${item.status}` }, STATUS_LABELS[item.status] || item.status),
      ),
      facts(item),
      item.parent_excerpt
        ? el('p', { class: 'parent' }, `Svar på #${item.parent}: «`, item.parent_excerpt, '»')
        : null,
      el('div', { class: 'body' }, highlighted(item.body, needles(item, 'body'))),
      hitsTable(item),
      el('div', { class: 'actions' }, buttons),
    );
    return el('li', { id: `item-${item.id}` }, article);
  }

  function markCurrent() {
    list.querySelectorAll('.item').forEach((node, i) => {
      node.classList.toggle('current', i === state.current);
    });
  }

  function focusItem(index) {
    const nodes = list.querySelectorAll('.item');
    if (nodes.length === 0) {
      summary.setAttribute('tabindex', '-1');
      summary.focus();
      return;
    }
    state.current = Math.max(0, Math.min(index, nodes.length - 1));
    const node = nodes[state.current];
    node.focus();
    node.scrollIntoView({ block: 'nearest' });
    markCurrent();
  }

  function updateSelection() {
    const n = state.selected.size;
    selectionText.textContent = n === 0 ? 'Ingen valgt' : `${n} valgt`;
    for (const b of bulkButtons) b.disabled = n === 0;
    selectAll.textContent = n > 0 && n === state.items.length ? 'Fjern valg' : 'Velg alle';
    for (const item of state.items) {
      const box = document.getElementById(`select-${item.id}`);
      if (box) box.checked = state.selected.has(item.id);
      const li = document.getElementById(`item-${item.id}`);
      if (li) li.classList.toggle('selected', state.selected.has(item.id));
    }
  }

  function toggleAll() {
    if (state.selected.size === state.items.length) state.selected.clear();
    else state.items.forEach((item) => state.selected.add(item.id));
    updateSelection();
  }

  // Applies `action` to `ids`, removes the decided comments that leave this status, and focuses
  // the comment now at the current position.
  async function decide(ids, action) {
    if (ids.length === 0) return;
    const a = ACTIONS[action];
    try {
      const result = await api.decide(ids, action);
      const done = new Set(result.results.filter((r) => r.ok).map((r) => r.id));
      const failed = result.results.filter((r) => !r.ok);
      const leaving = (item) => done.has(item.id) && a.status !== filters.status;
      const before = state.items.slice(0, state.current).filter(leaving).length;
      state.items = state.items.filter((item) => !leaving(item));
      for (const item of state.items) if (done.has(item.id)) item.status = a.status;
      for (const id of done) state.selected.delete(id);
      const where = state.current - before;
      render();
      focusItem(where);
      const what = done.size === 1 ? `Kommentar #${[...done][0]}` : `${done.size} kommentarer`;
      announce(
        `${what} ${a.done}.` +
          (failed.length ? ` ${failed.length} kunne ikke endres: ${failed.map((f) => `#${f.id} ${f.error}`).join(', ')}.` : ''),
      );
      if (state.items.length === 0 && state.cursors[state.page + 1]) load(state.page, true);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) announce(`Feil: ${e.message}`);
    }
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest('input:not([type=checkbox]), textarea, select')) return;
    const key = event.key.toLowerCase();
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      focusItem(state.current + (key === 'j' ? 1 : -1));
      return;
    }
    if (key === 'x') {
      const item = state.items[state.current];
      if (!item) return;
      event.preventDefault();
      if (state.selected.has(item.id)) state.selected.delete(item.id);
      else state.selected.add(item.id);
      updateSelection();
      announce(`#${item.id} ${state.selected.has(item.id) ? 'valgt' : 'ikke valgt'}; ${state.selected.size} valgt.`);
      return;
    }
    const action = Object.keys(ACTIONS).find((name) => ACTIONS[name].key === key);
    if (!action) return;
    const item = state.items[state.current];
    const ids = state.selected.size ? [...state.selected] : item ? [item.id] : [];
    event.preventDefault();
    decide(ids, action);
  }

  document.addEventListener('keydown', onKey);
  if (commentId) loadOne(commentId);
  else load(0, true);

  async function loadOne(id) {
    summary.textContent = 'Henter …';
    try {
      const item = await api.comment(id);
      if (STATUS_LABELS[item.status]) filters.status = item.status;
      state.items = [item];
      state.selected.clear();
      state.current = 0;
      render();
      summary.textContent = `Kommentar ${item.id} (${(STATUS_LABELS[item.status] || item.status).toLowerCase()}).`;
      focusItem(0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      if (e instanceof ApiError && e.status === 404) {
        summary.textContent = `Kommentar ${id} finnes ikke lenger.`;
        return;
      }
      summary.textContent = `Kommentaren kunne ikke hentes: ${e.message}`;
    }
  }
  return () => document.removeEventListener('keydown', onKey);
}

function keyHint(key, what) {
  return el('span', { class: 'key-hint' }, el('kbd', {}, key), ` ${what} `);
}

function filterForm(apply) {
  const status = el(
    'select',
    { id: 'f-status', name: 'status' },
    Object.entries(STATUS_LABELS).map(([value, label]) =>
      el('option', { value, selected: filters.status === value }, label),
    ),
  );
  const sort = el(
    'select',
    { id: 'f-sort', name: 'sort' },
    [['score', 'Høyest risiko først'], ['newest', 'Nyeste først'], ['oldest', 'Eldste først']].map(
      ([value, label]) => el('option', { value, selected: filters.sort === value }, label),
    ),
  );
  const thread = el('input', { id: 'f-thread', name: 'thread', type: 'text', value: filters.thread, placeholder: '/blogg/innlegg' });
  const q = el('input', { id: 'f-q', name: 'q', type: 'search', value: filters.q });
  const form = el(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filtrer køen' },
    field('f-status', 'Status', status),
    field('f-thread', 'Tråd', thread),
    field('f-q', 'Søk', q),
    field('f-sort', 'Sortering', sort),
    el('button', { type: 'submit', class: 'primary' }, 'Vis'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    Object.assign(filters, { status: status.value, sort: sort.value, thread: thread.value.trim(), q: q.value.trim() });
    apply();
  });
  status.addEventListener('change', () => form.requestSubmit());
  sort.addEventListener('change', () => form.requestSubmit());
  return form;
}

function field(id, label, control) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), control);
}

function scoreBadge(score) {
  const level = score >= 10 ? 'high' : score >= 5 ? 'medium' : 'low';
  return el('span', { class: `score score-${level}`, title: 'Poengsum fra reglene' }, `Poeng ${score.toFixed(1)}`);
}

function facts(item) {
  const row = (term, ...value) => [el('dt', {}, term), el('dd', {}, ...value)];
  return el(
    'dl',
    { class: 'facts' },
    row('E-post', item.email || '–'),
    row('Nettsted', item.website || '–'),
    row('IP', item.ip || '–'),
    row('Tråd', item.thread),
    row('Sendt', timeElement(item.created)),
    row('Nettleser', el('span', { class: 'ua' }, item.user_agent || '–')),
  );
}

// The matched text of each regex hit on `field` (the detail is the match, maybe cut with "…").
function needles(item, field) {
  return item.hits
    .filter((hit) => hit.field === field && hit.detail)
    .map((hit) => ({ needle: hit.detail.replace(/…$/, ''), label: hit.rule }));
}

// The learned classifier's hit: "spam probability 0.998 (learned 240 ham, 180 spam); toward
// spam: w:auspicious 0.99, s:x.example 0.98; toward ham: w:takk 0.03" becomes the probability and
// two lists of the features that weighed most each way. Any other detail is shown as it is.
function explained(detail) {
  const parts = detail.split('; ');
  const head = /^spam probability ([0-9.]+) \(learned (\d+) ham, (\d+) spam\)$/.exec(parts[0]);
  if (!head) return detail;
  const sides = { 'toward spam:': 'Mot spam', 'toward ham:': 'Mot godkjent' };
  const lists = parts.slice(1).map((part) => {
    const heading = Object.keys(sides).find((h) => part.startsWith(h));
    if (!heading) return el('span', {}, part);
    const clues = part.slice(heading.length).trim().split(', ').map((clue) => {
      const cut = clue.lastIndexOf(' ');
      return el('li', {}, el('code', {}, clue.slice(0, cut)), ' ', el('span', { class: 'p' }, clue.slice(cut + 1)));
    });
    return el('div', { class: `clues ${heading === 'toward spam:' ? 'spamward' : 'hamward'}` },
      el('span', { class: 'clue-heading' }, sides[heading]), el('ul', {}, clues));
  });
  return el('div', { class: 'classifier' },
    el('p', {}, `Sannsynlighet for spam ${Number(head[1]).toFixed(3)} (lært av ${head[2]} godkjente, ${head[3]} spam)`),
    lists);
}

function hitsTable(item) {
  if (!item.hits.length) return el('p', { class: 'no-hits' }, 'Ingen regler slo til.');
  return el(
    'table',
    { class: 'hits' },
    el('caption', {}, `Regeltreff (regelsett ${item.ruleset_version})`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Regel'), el('th', { scope: 'col' }, 'Poeng'),
      el('th', { scope: 'col' }, 'Felt'), el('th', { scope: 'col' }, 'Funnet'))),
    el(
      'tbody',
      {},
      item.hits.map((hit) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, el('code', {}, hit.rule)),
          el('td', { class: 'num' }, (hit.score > 0 ? '+' : '') + hit.score.toFixed(1)),
          el('td', {}, hit.field || '–'),
          el('td', {}, hit.field ? el('mark', {}, hit.detail) : explained(hit.detail)),
        ),
      ),
    ),
  );
}
