// Overview: the day's volume and fees per currency, payouts waiting to go, how far the read model is
// behind the ledger, and what needs someone's attention.

import * as api from './api.js';
import { minor } from './money.js';
import { h, fill, field, navigate, problemBox, today } from './ui.js';

const ALERT_PAGES = {
  chargeback_ratio: 'merchants',
  webhooks_need_attention: 'webhooks',
  reconciliation_pending: 'reconciliation',
  balance_check_discrepancy: 'reconciliation',
  payout_rail_unknown: 'payouts',
  payouts_awaiting_approval: 'payouts',
  read_model_lagging: 'overview',
};

function card(title, ...content) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...content);
}

function volumeCards(volume) {
  if (volume.length === 0) {
    return [card('Sales', h('p', { class: 'figure' }, 'None'))];
  }
  return volume.map((row) => card(`Sales, ${row.currency}`,
    h('p', { class: 'figure', 'data-figure': `sales-${row.currency}` }, minor(row.sales, row.currency)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Payments'), h('dd', {}, String(row.sales_count)),
      h('dt', {}, 'Refunds'), h('dd', {}, minor(row.refunds, row.currency)),
      h('dt', {}, 'Chargebacks'), h('dd', {}, minor(row.chargebacks, row.currency)),
      h('dt', {}, 'Chargeback reversals'), h('dd', {}, minor(row.chargeback_reversals, row.currency)),
      h('dt', {}, 'Processor fees'), h('dd', {}, minor(row.processor_fees, row.currency)),
      h('dt', {}, 'Platform fees'), h('dd', {}, minor(row.platform_fees, row.currency)))));
}

function payoutCards(due) {
  if (due.length === 0) {
    return [card('Payouts due', h('p', { class: 'figure' }, 'None'))];
  }
  return due.map((row) => card(`Payouts due, ${row.currency}`,
    h('p', { class: 'figure', 'data-figure': `payouts-${row.currency}` }, minor(row.amount, row.currency)),
    h('p', { class: 'muted' }, `${row.count} payout${row.count === 1 ? '' : 's'} held`
      + (row.awaiting_approval ? `, ${row.awaiting_approval} awaiting approval` : '')
      + (row.on_hold ? `, ${row.on_hold} on hold` : ''))));
}

function alertList(alerts) {
  if (alerts.length === 0) {
    return h('p', { id: 'alerts-none' }, 'Nothing needs attention.');
  }
  return h('ul', { class: 'alerts', id: 'alerts' }, alerts.map((alert) => {
    const page = ALERT_PAGES[alert.kind];
    return h('li', { class: alert.severity, 'data-kind': alert.kind },
      h('strong', {}, alert.severity === 'critical' ? 'Critical: ' : 'Warning: '), alert.message,
      page && page !== 'overview' ? [' ', h('a', { href: `#/${page}` }, 'Look')] : null);
  }));
}

export async function render(main, params, session) {
  const date = params.get('date') || today();
  const tenant = session.tenant;
  const dateInput = h('input', { type: 'date', name: 'date', value: date, max: today() });
  const form = h('form', { class: 'filters' }, field('Day (UTC)', dateInput), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('overview', { date: dateInput.value });
  });
  const body = h('div', { id: 'overview' });
  fill(main, h('h1', {}, 'Overview'), form, body);
  let overview;
  try {
    overview = await api.get('/v1/overview', { ...session.tenantQuery(), date });
  } catch (error) {
    body.replaceChildren(problemBox(error));
    return;
  }
  const lag = overview.read_model;
  const projected = lag && lag.position !== '-1';
  fill(body,
    h('h2', {}, `${overview.date}${tenant ? `, ${tenant}` : ''}`),
    h('div', { class: 'card-grid', id: 'figures' },
      h('div', { id: 'volume', class: 'contents' }, volumeCards(overview.volume)),
      h('div', { id: 'payouts-due', class: 'contents' }, payoutCards(overview.payouts_due)),
      card('Reports behind the ledger',
        h('p', { class: 'figure', id: 'read-model-lag' }, lag ? `${lag.lag} command${lag.lag === 1 ? '' : 's'}` : 'off'),
        lag ? h('p', { class: 'muted' }, projected ? `read model at ledger command ${lag.position}` : 'nothing projected yet') : null)),
    h('h2', {}, 'Alerts'),
    alertList(overview.alerts));
}
