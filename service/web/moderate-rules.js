// The rules view: the active rule file in an editor with line numbers, "Sjekk" (POST
// /api/rules/check: every error listed at its line, and how many recent verdicts would change)
// and "Lagre" (PUT /api/rules: validated and put in force at once); the last reload error, if any.

import { api, ApiError } from './moderate-api.js';
import { el, timeElement, announce } from './moderate-dom.js';

export function show(main) {
  const body = el('div', { class: 'rules' }, el('p', {}, 'Henter …'));
  main.append(el('h1', {}, 'Regler'), body);
  document.title = 'Regler – Vokter';
  api
    .rules()
    .then((rules) => body.replaceChildren(...render(rules).filter(Boolean)))
    .catch((e) => {
      if (!(e instanceof ApiError && e.status === 401)) body.replaceChildren(el('p', { class: 'error' }, e.message));
    });
}

// "rules.toml:12:3 rule X: message" → 12 (null when the error names no line).
function lineOf(text) {
  const m = /^[^:\s]*:(\d+)(?::\d+)?/.exec(text);
  return m ? Number(m[1]) : null;
}

function render(rules) {
  const editable = rules.editable && rules.text !== null;
  const area = el('textarea', {
    id: 'rules-text',
    class: 'code',
    spellcheck: 'false',
    wrap: 'off',
    readonly: !editable,
    'aria-describedby': 'rules-position rules-result',
  });
  area.value = rules.text || '';
  const gutter = el('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const position = el('p', { id: 'rules-position', class: 'position' });
  const result = el('div', { id: 'rules-result', class: 'result', role: 'status' });
  const check = el('button', { type: 'button', class: 'primary' }, 'Sjekk');
  const save = el('button', { type: 'button', class: 'primary', disabled: !editable }, 'Lagre og ta i bruk');
  let errorLines = new Set();

  function drawGutter() {
    const count = area.value.split('\n').length;
    const nodes = [];
    for (let i = 1; i <= count; i++) {
      nodes.push(errorLines.has(i) ? el('span', { class: 'err' }, `${i}`) : `${i}`, '\n');
    }
    gutter.replaceChildren(...nodes);
    gutter.scrollTop = area.scrollTop;
  }

  function showPosition() {
    const before = area.value.slice(0, area.selectionStart);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    position.textContent = `Linje ${line}, kolonne ${column}`;
  }

  function goToLine(line) {
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || '').length);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 5) * lineHeight);
    showPosition();
  }

  function showErrors(e) {
    const messages = (e.problem.errors || []).map((x) => x.message);
    errorLines = new Set(messages.map(lineOf).filter(Boolean));
    drawGutter();
    result.className = 'result bad';
    result.replaceChildren(
      el('p', {}, el('strong', {}, e.problem.detail || e.message)),
      messages.length
        ? el('ol', { class: 'errors' }, messages.map((message) => {
            const line = lineOf(message);
            return el('li', {}, line
              ? el('button', { type: 'button', class: 'link', onclick: () => goToLine(line) }, `Linje ${line}`)
              : null, line ? ' ' : null, el('code', {}, message));
          }))
        : null,
    );
  }

  function clearErrors() {
    errorLines = new Set();
    drawGutter();
  }

  check.addEventListener('click', async () => {
    check.disabled = true;
    try {
      const ok = await api.checkRules(area.value);
      clearErrors();
      result.className = 'result good';
      const r = ok.rescore;
      result.replaceChildren(
        el('p', {}, el('strong', {}, 'Regelfilen er gyldig. '),
          `Versjon ${ok.version}, ${ok.rule_count} regler, ${ok.examples_passed} eksempler bestått.`),
        r ? el('p', {}, `Av de ${r.rescored} siste kommentarene ville ${r.changed} fått en annen vurdering enn med ${r.compared_with}.`) : null,
      );
      announce('Regelfilen er gyldig.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      showErrors(e);
      announce(`Regelfilen har ${(e.problem.errors || []).length} feil.`);
    }
    check.disabled = false;
  });

  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const ok = await api.saveRules(area.value);
      clearErrors();
      result.className = 'result good';
      result.replaceChildren(el('p', {}, el('strong', {}, `Versjon ${ok.version} er i bruk`), ` (var ${ok.previous_version}).`));
      version.textContent = ok.version;
      announce(`Regelsett ${ok.version} er i bruk.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      showErrors(e);
      announce('Regelfilen ble ikke lagret.');
    }
    save.disabled = false;
  });

  area.addEventListener('input', () => {
    drawGutter();
    showPosition();
  });
  area.addEventListener('scroll', () => {
    gutter.scrollTop = area.scrollTop;
  });
  for (const type of ['keyup', 'click', 'select', 'focus']) area.addEventListener(type, showPosition);
  drawGutter();
  showPosition();

  const version = el('span', {}, rules.version);
  return [
    rules.last_error
      ? el('div', { class: 'result bad', role: 'alert' },
          el('p', {}, el('strong', {}, 'Siste innlasting feilet – de forrige reglene er fortsatt i bruk:')),
          el('pre', { class: 'reload-error' }, rules.last_error))
      : null,
    el('dl', { class: 'facts rules-facts' },
      el('dt', {}, 'Versjon'), el('dd', {}, version),
      el('dt', {}, 'Kilde'), el('dd', {}, rules.source === 'file' ? rules.path : 'innebygd i programmet'),
      el('dt', {}, 'Lastet'), el('dd', {}, rules.loaded_at ? timeElement(rules.loaded_at) : '–'),
      el('dt', {}, 'Regler'), el('dd', {}, String(rules.rule_count))),
    editable
      ? null
      : el('p', { class: 'notice' },
          'Reglene er innebygd i programmet og kan ikke endres her. Start Vokter med --rules FIL for å redigere dem.'),
    el('label', { for: 'rules-text', class: 'editor-label' }, 'Regelfil (TOML)'),
    el('div', { class: 'editor' }, gutter, area),
    position,
    el('div', { class: 'actions' }, check, save),
    result,
  ];
}
