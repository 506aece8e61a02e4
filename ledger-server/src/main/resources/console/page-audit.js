// The audit log: every action taken through the API (the console's included) with who, when, on what,
// how it ended and the note given when confirming.

import * as api from './api.js';
import { h, badge, field, navigate, pager, table, time } from './ui.js';

export async function render(main, params, session) {
  const actor = h('input', { type: 'text', name: 'actor', value: params.get('actor') || '', placeholder: 'key_… or sso:…' });
  const from = h('input', { type: 'date', name: 'from', value: params.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: params.get('to') || '' });
  const form = h('form', { class: 'filters', id: 'audit-filters' }, field('Actor', actor), field('From (UTC)', from), field('To (UTC)', to),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('audit', { actor: actor.value.trim(), from: from.value, to: to.value });
  });
  const query = { ...session.tenantQuery(), actor: params.get('actor'), from: params.get('from'), to: params.get('to'), limit: 50 };
  const view = pager(async (cursor) => {
    const page = await api.get('/v1/audit-log', { ...query, cursor });
    return { rows: page.entries, next: page.next };
  }, (rows) => table('Actions, newest first', [
    { label: 'When', value: (row) => time(row.at) },
    { label: 'Who', value: (row) => [row.actor_name || row.actor, h('div', { class: 'muted' }, `${row.actor} (${row.actor_kind})`)] },
    { label: 'Action', value: (row) => h('code', {}, `${row.method} ${row.path}`) },
    { label: 'Outcome', value: (row) => [badge(String(row.status), row.status < 400 ? 'good' : 'bad'), row.problem ? h('div', { class: 'muted' }, row.problem) : null] },
    { label: 'Note', value: (row) => row.note || '' },
  ], rows, { rowClass: () => 'audit-row' }), 'Audit log');
  main.replaceChildren(h('h1', {}, 'Audit log'), form, view);
}
