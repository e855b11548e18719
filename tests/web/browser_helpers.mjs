// Shared parts of the browser test (browser_test.mjs) and its scenarios (scenarios/*.mjs): the
// demo users and the test data, the sitecycle server, API requests, checks, the records of what
// the pages logged and requested, page helpers and the transition form.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer as startSitecycle } from '../sitecycle_server.mjs';
import { findMissingGlyphs } from './glyph_check.mjs';

export { stopServer } from '../sitecycle_server.mjs';

export const SERVER_START_TIMEOUT_MS = 60_000; // sanitizer builds start slowly
export const REQUEST_TIMEOUT_MS = 30_000; // API requests of the test itself
export const UI_TIMEOUT_MS = 20_000; // each wait for an element, a navigation or a response
export const VIEWPORT = { width: 1366, height: 900 };

// Demo users (serve --demo writes their tokens to demo-tokens.json).
export const SUPERVISOR = 'demo_district_eeb'; // Pudong ecology and environment bureau
export const CITY_EEB = 'demo_city_eeb'; // may read every case
export const CONSULTANT = 'demo_consultant'; // firm greenment
export const LAND_BUREAU = 'demo_land_bureau'; // Pudong planning and natural resources bureau

// A Pudong investigation whose report the demo data leaves submitted (report_submitted). Its
// consultancy is the firm xingdong_env, so demo_consultant may not see it.
export const LATE_CASE = 'investigation_000002';
export const REVIEW_START_TRANSITION = 'accept_for_review'; // starts the 20-working-day review deadline
export const LATE_DEADLINE_RULE = 'review';

// The Qingpu investigation on which the consultancy submits its report. The demo data leaves it
// in phase1 with no firm granted, so the setup lets the city bureau grant CONSULTANT's firm
// access and the consultancy start sampling (SAMPLING_TRANSITION). REPORT_TRANSITION is then
// open to the consultancy, and it requires a document of kind REPORT_KIND.
export const REPORT_CASE = 'investigation_000001';
export const SAMPLING_TRANSITION = 'start_sampling';
export const REPORT_TRANSITION = 'submit_report';
export const REPORT_KIND = 'investigation_report';
export const REPORT_FILE_NAME = '调查报告.pdf';
export const REPORT_COMMENT = '提交调查报告（浏览器测试）';
// A small file that starts like a PDF. The server stores any bytes, so it need not be a whole PDF.
export const REPORT_FILE_BYTES = Buffer.from('%PDF-1.4\n% 浏览器测试的调查报告\n1 0 obj << /Type /Catalog >> endobj\n'
  + 'trailer << /Root 1 0 R >>\n%%EOF\n', 'utf8');

// Test data that the setup adds at SETUP_INSTANT through the API. Each case is synthetic and
// named as browser test data (浏览器测试), and the demo data stays as it is.

// A Pudong parcel with an outline, for which LAND_BUREAU proposes storage. The proposal opens an
// investigation that no consultancy works on yet, so the parcel is a land action whose
// investigation has not started.
export const LAND_ACTION_PARCEL = 'browser_test_parcel';
export const LAND_ACTION_PARCEL_NAME = '浏览器测试地块（拟收储）';
// A rectangle of about 290 m by 220 m near Zhangjiang, Pudong, as a GeoJSON MultiPolygon in WGS 84.
export const LAND_ACTION_PARCEL_OUTLINE = {
  type: 'MultiPolygon',
  coordinates: [[[[121.590, 31.200], [121.593, 31.200], [121.593, 31.202], [121.590, 31.202], [121.590, 31.200]]]],
};
// A Pudong investigation granted to CONSULTANT's firm, whose report Pudong's bureau returned for
// correction with CORRECTION_ITEMS.
export const RETURNED_CASE = 'browser_test_investigation';
export const RETURNED_CASE_PARCEL_NAME = '浏览器测试地块（退回补正）';
export const CORRECTION_ITEMS = ['补充地下水采样点位图（浏览器测试）', '补充检测机构的资质证明（浏览器测试）'];

// A Pudong parcel with values far larger than the demo's: a name of LARGE_PARCEL_NAME_LENGTH
// characters, an outline of LARGE_OUTLINE_POSITIONS positions, and LARGE_SUB_PARCEL_COUNT
// sub-parcels, for the case page's layout and its summaries of long lists.
export const LARGE_PARCEL = 'browser_test_parcel_large';
export const LARGE_PARCEL_NAME_LENGTH = 360;
export const LARGE_PARCEL_NAME = ''.padEnd(LARGE_PARCEL_NAME_LENGTH,
  '浏览器测试地块：名称很长，用来检查案件页面的标题和数据标签在名称很长时的排版。');
export const LARGE_OUTLINE_POSITIONS = 10_000;
// One polygon with one ring: a closed circle of about 1 km radius in Pudong, in WGS 84.
export const LARGE_PARCEL_OUTLINE = {
  type: 'MultiPolygon',
  coordinates: [[circleRing(121.55, 31.22, 0.01, LARGE_OUTLINE_POSITIONS)]],
};
export const LARGE_SUB_PARCEL_COUNT = 60;
export const LARGE_SUB_PARCELS = Array.from({ length: LARGE_SUB_PARCEL_COUNT },
  (_, index) => ({ code: `浏览器测试-${index + 1}`, area_m2: 1000 + index }));

// Returns a closed ring of `count` positions (the last repeats the first) on a circle.
function circleRing(longitude, latitude, radius, count) {
  const ring = [];
  for (let index = 0; index < count - 1; index += 1) {
    const angle = (2 * Math.PI * index) / (count - 1);
    ring.push([Number((longitude + radius * Math.cos(angle)).toFixed(7)), Number((latitude + radius * Math.sin(angle)).toFixed(7))]);
  }
  ring.push([...ring[0]]);
  return ring;
}

// The demo data has no deadlines, because the published examples give no date for the steps
// that would start a clock, and undated steps start none. So the test first serves the demo at
// SETUP_INSTANT (Monday 2 March 2026, 10:00 in Shanghai), where Pudong's bureau accepts
// LATE_CASE for review. That starts the review deadline, due on 30 March 2026 after 20 working
// days. The server then restarts on the same database at PINNED_INSTANT (Wednesday 1 April
// 2026, 10:00 in Shanghai). There the deadline is 2 working days overdue, so Pudong's bureau
// gets it with a red light and status breached. Its escalation to the city bureau, 5 working
// days after the breach, has not happened yet.
export const SETUP_INSTANT = '2026-03-02T02:00:00Z';
export const PINNED_INSTANT = '2026-04-01T02:00:00Z';
export const PINNED_DATE = '2026-04-01'; // PINNED_INSTANT's date in Shanghai, for date inputs

// ---------------------------------------------------------------- server

// The --db option of the test server started in `folder`.
export function databaseOption(folder) {
  return `sqlite:${path.join(folder, 's.db')}`;
}

// Starts `serve --demo` in `folder`, which holds copies of workflows/ and examples/, with its
// clock at `now`. Resolves once the server prints its port. Each start appends to server.log.
export async function startServer(binary, folder, webFolder, now) {
  const args = ['serve', '--demo', '--db', databaseOption(folder), '--listen', '127.0.0.1:0',
    '--web', webFolder, '--now', now, '--lang', 'en'];
  return startSitecycle(binary, args, { folder, logPath: path.join(folder, 'server.log'), timeoutMs: SERVER_START_TIMEOUT_MS });
}

export async function logTail(logPath, lines = 30) {
  try {
    return (await readFile(logPath, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(cannot read ${logPath}: ${error.message})`;
  }
}

// Returns the demo tokens by user id.
export async function readTokens(folder) {
  const file = path.join(folder, 'demo-tokens.json');
  const { users } = JSON.parse(await readFile(file, 'utf8'));
  const tokens = {};
  for (const [user, entry] of Object.entries(users)) tokens[user] = entry.token;
  for (const user of [SUPERVISOR, CITY_EEB, CONSULTANT, LAND_BUREAU]) {
    if (!tokens[user]) throw new Error(`${file} has no token for the demo user ${user}`);
  }
  return tokens;
}

// ---------------------------------------------------------------- command line of sitecycle

const CLI_TIMEOUT_MS = 30_000;
const runFile = promisify(execFile);

// Runs `binary ARGS` on the database of the test server in `folder`, while the server runs.
// Resolves with its standard output, and throws with its standard error when it fails.
async function runCli(binary, folder, args) {
  try {
    const { stdout } = await runFile(binary, [...args, '--db', databaseOption(folder), '--lang', 'en'],
      { cwd: folder, timeout: CLI_TIMEOUT_MS });
    return stdout;
  } catch (error) {
    throw new Error(`sitecycle ${args.join(' ')} failed: ${error.stderr?.trim() || error.message}`);
  }
}

// Issues a new token for `user` with `sitecycle tokens issue`. Returns { id, token }.
export async function issueToken(binary, folder, user) {
  const stdout = await runCli(binary, folder, ['tokens', 'issue', '--user', user, '--label', 'browser test']);
  const match = /^sct_([a-z0-9_]{1,64})_[0-9a-f]{64}$/m.exec(stdout);
  if (!match) throw new Error(`sitecycle tokens issue printed no token: ${JSON.stringify(stdout)}`);
  return { id: match[1], token: match[0] };
}

// Revokes the token with id `tokenId` with `sitecycle tokens revoke`.
export async function revokeToken(binary, folder, tokenId) {
  await runCli(binary, folder, ['tokens', 'revoke', '--id', tokenId]);
}

// ---------------------------------------------------------------- API

// Sends one API request. Resolves with the status, the ETag header and the parsed JSON body
// (null for a body that is not JSON).
export async function callApi(port, token, target, { method = 'GET', body, headers = {}, language = 'zh-CN' } = {}) {
  const requestHeaders = { Authorization: `Bearer ${token}`, 'Accept-Language': language, ...headers };
  if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/${target}`, {
    method,
    headers: requestHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Left null: the callers check the status first and show it.
  }
  return { status: response.status, etag: response.headers.get('etag'), json };
}

export async function getJson(port, token, target, options) {
  const response = await callApi(port, token, target, options);
  if (response.status !== 200) {
    throw new Error(`GET /api/v1/${target} returned ${response.status}: ${JSON.stringify(response.json)}`);
  }
  return response.json;
}

// Returns every item of a paged list such as cases or events.
export async function getAll(port, token, target) {
  const items = [];
  for (;;) {
    const separator = target.includes('?') ? '&' : '?';
    const page = await getJson(port, token, `${target}${separator}limit=500&offset=${items.length}`);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

// ---------------------------------------------------------------- checks and records

export class CheckFailure extends Error {}

export function check(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

// Requests, responses and console messages of every page, for the page-health check.
export function createRecords(port) {
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: [], // { scenario, method, url }
    failedRequests: [], // { scenario, method, url, error }
    errorResponses: [], // { scenario, method, url, status }
    consoleErrors: [], // { scenario, text, url }
    pageErrors: [], // { scenario, message }
    // Responses of 400 and above that a scenario expects: { scenario, method, pathname, status }.
    expectedErrors: [],
  };
}

// The API requests of each page that have not finished, but the event stream, which stays open.
const requestsInFlight = new WeakMap();

function isApiCall(request) {
  const { pathname } = new URL(request.url());
  return pathname.startsWith('/api/') && pathname !== '/api/v1/stream';
}

export function recordPage(context, page, records, scenario) {
  const inFlight = new Set();
  requestsInFlight.set(page, inFlight);
  context.on('request', (request) => {
    records.requests.push({ scenario, method: request.method(), url: request.url() });
    if (isApiCall(request)) inFlight.add(request);
  });
  context.on('requestfinished', (request) => inFlight.delete(request));
  context.on('requestfailed', (request) => {
    inFlight.delete(request);
    records.failedRequests.push({ scenario, method: request.method(), url: request.url(), error: request.failure()?.errorText });
  });
  context.on('response', (response) => {
    if (response.status() >= 400) {
      records.errorResponses.push({ scenario, method: response.request().method(), url: response.url(), status: response.status() });
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') records.consoleErrors.push({ scenario, text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => {
    records.pageErrors.push({ scenario, message: error.stack ?? String(error) });
  });
}

export function isExpectedError(records, scenario, method, url, status) {
  const { pathname } = new URL(url);
  return records.expectedErrors.some((expected) => expected.scenario === scenario && expected.method === method
    && expected.pathname === pathname && expected.status === status);
}

// Checks what the pages of every scenario logged and requested: no console errors, failed
// requests or unexpected error responses, and no request to any host but the test server.
export function pageHealth(records) {
  const problems = [];
  const port = new URL(records.origin).port;
  for (const request of records.requests) {
    const url = new URL(request.url);
    if (['data:', 'blob:', 'about:'].includes(url.protocol)) continue;
    if (url.hostname !== '127.0.0.1' || url.port !== port) {
      problems.push(`${request.scenario}: request to another host: ${request.method} ${request.url}`);
    }
  }
  for (const failed of records.failedRequests) {
    // The live event stream stays open until the page goes, so a reload or sign-out cuts it.
    const cutStream = failed.error === 'net::ERR_ABORTED' && new URL(failed.url).pathname === '/api/v1/stream';
    if (cutStream) continue;
    problems.push(`${failed.scenario}: request failed (${failed.error}): ${failed.method} ${failed.url}`);
  }
  for (const response of records.errorResponses) {
    if (isExpectedError(records, response.scenario, response.method, response.url, response.status)) continue;
    problems.push(`${response.scenario}: unexpected ${response.status} for ${response.method} ${response.url}`);
  }
  for (const message of records.consoleErrors) {
    // Chromium logs a console error "Failed to load resource" for each error response, the
    // expected ones too.
    const loadFailure = message.text.startsWith('Failed to load resource') && message.url;
    if (loadFailure && records.expectedErrors.some((expected) => expected.scenario === message.scenario
      && expected.pathname === new URL(message.url).pathname)) continue;
    problems.push(`${message.scenario}: console error: ${message.text}${message.url ? ` (${message.url})` : ''}`);
  }
  for (const error of records.pageErrors) problems.push(`${error.scenario}: uncaught error in the page: ${error.message}`);
  check(records.requests.length > 0, 'no page request was recorded');
  check(problems.length === 0, `${problems.length} problem(s):\n    ${problems.join('\n    ')}`);
}

// ---------------------------------------------------------------- page helpers

// Opens a page in a new browser context, so that each scenario starts signed out with the
// default language (the token lives in sessionStorage and the language in localStorage).
export async function openPage(browser, records, scenario) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  recordPage(context, page, records, scenario);
  return { context, page };
}

// Waits until none of the page's API calls has been in flight for `quietMs`, so that a reload or
// closing the page cuts no request the page is still loading. Throws after UI_TIMEOUT_MS.
export async function waitForApiIdle(page, quietMs = 300) {
  const inFlight = requestsInFlight.get(page) ?? new Set();
  const started = Date.now();
  let quietSince = started;
  for (;;) {
    if (inFlight.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    if (Date.now() - started > UI_TIMEOUT_MS) {
      const pending = [...inFlight].map((request) => request.url()).join(', ');
      throw new CheckFailure(`timed out after ${UI_TIMEOUT_MS} ms waiting for API calls to finish: ${pending}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Waits until no Element Plus loading mask (v-loading) is visible, so that screenshots and row
// reads see loaded data.
export async function waitForLoaded(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.el-loading-mask')]
    .every((mask) => mask.offsetParent === null || getComputedStyle(mask).display === 'none'));
}

// Saves the visible part of the page as NAME.png, with CSS animations and transitions finished.
export async function saveScreen(page, folder, name) {
  await waitForLoaded(page);
  await page.screenshot({ path: path.join(folder, `${name}.png`), animations: 'disabled' });
}

// Saves the whole page, not only its visible part, as NAME.png, like saveScreen.
export async function saveFullScreen(page, folder, name) {
  await waitForLoaded(page);
  await page.screenshot({ path: path.join(folder, `${name}.png`), animations: 'disabled', fullPage: true });
}

// Checks that an installed font has every character of the page's text, named `screen` in the
// failure.
export async function checkGlyphs(page, screen) {
  const missing = await findMissingGlyphs(page);
  check(missing.length === 0, `the ${screen} shows ${missing.length} character(s) that no installed font has: ${missing.join(', ')}`);
}

// Signs in on the sign-in page by pasting the token, and waits for the header with the user's
// name. `me` is the GET /api/v1/me response for the token.
export async function signIn(page, token, me) {
  await page.getByTestId('sign-in-token').fill(token);
  await page.getByTestId('sign-in-submit').click();
  const name = page.getByTestId('header-user-name');
  await name.waitFor();
  check((await name.textContent()).trim() === me.user.name,
    `the header shows the user "${await name.textContent()}", expected "${me.user.name}"`);
}

export function hashOf(page) {
  return new URL(page.url()).hash;
}

export async function waitForHash(page, expected) {
  await page.waitForURL((url) => url.hash === expected);
}

// The fields that name a case, as caseName of the dashboard's workflows.js reads them.
const CASE_NAME_FIELDS = ['name', 'parcel_name', 'unit_name'];

// Returns the title the case page shows for the case `detail` (GET /api/v1/cases/{id}): its
// name, or its id when it has none.
export function caseTitle(detail) {
  const field = CASE_NAME_FIELDS.find((id) => typeof detail.data?.[id] === 'string' && detail.data[id]);
  return field ? detail.data[field] : detail.id;
}

// Waits until the case page shows the case `detail`: its name as the title with its id beside
// it, or only its id when it has no name.
export async function waitForCasePage(page, detail) {
  const expected = { title: caseTitle(detail), id: detail.id };
  await page.waitForFunction(({ title, id }) => {
    const shownTitle = document.querySelector('[data-testid="case-title"]')?.textContent.trim();
    const shownId = document.querySelector('[data-testid="case-id"]')?.textContent.trim() ?? shownTitle;
    return shownTitle === title && shownId === id;
  }, expected);
}

// Returns the CSS color that `cssColor` (such as "var(--el-color-danger)") computes to on the page.
export async function computedColor(page, cssColor) {
  return page.evaluate((color) => {
    const probe = document.createElement('span');
    probe.style.color = color;
    document.body.append(probe);
    const computed = getComputedStyle(probe).color;
    probe.remove();
    return computed;
  }, cssColor);
}

// Returns the localized text of a LocalizedText of the API.
export function localized(text, locale) {
  if (text == null) return null;
  if (typeof text === 'string') return text;
  return text[locale] || text['zh-CN'] || null;
}

// Fills a vue-i18n message's {name} placeholders.
export function fillMessage(message, values) {
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// The row of the Element Plus table `table` whose link to a case has data-case-id `caseId`.
export function rowOfCase(page, table, caseId) {
  return table.locator('.el-table__row').filter({ has: page.locator(`a[data-case-id="${caseId}"]`) });
}

// Switches the language with the header switch, and waits for the user's role title that the
// server returns in that language (GET /api/v1/me is sent again with the new Accept-Language).
export async function switchLanguage(page, locale, roleTitle) {
  const meRequest = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/me');
  await page.getByTestId('language-switch').locator(`[data-locale="${locale}"]`).click();
  const request = await meRequest;
  check(request.headers()['accept-language'] === locale,
    `after switching to ${locale} GET /api/v1/me was sent with Accept-Language ${request.headers()['accept-language']}`);
  await page.getByTestId('header-role').filter({ hasText: roleTitle }).waitFor();
}

// ---------------------------------------------------------------- transition form

// Returns a valid value for a field spec of GET /api/v1/workflows. Scalars get the first
// enumeration value, true, the smallest allowed number, PINNED_DATE or a text of the allowed
// length. Lists and objects are built the same way from their items or required members.
export function sampleValue(spec) {
  const type = spec?.type ?? 'string';
  const min = typeof spec?.min === 'number' ? spec.min : undefined;
  const max = typeof spec?.max === 'number' ? spec.max : undefined;
  switch (type) {
    case 'enum': {
      const first = spec.values[0];
      return typeof first === 'object' ? first.id : first;
    }
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.min(min ?? 1, max ?? Number.MAX_SAFE_INTEGER);
    case 'date':
      return PINNED_DATE;
    case 'list':
      return Array.from({ length: Math.max(min ?? 1, 1) }, () => sampleValue(spec.items));
    case 'object':
      return Object.fromEntries((spec.fields ?? []).filter((field) => field.required)
        .map((field) => [field.id, sampleValue(field)]));
    default:
      return '浏览器测试填写的内容'.padEnd(min ?? 1, '内').slice(0, max ?? 64);
  }
}

// The roots of the inputs that FieldInput.vue renders for lists and objects, by data-testid.
const STRUCTURED_INPUTS = ['field-lines', 'field-choices', 'field-rows', 'field-form', 'field-json'];

// Returns the data-testid of the input for a list or object in `container`: the first in
// document order, which is the outermost.
async function structuredInputOf(container) {
  const selector = STRUCTURED_INPUTS.map((id) => `[data-testid="${id}"]`).join(', ');
  return container.locator(selector).first().getAttribute('data-testid');
}

// Enters `value` into `container` (the form item of a field, or a member or row of a nested
// input, each with its data-pointer), with the control FieldInput.vue renders for the spec.
// An enumeration value is chosen by its Chinese title.
// NOTE: the transitions the scenarios fill run the enum, integer, number, text, list-of-lines
// and list-of-objects branches. The boolean, date, choices and JSON branches run only when a
// transition or its workflow changes.
export async function fillField(page, container, spec, value) {
  switch (spec?.type) {
    case 'enum': {
      const choice = spec.values.find((item) => (item.id ?? item) === value);
      const title = localized(choice?.title, 'zh-CN') ?? String(value);
      await container.locator('.el-select__wrapper').first().click();
      await page.locator('.el-select-dropdown:visible').getByText(title, { exact: true }).click();
      break;
    }
    case 'boolean': {
      // The options are yes, then no.
      await container.locator('.el-select__wrapper').first().click();
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').nth(value ? 0 : 1).click();
      break;
    }
    case 'integer':
    case 'number':
      await container.locator('.el-input-number input').first().fill(String(value));
      await container.locator('.el-input-number input').first().press('Tab');
      break;
    case 'date':
      await container.locator('input').first().fill(value);
      await container.locator('input').first().press('Enter');
      break;
    case 'list':
    case 'object':
      await fillStructured(page, container, spec, value);
      break;
    default:
      await container.locator('input').first().fill(String(value));
  }
}

// Enters a list or an object by the input FieldInput.vue renders for it. That is lines of a
// textarea, rows of item inputs (added with the row's add button), members of a nested form,
// the options of a multiple select, or JSON text.
async function fillStructured(page, container, spec, value) {
  const pointer = await container.getAttribute('data-pointer');
  const kind = await structuredInputOf(container);
  switch (kind) {
    case 'field-lines':
      await container.locator('textarea').first().fill(value.map(String).join('\n'));
      break;
    case 'field-choices':
      for (const item of value) await fillField(page, container, spec.items, item);
      await page.keyboard.press('Escape');
      break;
    case 'field-rows': {
      const rows = container.locator('[data-testid="field-rows"]').first();
      for (const [index, item] of value.entries()) {
        const row = container.locator(`[data-pointer="${pointer}/${index}"]`);
        if (await row.count() === 0) await rows.locator(':scope > [data-testid="field-row-add"]').click();
        await row.waitFor();
        await fillField(page, row, spec.items, item);
      }
      break;
    }
    case 'field-form':
      for (const [id, member] of Object.entries(value)) {
        const memberSpec = spec.fields.find((field) => field.id === id);
        await fillField(page, container.locator(`[data-pointer="${pointer}/${id}"]`), memberSpec, member);
      }
      break;
    default:
      await container.locator('textarea').first().fill(JSON.stringify(value));
  }
}

// Fills every required input of `transition` in the open form `dialog` by its type. Returns the
// input object that the form is expected to send.
export async function fillRequiredInputs(page, dialog, workflow, transition) {
  const expectedInput = {};
  for (const fieldId of transition.input?.required ?? []) {
    const spec = workflow.fields.find((field) => field.id === fieldId);
    const value = sampleValue(spec);
    const formItem = dialog.locator(`.el-form-item[data-field-id="${fieldId}"]`);
    check(await formItem.count() === 1, `the form of ${transition.id} has no input for its required field ${fieldId}`);
    await fillField(page, formItem, spec, value);
    expectedInput[fieldId] = value;
  }
  return expectedInput;
}
