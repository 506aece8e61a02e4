// Statements: one ledger account's postings with the running balance, or a creator's (their payable
// account), filtered by period, paged by the server, and downloadable as CSV.

import * as api from './api.js';
import { decimal, isZero, minor } from './money.js';
import { h, attempt, dayAfter, field, fill, isUuid, navigate, pager, problemBox, select, table, time, today, daysAgo } from './ui.js';

const PAGE_SIZE = 50;

/** The brand a creator is looked up in: the one chosen in the header, or in this page's own selector. */
function brandOf(params, session) {
  const tenants = session.whoami.tenants.map((tenant) => tenant.slug);
  if (session.tenant) {
    return session.tenant;
  }
  if (tenants.length === 1) {
    return tenants[0];
  }
  return tenants.includes(params.get('brand')) ? params.get('brand') : '';
}

function filterForm(params, session, brand, houseAccounts, currencyOf) {
  const account = h('input', { type: 'text', name: 'account', value: params.get('account') || '', size: 38, pattern: '[0-9a-fA-F-]{36}', placeholder: 'account id' });
  const creator = h('input', { type: 'text', name: 'creator', value: params.get('creator') || '', placeholder: 'c_42' });
  const from = h('input', { type: 'date', name: 'from', value: params.get('from') || daysAgo(30) });
  const through = h('input', { type: 'date', name: 'through', value: params.get('through') || '', max: today() });
  const fields = [];
  let brandSelect = null;
  if (!session.tenant && session.whoami.tenants.length > 1) {
    // Creator ids are per brand: under "All my brands" the page asks which.
    brandSelect = select('brand', [['', 'Choose…'], ...session.whoami.tenants.map((tenant) => [tenant.slug, tenant.slug])], brand);
    fields.push(field('Brand of the creator', brandSelect));
  }
  fields.push(field('Creator', creator), field('or account id', account));
  if (houseAccounts.length) {
    const house = select('house', [['', '—'], ...houseAccounts.map((row) => [row.id,
      `${row.role} (${row.code}${row.party ? `, ${row.party}` : ''}) ${currencyOf(row.ledger)}`])], params.get('account') || '');
    house.addEventListener('change', () => { account.value = house.value; creator.value = ''; });
    fields.push(field('or a house account', house));
  }
  const form = h('form', { class: 'filters', id: 'statement-filters' }, fields, field('From (UTC)', from), field('Through (UTC; empty: up to now)', through),
    h('button', { type: 'submit', class: 'primary' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('statements', { brand: brandSelect ? brandSelect.value : '', creator: creator.value.trim(),
      account: creator.value.trim() ? '' : account.value.trim(), from: from.value, through: through.value });
  });
  return form;
}

function creatorSummary(balances) {
  return table('Balances now', [
    { label: 'Currency', value: (row) => row.currency },
    { label: 'Available', money: true, value: (row) => minor(row.available, row.currency) },
    { label: 'Held for payouts', money: true, value: (row) => minor(row.held_for_payouts, row.currency) },
    { label: 'Reserved', money: true, value: (row) => minor(row.reserved, row.currency) },
    { label: 'Statement', value: (row) => h('a', { href: `#/statements?account=${row.payable_account_id}` }, 'Payable account') },
  ], balances);
}

function side(amount, pending, currency) {
  if (!isZero(amount)) {
    return decimal(amount, currency);
  }
  return isZero(pending) ? '' : `(${decimal(pending, currency)} pending)`;
}

function statementView(accountId, params) {
  const query = { from: params.get('from') || daysAgo(30), to: params.get('through') ? dayAfter(params.get('through')) : undefined, limit: PAGE_SIZE };
  const path = api.path('/v1/statements', accountId);
  const heading = h('div', {});
  const csv = h('button', { type: 'button', id: 'statement-csv', onclick: attempt(() => api.download(path, { from: query.from, to: query.to, format: 'csv' }, `statement-${accountId}.csv`)) }, 'Download CSV');
  const pages = pager(async (cursor) => {
    const statement = await api.get(path, { ...query, cursor });
    const currency = statement.account.currency;
    fill(heading,
      h('h2', {}, `${statement.account.name} (${statement.account.code}), ${currency}, brand ${statement.account.tenant || '—'}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Account'), h('dd', {}, statement.account.id),
        h('dt', {}, cursor ? 'Balance before this page' : 'Opening balance'), h('dd', { id: 'opening-balance' }, decimal(statement.opening_balance.balance, currency)),
        h('dt', {}, statement.next ? 'Balance after this page' : 'Closing balance'), h('dd', { id: 'closing-balance' }, decimal(statement.closing_balance.balance, currency))),
      h('p', {}, csv));
    return { next: statement.next, rows: statement.postings.map((posting) => ({ ...posting, currency })) };
  }, (rows) => table('Postings', [
    { label: 'Time', value: (row) => time(row.time) },
    { label: 'Kind', value: (row) => row.kind + (row.pending_status ? ` (${row.pending_status})` : '') },
    { label: 'Code', value: (row) => String(row.code) },
    { label: 'Transfer', value: (row) => h('code', {}, row.transfer_id) },
    { label: 'Debit', money: true, value: (row) => side(row.debit, row.pending_debit, row.currency) },
    { label: 'Credit', money: true, value: (row) => side(row.credit, row.pending_credit, row.currency) },
    { label: 'Balance', money: true, value: (row) => decimal(row.balance, row.currency) },
  ], rows), 'Statement');
  return h('section', { class: 'panel', id: 'statement' }, heading, pages);
}

async function houseAccountsOf(brand, session) {
  if (!session.can('payments:read') || !brand) {
    return [];
  }
  try {
    return (await api.get('/v1/payment-accounts', { tenant: brand })).accounts.filter((row) => !row.role.startsWith('creator'));
  } catch (error) {
    return [];
  }
}

export async function render(main, params, session) {
  const brand = brandOf(params, session);
  const [houseAccounts, currencies] = await Promise.all([houseAccountsOf(brand, session), api.get('/v1/currencies')]);
  const codes = new Map(currencies.currencies.map((currency) => [currency.ledger, currency.code]));
  const parts = [h('h1', {}, 'Statements'), filterForm(params, session, brand, houseAccounts, (ledger) => codes.get(ledger) || '')];
  const creator = params.get('creator');
  const account = params.get('account');
  if (creator) {
    if (!brand) {
      parts.push(h('p', { class: 'error' }, 'Choose the brand of the creator: creator ids are per brand.'));
    } else {
      try {
        const balances = (await api.get(api.path('/v1/creators', brand, creator, 'balances'))).balances;
        parts.push(h('h2', {}, `Creator ${creator} of ${brand}`), creatorSummary(balances));
        for (const balance of balances) {
          parts.push(statementView(balance.payable_account_id, params));
        }
        if (balances.length === 0) {
          parts.push(h('p', {}, 'This creator has no ledger accounts yet.'));
        }
      } catch (error) {
        parts.push(problemBox(error));
      }
    }
  } else if (account) {
    parts.push(isUuid(account) ? statementView(account, params) : h('p', { class: 'error' }, 'That is not an account id (a UUID).'));
  } else {
    parts.push(h('p', { class: 'muted' }, 'Choose a creator or an account.'));
  }
  fill(main, ...parts);
}
