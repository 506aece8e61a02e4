// The console's only way to the server: the same JSON API every other client uses, with the signed-in
// person's bearer token. Nothing here stores the token beyond the tab (sessionStorage).

const TOKEN_KEY = 'fanz.console.token';

/** A problem answered by the API (RFC 9457), with its HTTP status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function url(path, query) {
  const target = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      target.searchParams.set(name, value);
    }
  }
  return target;
}

function headers(extra) {
  const all = { Accept: 'application/json', ...extra };
  const bearer = token();
  if (bearer) {
    all.Authorization = `Bearer ${bearer}`;
  }
  return all;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return typeof body === 'object' && body ? body : { detail: String(body) };
  } catch (e) {
    return { title: response.statusText, detail: `HTTP ${response.status}` };
  }
}

/**
 * One call. `note` (what the person typed when confirming an action) goes to the audit log as the
 * X-Audit-Note header: a header carries bytes, so the note's UTF-8 bytes go one per character, and the
 * server reads them back as UTF-8 (any language survives).
 */
export async function call(method, path, { query, body, note } = {}) {
  const extra = {};
  if (body !== undefined) {
    extra['Content-Type'] = 'application/json';
  }
  if (note) {
    extra['X-Audit-Note'] = String.fromCharCode(...new TextEncoder().encode(note.replace(/[\u0000-\u001f\u007f]+/g, ' ')));
  }
  const response = await fetch(url(path, query), {
    method,
    headers: headers(extra),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401) {
      window.dispatchEvent(new CustomEvent('fanz:signed-out', { detail: problem }));
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) {
    return null;
  }
  return response.json();
}

export const get = (path, query) => call('GET', path, { query });
export const post = (path, body, note) => call('POST', path, { body, note });

/** Fetches a file with the bearer token and hands it to the browser as a download named `filename`. */
export async function download(path, query, filename) {
  const response = await fetch(url(path, query), { headers: headers({ Accept: '*/*' }), cache: 'no-store', credentials: 'omit' });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** The console's password sign-in through the identity service (the server forwards it). */
export async function ssoSignIn(username, password, brand) {
  const form = new URLSearchParams({ username, password, brand });
  const response = await fetch('/sso/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form,
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}
