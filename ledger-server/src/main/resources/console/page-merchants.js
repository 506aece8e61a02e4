// Merchant accounts' health: approval rate over the routing window and chargeback ratios per card
// network against each threshold, for every processor account of the brand.

import * as api from './api.js';
import { h, badge, pager, table } from './ui.js';

function percent(bp) {
  if (bp === null || bp === undefined) {
    return 'not enough data';
  }
  const whole = Math.trunc(bp / 100);
  const fraction = String(Math.abs(bp % 100)).padStart(2, '0');
  return `${whole}.${fraction}%`;
}

function networks(health) {
  const list = health.chargebacks.networks;
  if (list.length === 0) {
    return h('span', { class: 'muted' }, 'no card sales');
  }
  return h('ul', {}, list.map((network) => {
    // Some networks (Mastercard) count chargebacks against the sales of the window before.
    const previous = network.threshold.denominator === 'previous_window';
    const sales = previous ? `${network.previous_sales} sales of the window before` : `${network.sales} sales`;
    return h('li', { 'data-network': network.network },
      `${network.network}: ${network.chargebacks} chargebacks / ${sales} = ${percent(network.ratio_bp)} (limit ${percent(network.threshold.ratio_bp)}`
        + ` and at least ${network.threshold.min_count} chargebacks) `,
      network.exceeded ? badge('over the limit', 'bad') : badge('ok', 'good'));
  }));
}

async function healthRow(account) {
  try {
    const health = await api.get(api.path('/v1/merchant-accounts', account.id, 'health'));
    return { account, health };
  } catch (error) {
    return { account, error };
  }
}

export async function render(main, params, session) {
  const view = pager(async (cursor) => {
    const page = await api.get('/v1/merchant-accounts', { ...session.tenantQuery(), limit: 10, cursor });
    const processors = page.merchant_accounts;
    return { rows: await Promise.all(processors.map(healthRow)), next: page.next };
  }, (rows) => table('Merchant and rail accounts', [
    { label: 'Account', value: (row) => [row.account.name, h('div', { class: 'muted' }, row.account.id)] },
    { label: 'Brand', value: (row) => row.account.tenant },
    { label: 'Processor', value: (row) => row.account.processor },
    { label: 'Status', value: (row) => [badge(row.account.status, row.account.status === 'active' ? 'good' : 'bad'), row.account.drained ? [' ', badge('drained', 'warn')] : null] },
    { label: 'Approval rate', value: (row) => row.error ? h('span', { class: 'error' }, row.error.message) : `${percent(row.health.approval.rate_bp)} (${row.health.approval.sales} paid, ${row.health.approval.failures} failed, ${row.health.approval.window_hours} h)` },
    { label: 'Chargebacks in the window', value: (row) => row.error ? '' : [h('div', { class: 'muted' }, `last ${row.health.chargebacks.window_days} days`), networks(row.health)] },
  ], rows, { rowClass: (row) => (row.health && row.health.chargebacks.networks.some((network) => network.exceeded) ? 'merchant-row exceeded' : 'merchant-row') }), 'Merchant accounts');
  main.replaceChildren(h('h1', {}, 'Merchant accounts'), view);
}
