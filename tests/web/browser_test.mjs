// Browser test of the web dashboard. It serves the demo with the built dashboard, drives Debian's
// Chromium through playwright-core, and runs these scenarios:
//   1. supervisor flow: Pudong's ecology bureau signs in, opens the red overdue counter, the
//      deadline list and the late case, and fires a transition from the case page;
//   2. language switch: English labels, then back to Chinese;
//   3. consultancy scope: the case list of demo_consultant contains only its firm's cases, and
//      another firm's case shows a not-found message;
//   4. report upload: demo_consultant submits an investigation report from the case page, first
//      without the required document (409 documents_missing), then with a PDF file chosen in the
//      form, which is uploaded and handed in with the step;
//   5. page health: no console errors, failed requests or unexpected error responses during
//      scenarios 1 to 4, and no request to any host but the test server.
// It also saves a screenshot of each screen to BUILD_DIR/web-test-output/screens/, and one of
// the page of each failing scenario to BUILD_DIR/web-test-output/.
//
// Usage: node browser_test.mjs --binary BINARY --source SOURCE_DIR --build BUILD_DIR
//   BINARY      the sitecycle binary
//   SOURCE_DIR  the repository root, for workflows/, examples/ and the dashboard's message
//               tables in api/web/src/i18n/
//   BUILD_DIR   the build tree, with the built dashboard in web/
// Exit status: 0 when every scenario passes, 1 when any fails or the server or the browser does
// not start, 2 on a usage error.
//
// playwright-core is a CommonJS package loaded with require(), so NODE_PATH may point at the
// node_modules folder that `npm ci` filled (run.sh does this).
import { createHash } from 'node:crypto';
import { access, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startServer as startSitecycle, stopServer } from '../sitecycle_server.mjs';

const require = createRequire(import.meta.url);
const ExcelJS = require('exceljs');

const USAGE = 'usage: node browser_test.mjs --binary BINARY --source SOURCE_DIR --build BUILD_DIR';
const CHROMIUM_PATH = '/usr/bin/chromium'; // Debian's chromium package
const SERVER_START_TIMEOUT_MS = 60_000; // sanitizer builds start slowly
const REQUEST_TIMEOUT_MS = 30_000; // API requests of the test itself
const LIVE_COMMENT = '信息公示已登记（浏览器测试：实时更新）';
const UI_TIMEOUT_MS = 20_000; // each wait for an element, a navigation or a response
const VIEWPORT = { width: 1366, height: 900 };

// Demo users (serve --demo writes their tokens to demo-tokens.json).
const SUPERVISOR = 'demo_district_eeb'; // Pudong ecology and environment bureau
const CITY_EEB = 'demo_city_eeb'; // may read every case
const CONSULTANT = 'demo_consultant'; // firm greenment

// A Pudong investigation whose report the demo data leaves submitted (report_submitted). Its
// consultancy is the firm xingdong_env, so demo_consultant may not see it.
const LATE_CASE = 'investigation_000002';
const REVIEW_START_TRANSITION = 'accept_for_review'; // starts the 20-working-day review deadline
const LATE_DEADLINE_RULE = 'review';
// What the supervisor fires on the case page. Pudong's bureau may fire it on a case under review,
// it requires no document, and its required input correction_items is a list, so the form gets
// a JSON field to fill.
const FIRED_TRANSITION = 'return_for_correction';
const TRANSITION_COMMENT = '请补充地下水采样点位说明（浏览器测试）';

// The Qingpu investigation on which the consultancy submits its report. The demo data leaves it
// in phase1 with no firm granted, so the setup lets the city bureau grant CONSULTANT's firm
// access and the consultancy start sampling (SAMPLING_TRANSITION). REPORT_TRANSITION is then
// open to the consultancy, and it requires a document of kind REPORT_KIND.
const REPORT_CASE = 'investigation_000001';
const SAMPLING_TRANSITION = 'start_sampling';
const REPORT_TRANSITION = 'submit_report';
const REPORT_KIND = 'investigation_report';
const REPORT_FILE_NAME = '调查报告.pdf';
const REPORT_COMMENT = '提交调查报告（浏览器测试）';
// A small file that starts like a PDF. The server stores any bytes, so it need not be a whole PDF.
const REPORT_FILE_BYTES = Buffer.from('%PDF-1.4\n% 浏览器测试的调查报告\n1 0 obj << /Type /Catalog >> endobj\n'
  + 'trailer << /Root 1 0 R >>\n%%EOF\n', 'utf8');

// The demo data has no deadlines, because the published examples give no date for the steps
// that would start a clock, and undated steps start none. So the test first serves the demo at
// SETUP_INSTANT (Monday 2 March 2026, 10:00 in Shanghai), where Pudong's bureau accepts
// LATE_CASE for review. That starts the review deadline, due on 30 March 2026 after 20 working
// days. The server then restarts on the same database at PINNED_INSTANT (Wednesday 1 April
// 2026, 10:00 in Shanghai). There the deadline is 2 working days overdue, so Pudong's bureau
// gets it with a red light and status breached. Its escalation to the city bureau, 5 working
// days after the breach, has not happened yet.
const SETUP_INSTANT = '2026-03-02T02:00:00Z';
const PINNED_INSTANT = '2026-04-01T02:00:00Z';
const PINNED_DATE = '2026-04-01'; // PINNED_INSTANT's date in Shanghai, for date inputs

// ---------------------------------------------------------------- command line

function readArguments() {
  let parsed;
  try {
    parsed = parseArgs({
      options: { binary: { type: 'string' }, source: { type: 'string' }, build: { type: 'string' } },
      strict: true,
    });
  } catch (error) {
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const { binary, source, build } = parsed.values;
  if (!binary || !source || !build) {
    console.error(`error: --binary, --source and --build are all required\n${USAGE}`);
    process.exit(2);
  }
  return { binary: path.resolve(binary), source: path.resolve(source), build: path.resolve(build) };
}

// ---------------------------------------------------------------- server

// Starts `serve --demo` in `folder`, which holds copies of workflows/ and examples/, with its
// clock at `now`. Resolves once the server prints its port. Each start appends to server.log.
async function startServer(binary, folder, webFolder, now) {
  const args = ['serve', '--demo', '--db', `sqlite:${path.join(folder, 's.db')}`, '--listen', '127.0.0.1:0',
    '--web', webFolder, '--now', now, '--lang', 'en'];
  return startSitecycle(binary, args, { folder, logPath: path.join(folder, 'server.log'), timeoutMs: SERVER_START_TIMEOUT_MS });
}

async function logTail(logPath, lines = 30) {
  try {
    return (await readFile(logPath, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(cannot read ${logPath}: ${error.message})`;
  }
}

// Returns the demo tokens by user id.
async function readTokens(folder) {
  const file = path.join(folder, 'demo-tokens.json');
  const { users } = JSON.parse(await readFile(file, 'utf8'));
  const tokens = {};
  for (const [user, entry] of Object.entries(users)) tokens[user] = entry.token;
  for (const user of [SUPERVISOR, CITY_EEB, CONSULTANT]) {
    if (!tokens[user]) throw new Error(`${file} has no token for the demo user ${user}`);
  }
  return tokens;
}

// ---------------------------------------------------------------- API

// Sends one API request. Resolves with the status, the ETag header and the parsed JSON body
// (null for a body that is not JSON).
async function callApi(port, token, target, { method = 'GET', body, headers = {}, language = 'zh-CN' } = {}) {
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

async function getJson(port, token, target, options) {
  const response = await callApi(port, token, target, options);
  if (response.status !== 200) {
    throw new Error(`GET /api/v1/${target} returned ${response.status}: ${JSON.stringify(response.json)}`);
  }
  return response.json;
}

// Returns every item of a paged list such as cases or events.
async function getAll(port, token, target) {
  const items = [];
  for (;;) {
    const separator = target.includes('?') ? '&' : '?';
    const page = await getJson(port, token, `${target}${separator}limit=500&offset=${items.length}`);
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

// Fires REVIEW_START_TRANSITION on LATE_CASE as the supervisor, which starts its review deadline
// at the server's clock.
async function startReviewDeadline(port, tokens) {
  const token = tokens[SUPERVISOR];
  const read = await callApi(port, token, `cases/${LATE_CASE}`);
  if (read.status !== 200) throw new Error(`GET /api/v1/cases/${LATE_CASE} as ${SUPERVISOR} returned ${read.status}`);
  if (read.json.state !== 'report_submitted') {
    throw new Error(`${LATE_CASE} is in state ${read.json.state}, but the test expects the demo data to leave it in report_submitted`);
  }
  const fired = await callApi(port, token, `cases/${LATE_CASE}/transitions/${REVIEW_START_TRANSITION}`, {
    method: 'POST',
    body: { comment: '受理评审（浏览器测试的准备步骤）' },
    headers: { 'If-Match': read.etag },
  });
  if (fired.status !== 200) {
    throw new Error(`POST ${REVIEW_START_TRANSITION} on ${LATE_CASE} returned ${fired.status}: ${JSON.stringify(fired.json)}`);
  }
}

// Lets CONSULTANT fire REPORT_TRANSITION on REPORT_CASE: the city bureau grants the
// consultancy's firm access to the case, and the consultancy fires SAMPLING_TRANSITION.
async function prepareReportCase(port, tokens) {
  const me = await getJson(port, tokens[CONSULTANT], 'me');
  const firm = me.organisation.id;
  const cityRead = await callApi(port, tokens[CITY_EEB], `cases/${REPORT_CASE}`);
  if (cityRead.status !== 200) throw new Error(`GET /api/v1/cases/${REPORT_CASE} as ${CITY_EEB} returned ${cityRead.status}`);
  if (cityRead.json.state !== 'phase1') {
    throw new Error(`${REPORT_CASE} is in state ${cityRead.json.state}, but the test expects the demo data to leave it in phase1`);
  }
  const granted = await callApi(port, tokens[CITY_EEB], `cases/${REPORT_CASE}/parties`, {
    method: 'POST',
    body: { org_id: firm },
  });
  if (granted.status !== 201) {
    throw new Error(`POST /api/v1/cases/${REPORT_CASE}/parties for ${firm} returned ${granted.status}: ${JSON.stringify(granted.json)}`);
  }

  const read = await callApi(port, tokens[CONSULTANT], `cases/${REPORT_CASE}`);
  if (read.status !== 200) throw new Error(`GET /api/v1/cases/${REPORT_CASE} as ${CONSULTANT} returned ${read.status} after the grant`);
  const fired = await callApi(port, tokens[CONSULTANT], `cases/${REPORT_CASE}/transitions/${SAMPLING_TRANSITION}`, {
    method: 'POST',
    body: { comment: '开展初步采样（浏览器测试的准备步骤）' },
    headers: { 'If-Match': read.etag },
  });
  if (fired.status !== 200) {
    throw new Error(`POST ${SAMPLING_TRANSITION} on ${REPORT_CASE} returned ${fired.status}: ${JSON.stringify(fired.json)}`);
  }
}

// Checks through the API that LATE_CASE's review deadline is overdue and red for the supervisor,
// so that a failure of the UI scenarios is not a failure of the test data. Returns the number
// of overdue deadlines of the supervisor.
async function checkOverdueDeadline(port, tokens) {
  const page = await getJson(port, tokens[SUPERVISOR], 'deadlines?status=overdue&limit=500');
  const late = page.items.find((item) => item.case_id === LATE_CASE && item.rule === LATE_DEADLINE_RULE);
  if (!late) {
    throw new Error(`at ${PINNED_INSTANT} GET /api/v1/deadlines?status=overdue as ${SUPERVISOR} lists no ${LATE_DEADLINE_RULE} `
      + `deadline of ${LATE_CASE}; it lists ${JSON.stringify(page.items.map((item) => [item.case_id, item.rule, item.due_on]))}`);
  }
  if (late.light !== 'red') throw new Error(`the overdue deadline of ${LATE_CASE} has light ${late.light}, expected red`);
  return page.total;
}

// ---------------------------------------------------------------- checks and records

class CheckFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

// Requests, responses and console messages of every page, for scenario 5.
function createRecords(port) {
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

function recordPage(context, page, records, scenario) {
  context.on('request', (request) => {
    records.requests.push({ scenario, method: request.method(), url: request.url() });
  });
  context.on('requestfailed', (request) => {
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

function isExpectedError(records, scenario, method, url, status) {
  const { pathname } = new URL(url);
  return records.expectedErrors.some((expected) => expected.scenario === scenario && expected.method === method
    && expected.pathname === pathname && expected.status === status);
}

// ---------------------------------------------------------------- page helpers

// Opens a page in a new browser context, so that each scenario starts signed out with the
// default language (the token lives in sessionStorage and the language in localStorage).
async function openPage(browser, records, scenario) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  recordPage(context, page, records, scenario);
  return { context, page };
}

// Waits until no Element Plus loading mask (v-loading) is visible, so that screenshots and row
// reads see loaded data.
async function waitForLoaded(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.el-loading-mask')]
    .every((mask) => mask.offsetParent === null || getComputedStyle(mask).display === 'none'));
}

// Saves the visible part of the page as NAME.png, with CSS animations and transitions finished.
async function saveScreen(page, folder, name) {
  await waitForLoaded(page);
  await page.screenshot({ path: path.join(folder, `${name}.png`), animations: 'disabled' });
}

// Signs in on the sign-in page by pasting the token, and waits for the header with the user's
// name. `me` is the GET /api/v1/me response for the token.
async function signIn(page, token, me) {
  await page.getByTestId('sign-in-token').fill(token);
  await page.getByTestId('sign-in-submit').click();
  const name = page.getByTestId('header-user-name');
  await name.waitFor();
  check((await name.textContent()).trim() === me.user.name,
    `the header shows the user "${await name.textContent()}", expected "${me.user.name}"`);
}

function hashOf(page) {
  return new URL(page.url()).hash;
}

async function waitForHash(page, expected) {
  await page.waitForURL((url) => url.hash === expected);
}

// Returns the CSS color that `cssColor` (such as "var(--el-color-danger)") computes to on the page.
async function computedColor(page, cssColor) {
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
function localized(text, locale) {
  if (text == null) return null;
  if (typeof text === 'string') return text;
  return text[locale] || text['zh-CN'] || null;
}

// Fills a vue-i18n message's {name} placeholders.
function fillMessage(message, values) {
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// ---------------------------------------------------------------- transition form

// Returns a valid value for a field spec of GET /api/v1/workflows. Scalars get the first
// enumeration value, true, the smallest allowed number, PINNED_DATE or a text of the allowed
// length. Lists and objects are built the same way from their items or required members.
function sampleValue(spec) {
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

// Enters `value` into the form item of one field, with the control FieldInput.vue renders for
// the field's type.
// NOTE: the required inputs of FIRED_TRANSITION (a list) and REPORT_TRANSITION (an enumeration and
// an integer) run the list, enum and integer branches. The boolean, date and text branches run
// only when a transition or its workflow changes.
async function fillField(page, formItem, spec, value) {
  switch (spec?.type) {
    case 'enum':
    case 'boolean': {
      // The options are in the order of the spec's values (yes before no), and sampleValue picks
      // the first, so the test clicks the first option of the dropdown that opens.
      await formItem.locator('.el-select__wrapper').click();
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
      break;
    }
    case 'integer':
    case 'number':
      await formItem.locator('.el-input-number input').fill(String(value));
      await formItem.locator('.el-input-number input').press('Tab');
      break;
    case 'date':
      await formItem.locator('input').fill(value);
      await formItem.locator('input').press('Enter');
      break;
    case 'list':
    case 'object':
      await formItem.locator('textarea').fill(JSON.stringify(value));
      break;
    default:
      await formItem.locator('input').fill(String(value));
  }
}

// Fills every required input of `transition` in the open form `dialog` by its type. Returns the
// input object that the form is expected to send.
async function fillRequiredInputs(page, dialog, workflow, transition) {
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

// ---------------------------------------------------------------- scenarios

// 1. Sign-in, header, red overdue counter, deadline list with a red light, the late case with
// its timeline, and a transition whose new event appears in the timeline.
async function supervisorFlow({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const me = await getJson(port, token, 'me');
  const overdueTotal = await checkOverdueDeadline(port, tokens);

  await page.goto(`${records.origin}/`);
  await page.getByTestId('sign-in-token').waitFor();
  check(hashOf(page).startsWith('#/sign-in'), `a signed-out visit to / shows ${hashOf(page)}, expected the sign-in page`);
  await saveScreen(page, screens, 'sign-in');

  await signIn(page, token, me);
  await waitForHash(page, '#/');
  const organisation = (await page.getByTestId('header-organisation').textContent()).trim();
  check(organisation === me.organisation.name, `the header shows the organisation "${organisation}", expected "${me.organisation.name}"`);

  // The overdue counter: the API's total, drawn in the danger (red) color.
  const counter = page.getByTestId('overdue-counter');
  const counterValue = page.getByTestId('overdue-counter-value');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="overdue-counter-value"]')?.textContent ?? ''));
  const counterTotal = Number((await counterValue.textContent()).replace(/[^\d]/g, ''));
  check(counterTotal > 0, `the overdue counter shows ${counterTotal}, expected more than 0`);
  check(counterTotal === overdueTotal,
    `the overdue counter shows ${counterTotal}, but GET /api/v1/deadlines?status=overdue has total ${overdueTotal}`);
  check(await counter.evaluate((element) => element.classList.contains('red')), 'the overdue counter lacks the class "red"');
  const danger = await computedColor(page, 'var(--el-color-danger)');
  const valueColor = await counterValue.evaluate((element) => getComputedStyle(element).color);
  check(valueColor === danger, `the overdue counter's number has color ${valueColor}, expected the danger color ${danger}`);
  // The pipeline by stage shows the open investigations the API counts.
  const statistics = await getJson(port, tokens[SUPERVISOR], 'statistics/cases');
  const investigations = statistics.open_by_workflow.find((item) => item.workflow === 'investigation');
  const investigationCount = page.getByTestId('stage-investigation').getByTestId('stage-count');
  await page.waitForFunction((expected) => document.querySelector(
    '[data-testid="stage-investigation"] [data-testid="stage-count"]')?.textContent.trim() === expected,
  String(investigations?.count ?? 0));
  check((await investigationCount.textContent()).trim() === String(investigations?.count ?? 0),
    `the investigation stage shows ${await investigationCount.textContent()}, the API counts ${investigations?.count ?? 0}`);
  await saveScreen(page, screens, 'home');

  // The case list, through the menu, and back home.
  await page.locator('.el-menu-item', { hasText: zh.nav.cases }).click();
  await waitForHash(page, '#/cases');
  await page.getByTestId('case-row').first().waitFor();
  await waitForLoaded(page);
  check(await page.locator(`[data-testid="case-row"][data-case-id="${LATE_CASE}"]`).count() === 1,
    `the case list of ${SUPERVISOR} has no row for ${LATE_CASE}`);
  await saveScreen(page, screens, 'case-list');
  await checkXlsxExport(page, port, tokens, zh, screens);
  await page.locator('.el-menu-item', { hasText: zh.nav.home }).click();
  await waitForHash(page, '#/');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="overdue-counter-value"]')?.textContent ?? ''));

  // The deadline list, filtered to overdue deadlines, with LATE_CASE's red light.
  await counter.click();
  await waitForHash(page, '#/deadlines?status=overdue');
  await page.getByTestId('deadline-row').first().waitFor();
  await waitForLoaded(page);
  const lateRow = page.locator('.el-table__row').filter({ has: page.locator(`[data-case-id="${LATE_CASE}"]`) });
  check(await lateRow.count() === 1, `the overdue deadline list has ${await lateRow.count()} row(s) for ${LATE_CASE}, expected 1`);
  const rowLight = lateRow.getByTestId('deadline-light');
  check(await rowLight.getAttribute('data-light') === 'red',
    `the light of ${LATE_CASE} in the deadline list is "${await rowLight.getAttribute('data-light')}", expected "red"`);
  check(await rowLight.evaluate((element) => element.classList.contains('el-tag--danger')),
    `the light of ${LATE_CASE} in the deadline list is not drawn as a danger (red) tag`);
  await saveScreen(page, screens, 'deadline-list');

  // The case page: title, red light in its deadlines, and a timeline.
  await lateRow.getByTestId('deadline-row').click();
  await waitForHash(page, `#/cases/${LATE_CASE}`);
  await page.getByTestId('case-data').waitFor();
  await page.getByTestId('timeline-item').first().waitFor();
  await waitForLoaded(page);
  check((await page.getByTestId('case-title').textContent()).trim() === LATE_CASE, `the case page title is not ${LATE_CASE}`);
  check(await page.getByTestId('case-deadlines').locator('[data-testid="deadline-light"][data-light="red"]').count() > 0,
    `the deadlines of the case page of ${LATE_CASE} show no red light`);
  const eventsBefore = new Set(await page.getByTestId('timeline-item').evaluateAll(
    (items) => items.map((item) => item.getAttribute('data-event-id'))));
  await saveScreen(page, screens, 'case-page');

  // The transition form: every required input is filled by its type, then a comment.
  const workflows = await getAll(port, token, 'workflows');
  const caseRead = await callApi(port, token, `cases/${LATE_CASE}`);
  check(caseRead.status === 200, `GET /api/v1/cases/${LATE_CASE} as ${SUPERVISOR} returned ${caseRead.status}`);
  const caseDetail = caseRead.json;
  const workflow = workflows.find((item) => item.id === caseDetail.workflow);
  const transition = workflow.transitions.find((item) => item.id === FIRED_TRANSITION);
  const available = caseDetail.transitions.find((item) => item.id === FIRED_TRANSITION);
  check(available?.guard_holds, `${SUPERVISOR} may not fire ${FIRED_TRANSITION} on ${LATE_CASE} (state ${caseDetail.state})`);
  const title = localized(transition.title, 'zh-CN');

  const button = page.locator(`[data-testid="transition-button"][data-transition-id="${FIRED_TRANSITION}"]`);
  check(await button.isEnabled(), `the button of ${FIRED_TRANSITION} on the case page is disabled`);
  await button.click();
  const dialog = page.getByTestId('transition-dialog');
  await dialog.waitFor();
  const expectedInput = await fillRequiredInputs(page, dialog, workflow, transition);
  await dialog.getByTestId('transition-comment').fill(TRANSITION_COMMENT);

  const responsePromise = page.waitForResponse((response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === `/api/v1/cases/${LATE_CASE}/transitions/${FIRED_TRANSITION}`);
  await dialog.getByTestId('transition-form-submit').click();
  const response = await responsePromise;
  const sent = response.request().postDataJSON();
  check(response.status() === 200, `POST ${FIRED_TRANSITION} returned ${response.status()}: ${await response.text()}`);
  const ifMatch = response.request().headers()['if-match'];
  check(ifMatch === caseRead.etag, `POST ${FIRED_TRANSITION} was sent with If-Match ${ifMatch}, expected the case's ETag ${caseRead.etag}`);
  check(isDeepStrictEqual(sent.input, expectedInput),
    `the form sent the input ${JSON.stringify(sent.input)}, expected ${JSON.stringify(expectedInput)}`);
  check(sent.comment === TRANSITION_COMMENT, `the form sent the comment ${JSON.stringify(sent.comment)}`);
  await dialog.waitFor({ state: 'hidden' });

  // The new event in the timeline, with the transition's title and the comment.
  const newEvent = page.getByTestId('timeline-item').filter({ hasText: TRANSITION_COMMENT });
  await newEvent.waitFor();
  const eventId = await newEvent.getAttribute('data-event-id');
  check(!eventsBefore.has(eventId), `the timeline item with the comment (event ${eventId}) was there before the transition`);
  check((await newEvent.textContent()).includes(title), `the new timeline item does not name the transition "${title}"`);
  const done = fillMessage(zh.transition.done, { name: title });
  await page.locator('.el-message--success', { hasText: done }).waitFor();

  // A step taken elsewhere (here through the API) reaches the open page through the event
  // stream, without a reload.
  const read = await callApi(port, tokens[SUPERVISOR], `cases/${LATE_CASE}`);
  const elsewhere = await callApi(port, tokens[SUPERVISOR], `cases/${LATE_CASE}/transitions/record_notice`, {
    method: 'POST',
    body: { input: { notice_date: '2026-03-31' }, comment: LIVE_COMMENT },
    headers: { 'If-Match': read.etag },
  });
  check(elsewhere.status === 200, `POST record_notice through the API returned ${elsewhere.status}: ${JSON.stringify(elsewhere.json)}`);
  await page.getByTestId('timeline-item').filter({ hasText: LIVE_COMMENT }).waitFor();
}

// Checks the labels that name the screen and the navigation in one language.
// Clicks the Excel export of the (unfiltered) case list, and reads the downloaded workbook back:
// the Chinese header row, and one row per case the list counts, the overdue case among them.
async function checkXlsxExport(page, port, tokens, zh, screens) {
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('case-export-xlsx').click();
  const download = await downloadPromise;
  check(download.suggestedFilename().endsWith('.xlsx'), `the export is named ${download.suggestedFilename()}, expected an .xlsx file`);
  const file = path.join(path.dirname(screens), 'cases-export.xlsx');
  await download.saveAs(file);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  check(sheet !== undefined, 'the exported workbook has no sheet');
  const header = sheet.getRow(1).values.slice(1);
  check(isDeepStrictEqual(header.slice(0, 4), ['案件编号', '名称', '流程', '状态']),
    `the exported header row is ${JSON.stringify(header)}, expected it to start with 案件编号, 名称, 流程, 状态`);
  const ids = [];
  sheet.eachRow((row, number) => { if (number > 1) ids.push(row.getCell(1).value); });
  const listed = await getJson(port, tokens[SUPERVISOR], 'cases?limit=1');
  check(ids.length === listed.total, `the workbook has ${ids.length} case rows, the list counts ${listed.total}`);
  check(ids.includes(LATE_CASE), `the workbook has no row for ${LATE_CASE}`);
}

async function checkLabels(page, table, locale) {
  const menu = await page.locator('.el-menu-item').allTextContents();
  const expectedMenu = [table.nav.home, table.nav.cases, table.nav.deadlines];
  check(isDeepStrictEqual(menu.map((text) => text.trim()), expectedMenu),
    `in ${locale} the menu shows ${JSON.stringify(menu)}, expected ${JSON.stringify(expectedMenu)}`);
  const heading = (await page.locator('h1.page-title').textContent()).trim();
  check(heading === table.home.title, `in ${locale} the home page title is "${heading}", expected "${table.home.title}"`);
  const counterText = await page.getByTestId('overdue-counter').textContent();
  check(counterText.includes(table.home.overdue), `in ${locale} the overdue counter does not show "${table.home.overdue}"`);
  const signOut = (await page.getByTestId('sign-out-button').textContent()).trim();
  check(signOut === table.header.signOut, `in ${locale} the sign-out button shows "${signOut}", expected "${table.header.signOut}"`);
  const documentLanguage = await page.evaluate(() => document.documentElement.lang);
  check(documentLanguage === locale, `in ${locale} the page's lang attribute is "${documentLanguage}"`);
  const documentTitle = await page.title();
  check(documentTitle === table.app.title, `in ${locale} the document title is "${documentTitle}", expected "${table.app.title}"`);
}

// Switches the language with the header switch, and waits for the user's role title that the
// server returns in that language (GET /api/v1/me is sent again with the new Accept-Language).
async function switchLanguage(page, locale, roleTitle) {
  const meRequest = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/me');
  await page.getByTestId('language-switch').locator(`[data-locale="${locale}"]`).click();
  const request = await meRequest;
  check(request.headers()['accept-language'] === locale,
    `after switching to ${locale} GET /api/v1/me was sent with Accept-Language ${request.headers()['accept-language']}`);
  await page.getByTestId('header-role').filter({ hasText: roleTitle }).waitFor();
}

// 2. The language switch: English labels and user titles, kept after a reload, then Chinese again.
// A city-level supervisor reaches a district's overdue deadlines in one click from the home page.
async function cityDistricts({ page, port, tokens, records }) {
  const token = tokens[CITY_EEB];
  const expected = await getJson(port, token, 'deadlines?status=overdue&district=pudong&limit=1');
  check(expected.total > 0, `the demo has no overdue deadline in Pudong for ${CITY_EEB}`);
  await page.goto(`${records.origin}/`);
  await signIn(page, token, await getJson(port, token, 'me'));
  const pudong = page.getByTestId('district-overdue').locator('[data-district="pudong"]');
  await page.waitForFunction((total) => document.querySelector(
    '[data-testid="district-overdue"] [data-district="pudong"] .count')?.textContent.trim() === total,
  String(expected.total));
  await pudong.click();
  await waitForHash(page, '#/deadlines?status=overdue&district=pudong');
  await page.locator(`[data-testid="deadline-row"][data-case-id="${LATE_CASE}"]`).waitFor();
}

async function languageSwitch({ page, port, tokens, messages, records }) {
  const token = tokens[SUPERVISOR];
  const meZh = await getJson(port, token, 'me');
  const meEn = await getJson(port, token, 'me', { language: 'en' });

  await page.goto(`${records.origin}/`);
  await signIn(page, token, meZh);
  await page.getByTestId('overdue-counter').waitFor();
  await checkLabels(page, messages['zh-CN'], 'zh-CN');

  await switchLanguage(page, 'en', meEn.user.role_title);
  await page.locator('.el-menu-item', { hasText: messages.en.nav.home }).waitFor();
  await checkLabels(page, messages.en, 'en');
  const organisation = (await page.getByTestId('header-organisation').textContent()).trim();
  check(organisation === meEn.organisation.name, `in en the header shows the organisation "${organisation}", expected "${meEn.organisation.name}"`);

  await page.reload();
  await page.getByTestId('overdue-counter').waitFor();
  await checkLabels(page, messages.en, 'en');

  await switchLanguage(page, 'zh-CN', meZh.user.role_title);
  await page.locator('.el-menu-item', { hasText: messages['zh-CN'].nav.home }).waitFor();
  await checkLabels(page, messages['zh-CN'], 'zh-CN');
}

// Returns the ids of the cases that the consultancy `org` acted on or was granted, read with
// the city bureau's token, which may read every case.
async function casesOfFirm(port, tokens, org) {
  const token = tokens[CITY_EEB];
  const ids = [];
  for (const item of await getAll(port, token, 'cases')) {
    const detail = await getJson(port, token, `cases/${item.id}`);
    const granted = detail.parties.some((party) => party.org_id === org);
    const events = await getAll(port, token, `cases/${item.id}/events`);
    if (granted || events.some((event) => event.actor?.org === org)) ids.push(item.id);
  }
  return ids.sort();
}

// 3. The case list of a consultancy contains only its firm's cases, and another firm's case
// shows a not-found message.
async function consultantScope({ page, port, tokens, messages, records, scenario }) {
  const zh = messages['zh-CN'];
  const token = tokens[CONSULTANT];
  const me = await getJson(port, token, 'me');
  const expected = await casesOfFirm(port, tokens, me.organisation.id);
  check(expected.length > 0, `the demo data has no case that the firm ${me.organisation.id} acted on or was granted`);
  check(!expected.includes(LATE_CASE), `the firm ${me.organisation.id} may see ${LATE_CASE}, so it cannot serve as a hidden case`);

  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await page.locator('.el-menu-item', { hasText: zh.nav.cases }).click();
  await waitForHash(page, '#/cases');
  await page.getByTestId('case-row').first().waitFor();
  await waitForLoaded(page);
  const listedCases = (await page.getByTestId('case-row').evaluateAll(
    (rows) => rows.map((row) => row.getAttribute('data-case-id')))).sort();
  check(isDeepStrictEqual(listedCases, expected),
    `the case list of ${CONSULTANT} shows ${JSON.stringify(listedCases)}, expected only the cases of its firm ${JSON.stringify(expected)}`);
  const totalText = await page.getByTestId('pagination-total').textContent();
  const expectedTotal = fillMessage(zh.common.total, { count: expected.length });
  check(totalText.trim() === expectedTotal, `the case list total reads "${totalText.trim()}", expected "${expectedTotal}"`);

  // Another firm's case: the API returns 404 for the case and its events.
  for (const pathname of [`/api/v1/cases/${LATE_CASE}`, `/api/v1/cases/${LATE_CASE}/events`]) {
    records.expectedErrors.push({ scenario, method: 'GET', pathname, status: 404 });
  }
  const caseResponse = page.waitForResponse((response) => new URL(response.url()).pathname === `/api/v1/cases/${LATE_CASE}`);
  await page.goto(`${records.origin}/#/cases/${LATE_CASE}`);
  check((await caseResponse).status() === 404, `GET /api/v1/cases/${LATE_CASE} as ${CONSULTANT} returned ${(await caseResponse).status()}, expected 404`);
  await page.getByTestId('case-error').filter({ hasText: zh.case.notFound }).waitFor();
  await waitForLoaded(page);
  check(await page.getByTestId('case-data').count() === 0, `the case page shows the data of ${LATE_CASE} to ${CONSULTANT}`);
  check(await page.getByTestId('transition-button').count() === 0, `the case page shows transitions of ${LATE_CASE} to ${CONSULTANT}`);
  check(await page.getByTestId('timeline-item').count() === 0, `the case page shows the history of ${LATE_CASE} to ${CONSULTANT}`);
}

// 4. A consultancy submits its investigation report from the case page. Without a file the server
// rejects the step with 409 documents_missing, which the form shows. With a file chosen, the
// form uploads it with its kind and title, and the step hands it in.
async function reportUpload({ page, port, tokens, messages, screens, records, scenario }) {
  const zh = messages['zh-CN'];
  const token = tokens[CONSULTANT];
  const me = await getJson(port, token, 'me');
  const transitionPath = `/api/v1/cases/${REPORT_CASE}/transitions/${REPORT_TRANSITION}`;
  const documentsPath = `/api/v1/cases/${REPORT_CASE}/documents`;

  // Through the API: the step is open to the consultancy and requires the report, and the case
  // has no document of that title yet.
  const workflows = await getAll(port, token, 'workflows');
  const caseRead = await callApi(port, token, `cases/${REPORT_CASE}`);
  check(caseRead.status === 200, `GET /api/v1/cases/${REPORT_CASE} as ${CONSULTANT} returned ${caseRead.status}`);
  const caseDetail = caseRead.json;
  const workflow = workflows.find((item) => item.id === caseDetail.workflow);
  const transition = workflow.transitions.find((item) => item.id === REPORT_TRANSITION);
  check(transition?.required_documents?.includes(REPORT_KIND),
    `${REPORT_TRANSITION} of the workflow ${workflow.id} does not require a document of kind ${REPORT_KIND}`);
  const available = caseDetail.transitions.find((item) => item.id === REPORT_TRANSITION);
  check(available?.guard_holds, `${CONSULTANT} may not fire ${REPORT_TRANSITION} on ${REPORT_CASE} (state ${caseDetail.state})`);
  const documentsBefore = (await getJson(port, token, `cases/${REPORT_CASE}/documents`)).items;
  check(!documentsBefore.some((item) => item.title === REPORT_FILE_NAME),
    `${REPORT_CASE} already has a document titled ${REPORT_FILE_NAME} before the browser uploads one`);
  const title = localized(transition.title, 'zh-CN');
  const kindTitle = localized(workflow.documents.find((kind) => kind.id === REPORT_KIND)?.title, 'zh-CN');
  check(kindTitle, `the workflow ${workflow.id} has no title for the document kind ${REPORT_KIND}`);

  // The case page, opened from the case list.
  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await page.locator('.el-menu-item', { hasText: zh.nav.cases }).click();
  await waitForHash(page, '#/cases');
  await page.locator(`[data-testid="case-row"][data-case-id="${REPORT_CASE}"]`).click();
  await waitForHash(page, `#/cases/${REPORT_CASE}`);
  await page.getByTestId('case-data').waitFor();
  await page.getByTestId('timeline-item').first().waitFor();
  await waitForLoaded(page);
  const eventsBefore = new Set(await page.getByTestId('timeline-item').evaluateAll(
    (items) => items.map((item) => item.getAttribute('data-event-id'))));

  // The form: a file input for the report, marked required, then the required inputs.
  const button = page.locator(`[data-testid="transition-button"][data-transition-id="${REPORT_TRANSITION}"]`);
  check(await button.isEnabled(), `the button of ${REPORT_TRANSITION} on the case page is disabled`);
  await button.click();
  const dialog = page.getByTestId('transition-dialog');
  await dialog.waitFor();
  const documentRow = dialog.locator(`[data-document-kind="${REPORT_KIND}"]`);
  check(await documentRow.count() === 1, `the form of ${REPORT_TRANSITION} has ${await documentRow.count()} row(s) for ${REPORT_KIND}, expected 1`);
  const documentRowText = await documentRow.textContent();
  check(documentRowText.includes(kindTitle), `the document row of ${REPORT_KIND} reads "${documentRowText.trim()}", without the title "${kindTitle}"`);
  check(documentRowText.includes(zh.transition.requiredDocument),
    `the document row of ${REPORT_KIND} is not marked "${zh.transition.requiredDocument}"`);
  const fileInput = documentRow.getByTestId(`document-file-${REPORT_KIND}`);
  check(await fileInput.count() === 1, `the document row of ${REPORT_KIND} has no file input document-file-${REPORT_KIND}`);
  const expectedInput = await fillRequiredInputs(page, dialog, workflow, transition);
  await dialog.getByTestId('transition-comment').fill(REPORT_COMMENT);

  const uploads = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === documentsPath) uploads.push(request);
  });
  const isTransitionResponse = (response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === transitionPath;

  // Submitted without a file: nothing is uploaded, and the server's 409 names the missing report.
  records.expectedErrors.push({ scenario, method: 'POST', pathname: transitionPath, status: 409 });
  const rejectedPromise = page.waitForResponse(isTransitionResponse);
  await dialog.getByTestId('transition-form-submit').click();
  const rejected = await rejectedPromise;
  check(rejected.status() === 409, `POST ${REPORT_TRANSITION} without a file returned ${rejected.status()}, expected 409: ${await rejected.text()}`);
  const problem = await rejected.json();
  check(problem.code === 'documents_missing', `POST ${REPORT_TRANSITION} without a file returned the problem ${problem.code}, expected documents_missing`);
  check(isDeepStrictEqual(problem.missing_documents, [REPORT_KIND]),
    `the 409 lists the missing documents ${JSON.stringify(problem.missing_documents)}, expected ${JSON.stringify([REPORT_KIND])}`);
  check(uploads.length === 0, `the form sent ${uploads.length} upload(s) with no file chosen`);
  check(rejected.request().postDataJSON().documents === undefined, `the form sent documents with no file chosen`);
  const alert = dialog.getByTestId('transition-problem');
  await alert.waitFor();
  const alertText = await alert.textContent();
  const expectedStart = zh.transition.documentsMissing.split('{list}')[0];
  check(alertText.includes(expectedStart), `the form shows "${alertText.trim()}", expected it to start with "${expectedStart}"`);
  check(alertText.includes(kindTitle), `the form's error "${alertText.trim()}" does not name the missing document "${kindTitle}"`);
  check(await dialog.isVisible(), 'the form closed after the 409');
  // The form scrolls its error, at the top, into view after a click on the submit button.
  const box = await alert.boundingBox();
  check(box !== null && box.y >= 0, `the form's error is above the visible area (y = ${box?.y})`);
  await saveScreen(page, screens, 'report-documents-missing');

  // Submitted with the file: one upload with the kind, title, type and bytes, then the step.
  await fileInput.setInputFiles({ name: REPORT_FILE_NAME, mimeType: 'application/pdf', buffer: REPORT_FILE_BYTES });
  const uploadPromise = page.waitForResponse((response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === documentsPath);
  const firedPromise = page.waitForResponse(isTransitionResponse);
  await dialog.getByTestId('transition-form-submit').click();
  const uploadResponse = await uploadPromise;
  const upload = uploadResponse.request();
  check(uploadResponse.status() === 201, `POST ${documentsPath} returned ${uploadResponse.status()}, expected 201: ${await uploadResponse.text()}`);
  const uploadUrl = new URL(upload.url());
  check(uploadUrl.searchParams.get('kind') === REPORT_KIND,
    `the upload was sent with kind ${uploadUrl.searchParams.get('kind')}, expected ${REPORT_KIND}`);
  check(uploadUrl.searchParams.get('title') === REPORT_FILE_NAME,
    `the upload was sent with title ${uploadUrl.searchParams.get('title')}, expected ${REPORT_FILE_NAME}`);
  const uploadType = upload.headers()['content-type'];
  check(uploadType === 'application/pdf', `the upload was sent with Content-Type ${uploadType}, expected application/pdf`);
  // NOTE: upload.postDataBuffer() returns null for this request (playwright-core 1.65 with
  // Chromium 156), because Chromium does not pass a body read from a File to the DevTools
  // protocol. So the size and SHA-256 that the server computed from the body it received stand
  // in for the sent bytes, and the download at the end compares the bytes themselves.
  const uploaded = await uploadResponse.json();
  const digest = createHash('sha256').update(REPORT_FILE_BYTES).digest('hex');
  check(uploaded.size === REPORT_FILE_BYTES.length,
    `the server received an upload of ${uploaded.size} bytes, expected the ${REPORT_FILE_BYTES.length} bytes of the chosen file`);
  check(uploaded.sha256 === digest, `the server received an upload with SHA-256 ${uploaded.sha256}, expected ${digest} of the chosen file`);

  const fired = await firedPromise;
  check(fired.status() === 200, `POST ${REPORT_TRANSITION} with the file returned ${fired.status()}: ${await fired.text()}`);
  check(uploads.length === 1, `the form sent ${uploads.length} uploads for one chosen file`);
  const sent = fired.request().postDataJSON();
  check(isDeepStrictEqual(sent.documents, [uploaded.id]),
    `the form sent the documents ${JSON.stringify(sent.documents)}, expected the uploaded ${JSON.stringify([uploaded.id])}`);
  check(isDeepStrictEqual(sent.input, expectedInput),
    `the form sent the input ${JSON.stringify(sent.input)}, expected ${JSON.stringify(expectedInput)}`);
  check(sent.comment === REPORT_COMMENT, `the form sent the comment ${JSON.stringify(sent.comment)}`);
  const ifMatch = fired.request().headers()['if-match'];
  check(ifMatch === caseRead.etag, `POST ${REPORT_TRANSITION} was sent with If-Match ${ifMatch}, expected the case's ETag ${caseRead.etag}`);
  await dialog.waitFor({ state: 'hidden' });

  // The new event in the timeline, with the transition's title and the comment.
  const newEvent = page.getByTestId('timeline-item').filter({ hasText: REPORT_COMMENT });
  await newEvent.waitFor();
  const eventId = await newEvent.getAttribute('data-event-id');
  check(!eventsBefore.has(eventId), `the timeline item with the comment (event ${eventId}) was there before the transition`);
  check((await newEvent.textContent()).includes(title), `the new timeline item does not name the transition "${title}"`);
  await page.locator('.el-message--success', { hasText: fillMessage(zh.transition.done, { name: title }) }).waitFor();
  // The case page lists the document, handed in with the step.
  const listed = page.getByTestId('case-documents').locator(`[data-document-id="${uploaded.id}"]`);
  await listed.waitFor();
  check((await listed.textContent()).trim() === REPORT_FILE_NAME,
    `the case page lists the document as "${(await listed.textContent()).trim()}", expected "${REPORT_FILE_NAME}"`);
  await saveScreen(page, screens, 'report-submitted');

  // Through the API: the case moved on, and its documents list the file, handed in by the new
  // event, with the bytes of the chosen file.
  const caseAfter = await getJson(port, token, `cases/${REPORT_CASE}`);
  check(caseAfter.state === available.to, `${REPORT_CASE} is in state ${caseAfter.state} after ${REPORT_TRANSITION}, expected ${available.to}`);
  const documents = (await getJson(port, token, `cases/${REPORT_CASE}/documents`)).items;
  const reports = documents.filter((item) => item.title === REPORT_FILE_NAME);
  check(reports.length === 1,
    `GET ${documentsPath} lists ${reports.length} document(s) titled ${REPORT_FILE_NAME}, expected 1: ${JSON.stringify(documents)}`);
  const [report] = reports;
  check(report.id === uploaded.id, `the document titled ${REPORT_FILE_NAME} is ${report.id}, expected the uploaded ${uploaded.id}`);
  check(report.kind === REPORT_KIND, `the document ${report.id} has kind ${report.kind}, expected ${REPORT_KIND}`);
  check(String(report.event_id) === eventId,
    `the document ${report.id} was handed in by event ${report.event_id}, expected the new event ${eventId}`);
  check(report.uploaded_by?.user === CONSULTANT,
    `the document ${report.id} was uploaded by ${JSON.stringify(report.uploaded_by)}, expected ${CONSULTANT}`);
  check(report.sha256 === digest, `the document ${report.id} has SHA-256 ${report.sha256}, expected ${digest} of the chosen file`);
  const contentPath = `${documentsPath}/${report.id}/content`;
  const content = await fetch(`${records.origin}${contentPath}`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  check(content.status === 200, `GET ${contentPath} returned ${content.status}`);
  const downloaded = Buffer.from(await content.arrayBuffer());
  check(downloaded.equals(REPORT_FILE_BYTES),
    `GET ${contentPath} returned ${downloaded.length} bytes that differ from the ${REPORT_FILE_BYTES.length} bytes of the chosen file`);
  const event = (await getAll(port, token, `cases/${REPORT_CASE}/events`)).find((item) => String(item.id) === eventId);
  check(event?.transition === REPORT_TRANSITION, `the event ${eventId} is ${JSON.stringify(event?.transition)}, expected ${REPORT_TRANSITION}`);
}

// 5. What the pages of scenarios 1 to 4 logged and requested.
function pageHealth(records) {
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

// ---------------------------------------------------------------- main

// Loads the dashboard's message tables, the source of the labels the scenarios expect.
async function loadMessages(source) {
  const folder = path.join(source, 'api', 'web', 'src', 'i18n');
  const tables = {};
  for (const [locale, file] of [['zh-CN', 'zh-CN.js'], ['en', 'en.js']]) {
    tables[locale] = (await import(pathToFileURL(path.join(folder, file)).href)).default;
  }
  return tables;
}

// Runs one browser scenario in its own context. Returns true when it passes. On a failure the
// page is saved as <name>-failure.png in the output folder.
async function runScenario(name, scenario, { browser, records, output, ...shared }) {
  const started = Date.now();
  const { context, page } = await openPage(browser, records, name);
  let passed = false;
  try {
    await scenario({ page, records, scenario: name, ...shared });
    passed = true;
  } catch (error) {
    const shot = path.join(output, `${name}-failure.png`);
    try {
      await page.screenshot({ path: shot, fullPage: true });
    } catch (screenshotError) {
      console.error(`  (no screenshot: ${screenshotError.message})`);
    }
    const detail = error instanceof CheckFailure ? error.message : (error.stack ?? String(error));
    console.log(`FAIL ${name}: ${detail}\n  page: ${page.url()}\n  screenshot: ${shot}`);
  } finally {
    await context.close();
  }
  if (passed) console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return passed;
}

async function main() {
  const { binary, source, build } = readArguments();
  const started = Date.now();
  const webFolder = path.join(build, 'web');
  const output = path.join(build, 'web-test-output');
  const screens = path.join(output, 'screens');
  try {
    await access(CHROMIUM_PATH);
  } catch {
    console.error(`error: ${CHROMIUM_PATH} not found; install Debian's chromium package (apt-get install chromium)`);
    return 1;
  }
  const { chromium } = require('playwright-core');
  const messages = await loadMessages(source);
  await rm(output, { recursive: true, force: true });
  await mkdir(screens, { recursive: true });

  const folder = await mkdtemp(path.join(os.tmpdir(), 'sitecycle-web-test-'));
  const logPath = path.join(folder, 'server.log');
  let server = null;
  let browser = null;
  try {
    await cp(path.join(source, 'workflows'), path.join(folder, 'workflows'), { recursive: true });
    await cp(path.join(source, 'examples'), path.join(folder, 'examples'), { recursive: true });

    server = await startServer(binary, folder, webFolder, SETUP_INSTANT);
    const setupTokens = await readTokens(folder);
    await startReviewDeadline(server.port, setupTokens);
    await prepareReportCase(server.port, setupTokens);
    await stopServer(server);
    server = await startServer(binary, folder, webFolder, PINNED_INSTANT);
    const tokens = await readTokens(folder);
    console.log(`serving the demo at ${PINNED_INSTANT} on port ${server.port} (set up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
    const records = createRecords(server.port);
    const shared = { browser, records, output, port: server.port, tokens, messages, screens };
    const results = [
      await runScenario('supervisor-flow', supervisorFlow, shared),
      await runScenario('city-districts', cityDistricts, shared),
      await runScenario('language-switch', languageSwitch, shared),
      await runScenario('consultant-scope', consultantScope, shared),
      await runScenario('report-upload', reportUpload, shared),
    ];
    try {
      pageHealth(records);
      console.log('ok   page-health');
      results.push(true);
    } catch (error) {
      console.log(`FAIL page-health: ${error.message}`);
      results.push(false);
    }

    const failed = results.filter((passed) => !passed).length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(failed === 0 ? `all ${results.length} scenarios passed in ${seconds} s`
      : `${failed} of ${results.length} scenarios failed (${seconds} s); screenshots in ${output}`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    console.error(`error: ${error.message}`);
    console.error(`server log (last lines):\n${await logTail(logPath)}`);
    if (error.server) await stopServer(error.server);
    return 1;
  } finally {
    if (browser) await browser.close();
    if (server) await stopServer(server);
    await rm(folder, { recursive: true, force: true });
  }
}

process.exitCode = await main();
