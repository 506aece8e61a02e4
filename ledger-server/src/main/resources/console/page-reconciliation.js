// Reconciliation exceptions: what a statement and the ledger disagree on, and the adjusting entries the
// server proposes, to approve (posted to the ledger) or reject.

import * as api from './api.js';
import { minor } from './money.js';
import { h, act, badge, fill, isUuid, pager, table, time, toast } from './ui.js';

const EXCEPTIONS = [
  ['differing', 'Differing'],
  ['unmatched_statement', 'On the statement only'],
  ['unmatched_ledger', 'In the ledger only'],
];

function short(id) {
  return id.slice(0, 8);
}

function list(session) {
  const view = pager(async (cursor) => {
    const page = await api.get('/v1/reconciliations', { ...session.tenantQuery(), limit: 20, reversed: 'true', cursor });
    return { rows: page.reconciliations, next: page.next };
  }, (rows) => table('Reconciliations, newest first', [
    { label: 'Run', value: (row) => h('a', { href: `#/reconciliation?id=${row.id}` }, short(row.id)) },
    { label: 'Brand', value: (row) => row.tenant },
    { label: 'Format', value: (row) => row.format },
    { label: 'Lines', value: (row) => String(row.summary.statement_lines ?? '—') },
    { label: 'Differing', value: (row) => String(row.summary.differing ?? 0) },
    { label: 'Unmatched', value: (row) => `${row.summary.unmatched_statement ?? 0} / ${row.summary.unmatched_ledger ?? 0}` },
    { label: 'Adjustments', value: (row) => String(row.summary.adjustments ?? 0) },
    { label: 'Run at', value: (row) => time(row.created) },
  ], rows), 'Reconciliations');
  return view;
}

function exceptionRows(section, rows) {
  if (section === 'unmatched_statement') {
    return table('Statement lines nothing in the ledger matches', [
      { label: 'Line', value: (row) => String(row.line) },
      { label: 'Date', value: (row) => row.date },
      { label: 'Type', value: (row) => row.type },
      { label: 'Reference', value: (row) => row.reference || '—' },
      { label: 'Amount', money: true, value: (row) => minor(row.amount, row.currency) },
      { label: 'Reason', value: (row) => badge(row.reason, 'warn') },
    ], rows);
  }
  if (section === 'unmatched_ledger') {
    return table('Ledger items the statement lacks', [
      { label: 'Date', value: (row) => row.date },
      { label: 'Item', value: (row) => row.event_id || row.payout_id || row.settlement_id || '—' },
      { label: 'Reference', value: (row) => row.reference || '—' },
      { label: 'Amount', money: true, value: (row) => minor(row.amount, row.currency) },
    ], rows);
  }
  const currency = (row) => (row.items[0] ? row.items[0].currency : '');
  return table('Groups that matched but differ', [
    { label: 'Lines', value: (row) => row.lines.join(', ') },
    { label: 'Differs in', value: (row) => (row.fields || []).join(', ') },
    { label: 'Statement amount', money: true, value: (row) => minor(row.statement.amount, currency(row)) },
    { label: 'Statement fee', money: true, value: (row) => minor(row.statement.fee, currency(row)) },
    { label: 'Ledger amount', money: true, value: (row) => minor(row.ledger.amount, currency(row)) },
    { label: 'Ledger fee', money: true, value: (row) => minor(row.ledger.fee, currency(row)) },
    { label: 'Difference (amount, fee)', money: true, value: (row) => `${minor(row.difference.amount, currency(row))}, ${minor(row.difference.fee, currency(row))}` },
  ], rows);
}

function postingsText(row) {
  return row.postings.map((posting) => `${posting.debit ? 'Dr' : 'Cr'} ${posting.role} ${minor(posting.debit || posting.credit, row.currency)}`).join(', ');
}

function adjustments(document, session, reload) {
  const proposed = document.proposed_adjustments.filter((row) => row.status === 'proposed');
  const decide = (verb, chosen, what) => act({
    title: `${verb === 'approve' ? 'Approve' : 'Reject'} ${what}?`,
    message: verb === 'approve'
      ? `Post to the ledger now: ${chosen.map((row) => `${row.reason} ${minor(row.amount, row.currency)} (${postingsText(row)})`).join('; ')}. A posted entry is undone only by a new one.`
      : `Never post: ${chosen.map((row) => `${row.reason} ${minor(row.amount, row.currency)}`).join('; ')}. What they would have settled is released for a later reconciliation.`,
    confirmLabel: verb === 'approve' ? 'Approve and post' : 'Reject',
    done: verb === 'approve' ? 'Posted to the ledger.' : 'Rejected.',
  }, (note) => api.post(api.path('/v1/reconciliations', document.id, verb), { adjustments: chosen.map((row) => row.id) }, note))
    .then((done) => done && reload())
    .catch((error) => toast(error.message, 'bad'));
  const canDecide = session.can('finance:write');
  const rows = table('Proposed adjusting entries', [
    { label: 'Entry', value: (row) => h('code', { title: row.id }, short(row.id)) },
    { label: 'Reason', value: (row) => row.reason },
    { label: 'Amount', money: true, value: (row) => minor(row.amount, row.currency) },
    { label: 'Postings', value: (row) => h('ul', {}, row.postings.map((posting) => h('li', {}, `${posting.debit ? 'Dr' : 'Cr'} ${posting.role}${posting.party ? ` (${posting.party})` : ''} ${minor(posting.debit || posting.credit, row.currency)}`))) },
    { label: 'Status', value: (row) => [badge(row.status, row.status === 'posted' ? 'good' : row.status === 'rejected' ? 'bad' : 'warn'), row.decided_by ? h('div', { class: 'muted' }, `by ${row.decided_by}`) : null] },
    { label: 'Decide', value: (row) => row.status === 'proposed' && canDecide ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-action': 'approve-adjustment', onclick: () => decide('approve', [row], `entry ${short(row.id)}`) }, 'Approve'),
      h('button', { type: 'button', class: 'danger', 'data-action': 'reject-adjustment', onclick: () => decide('reject', [row], `entry ${short(row.id)}`) }, 'Reject')) : '' },
  ], document.proposed_adjustments, { rowClass: () => 'adjustment-row' });
  // "All" is the entries shown here, by id: never whatever else was proposed since the page was drawn.
  const all = proposed.length > 1 && canDecide ? h('p', { class: 'actions' },
    h('button', { type: 'button', onclick: () => decide('approve', proposed, `these ${proposed.length} proposed entries`) }, 'Approve all proposed'),
    h('button', { type: 'button', class: 'danger', onclick: () => decide('reject', proposed, `these ${proposed.length} proposed entries`) }, 'Reject all proposed')) : null;
  return [rows, all];
}

async function one(main, id, params, session) {
  const document = await api.get(api.path('/v1/reconciliations', id));
  const section = EXCEPTIONS.some(([name]) => name === params.get('section')) ? params.get('section') : 'differing';
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Exceptions' }, EXCEPTIONS.map(([name, title]) =>
    h('a', { href: `#/reconciliation?id=${id}&section=${name}`, 'aria-current': name === section ? 'page' : undefined },
      `${title} (${document.summary[name] ?? 0})`)));
  const exceptions = pager(async (cursor) => {
    const page = await api.get(api.path('/v1/reconciliations', id, 'entries'), { section, limit: 25, cursor });
    return { rows: page.entries, next: page.next };
  }, (rows) => exceptionRows(section, rows), 'Exceptions');
  fill(main,
    h('h1', {}, `Reconciliation ${short(id)}`),
    h('p', {}, h('a', { href: '#/reconciliation' }, 'All reconciliations')),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Brand'), h('dd', {}, document.tenant),
      h('dt', {}, 'Format'), h('dd', {}, document.format),
      h('dt', {}, 'Statement'), h('dd', {}, `${document.statement.lines ?? '—'} lines, ${document.statement.first_date ?? ''} to ${document.statement.last_date ?? ''}`),
      h('dt', {}, 'Matched'), h('dd', {}, String(document.summary.matched ?? 0)),
      h('dt', {}, 'Run'), h('dd', {}, `${time(document.created)} by ${document.created_by}`)),
    (document.warnings || []).length ? h('ul', { class: 'alerts' }, document.warnings.map((warning) => h('li', {}, typeof warning === 'string' ? warning : JSON.stringify(warning)))) : null,
    h('h2', {}, 'Adjusting entries'),
    ...adjustments(document, session, () => one(main, id, params, session)),
    h('h2', {}, 'Exceptions'),
    tabs,
    exceptions);
}

export async function render(main, params, session) {
  const id = params.get('id');
  if (id && !isUuid(id)) {
    fill(main, h('h1', {}, 'Reconciliation'), h('p', { class: 'error' }, 'That is not a reconciliation id (a UUID).'));
    return;
  }
  if (id) {
    await one(main, id, params, session);
    return;
  }
  main.replaceChildren(h('h1', {}, 'Reconciliation'), list(session));
}
