// Sign-in: an API key, or a person's identity-service account (single sign-on) when the server has it.

import * as api from './api.js';
import { h, field } from './ui.js';

export function renderSignIn(main, signedIn) {
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  const keyInput = h('input', { type: 'password', name: 'key', id: 'api-key', autocomplete: 'off', required: true, spellcheck: 'false' });
  const keyForm = h('form', { id: 'key-form' },
    h('fieldset', {}, h('legend', {}, 'With an API key'),
      field('API key', keyInput),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in with the key')));
  keyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await signedIn(keyInput.value.trim());
    } catch (failure) {
      error.textContent = failure.status === 401 ? 'That key is unknown or revoked.' : failure.message;
    }
  });

  const email = h('input', { type: 'email', name: 'username', id: 'sso-email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', id: 'sso-password', autocomplete: 'current-password', required: true });
  const brand = h('input', { type: 'text', name: 'brand', id: 'sso-brand', required: true, placeholder: 'girlfanz' });
  const ssoForm = h('form', { id: 'sso-form' },
    h('fieldset', {}, h('legend', {}, 'With your Fanz account (single sign-on)'),
      field('Email', email), field('Password', password), field('Brand', brand),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  ssoForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const answer = await api.ssoSignIn(email.value.trim(), password.value, brand.value.trim());
      password.value = '';
      await signedIn(answer.access_token);
    } catch (failure) {
      error.textContent = failure.status === 404 ? 'Single sign-on is not set up on this server; use an API key.' : failure.message;
    }
  });

  main.replaceChildren(h('div', { class: 'sign-in' },
    h('h1', {}, 'FanzFinance console'),
    h('p', { class: 'muted' }, 'Sign in to see the brands your key or your role allows.'),
    error, keyForm, ssoForm));
  keyInput.focus();
}
