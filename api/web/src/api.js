// Client of the sitecycle HTTP API under /api/v1, on the origin that served the dashboard. Sends
// the token as a Bearer token and the UI language as Accept-Language, and turns error responses
// (application/problem+json, RFC 9457) into ApiError.
import { i18n } from './i18n/index.js';

const API_ROOT = 'api/v1';

// A failed request. `problem` is the problem+json body of the server, or a stand-in with the
// same members (status, detail, errors) when the server could not be reached or sent no problem.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code() {
    return this.problem.code ?? null;
  }

  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

const settings = {
  token: () => null,
  onUnauthorized: () => {},
};

// Sets where the token comes from and what happens when the server responds with 401 to a
// request sent with a token (the token expired or was revoked).
export function configureApi({ token, onUnauthorized }) {
  settings.token = token;
  settings.onUnauthorized = onUnauthorized;
}

function buildUrl(path, query) {
  // Relative to the page, so the dashboard works under any path prefix of a reverse proxy.
  const url = new URL(`${API_ROOT}/${path}`, document.baseURI);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(name, String(value));
  }
  return url;
}

async function readProblem(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await response.json();
      if (body && typeof body === 'object') {
        return { ...body, detail: body.detail || i18n.global.t('errors.http', { status: response.status }) };
      }
    } catch {
      // A body that is not JSON is reported like any other error without a problem.
    }
  }
  return { status: response.status, detail: i18n.global.t('errors.http', { status: response.status }), errors: [] };
}

// Sends one request and returns { data, etag }. Options: method, query (an object whose empty
// values are left out), body (sent as JSON) or file (a File sent as the body), headers, blob
// (return the body as a Blob, for downloads), and token. A token given here overrides the
// signed-in one, for checking a token at sign-in, and a 401 then leaves the session as it is.
export async function apiRequest(path, options = {}) {
  const token = options.token ?? settings.token();
  const headers = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': i18n.global.locale.value,
    ...options.headers,
  };
  if (token) headers.Authorization = `Bearer ${token}`;

  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.file !== undefined) {
    // An upload: the request body is the file itself.
    headers['Content-Type'] = options.file.type || 'application/octet-stream';
    body = options.file;
  }

  let response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, { status: 0, detail: i18n.global.t('errors.network'), errors: [], cause: String(error) });
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && options.token === undefined && token) settings.onUnauthorized(problem);
    throw new ApiError(response.status, problem);
  }

  if (options.blob) return { data: await response.blob(), etag: response.headers.get('ETag') };

  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      // Such as an HTML page from a proxy that does not forward /api to sitecycle.
      throw new ApiError(response.status, {
        status: response.status,
        detail: i18n.global.t('errors.notJson', { status: response.status }),
        errors: [],
      });
    }
  }
  return { data, etag: response.headers.get('ETag') };
}

export async function apiGet(path, query) {
  const { data } = await apiRequest(path, { query });
  return data;
}

// Downloads `path` (with the token, which a plain link cannot send) and saves it as `fileName`.
export async function apiDownload(path, query, fileName) {
  const { data } = await apiRequest(path, { query, blob: true, headers: { Accept: '*/*' } });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(data);
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function caseUrlPath(caseId) {
  return `cases/${encodeURIComponent(caseId)}`;
}
