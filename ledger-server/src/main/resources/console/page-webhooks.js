// The webhook inbox: processor notifications the server refused, parked or could not post, each with the
// notification exactly as it arrived, and a replay button that decides it again with today's settings.

import * as api from './api.js';
import { minor } from './money.js';
import { h, act, badge, field, fill, navigate, pager, problemBox, select, table, time, toast } from './ui.js';

const STATUSES = [['parked', 'Parked'], ['failed', 'Failed'], ['rejected', 'Rejected'], ['ignored', 'Ignored'], ['posted', 'Posted'], ['any', 'Any status']];
const REPLAYABLE = new Set(['rejected', 'failed', 'parked', 'ignored']);

function rawText(raw) {
  const lines = [`${raw.method} ${raw.path}${raw.query ? `?${raw.query}` : ''}`];
  for (const [name, value] of raw.headers || []) {
    lines.push(`${name}: ${value}`);
  }
  lines.push('', raw.body !== null && raw.body !== undefined ? raw.body : `(binary, base64) ${raw.body_base64}`);
  return lines.join('\n');
}

async function details(id, session, panel, reload) {
  panel.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const event = await api.get(api.path('/v1/payment-events', id));
    const replay = REPLAYABLE.has(event.status) && session.can('payments:admin')
      ? h('button', { type: 'button', class: 'primary', id: 'replay', onclick: async () => {
        let answer = null;
        if (await act({ title: 'Replay this notification?', message: `Decide the ${event.processor} ${event.kind} notification ${event.id.slice(0, 8)} again from what was stored, with today's secrets, settings and checkouts. Nothing is posted twice.`, confirmLabel: 'Replay', done: 'Replayed.' },
          async (note) => { answer = await api.call('POST', api.path('/v1/admin/payment-events', event.id, 'replay'), { note }); })) {
          await details(id, session, panel, reload);
          const result = `Decided again: ${answer.status}${answer.status_reason ? ` (${answer.status_reason})` : ''}.`;
          panel.prepend(h('p', { id: 'replay-result' }, result));
          toast(result);
          reload();
        }
      } }, 'Replay')
      : null;
    const heading = h('h2', { tabindex: '-1' }, `Notification ${event.id}`);
    fill(panel,
      heading,
      h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { id: 'event-status' }, event.status, event.status_reason ? ` (${event.status_reason})` : ''),
        h('dt', {}, 'Processor'), h('dd', {}, `${event.processor}, event type ${event.processor_event_type || '—'}`),
        h('dt', {}, 'Kind'), h('dd', {}, event.kind || '—'),
        h('dt', {}, 'Brand, creator'), h('dd', {}, `${event.tenant || '—'}, ${event.creator || '—'}`),
        h('dt', {}, 'Amount'), h('dd', {}, event.gross ? minor(event.gross, event.currency) : '—'),
        h('dt', {}, 'Transaction'), h('dd', {}, event.processor_transaction_id || '—'),
        h('dt', {}, 'Received'), h('dd', {}, time(event.received_at))),
      replay ? h('p', {}, replay) : null,
      h('h3', {}, 'History'),
      h('ol', {}, (event.history || []).map((entry) => h('li', {}, `${time(entry.at)}: ${entry.status}${entry.reason ? ` (${entry.reason})` : ''}`))),
      h('h3', {}, 'The notification as it arrived'),
      h('pre', { class: 'raw', id: 'raw', tabindex: '0', 'aria-label': 'The notification as it arrived' }, rawText(event.raw)));
    heading.focus();
  } catch (error) {
    panel.replaceChildren(problemBox(error));
  }
}

export async function render(main, params, session) {
  const status = params.has('status') ? params.get('status') : 'parked';
  const statusSelect = select('status', STATUSES, status);
  const processor = h('input', { type: 'text', name: 'processor', value: params.get('processor') || '', placeholder: 'verotel' });
  const form = h('form', { class: 'filters', id: 'webhook-filters' }, field('Status', statusSelect), field('Processor', processor),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('webhooks', { status: statusSelect.value, processor: processor.value.trim() });
  });
  const panel = h('section', { class: 'panel', id: 'event-details', 'aria-label': 'The chosen notification' }, h('p', { class: 'muted' }, 'Choose a notification to see it.'));
  const query = { ...session.tenantQuery(), status: status === 'any' ? '' : status, processor: params.get('processor'), limit: 25, reversed: 'true' };
  const list = pager(async (cursor) => {
    const page = await api.get('/v1/payment-events', { ...query, cursor });
    return { rows: page.payment_events, next: page.next };
  }, (rows) => table('Notifications, newest first', [
    { label: 'Received', value: (row) => time(row.received_at) },
    { label: 'Processor', value: (row) => row.processor },
    { label: 'Kind', value: (row) => row.kind || '—' },
    { label: 'Status', value: (row) => [badge(row.status, row.status === 'posted' ? 'good' : 'warn'), row.status_reason ? h('div', { class: 'muted' }, row.status_reason) : null] },
    { label: 'Brand', value: (row) => row.tenant || '—' },
    { label: 'Amount', money: true, value: (row) => row.gross ? minor(row.gross, row.currency) : '—' },
    { label: 'Notification', value: (row) => h('button', { type: 'button', class: 'link', 'data-event': row.id, onclick: () => details(row.id, session, panel, () => list.reload()) }, `Open ${row.id.slice(0, 8)}`) },
  ], rows, { rowClass: () => 'event-row' }), 'Notifications');
  main.replaceChildren(h('h1', {}, 'Webhook inbox'), form, list, panel);
}
