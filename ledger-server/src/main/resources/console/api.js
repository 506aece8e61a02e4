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

/** How long any request may take before the console gives up on it (the server's own limits are shorter). */
const TIMEOUT_MS = 30_000;

async function send(target, options) {
  try {
    return await fetch(target, { ...options, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const detail = error.name === 'TimeoutError' ? `the server did not answer in ${TIMEOUT_MS / 1000} s` : 'the server cannot be reached';
    throw new ApiError(0, { title: 'No answer', detail });
  }
}

/** A refused answer as an ApiError; a 401 (key revoked, token expired) also signs the console out. */
async function failure(response) {
  const problem = await problemOf(response);
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('fanz:signed-out', { detail: problem }));
  }
  return new ApiError(response.status, problem);
}

function retryable(response) {
  return response.status === 429 || (response.status === 503 && response.headers.has('Retry-After'));
}

function pause(response) {
  const seconds = Math.min(3, Math.max(1, Number(response.headers.get('Retry-After')) || 1));
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/**
 * One call. `note` (what the person typed when confirming an action) goes to the audit log as the
 * X-Audit-Note header: a header carries bytes, so the note's UTF-8 bytes go one per character, and the
 * server reads them back as UTF-8 (any language survives). A read the server asks to retry (429, 503 with
 * Retry-After) is retried once, after at most 3 s; an action never is.
 */
export async function call(method, path, { query, body, note } = {}) {
  const extra = {};
  if (body !== undefined) {
    extra['Content-Type'] = 'application/json';
  }
  if (note) {
    extra['X-Audit-Note'] = String.fromCharCode(...new TextEncoder().encode(note.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')));
  }
  const options = { method, headers: headers(extra), body: body === undefined ? undefined : JSON.stringify(body) };
  let response = await send(url(path, query), options);
  if (method === 'GET' && retryable(response)) {
    await pause(response);
    response = await send(url(path, query), options);
  }
  if (!response.ok) {
    throw await failure(response);
  }
  if (response.status === 204) {
    return null;
  }
  return response.json();
}

export const get = (path, query) => call('GET', path, { query });
export const post = (path, body, note) => call('POST', path, { body, note });

/** `/v1/statements/{id}` with each segment encoded: an id from the address can never reach another route. */
export function path(...segments) {
  return segments.map((segment, index) => (index === 0 ? segment : encodeURIComponent(segment))).join('/');
}

/** Fetches a file with the bearer token and hands it to the browser as a download named `filename`. */
export async function download(target, query, filename) {
  const response = await send(url(target, query), { headers: headers({ Accept: '*/*' }) });
  if (!response.ok) {
    throw await failure(response);
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
  const response = await send(new URL('/sso/token', window.location.origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form,
  });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}
