// Financial statements by brand and period: trial balance, income statement, balance sheet, each with a
// chart and its CSV. The server computes every figure; the page only lays them out.

import * as api from './api.js';
import { barChart } from './charts.js';
import { decimal, decimalToMinor, isZero, scaleOf } from './money.js';
import { h, attempt, fill, dayAfter, field, navigate, problemBox, select, table, time, today, daysAgo } from './ui.js';

const REPORTS = [
  ['trial-balance', 'Trial balance'],
  ['income-statement', 'Income statement'],
  ['balance-sheet', 'Balance sheet'],
];

function money(amount, currency) {
  return decimal(amount, currency);
}

function filters(kind, params, currencies) {
  const ledger = select('ledger', [['', 'Every currency'], ...currencies.map((currency) => [String(currency.ledger), currency.code])],
    params.get('ledger') || '');
  const fields = [field('Currency', ledger)];
  if (kind === 'income-statement') {
    fields.push(field('From (UTC)', h('input', { type: 'date', name: 'from', value: params.get('from') || daysAgo(30) })));
    fields.push(field('Through (UTC)', h('input', { type: 'date', name: 'through', value: params.get('through') || today() })));
  } else {
    fields.push(field('At the end of (UTC)', h('input', { type: 'date', name: 'at', value: params.get('at') || today() })));
  }
  if (kind === 'trial-balance') {
    fields.push(field('Rows', select('group', [['code', 'One per account code'], ['account', 'One per account']], params.get('group') || 'code')));
  }
  const form = h('form', { class: 'filters', id: 'report-filters' }, fields, h('button', { type: 'submit', class: 'primary' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('reports', { kind, ...Object.fromEntries(new FormData(form).entries()) });
  });
  return form;
}

function query(kind, params, session) {
  const common = { ...session.tenantQuery(), ledger: params.get('ledger') };
  if (kind === 'income-statement') {
    return { ...common, from: params.get('from') || daysAgo(30), to: dayAfter(params.get('through') || today()) };
  }
  const at = { ...common, at: params.get('at') || today() };
  return kind === 'trial-balance' ? { ...at, group: params.get('group') || 'code' } : at;
}

function trialBalance(report) {
  const byCurrency = new Map();
  for (const account of report.accounts) {
    if (!byCurrency.has(account.currency)) {
      byCurrency.set(account.currency, []);
    }
    byCurrency.get(account.currency).push(account);
  }
  const parts = [];
  if (!report.balanced) {
    parts.push(h('p', { class: 'error', role: 'alert' }, report.warning || 'Debits and credits differ.'));
  }
  for (const total of report.totals) {
    const rows = byCurrency.get(total.currency) || [];
    const columns = [
      { label: 'Code', value: (row) => String(row.code) },
      { label: 'Account', value: (row) => row.name },
      { label: 'Brand', value: (row) => row.tenant || '—' },
      ...(rows.some((row) => row.id) ? [{ label: 'Account id', value: (row) => row.id ? h('a', { href: `#/statements?account=${row.id}` }, row.id) : '' }] : []),
      { label: 'Debit', money: true, value: (row) => (isZero(row.debit) ? '' : money(row.debit, row.currency)) },
      { label: 'Credit', money: true, value: (row) => (isZero(row.credit) ? '' : money(row.credit, row.currency)) },
    ];
    const body = table(`Trial balance, ${total.currency}`, columns, rows);
    const totalRow = h('tr', { class: 'total' },
      h('th', { scope: 'row', colspan: columns.length - 2 }, total.balanced ? 'Total (balanced)' : 'Total (NOT BALANCED)'),
      h('td', { class: 'money' }, money(total.debits, total.currency)),
      h('td', { class: 'money' }, money(total.credits, total.currency)));
    body.querySelector('tbody').append(totalRow);
    parts.push(h('section', { class: 'panel' }, barChart(`The largest balances, ${total.currency}`, largest(rows, total.currency), total.currency, money), body));
  }
  if (report.totals.length === 0) {
    parts.push(h('p', {}, 'No posted balances at that time.'));
  }
  return parts;
}

/**
 * The twelve largest balances of a trial balance's rows: each row's debit and credit sums (a row by code has
 * both) as separate bars, largest first.
 */
function largest(rows, currency) {
  const scale = scaleOf(currency);
  const bars = [];
  for (const row of rows) {
    for (const [side, amount, kind] of [['Dr', row.debit, ''], ['Cr', row.credit, 'second']]) {
      const value = decimalToMinor(amount, scale);
      if (value !== 0n) {
        bars.push({ label: `${row.code} ${row.name}`, amount, side, kind, value });
      }
    }
  }
  bars.sort((a, b) => (a.value === b.value ? 0 : a.value < b.value ? 1 : -1));
  return bars.slice(0, 12);
}

function sectionTable(title, lines, total, currency) {
  const body = table(title, [
    { label: 'Codes', value: (line) => `${line.code_from}–${line.code_to}` },
    { label: 'Name', value: (line) => line.name },
    { label: 'Amount', money: true, value: (line) => money(line.amount, currency) },
  ], lines || []);
  body.querySelector('tbody').append(h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: 2 }, `Total ${title.toLowerCase()}`),
    h('td', { class: 'money' }, money(total, currency))));
  return body;
}

function incomeStatement(report) {
  if (report.currencies.length === 0) {
    return [h('p', {}, 'No revenue or expenses in that period.')];
  }
  return report.currencies.map((section) => h('section', { class: 'panel', 'data-currency': section.currency },
    h('h2', {}, `${section.currency}: net income ${money(section.net_income, section.currency)}`),
    barChart(`Income statement, ${section.currency}`, [
      ...(section.revenue || []).map((line) => ({ label: line.name, amount: line.amount, side: 'revenue' })),
      ...(section.expenses || []).map((line) => ({ label: line.name, amount: line.amount, side: 'expense', kind: 'second' })),
    ], section.currency, money),
    h('div', { class: 'two' },
      sectionTable('Revenue', section.revenue, section.total_revenue, section.currency),
      sectionTable('Expenses', section.expenses, section.total_expenses, section.currency))));
}

function balanceSheet(report) {
  if (report.currencies.length === 0) {
    return [h('p', {}, 'Nothing on the balance sheet at that time.')];
  }
  return report.currencies.map((section) => h('section', { class: 'panel', 'data-currency': section.currency },
    h('h2', {}, `${section.currency}: ${section.balanced ? 'balances' : 'DOES NOT BALANCE'}`),
    barChart(`Balance sheet, ${section.currency}`, [
      { label: 'Assets', amount: section.total_assets },
      { label: 'Liabilities', amount: section.total_liabilities },
      { label: 'Equity', amount: section.total_equity },
      { label: 'Earnings to date', amount: section.earnings_to_date },
    ].map((bar) => ({ ...bar, kind: String(bar.amount).startsWith('-') ? 'second' : '' })),
    section.currency, money),
    h('div', { class: 'two' },
      sectionTable('Assets', section.assets, section.total_assets, section.currency),
      h('div', {},
        sectionTable('Liabilities', section.liabilities, section.total_liabilities, section.currency),
        sectionTable('Equity', section.equity, section.total_equity, section.currency),
        h('p', {}, `Earnings to date: ${money(section.earnings_to_date, section.currency)}; liabilities and equity: `
          + money(section.total_liabilities_and_equity, section.currency)))),
    section.unclassified && section.unclassified.length
      ? sectionTable('Unclassified', section.unclassified, section.total_unclassified, section.currency) : null));
}

export async function render(main, params, session) {
  const kind = REPORTS.some(([name]) => name === params.get('kind')) ? params.get('kind') : 'trial-balance';
  const tenant = session.tenant;
  const currencies = (await api.get('/v1/currencies')).currencies;
  const path = `/v1/reports/${kind}`;
  const parameters = query(kind, params, session);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Reports' }, REPORTS.map(([name, title]) =>
    h('a', { href: `#/reports?kind=${name}`, 'aria-current': name === kind ? 'page' : undefined }, title)));
  const csv = h('button', { type: 'button', id: 'report-csv', onclick: attempt(() => api.download(path, { ...parameters, format: 'csv' }, `${kind}.csv`)) }, 'Download CSV');
  const position = h('p', { class: 'muted', id: 'report-position' });
  const body = h('div', { id: 'report' });
  fill(main,
    h('h1', {}, REPORTS.find(([name]) => name === kind)[1]),
    tabs,
    filters(kind, params, currencies),
    position,
    body);
  let report;
  try {
    report = await api.get(path, parameters);
  } catch (error) {
    body.replaceChildren(problemBox(error));
    return;
  }
  fill(position, `${tenant ? `Brand ${tenant}. ` : ''}As of ledger command ${report.position.command}`
    + (report.at ? ` (${time(report.at)})` : '') + `; ${report.position.lag_commands} not yet in the reports. `, csv);
  fill(body, kind === 'trial-balance' ? trialBalance(report) : kind === 'income-statement' ? incomeStatement(report) : balanceSheet(report));
}
