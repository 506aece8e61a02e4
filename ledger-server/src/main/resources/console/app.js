// The console's shell: sign-in, the brand selector, navigation and the hash router. Every page is a
// module with render(main, params, session); every figure comes from the server's API with the signed-in
// person's own token, so a page shows only what that token may see.

import * as api from './api.js';
import { setCurrencies } from './money.js';
import { h, problemBox } from './ui.js';
import { renderSignIn } from './page-sign-in.js';
import * as overview from './page-overview.js';
import * as reports from './page-reports.js';
import * as statements from './page-statements.js';
import * as payouts from './page-payouts.js';
import * as webhooks from './page-webhooks.js';
import * as reconciliation from './page-reconciliation.js';
import * as merchants from './page-merchants.js';
import * as audit from './page-audit.js';

const TENANT_KEY = 'fanz.console.tenant';

const PAGES = [
  { path: 'overview', title: 'Overview', scope: 'finance:read', module: overview },
  { path: 'reports', title: 'Reports', scope: 'finance:read', module: reports },
  { path: 'statements', title: 'Statements', scope: 'finance:read', module: statements },
  { path: 'payouts', title: 'Payouts', scope: 'payouts:read', module: payouts },
  { path: 'webhooks', title: 'Webhook inbox', scope: 'payments:read', module: webhooks },
  { path: 'reconciliation', title: 'Reconciliation', scope: 'finance:read', module: reconciliation },
  { path: 'merchants', title: 'Merchant accounts', scope: 'payments:read', module: merchants },
  { path: 'audit', title: 'Audit log', scope: 'finance:read', module: audit },
];

/** What every page knows about who is signed in. */
class Session {
  constructor(whoami) {
    this.whoami = whoami;
  }

  can(scope) {
    return this.whoami.admin || this.whoami.scopes.includes(scope);
  }

  /** The brand chosen in the header ('' = all of this person's brands). */
  get tenant() {
    const chosen = sessionStorage.getItem(TENANT_KEY) || '';
    return this.whoami.tenants.some((tenant) => tenant.slug === chosen) ? chosen : '';
  }

  /** `{tenant: slug}` when a brand is chosen, for the API's tenant filters. */
  tenantQuery() {
    return this.tenant ? { tenant: this.tenant } : {};
  }
}

let session = null;
/** Counts routes: a page whose data arrives after the person moved on (or signed out) is dropped, never shown. */
let generation = 0;

function parseHash() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  return { path: path || 'overview', params: new URLSearchParams(query || '') };
}

function visiblePages() {
  return PAGES.filter((page) => session.can(page.scope));
}

function renderChrome(current) {
  const top = document.getElementById('top');
  top.hidden = false;
  document.getElementById('nav').replaceChildren(...visiblePages().map((page) =>
    h('li', {}, h('a', { href: `#/${page.path}`, 'aria-current': page.path === current ? 'page' : undefined }, page.title))));
  const selector = document.getElementById('tenant-select');
  const tenants = session.whoami.tenants;
  selector.replaceChildren(
    ...(tenants.length > 1 ? [h('option', { value: '' }, 'All my brands')] : []),
    ...tenants.map((tenant) => h('option', { value: tenant.slug }, tenant.slug)));
  selector.value = session.tenant || (tenants.length === 1 ? tenants[0].slug : '');
  document.getElementById('who-name').textContent = session.whoami.name || session.whoami.id;
}

/**
 * Shows the page the address names. The page renders into a container of its own, which replaces the
 * current content only if this is still the latest route of the same session when the page is ready.
 */
async function route({ keepFocus } = {}) {
  const mine = ++generation;
  const main = document.getElementById('main');
  if (!session) {
    document.getElementById('top').hidden = true;
    document.title = 'Sign in · FanzFinance console';
    renderSignIn(main, signedIn);
    main.dataset.route = String(mine);
    return;
  }
  const { path, params } = parseHash();
  const page = visiblePages().find((candidate) => candidate.path === path) || visiblePages()[0];
  renderChrome(page ? page.path : '');
  if (!page) {
    main.replaceChildren(h('h1', {}, 'Nothing to see'), h('p', {}, 'This key has none of the scopes the console\'s pages need.'));
    main.dataset.route = String(mine);
    return;
  }
  document.title = `${page.title} · FanzFinance console`;
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const owner = session;
  const container = h('div', {});
  try {
    await page.module.render(container, params, session);
  } catch (error) {
    container.replaceChildren(h('h1', {}, page.title), problemBox(error));
  }
  if (mine !== generation || session !== owner) {
    return;
  }
  main.replaceChildren(container);
  main.dataset.route = String(mine);
  const heading = container.querySelector('h1');
  if (heading && !keepFocus) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

async function signedIn(token) {
  api.setToken(token);
  try {
    const [whoami, currencies] = await Promise.all([api.get('/v1/whoami'), api.get('/v1/currencies')]);
    setCurrencies(currencies.currencies);
    session = new Session(whoami);
    if (whoami.tenants.length === 1) {
      sessionStorage.setItem(TENANT_KEY, whoami.tenants[0].slug);
    }
  } catch (error) {
    // Only a refused key or token is forgotten: a server restarting or a dropped connection is not a sign-out.
    if (error.status === 401 || error.status === 403) {
      api.setToken(null);
    }
    session = null;
    throw error;
  }
  await route();
}

function signOut() {
  api.setToken(null);
  sessionStorage.removeItem(TENANT_KEY);
  session = null;
  history.replaceState(null, '', '#/');
  route();
}

window.addEventListener('hashchange', () => {
  // In-page anchors (the skip link) are not routes.
  if (window.location.hash.startsWith('#/') || window.location.hash === '') {
    route();
  }
});
window.addEventListener('fanz:signed-out', () => {
  if (session) {
    signOut();
  }
});
document.getElementById('sign-out').addEventListener('click', signOut);
document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  const target = document.querySelector('main h1') || document.getElementById('main');
  target.tabIndex = -1;
  target.focus();
});
document.getElementById('tenant-select').addEventListener('change', (event) => {
  sessionStorage.setItem(TENANT_KEY, event.target.value);
  // The selector keeps the focus: arrow keys step through brands.
  route({ keepFocus: true });
});
window.addEventListener('fanz:refresh', () => route({ keepFocus: true }));

if (api.token()) {
  signedIn(api.token()).catch((error) => {
    route();
    const message = document.getElementById('sign-in-error');
    if (message && error.status !== 401) {
      message.textContent = `Could not resume the session: ${error.message}`;
    }
  });
} else {
  route();
}
