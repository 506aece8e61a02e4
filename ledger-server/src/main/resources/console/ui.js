// Small DOM helpers. Text from the server is only ever set as text (textContent), never parsed as HTML.

/** h('td', {class: 'money'}, '1.00') — an element with attributes, event handlers (onclick) and children. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'style' || name === 'srcdoc' || (name.startsWith('on') && typeof value !== 'function')) {
      throw new Error(`h(): '${name}' is not allowed (the content security policy forbids inline style and script)`);
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces the children of `container` (arrays flattened; null, undefined and false left out). */
export function fill(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

let fieldCounter = 0;

/** A labelled form field; `control` is an input or select made with h(). */
export function field(label, control) {
  const id = control.id || `field-${++fieldCounter}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([optionValue, text]) =>
    h('option', { value: optionValue, selected: optionValue === value }, text)));
}

/**
 * A table: `columns` are {label, value(row) → text or Node, money: bool}; `rows` the data. An empty table
 * says so in one row rather than showing nothing.
 */
export function table(caption, columns, rows, { rowClass } = {}) {
  const body = rows.length === 0
    ? [h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'Nothing to show.'))]
    : rows.map((row) => h('tr', { class: rowClass ? rowClass(row) : undefined },
      columns.map((column) => h('td', { class: column.money ? 'money' : undefined }, column.value(row)))));
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.money ? 'money' : undefined }, column.label)))),
    h('tbody', {}, body));
}

/**
 * Server-side paging with the API's cursors: the pager keeps the cursors of the pages before this one so
 * that "Previous" goes back exactly. `load(cursor)` answers {rows, next}.
 */
export function pager(load, renderRows, label) {
  const container = h('div', {});
  const cursors = [null];
  let position = 0;
  async function show(moved) {
    container.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    try {
      const page = await load(cursors[position]);
      cursors.length = position + 1;
      if (page.next) {
        cursors.push(page.next);
      }
      const previous = h('button', { type: 'button', disabled: position === 0, onclick: () => { position--; show(true); } }, 'Previous page');
      const next = h('button', { type: 'button', disabled: !page.next, onclick: () => { position++; show(true); } }, 'Next page');
      const rows = renderRows(page.rows);
      container.replaceChildren(rows,
        h('nav', { class: 'pager', 'aria-label': `${label} pages` }, previous, h('span', { class: 'muted' }, `Page ${position + 1}`), next));
      if (moved) {
        // The buttons that had the focus are gone: give it to the new rows, so that the keyboard stays here.
        rows.tabIndex = -1;
        rows.focus();
      }
    } catch (error) {
      container.replaceChildren(problemBox(error));
    }
  }
  show(false);
  container.reload = (focus) => show(Boolean(focus));
  return container;
}

export function problemBox(error) {
  const problem = error && error.problem;
  return h('p', { class: 'error', role: 'alert' },
    problem ? `${problem.title || 'Error'} (${error.status}${problem.type ? `, ${problem.type.split('/').pop()}` : ''}): ${problem.detail || ''}` : String(error && error.message || error));
}

/**
 * A message in the polite live region, gone after a few seconds; a failure (`kind` 'bad') is an alert that
 * stays until dismissed, so that nobody misses it.
 */
export function toast(message, kind) {
  const region = document.getElementById('status');
  if (kind === 'bad') {
    const item = h('div', { class: 'toast bad', role: 'alert' }, message, ' ',
      h('button', { type: 'button', class: 'link', onclick: () => item.remove() }, 'Dismiss'));
    region.append(item);
    return;
  }
  const item = h('div', { class: 'toast' }, message);
  region.append(item);
  setTimeout(() => item.remove(), 6000);
}

/**
 * Asks before an action. Resolves with {note} when confirmed, or null. With `noteRequired`, an empty note
 * is refused in the dialog (a hold needs its reason).
 */
export function confirmAction({ title, message, confirmLabel, noteLabel, noteRequired, maxLength }) {
  const dialog = document.getElementById('confirm');
  const note = document.getElementById('confirm-note');
  const error = document.getElementById('confirm-error');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-message').textContent = message;
  document.getElementById('confirm-note-label').textContent = noteLabel || 'Note for the audit log (optional)';
  note.value = '';
  note.maxLength = maxLength || 500;
  note.required = Boolean(noteRequired);
  note.removeAttribute('aria-invalid');
  error.textContent = '';
  ok.textContent = confirmLabel || 'Confirm';
  const opener = document.activeElement;
  return new Promise((resolve) => {
    function finish(result) {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      if (opener && opener.focus) {
        opener.focus();
      }
      resolve(result);
    }
    function onOk(event) {
      event.preventDefault();
      if (noteRequired && !note.value.trim()) {
        error.textContent = 'Please give a reason.';
        note.setAttribute('aria-invalid', 'true');
        note.focus();
        return;
      }
      finish({ note: note.value.trim() });
    }
    function onCancel(event) {
      event.preventDefault();
      finish(null);
    }
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    note.focus();
  });
}

/** Runs an action the person confirmed; says what happened; answers whether it worked. */
export async function act(options, run) {
  const opener = document.activeElement instanceof HTMLButtonElement ? document.activeElement : null;
  const confirmed = await confirmAction(options);
  if (!confirmed) {
    return false;
  }
  // One click, one request: the button waits for the answer.
  if (opener) {
    opener.disabled = true;
    opener.setAttribute('aria-busy', 'true');
  }
  try {
    await run(confirmed.note);
    toast(options.done || 'Done.');
    return true;
  } catch (error) {
    toast(error.message, 'bad');
    return false;
  } finally {
    if (opener) {
      opener.disabled = false;
      opener.removeAttribute('aria-busy');
    }
  }
}

/** Runs `work` (a download, say) and says so if it fails, rather than failing silently. */
export function attempt(work) {
  return () => work().catch((error) => toast(error.message, 'bad'));
}

/** Whether `text` is a UUID: ids taken from the address are checked before they go into a request. */
export function isUuid(text) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text || '');
}

/** An ISO time or ledger nanoseconds as "2026-12-05 14:03:12 UTC". */
export function time(value) {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const text = String(value);
  const instant = /^\d+$/.test(text) ? new Date(Number(BigInt(text) / 1000000n)) : new Date(text);
  if (Number.isNaN(instant.getTime())) {
    return text;
  }
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || ''}` }, text);
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

/** The date `days` before today (UTC), as YYYY-MM-DD. */
export function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The API's periods end before `to`; people mean "through" a day: the day after it, as YYYY-MM-DD. */
export function dayAfter(date) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Changes the page's parameters in the address (so that Back works and a view can be shared). */
export function navigate(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') {
      query.set(name, value);
    }
  }
  const text = query.toString();
  const target = `#/${path}${text ? `?${text}` : ''}`;
  if (window.location.hash === target) {
    // The same address again ("Show" with unchanged filters): no hashchange comes, so ask for a refresh.
    window.dispatchEvent(new CustomEvent('fanz:refresh'));
  } else {
    window.location.hash = target;
  }
}
