/* Vokter's comment widget: one script tag on a blog page.
 *
 *   <div id="vokter-comments" data-vokter-thread="/blogg/innlegg" data-vokter-lang="nb"
 *        data-vokter-title="Innleggets tittel"></div>
 *   <script src="https://comments.example/widget.js" defer></script>
 *
 * Contract:
 * - The API base is the origin this script was loaded from; a blog on another origin needs that
 *   origin in Vokter's cors_origins (VOKTER_CORS_ORIGINS).
 * - #vokter-comments gets the thread's approved comments (a tree, oldest first) and the form
 *   "Legg igjen en kommentar". The thread defaults to location.pathname; language nb (default) or en.
 * - Every element with data-vokter-count gets its thread's comment count; all counts come from
 *   one GET /api/counts. The attribute's value is the thread; empty on a link means its path.
 * - Text from the API is only ever inserted as text (createElement + textContent), never as
 *   markup; author links are kept only for http(s) URLs.
 * - The author's own comments (with their edit tokens) are kept in localStorage until their edit
 *   window ends, so a held comment stays visible to its author, marked as pending.
 */
(() => {
  'use strict';

  const TEXTS = {
    nb: {
      comments: (n) => (n === 0 ? 'Ingen kommentarer' : n === 1 ? '1 kommentar' : `${n} kommentarer`),
      heading: 'Kommentarer',
      formHeading: 'Legg igjen en kommentar',
      replyHeading: (name) => `Svar til ${name}`,
      name: 'Navn',
      email: 'E-post',
      emailHint: 'publiseres ikke',
      website: 'Nettsted',
      body: 'Kommentar',
      required: 'må fylles ut',
      requiredNote: 'Felt merket * må fylles ut.',
      honeypot: 'La dette feltet stå tomt',
      counter: (n, max) => `${n} av ${max} tegn`,
      tooLong: (max) => `Kommentaren er lengre enn ${max} tegn.`,
      send: 'Send kommentar',
      sending: 'Sender …',
      cancelReply: 'Avbryt svar',
      reply: 'Svar',
      replyTo: (name) => `Svar til ${name}`,
      edit: 'Rediger',
      save: 'Lagre',
      cancel: 'Avbryt',
      remove: 'Slett',
      confirmRemove: 'Slette kommentaren?',
      yesRemove: 'Ja, slett',
      removed: 'Kommentaren er slettet.',
      anonymous: 'Anonym',
      pendingBadge: 'Venter på godkjenning',
      pendingThanks: 'Takk! Kommentaren din venter på godkjenning.',
      approvedThanks: 'Takk! Kommentaren din er publisert.',
      edited: 'redigert',
      more: 'Vis flere kommentarer',
      empty: 'Ingen kommentarer ennå. Bli den første!',
      loadFailed: 'Kommentarene kunne ikke hentes.',
      sendFailed: 'Kommentaren ble ikke sendt. Sjekk nettforbindelsen og prøv igjen.',
      fixFields: 'Rett opp feltene som er merket.',
      duplicate: 'Denne kommentaren er allerede sendt.',
      closed: 'Kommentarene på denne siden er stengt.',
      noParent: 'Kommentaren du svarer på finnes ikke lenger.',
      tooMany: (s) => `Du har sendt mange kommentarer på kort tid. Prøv igjen om ${s} sekunder.`,
      fieldMessages: [
        [/^is required/, (label) => `${label} må fylles ut.`],
        [/^is not an email/, () => 'Skriv en gyldig e-postadresse (navn@eksempel.no).'],
        [/^must be an http/, () => 'Skriv en adresse som begynner med https:// eller http://.'],
        [/^is longer than (\d+)/, (label, m) => `${label} kan være høyst ${m[1]} tegn.`],
        [/^contains control/, (label) => `${label} inneholder ugyldige tegn.`],
      ],
      locale: 'nb-NO',
    },
    en: {
      comments: (n) => (n === 0 ? 'No comments' : n === 1 ? '1 comment' : `${n} comments`),
      heading: 'Comments',
      formHeading: 'Leave a comment',
      replyHeading: (name) => `Reply to ${name}`,
      name: 'Name',
      email: 'Email',
      emailHint: 'not published',
      website: 'Website',
      body: 'Comment',
      required: 'required',
      requiredNote: 'Fields marked * are required.',
      honeypot: 'Leave this field empty',
      counter: (n, max) => `${n} of ${max} characters`,
      tooLong: (max) => `The comment is longer than ${max} characters.`,
      send: 'Post comment',
      sending: 'Sending …',
      cancelReply: 'Cancel reply',
      reply: 'Reply',
      replyTo: (name) => `Reply to ${name}`,
      edit: 'Edit',
      save: 'Save',
      cancel: 'Cancel',
      remove: 'Delete',
      confirmRemove: 'Delete the comment?',
      yesRemove: 'Yes, delete',
      removed: 'This comment was deleted.',
      anonymous: 'Anonymous',
      pendingBadge: 'Awaiting moderation',
      pendingThanks: 'Thank you! Your comment is awaiting moderation.',
      approvedThanks: 'Thank you! Your comment is published.',
      edited: 'edited',
      more: 'Show more comments',
      empty: 'No comments yet. Be the first!',
      loadFailed: 'The comments could not be loaded.',
      sendFailed: 'The comment was not sent. Check your connection and try again.',
      fixFields: 'Please correct the marked fields.',
      duplicate: 'This comment was already posted.',
      closed: 'Comments on this page are closed.',
      noParent: 'The comment you reply to no longer exists.',
      tooMany: (s) => `You have posted many comments in a short time. Try again in ${s} seconds.`,
      fieldMessages: [[/^/, (label, m, message) => `${label} ${message}.`]],
      locale: 'en-GB',
    },
  };

  const script =
    document.currentScript || document.querySelector('script[src*="widget.js"]');
  const BASE = new URL(script ? script.src : location.href).origin;
  const FIELD_NAMES = ['name', 'email', 'website', 'body'];

  // --- DOM helpers: every piece of text goes in as a text node ------------------------------

  // Creates <tag> with attributes (null/false ones skipped) and children (strings become text).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  // The URL if it is an absolute http(s) URL, else null.
  function safeHttpUrl(text) {
    if (typeof text !== 'string' || !/^https?:\/\//i.test(text)) return null;
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // Length in characters (code points), as the server counts.
  const charCount = (text) => [...text].length;

  // --- API ----------------------------------------------------------------------------------

  // Fetches BASE + path; resolves {status, data} (data: parsed JSON or null). Rejects only on a
  // network failure.
  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(BASE + path, {
      method: options.method || 'GET',
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
      credentials: 'omit',
      mode: 'cors',
    });
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (e) {
        data = null;
      }
    }
    return { status: res.status, data, retryAfter: res.headers.get('Retry-After') };
  }

  // --- The author's own comments (localStorage; absent storage just means no memory) --------

  const store = {
    key: (thread) => `vokter:own:${BASE}:${thread}`,
    read(thread) {
      try {
        const list = JSON.parse(localStorage.getItem(this.key(thread)) || '[]');
        return list.filter((c) => Date.parse(c.edit_until) > Date.now());
      } catch (e) {
        return [];
      }
    },
    write(thread, list) {
      try {
        if (list.length) localStorage.setItem(this.key(thread), JSON.stringify(list));
        else localStorage.removeItem(this.key(thread));
      } catch (e) {
        /* private mode or full: the comment is still shown until the page is left */
      }
    },
    put(thread, comment) {
      this.write(thread, this.read(thread).filter((c) => c.id !== comment.id).concat([comment]));
    },
    drop(thread, id) {
      this.write(thread, this.read(thread).filter((c) => c.id !== id));
    },
    author() {
      try {
        return JSON.parse(localStorage.getItem('vokter:author') || '{}');
      } catch (e) {
        return {};
      }
    },
    rememberAuthor(fields) {
      try {
        const { name, email, website } = fields;
        localStorage.setItem('vokter:author', JSON.stringify({ name, email, website }));
      } catch (e) {
        /* ignore */
      }
    },
  };

  // --- Counts mode --------------------------------------------------------------------------

  function threadOfCountElement(node) {
    const value = node.getAttribute('data-vokter-count');
    if (value) return value;
    if (node.href) return new URL(node.href, location.href).pathname;
    return location.pathname;
  }

  // Fills every [data-vokter-count] element with one request; leaves them as they are on failure.
  async function showCounts(nodes, t) {
    const threads = [...new Set(nodes.map(threadOfCountElement))];
    const query = threads.map((th) => `thread=${encodeURIComponent(th)}`).join('&');
    try {
      const { status, data } = await api(`/api/counts?${query}`);
      if (status !== 200 || !data) return;
      for (const node of nodes) {
        const n = data[threadOfCountElement(node)];
        if (typeof n === 'number') node.textContent = t.comments(n);
      }
    } catch (e) {
      /* counts are decoration: keep the page's own text */
    }
  }

  // --- The thread widget --------------------------------------------------------------------

  class Widget {
    constructor(root) {
      this.root = root;
      const lang = (root.getAttribute('data-vokter-lang') || 'nb').toLowerCase();
      this.lang = TEXTS[lang] ? lang : 'nb';
      this.t = TEXTS[this.lang];
      this.thread = root.getAttribute('data-vokter-thread') || location.pathname;
      this.title = root.getAttribute('data-vokter-title') || document.title;
      this.maxChars = parseInt(root.getAttribute('data-vokter-max-chars'), 10) || 10000;
      this.maxDepth = parseInt(root.getAttribute('data-vokter-max-depth'), 10) || 5;
      this.pageSize = parseInt(root.getAttribute('data-vokter-page-size'), 10) || 50;
      this.dates = new Intl.DateTimeFormat(this.t.locale, { dateStyle: 'long', timeStyle: 'short' });
      this.shown = new Map(); // comment id -> {li, replies (ol), depth, comment}
      this.total = 0;
      this.formToken = null;
    }

    async start() {
      const t = this.t;
      this.root.replaceChildren();
      this.root.classList.add('vokter');
      this.root.setAttribute('lang', this.lang === 'nb' ? 'nb' : 'en');
      this.headingText = el('span', {}, t.heading);
      this.heading = el('h2', { class: 'vokter-heading', id: 'vokter-heading' }, this.headingText);
      this.list = el('ol', { class: 'vokter-list' });
      this.emptyNote = el('p', { class: 'vokter-empty', hidden: true }, t.empty);
      this.moreButton = el(
        'button',
        { type: 'button', class: 'vokter-more', hidden: true, onclick: () => this.loadMore() },
        t.more,
      );
      this.loadStatus = el('p', { class: 'vokter-load-status', role: 'status' });
      this.form = new CommentForm(this);
      this.root.append(
        this.heading,
        this.loadStatus,
        this.emptyNote,
        this.list,
        this.moreButton,
        this.form.node,
      );
      this.fetchFormToken();
      await this.loadPage(null);
      this.showOwnPending();
      this.revealTarget();
    }

    async fetchFormToken() {
      try {
        const { status, data } = await api(
          `/api/form-token?thread=${encodeURIComponent(this.thread)}`,
        );
        if (status === 200 && data) this.formToken = data.form_token;
      } catch (e) {
        /* without a token the post is still accepted, only scored a little higher */
      }
    }

    async loadPage(cursor) {
      let query = `/api/comments?thread=${encodeURIComponent(this.thread)}&sort=oldest&limit=${this.pageSize}`;
      if (cursor) query += `&after=${encodeURIComponent(cursor)}`;
      this.moreButton.disabled = true;
      try {
        const { status, data } = await api(query);
        if (status !== 200 || !data) throw new Error(String(status));
        this.loadStatus.textContent = '';
        this.total = data.total;
        const own = new Map(store.read(this.thread).map((c) => [c.id, c]));
        for (const comment of data.comments) this.addComment(comment, this.list, 1, own);
        this.cursor = data.next_cursor;
        this.moreButton.hidden = !this.cursor;
      } catch (e) {
        this.loadStatus.textContent = this.t.loadFailed;
      }
      this.moreButton.disabled = false;
      this.updateHeading();
    }

    async loadMore() {
      const before = this.list.children.length;
      await this.loadPage(this.cursor);
      const first = this.list.children[before];
      if (first) first.querySelector('article').focus();
    }

    updateHeading() {
      const approved = this.total;
      this.headingText.textContent = `${this.t.heading} (${approved})`;
      this.emptyNote.hidden = this.shown.size > 0;
    }

    // Renders `comment` (and its replies) at the end of `list`. `own` maps ids of the author's
    // own comments to their stored copies (with edit tokens).
    addComment(comment, list, depth, own) {
      if (this.shown.has(comment.id)) return;
      const t = this.t;
      const li = el('li', { class: 'vokter-comment', id: `comment-${comment.id}` });
      const article = el('article', { tabindex: '-1', 'aria-labelledby': `vokter-by-${comment.id}` });
      const replies = el('ol', { class: 'vokter-replies' });
      const entry = { li, article, replies, depth, comment };
      this.shown.set(comment.id, entry);
      if (comment.removed) {
        article.append(
          el('p', { class: 'vokter-removed', id: `vokter-by-${comment.id}` }, t.removed),
        );
      } else {
        this.fillArticle(entry, own && own.get(comment.id));
      }
      li.append(article, replies);
      list.append(li);
      for (const reply of comment.replies || []) this.addComment(reply, replies, depth + 1, own);
      return entry;
    }

    fillArticle(entry, mine) {
      const { comment, article, depth } = entry;
      const t = this.t;
      const name = comment.name || t.anonymous;
      const href = safeHttpUrl(comment.website);
      const author = href
        ? el('a', { href, rel: 'nofollow ugc noopener', class: 'vokter-author' }, name)
        : el('span', { class: 'vokter-author' }, name);
      const created = new Date(comment.created);
      const header = el(
        'header',
        { class: 'vokter-meta' },
        el('span', { id: `vokter-by-${comment.id}` }, author),
        ' ',
        el(
          'time',
          { datetime: comment.created },
          isNaN(created) ? comment.created : this.dates.format(created),
        ),
        comment.edited ? el('span', { class: 'vokter-edited' }, ` (${t.edited})`) : null,
        comment.pending ? el('span', { class: 'vokter-badge' }, t.pendingBadge) : null,
      );
      const body = el('div', { class: 'vokter-body' }, comment.body);
      const actions = el('div', { class: 'vokter-actions' });
      if (depth < this.maxDepth && !comment.pending) {
        actions.append(
          el(
            'button',
            {
              type: 'button',
              class: 'vokter-link-button',
              'aria-label': t.replyTo(name),
              onclick: () => this.form.replyTo(entry),
            },
            t.reply,
          ),
        );
      }
      if (mine && Date.parse(mine.edit_until) > Date.now()) this.addOwnerActions(entry, mine, actions);
      article.classList.toggle('vokter-pending', Boolean(comment.pending));
      article.replaceChildren(header, body, actions);
      entry.body = body;
    }

    // Edit and delete for the author, until the edit window ends.
    addOwnerActions(entry, mine, actions) {
      const t = this.t;
      const edit = el('button', { type: 'button', class: 'vokter-link-button' }, t.edit);
      const remove = el('button', { type: 'button', class: 'vokter-link-button' }, t.remove);
      edit.addEventListener('click', () => this.editComment(entry, mine));
      remove.addEventListener('click', () => this.confirmRemove(entry, mine, actions));
      actions.append(edit, remove);
      const left = Date.parse(mine.edit_until) - Date.now();
      setTimeout(() => {
        edit.remove();
        remove.remove();
      }, Math.min(left, 2 ** 31 - 1));
    }

    editComment(entry, mine) {
      const t = this.t;
      const id = `vokter-edit-${mine.id}`;
      const area = el('textarea', { id, rows: '5', class: 'vokter-input' });
      area.value = entry.comment.body;
      const error = el('p', { class: 'vokter-error', id: `${id}-error`, hidden: true });
      const save = el('button', { type: 'submit', class: 'vokter-button' }, t.save);
      const cancel = el('button', { type: 'button', class: 'vokter-link-button' }, t.cancel);
      const form = el(
        'form',
        { class: 'vokter-edit', novalidate: true },
        el('label', { for: id, class: 'vokter-label' }, t.body),
        area,
        error,
        el('div', { class: 'vokter-actions' }, save, cancel),
      );
      cancel.addEventListener('click', () => {
        this.fillArticle(entry, mine);
        entry.article.focus();
      });
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          const { status, data } = await api(`/api/comments/${mine.id}`, {
            method: 'PUT',
            headers: { 'X-Edit-Token': mine.edit_token },
            json: { body: area.value },
          });
          if (status === 200 && data) {
            Object.assign(entry.comment, { body: area.value, edited: true });
            entry.comment.pending = data.status !== 'approved';
            Object.assign(mine, { body: area.value, pending: entry.comment.pending });
            store.put(this.thread, mine);
            this.fillArticle(entry, mine);
            entry.article.focus();
            return;
          }
          showFieldError(area, error, problemText(this.t, data, status, t.body));
        } catch (e) {
          showFieldError(area, error, t.sendFailed);
        }
        save.disabled = false;
      });
      entry.article.replaceChildren(form);
      area.focus();
    }

    confirmRemove(entry, mine, actions) {
      const t = this.t;
      const question = el('span', { class: 'vokter-confirm', role: 'alert' }, t.confirmRemove, ' ');
      const yes = el('button', { type: 'button', class: 'vokter-link-button' }, t.yesRemove);
      const no = el('button', { type: 'button', class: 'vokter-link-button' }, t.cancel);
      question.append(yes, ' ', no);
      actions.append(question);
      no.addEventListener('click', () => {
        question.remove();
        entry.article.focus();
      });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          const { status } = await api(`/api/comments/${mine.id}`, {
            method: 'DELETE',
            headers: { 'X-Edit-Token': mine.edit_token },
          });
          if (status === 204 || status === 404) {
            store.drop(this.thread, mine.id);
            if (!entry.comment.pending) this.total = Math.max(0, this.total - 1);
            entry.article.replaceChildren(el('p', { class: 'vokter-removed' }, t.removed));
            entry.article.focus();
            this.updateHeading();
            return;
          }
        } catch (e) {
          /* fall through: keep the comment, let the author retry */
        }
        yes.disabled = false;
      });
      yes.focus();
    }

    // The author's held comments from earlier visits, each under its parent when it is shown.
    showOwnPending() {
      for (const mine of store.read(this.thread)) {
        if (this.shown.has(mine.id) || !mine.pending) continue;
        this.showOwn(mine);
      }
      this.updateHeading();
    }

    // Renders one of the author's comments that the public list does not hold (yet).
    showOwn(mine) {
      const parent = mine.parent && this.shown.get(mine.parent);
      const comment = {
        id: mine.id,
        parent: mine.parent,
        name: mine.name,
        website: mine.website,
        body: mine.body,
        created: mine.created,
        pending: mine.pending,
        replies: [],
      };
      const own = new Map([[mine.id, mine]]);
      return this.addComment(
        comment,
        parent ? parent.replies : this.list,
        parent ? parent.depth + 1 : 1,
        own,
      );
    }

    // Called by the form after a 201/202: the comment appears at once, pending or not.
    added(mine) {
      store.put(this.thread, mine);
      if (!mine.pending) this.total += 1;
      const entry = this.showOwn(mine);
      this.updateHeading();
      return entry;
    }

    // After a no-JS post's 303 (or a shared link) the page opens at #comment-ID.
    revealTarget() {
      const match = /^#comment-(\d+)$/.exec(location.hash);
      const entry = match && this.shown.get(Number(match[1]));
      if (!entry) return;
      entry.li.classList.add('vokter-target');
      entry.li.scrollIntoView({ block: 'center' });
    }
  }

  // --- Error texts --------------------------------------------------------------------------

  // A reader-facing message for a failed answer (problem+json or none).
  function problemText(t, data, status, label, retryAfter) {
    if (data && Array.isArray(data.errors) && data.errors.length && label) {
      return fieldMessage(t, label, data.errors[0].message);
    }
    if (status === 409) return t.duplicate;
    if (status === 429) return t.tooMany(retryAfter || 60);
    if (status === 403 && data && /closed/.test(data.detail || '')) return t.closed;
    if (status === 404) return t.noParent;
    return (data && data.detail) || t.sendFailed;
  }

  function fieldMessage(t, label, message) {
    for (const [pattern, make] of t.fieldMessages) {
      const m = pattern.exec(message || '');
      if (m) return make(label, m, message);
    }
    return `${label}: ${message}`;
  }

  // Shows `text` in `error` and ties it to `input` (aria-describedby, aria-invalid).
  function showFieldError(input, error, text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!ids.includes(error.id)) input.setAttribute('aria-describedby', [error.id, ...ids].join(' '));
  }

  function clearFieldError(input, error) {
    error.textContent = '';
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    const ids = (input.getAttribute('aria-describedby') || '').split(' ');
    input.setAttribute('aria-describedby', ids.filter((id) => id && id !== error.id).join(' '));
  }

  // --- The form -----------------------------------------------------------------------------

  class CommentForm {
    constructor(widget) {
      this.widget = widget;
      const t = widget.t;
      const remembered = store.author();
      this.parent = null;
      this.fields = {};
      this.headingText = el('span', {}, t.formHeading);
      this.parentInput = el('input', { type: 'hidden', name: 'parent', value: '' });
      this.status = el('p', { class: 'vokter-status', role: 'status', 'aria-live': 'polite' });
      this.submit = el('button', { type: 'submit', class: 'vokter-button' }, t.send);
      this.cancelReply = el(
        'button',
        { type: 'button', class: 'vokter-link-button', hidden: true, onclick: () => this.replyTo(null) },
        t.cancelReply,
      );
      this.node = el(
        'form',
        {
          class: 'vokter-form',
          method: 'post',
          action: `${BASE}/api/comments`,
          novalidate: true,
          'aria-labelledby': 'vokter-form-heading',
        },
        el('h3', { id: 'vokter-form-heading', class: 'vokter-form-heading' }, this.headingText),
        el('p', { class: 'vokter-note' }, t.requiredNote),
        el('input', { type: 'hidden', name: 'thread', value: widget.thread }),
        el('input', { type: 'hidden', name: 'title', value: widget.title }),
        this.parentInput,
        this.field('name', t.name, { type: 'text', autocomplete: 'name', maxlength: '200' }, remembered.name),
        this.field('email', t.email, { type: 'email', autocomplete: 'email' }, remembered.email, t.emailHint),
        this.field('website', t.website, { type: 'url', autocomplete: 'url', placeholder: 'https://' }, remembered.website),
        this.field('body', t.body, { required: true, rows: '6' }),
        this.honeypot(t),
        this.status,
        el('div', { class: 'vokter-actions' }, this.submit, this.cancelReply),
      );
      this.node.addEventListener('submit', (event) => {
        event.preventDefault();
        this.send();
      });
      this.updateCounter();
    }

    // One labelled field with its hint, counter (body) and error slot.
    field(name, label, attrs, value, hint) {
      const t = this.widget.t;
      const id = `vokter-${name}`;
      const required = Boolean(attrs.required);
      const describedBy = [];
      const labelNode = el(
        'label',
        { for: id, class: 'vokter-label' },
        label,
        required ? el('span', { class: 'vokter-required', 'aria-hidden': 'true' }, ' *') : null,
      );
      const hintNode = hint ? el('span', { id: `${id}-hint`, class: 'vokter-hint' }, `(${hint})`) : null;
      if (hintNode) describedBy.push(hintNode.id);
      const input = el(name === 'body' ? 'textarea' : 'input', {
        ...attrs,
        id,
        name,
        class: 'vokter-input',
        'aria-required': required ? 'true' : null,
      });
      if (value) input.value = value;
      const error = el('p', { id: `${id}-error`, class: 'vokter-error', hidden: true });
      const wrap = el('div', { class: `vokter-field vokter-field-${name}` }, labelNode, hintNode ? ' ' : null, hintNode, input);
      if (name === 'body') {
        this.counter = el('p', { id: `${id}-counter`, class: 'vokter-counter' });
        describedBy.push(this.counter.id);
        input.addEventListener('input', () => this.updateCounter());
        wrap.append(this.counter);
      }
      if (describedBy.length) input.setAttribute('aria-describedby', describedBy.join(' '));
      wrap.append(error);
      input.addEventListener('input', () => {
        if (input.getAttribute('aria-invalid') && name !== 'body') clearFieldError(input, error);
      });
      this.fields[name] = { input, error, label };
      return wrap;
    }

    // A field people never see or reach; bots that fill every input reveal themselves.
    honeypot(t) {
      return el(
        'div',
        { class: 'vokter-hp', 'aria-hidden': 'true' },
        el('label', { for: 'vokter-honeypot' }, t.honeypot),
        el('input', { id: 'vokter-honeypot', type: 'text', name: 'honeypot', tabindex: '-1', autocomplete: 'off' }),
      );
    }

    updateCounter() {
      const { input, error } = this.fields.body;
      const n = charCount(input.value);
      const max = this.widget.maxChars;
      this.counter.textContent = this.widget.t.counter(n, max);
      this.counter.classList.toggle('vokter-over', n > max);
      if (n > max) showFieldError(input, error, this.widget.t.tooLong(max));
      else if (input.getAttribute('aria-invalid')) clearFieldError(input, error);
    }

    // Moves the form under `entry` to reply to it, or back to the end for null.
    replyTo(entry) {
      const t = this.widget.t;
      this.parent = entry;
      this.parentInput.value = entry ? String(entry.comment.id) : '';
      this.headingText.textContent = entry
        ? t.replyHeading(entry.comment.name || t.anonymous)
        : t.formHeading;
      this.cancelReply.hidden = !entry;
      if (entry) entry.li.insertBefore(this.node, entry.replies);
      else this.widget.root.append(this.node);
      this.fields.body.input.focus();
    }

    values() {
      const out = {};
      for (const name of FIELD_NAMES) out[name] = this.fields[name].input.value.trim();
      out.body = this.fields.body.input.value; // kept exactly as written
      return out;
    }

    clearErrors() {
      for (const { input, error } of Object.values(this.fields)) clearFieldError(input, error);
      this.status.textContent = '';
      this.status.classList.remove('vokter-status-error');
    }

    showStatus(text, isError) {
      this.status.textContent = text;
      this.status.classList.toggle('vokter-status-error', Boolean(isError));
    }

    async send() {
      const widget = this.widget;
      const t = widget.t;
      this.clearErrors();
      const values = this.values();
      if (charCount(values.body) > widget.maxChars) {
        this.updateCounter();
        this.fields.body.input.focus();
        return;
      }
      const doc = { thread: widget.thread, title: widget.title, body: values.body };
      for (const name of ['name', 'email', 'website']) if (values[name]) doc[name] = values[name];
      if (this.parent) doc.parent = this.parent.comment.id;
      const trap = this.node.querySelector('[name="honeypot"]').value;
      if (trap) doc.honeypot = trap;
      if (widget.formToken) doc.form_token = widget.formToken;

      this.submit.disabled = true;
      this.submit.textContent = t.sending;
      try {
        const { status, data, retryAfter } = await api('/api/comments', { method: 'POST', json: doc });
        if ((status === 201 || status === 202) && data) this.accepted(values, data);
        else this.refused(status, data, retryAfter);
      } catch (e) {
        this.showStatus(t.sendFailed, true);
      }
      this.submit.disabled = false;
      this.submit.textContent = t.send;
    }

    accepted(values, data) {
      const t = this.widget.t;
      store.rememberAuthor(values);
      const pending = data.status !== 'approved';
      const entry = this.widget.added({
        id: data.id,
        parent: data.parent,
        name: values.name,
        website: values.website,
        body: values.body,
        created: new Date().toISOString(),
        pending,
        edit_token: data.edit_token,
        edit_until: data.edit_until,
      });
      this.fields.body.input.value = '';
      this.updateCounter();
      if (this.parent) this.replyTo(null);
      this.showStatus(pending ? t.pendingThanks : t.approvedThanks, false);
      if (entry) entry.li.scrollIntoView({ block: 'nearest' });
    }

    refused(status, data, retryAfter) {
      const t = this.widget.t;
      const errors = (data && Array.isArray(data.errors) && data.errors) || [];
      let first = null;
      const unplaced = [];
      for (const { field, message } of errors) {
        const target = this.fields[field];
        if (!target) {
          unplaced.push(message ? `${field}: ${message}` : field);
          continue;
        }
        showFieldError(target.input, target.error, fieldMessage(t, target.label, message));
        first = first || target.input;
      }
      if (first) {
        this.showStatus(unplaced.length ? `${t.fixFields} ${unplaced.join('; ')}` : t.fixFields, true);
        first.focus();
      } else {
        this.showStatus(problemText(t, data, status, null, retryAfter), true);
      }
    }
  }

  // --- Start --------------------------------------------------------------------------------

  function addStyleSheet() {
    if (script && script.getAttribute('data-vokter-css') === 'off') return;
    if (document.querySelector('link[data-vokter-css]')) return;
    document.head.append(
      el('link', { rel: 'stylesheet', href: `${BASE}/widget.css`, 'data-vokter-css': true }),
    );
  }

  function start() {
    const root = document.getElementById('vokter-comments');
    const counts = [...document.querySelectorAll('[data-vokter-count]')];
    if (root || counts.length) addStyleSheet();
    if (counts.length) {
      const lang = (script && script.getAttribute('data-vokter-lang')) || (root && root.getAttribute('data-vokter-lang')) || 'nb';
      showCounts(counts, TEXTS[lang] || TEXTS.nb);
    }
    if (root) {
      const widget = new Widget(root);
      root.vokter = widget;
      widget.start();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
