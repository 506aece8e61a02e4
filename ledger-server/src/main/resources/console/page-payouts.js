// The payouts queue: filter, approve, put on hold, release, cancel; and the batch files of the file rails.
// Every action asks first and sends the person's note to the audit log.

import * as api from './api.js';
import { minor } from './money.js';
import { h, act, attempt, badge, field, fill, navigate, pager, problemBox, select, table, time } from './ui.js';

const STATUSES = ['held', 'batched', 'submitted', 'settled', 'failed', 'cancelled', 'returned'];
const RAILS = ['ach', 'sepa', 'paxum', 'wise', 'usdc_evm', 'btc'];
const PAGE_SIZE = 25;

function short(id) {
  return id ? id.slice(0, 8) : '—';
}

function statusBadge(payout) {
  const kind = { settled: 'good', failed: 'bad', returned: 'bad', cancelled: 'bad', held: 'warn' }[payout.status];
  return badge(payout.status, kind);
}

function reviewText(payout) {
  const parts = [];
  if (payout.approval && payout.approval.status === 'pending') {
    parts.push(badge('awaiting approval', 'warn'));
  } else if (payout.approval && payout.approval.status === 'approved') {
    parts.push(badge(`approved by ${payout.approval.by}`, 'good'));
  }
  if (payout.operator_hold) {
    parts.push(' ', badge(`on hold: ${payout.operator_hold.reason}`, 'bad'));
  }
  return parts.length ? parts : '—';
}

function actions(payout, session, reload) {
  const buttons = [];
  const label = `payout ${short(payout.id)} of ${minor(payout.amount, payout.currency)} to ${payout.creator}`;
  const movable = payout.status === 'held' && !payout.pending_status;
  // The key that requested a payout may not approve it (four eyes): the button is not offered to it.
  if (movable && session.can('payouts:admin') && payout.approval && payout.approval.status === 'pending'
      && payout.requested_by !== session.whoami.id) {
    buttons.push(h('button', { type: 'button', class: 'primary', 'data-action': 'approve', 'aria-label': `Approve ${label}`,
      onclick: async () => {
        if (await act({ title: 'Approve this payout?', message: `Approve ${label}. It can then go into a batch or to its rail.`, confirmLabel: 'Approve', maxLength: 400, done: 'Payout approved.' },
          (note) => api.post(`/v1/payouts/${payout.id}/approve`, note ? { note } : {}, note))) {
          reload();
        }
      } }, 'Approve'));
  }
  if (movable && session.can('payouts:admin') && !payout.operator_hold) {
    buttons.push(h('button', { type: 'button', 'data-action': 'hold', 'aria-label': `Hold ${label}`,
      onclick: async () => {
        if (await act({ title: 'Put this payout on hold?', message: `Keep ${label} out of batches and away from its rail until released.`, confirmLabel: 'Put on hold', noteLabel: 'Reason (required)', noteRequired: true, maxLength: 400, done: 'Payout on hold.' },
          (note) => api.post(`/v1/payouts/${payout.id}/hold`, { reason: note }, note))) {
          reload();
        }
      } }, 'Hold'));
  }
  if (movable && session.can('payouts:admin') && payout.operator_hold) {
    buttons.push(h('button', { type: 'button', 'data-action': 'release', 'aria-label': `Release ${label}`,
      onclick: async () => {
        if (await act({ title: 'Release this payout?', message: `Let ${label} go on again.`, confirmLabel: 'Release', done: 'Payout released.' },
          (note) => api.post(`/v1/payouts/${payout.id}/release`, undefined, note))) {
          reload();
        }
      } }, 'Release'));
  }
  if (movable && session.can('payouts:write')) {
    buttons.push(h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'aria-label': `Cancel ${label}`,
      onclick: async () => {
        if (await act({ title: 'Cancel this payout?', message: `Cancel ${label}. The held money becomes available to the creator again. This cannot be undone.`, confirmLabel: 'Cancel the payout', done: 'Payout cancelled.' },
          (note) => api.post(`/v1/payouts/${payout.id}/cancel`, undefined, note))) {
          reload();
        }
      } }, 'Cancel'));
  }
  return buttons.length ? h('div', { class: 'actions' }, buttons) : '';
}

function filterForm(params) {
  const status = select('status', [['', 'Any status'], ...STATUSES.map((name) => [name, name])], params.get('status') || '');
  const rail = select('rail', [['', 'Any rail'], ...RAILS.map((name) => [name, name])], params.get('rail') || '');
  const creator = h('input', { type: 'text', name: 'creator', value: params.get('creator') || '' });
  const form = h('form', { class: 'filters', id: 'payout-filters' }, field('Status', status), field('Rail', rail), field('Creator', creator),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('payouts', { status: status.value, rail: rail.value, creator: creator.value.trim() });
  });
  return form;
}

function payoutTable(session, params) {
  const query = { ...session.tenantQuery(), status: params.get('status'), rail: params.get('rail'), creator: params.get('creator'), limit: PAGE_SIZE, reversed: 'true' };
  const view = pager(async (cursor) => {
    const page = await api.get('/v1/payouts', { ...query, cursor });
    return { rows: page.payouts, next: page.next };
  }, (rows) => table('Payouts, newest first', [
    { label: 'Payout', value: (row) => h('code', { title: row.id }, short(row.id)) },
    { label: 'Brand', value: (row) => row.tenant },
    { label: 'Creator', value: (row) => row.creator },
    { label: 'Rail', value: (row) => row.rail },
    { label: 'Amount', money: true, value: (row) => minor(row.amount, row.currency) },
    { label: 'Fee', money: true, value: (row) => minor(row.fee, row.currency) },
    { label: 'Status', value: (row) => [statusBadge(row), row.status_reason ? h('div', { class: 'muted' }, row.status_reason) : null] },
    { label: 'Review', value: reviewText },
    { label: 'Requested', value: (row) => time(row.created) },
    { label: 'Actions', value: (row) => actions(row, session, () => view.reload(true)) },
  ], rows, { rowClass: () => 'payout-row' }), 'Payouts');
  view.id = 'payouts';
  return view;
}

function batchTable(session) {
  const view = pager(async (cursor) => {
    const page = await api.get('/v1/payout-batches', { ...session.tenantQuery(), limit: 10, reversed: 'true', cursor });
    return { rows: page.payout_batches, next: page.next };
  }, (rows) => table('Batches of the file rails, newest first', [
    { label: 'Batch', value: (row) => h('code', { title: row.id }, short(row.id)) },
    { label: 'Rail', value: (row) => row.rail },
    { label: 'Status', value: (row) => badge(row.status) },
    { label: 'Payouts', value: (row) => String(row.count) },
    { label: 'Total', money: true, value: (row) => minor(row.total, row.currency) },
    { label: 'Effective', value: (row) => row.effective_date },
    { label: 'File', value: (row) => session.can('payouts:admin') ? h('button', { type: 'button', 'data-action': 'download-batch',
      onclick: attempt(() => api.download(`/v1/payout-batches/${row.id}/file`, {}, `batch-${row.id}${row.rail === 'ach' ? '.ach' : '.xml'}`)) }, 'Download') : '—' },
    { label: 'Actions', value: (row) => row.status === 'generated' && session.can('payouts:admin') ? h('button', { type: 'button', 'data-action': 'submit-batch',
      onclick: async () => {
        if (await act({ title: 'Mark this batch as sent to the bank?', message: `Batch ${short(row.id)}: ${row.count} payouts, ${minor(row.total, row.currency)}. Its payouts become submitted.`, confirmLabel: 'Mark as sent', done: 'Batch marked as sent.' },
          (note) => api.post(`/v1/payout-batches/${row.id}/submit`, undefined, note))) {
          view.reload(true);
        }
      } }, 'Mark as sent') : '' },
  ], rows), 'Batches');
  return view;
}

/** The file rails' accounts (ACH and SEPA) of the chosen brands, asked of the server by processor. */
async function fileRailAccounts(session) {
  const accounts = [];
  for (const processor of ['ach', 'sepa']) {
    const page = await api.get('/v1/merchant-accounts', { ...session.tenantQuery(), processor, limit: 100 });
    accounts.push(...page.merchant_accounts.filter((account) => account.status === 'active'));
  }
  return accounts;
}

async function newBatchForm(session, batches) {
  const accounts = await fileRailAccounts(session);
  if (accounts.length === 0) {
    return h('p', { class: 'muted' }, 'No active ACH or SEPA rail account.');
  }
  const account = select('merchant_account_id', accounts.map((row) => [row.id, `${row.name} (${row.processor}, ${row.tenant})`]), accounts[0].id);
  const form = h('form', { class: 'filters', id: 'batch-form' }, field('Rail account', account), h('button', { type: 'submit' }, 'Make a batch of its payouts'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = accounts.find((row) => row.id === account.value);
    if (await act({ title: 'Make a batch?', message: `Take every held payout of ${chosen.name} that may go (approved, not on hold, payee verified) into one ${chosen.processor.toUpperCase()} file.`, confirmLabel: 'Make the batch', done: 'Batch made.' },
      (note) => api.post('/v1/payout-batches', { rail: chosen.processor, merchant_account_id: chosen.id }, note))) {
      batches.reload(true);
    }
  });
  return form;
}

export async function render(main, params, session) {
  const parts = [h('h1', {}, 'Payouts'), filterForm(params), payoutTable(session, params)];
  const batches = batchTable(session);
  parts.push(h('h2', {}, 'Batch files'));
  if (session.can('payouts:admin') && session.can('payments:read')) {
    // The queue does not wait for the batch form: it fills its place when the accounts arrive.
    const place = h('div', { id: 'batch-form-place' });
    newBatchForm(session, batches).then((form) => place.replaceChildren(form), (error) => place.replaceChildren(problemBox(error)));
    parts.push(place);
  }
  parts.push(batches);
  fill(main, ...parts);
}
