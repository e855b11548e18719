// The signed-in user: the API token (kept in sessionStorage, so it ends with the browser tab) and
// the GET /api/v1/me response for it.
import { reactive } from 'vue';
import { apiRequest, configureApi } from './api.js';
import { removeAllTransitionDrafts } from './transitionDrafts.js';

const STORAGE_KEY = 'sitecycle.token';

// The format adapters/api_token.cpp issues: "sct_", a token id of lower-case letters, digits and
// underscores (at most 64), "_", then a secret of 64 lower-case hex digits.
const TOKEN_PATTERN = /^sct_[a-z0-9_]{1,64}_[0-9a-f]{64}$/;

function readStoredToken() {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeToken(token) {
  try {
    if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // With storage disabled the token lasts until the page reloads.
  }
}

export const session = reactive({
  token: readStoredToken(),
  me: null,
  // The message-table key of the notice the sign-in page shows, such as signIn.expired.
  notice: null,
});

const signOutListeners = [];

// Registers a callback run after every sign-out, such as a redirect to the sign-in page.
export function onSignOut(listener) {
  signOutListeners.push(listener);
}

export function isWellFormedToken(token) {
  return TOKEN_PATTERN.test(token);
}

// Checks the token with GET /api/v1/me and keeps it for this tab. Throws ApiError when the
// server rejects it: 401 for a token unknown, revoked or expired, 429 when locked out after
// failed sign-ins.
export async function signIn(token) {
  const { data } = await apiRequest('me', { token });
  session.token = token;
  session.me = data;
  session.notice = null;
  storeToken(token);
}

// Reloads the user, organisation and role, for example after the language changed, because
// the server returns their titles in the request language.
export async function loadMe() {
  const { data } = await apiRequest('me');
  session.me = data;
}

export function signOut(noticeKey = null) {
  session.token = null;
  session.me = null;
  session.notice = noticeKey;
  storeToken(null);
  for (const listener of signOutListeners) listener();
}

// Signs out at the user's request (the header's 退出登录). Unlike the sign-out after a 401, it
// also removes the drafts of transition forms kept in this tab, so that nothing typed stays
// behind for the next person at this browser.
export function signOutByUser() {
  removeAllTransitionDrafts();
  signOut('signIn.signedOut');
}

configureApi({
  token: () => session.token,
  onUnauthorized: () => signOut('signIn.expired'),
});
