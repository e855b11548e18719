// Browser test of the web dashboard. It serves the demo with the built dashboard, drives Debian's
// Chromium through playwright-core, and runs these scenarios, each in a new browser context:
//   supervisor-home (scenarios/supervisor.mjs): Pudong's ecology bureau opens its home page with
//     the to-do queue, the land actions without an investigation, this month's changes to the
//     list (a listing case created during the scenario appears), the parcel map, whose outline
//     opens the parcel, and the calendar strip, in Chinese and in English;
//   case-list (scenarios/lists.mjs): the case list filtered by light and by firm, sorted by the
//     next due time from the light column, and an address with invalid filter values, whose
//     400 message is shown with a button that clears the filters;
//   supervisor-flow (scenarios/supervisor.mjs): the same bureau opens the red overdue counter, the
//     deadline list and the late case, with agency titles in both, and returns the case for
//     correction with items typed one per line;
//   city-districts (scenarios/supervisor.mjs): the city bureau opens Pudong's overdue deadlines
//     from its home page;
//   language-switch (scenarios/header.mjs): English labels, then back to Chinese;
//   consultant-scope (scenarios/firm.mjs): the case list of demo_consultant contains only its
//     firm's cases, and another firm's case and a missing one show the dashboard's not-found
//     message, without the server's text for API clients;
//   firm-home (scenarios/firm.mjs): demo_consultant's home page shows its pending work, with the
//     report a step lacks and the items returned for correction, and only its firm's projects;
//   report-upload (scenarios/firm.mjs): demo_consultant submits an investigation report with an
//     exceedance entered as a row of the form, first with an item field missing (caught in the
//     form), then against a stubbed 422 (its errors shown at the row's inputs), then without the
//     required document (409 documents_missing), then with a PDF file chosen in the form, which
//     is uploaded and handed in with the step;
//   case-links (scenarios/case_page.mjs): a parcel's case page shows its workflow diagram with the
//     current state, its sub-parcels as a table, and a link to its investigation, which opens
//     that case;
//   large-values (scenarios/case_page.mjs): the case page of LARGE_PARCEL, with a 360-character
//     name as its title, its outline of 10,000 positions as a one-line summary, and the first 50
//     of its sub-parcels;
//   transition-drafts (scenarios/drafts.mjs): Pudong's land bureau types into a transition form
//     on a parcel the scenario creates, and its token, issued for the scenario with `sitecycle
//     tokens issue`, is revoked with `sitecycle tokens revoke`. The page moves to the sign-in
//     page, another user of the tab gets an empty form, and the land bureau, signed in again,
//     gets what it typed back and submits it. Discarding, closing the form, a draft over
//     256 KiB and the header's sign-out remove drafts, and a reload keeps them;
//   connection-notice (scenarios/header.mjs): the header says so while the event stream is down,
//     with every part of the header whole at 1366 and 1024 px in both languages, and stops once
//     it reconnects;
//   sign-in-errors (scenarios/header.mjs): the sign-in page's own messages for a token the server
//     does not know (401) and for the lock after repeated failures (429). It runs last, because
//     the lock rejects every invalid token from 127.0.0.1 for the rest of the run;
//   page-health: no console errors, failed requests or unexpected error responses during the
//     scenarios, and no request to any host but the test server.
// They run in this order because some change the cases that others read: supervisor-home expects
// LATE_CASE under review, before supervisor-flow returns it for correction, and firm-home expects
// REPORT_CASE still waiting for its report, before report-upload submits it. Each screen the
// scenarios visit is checked for characters that no installed font has (glyph_check.mjs).
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
import { access, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  CITY_EEB,
  CONSULTANT,
  CORRECTION_ITEMS,
  CheckFailure,
  LAND_ACTION_PARCEL,
  LAND_ACTION_PARCEL_NAME,
  LAND_ACTION_PARCEL_OUTLINE,
  LAND_BUREAU,
  LARGE_PARCEL,
  LARGE_PARCEL_NAME,
  LARGE_PARCEL_OUTLINE,
  LARGE_SUB_PARCELS,
  LATE_CASE,
  PINNED_INSTANT,
  REPORT_CASE,
  REPORT_FILE_BYTES,
  REPORT_KIND,
  REPORT_TRANSITION,
  RETURNED_CASE,
  RETURNED_CASE_PARCEL_NAME,
  REQUEST_TIMEOUT_MS,
  REVIEW_START_TRANSITION,
  SAMPLING_TRANSITION,
  SETUP_INSTANT,
  SUPERVISOR,
  callApi,
  createRecords,
  getJson,
  logTail,
  openPage,
  pageHealth,
  readTokens,
  startServer,
  stopServer,
  waitForApiIdle,
} from './browser_helpers.mjs';
import { caseLinks, largeValues } from './scenarios/case_page.mjs';
import { consultantScope, firmHome, reportUpload } from './scenarios/firm.mjs';
import { transitionDrafts } from './scenarios/drafts.mjs';
import { connectionNotice, languageSwitch, signInErrors } from './scenarios/header.mjs';
import { caseList } from './scenarios/lists.mjs';
import { cityDistricts, supervisorFlow, supervisorHome } from './scenarios/supervisor.mjs';

const require = createRequire(import.meta.url);

const USAGE = 'usage: node browser_test.mjs --binary BINARY --source SOURCE_DIR --build BUILD_DIR';
const CHROMIUM_PATH = '/usr/bin/chromium'; // Debian's chromium package

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
// ---------------------------------------------------------------- setup

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

// Fires `transition` on `caseId` as the user of `token`, with the case's ETag in If-Match, for
// the setup. Throws when the server does not return 200.
async function fireForSetup(port, token, caseId, transition, body) {
  const read = await callApi(port, token, `cases/${caseId}`);
  if (read.status !== 200) throw new Error(`GET /api/v1/cases/${caseId} returned ${read.status}: ${JSON.stringify(read.json)}`);
  const fired = await callApi(port, token, `cases/${caseId}/transitions/${transition}`, {
    method: 'POST',
    body,
    headers: { 'If-Match': read.etag },
  });
  if (fired.status !== 200) {
    throw new Error(`POST ${transition} on ${caseId} returned ${fired.status}: ${JSON.stringify(fired.json)}`);
  }
  return fired.json;
}

// Creates LAND_ACTION_PARCEL with its outline as LAND_BUREAU, which then proposes storage. The
// proposal opens an investigation in its first state with no consultancy engaged.
async function prepareLandAction(port, tokens) {
  const token = tokens[LAND_BUREAU];
  const created = await callApi(port, token, 'cases', {
    method: 'POST',
    body: {
      workflow: 'parcel',
      id: LAND_ACTION_PARCEL,
      data: { name: LAND_ACTION_PARCEL_NAME, district: 'pudong', planned_class: 1, outline: LAND_ACTION_PARCEL_OUTLINE },
    },
  });
  if (created.status !== 201) {
    throw new Error(`POST /api/v1/cases of ${LAND_ACTION_PARCEL} as ${LAND_BUREAU} returned ${created.status}: ${JSON.stringify(created.json)}`);
  }
  const proposed = await fireForSetup(port, token, LAND_ACTION_PARCEL, 'propose_storage',
    { comment: '拟收储（浏览器测试的准备步骤）' });
  if (!proposed.links.some((link) => link.role === 'investigation')) {
    throw new Error(`propose_storage on ${LAND_ACTION_PARCEL} opened no investigation: ${JSON.stringify(proposed.links)}`);
  }
}

// Creates LARGE_PARCEL as LAND_BUREAU, with its long name, large outline and many sub-parcels.
async function prepareLargeParcel(port, tokens) {
  const created = await callApi(port, tokens[LAND_BUREAU], 'cases', {
    method: 'POST',
    body: {
      workflow: 'parcel',
      id: LARGE_PARCEL,
      data: {
        name: LARGE_PARCEL_NAME,
        district: 'pudong',
        planned_class: 1,
        outline: LARGE_PARCEL_OUTLINE,
        sub_parcels: LARGE_SUB_PARCELS,
      },
    },
  });
  if (created.status !== 201) {
    throw new Error(`POST /api/v1/cases of ${LARGE_PARCEL} as ${LAND_BUREAU} returned ${created.status}: ${JSON.stringify(created.json)}`);
  }
}

// Creates RETURNED_CASE as Pudong's bureau and grants CONSULTANT's firm access. The consultancy
// takes it to report_submitted with an uploaded report, and the bureau returns it for correction
// with CORRECTION_ITEMS.
async function prepareReturnedCase(port, tokens) {
  const me = await getJson(port, tokens[CONSULTANT], 'me');
  const created = await callApi(port, tokens[SUPERVISOR], 'cases', {
    method: 'POST',
    body: {
      workflow: 'investigation',
      id: RETURNED_CASE,
      data: {
        trigger: 'voluntary',
        planned_class: 1,
        parcel_name: RETURNED_CASE_PARCEL_NAME,
        district: 'pudong',
        consultant: me.organisation.name,
      },
    },
  });
  if (created.status !== 201) {
    throw new Error(`POST /api/v1/cases of ${RETURNED_CASE} as ${SUPERVISOR} returned ${created.status}: ${JSON.stringify(created.json)}`);
  }
  const granted = await callApi(port, tokens[CITY_EEB], `cases/${RETURNED_CASE}/parties`, {
    method: 'POST',
    body: { org_id: me.organisation.id },
  });
  if (granted.status !== 201) {
    throw new Error(`POST /api/v1/cases/${RETURNED_CASE}/parties for ${me.organisation.id} returned ${granted.status}: ${JSON.stringify(granted.json)}`);
  }

  const consultant = tokens[CONSULTANT];
  await fireForSetup(port, consultant, RETURNED_CASE, 'start_phase1', { comment: '开展第一阶段调查（浏览器测试的准备步骤）' });
  await fireForSetup(port, consultant, RETURNED_CASE, SAMPLING_TRANSITION, { comment: '开展初步采样（浏览器测试的准备步骤）' });
  const title = encodeURIComponent('浏览器测试的调查报告.pdf');
  const upload = await fetch(`http://127.0.0.1:${port}/api/v1/cases/${RETURNED_CASE}/documents?kind=${REPORT_KIND}&title=${title}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${consultant}`, 'Content-Type': 'application/pdf' },
    body: REPORT_FILE_BYTES,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (upload.status !== 201) {
    throw new Error(`POST /api/v1/cases/${RETURNED_CASE}/documents returned ${upload.status}: ${await upload.text()}`);
  }
  await fireForSetup(port, consultant, RETURNED_CASE, REPORT_TRANSITION, {
    input: { conclusion: 'clean', evaluated_class: 1 },
    comment: '提交调查报告（浏览器测试的准备步骤）',
  });
  await fireForSetup(port, tokens[SUPERVISOR], RETURNED_CASE, 'return_for_correction', {
    input: { correction_items: CORRECTION_ITEMS },
    comment: '退回补正（浏览器测试的准备步骤）',
  });
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
    await waitForApiIdle(page); // closing the page must not cut a request it still makes
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
    await prepareLandAction(server.port, setupTokens);
    await prepareReturnedCase(server.port, setupTokens);
    await prepareLargeParcel(server.port, setupTokens);
    await stopServer(server);
    server = await startServer(binary, folder, webFolder, PINNED_INSTANT);
    const tokens = await readTokens(folder);
    console.log(`serving the demo at ${PINNED_INSTANT} on port ${server.port} (set up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
    const records = createRecords(server.port);
    const shared = { browser, records, output, port: server.port, tokens, messages, screens, binary, serverFolder: folder };
    const results = [
      await runScenario('supervisor-home', supervisorHome, shared),
      await runScenario('case-list', caseList, shared),
      await runScenario('supervisor-flow', supervisorFlow, shared),
      await runScenario('city-districts', cityDistricts, shared),
      await runScenario('language-switch', languageSwitch, shared),
      await runScenario('consultant-scope', consultantScope, shared),
      await runScenario('firm-home', firmHome, shared),
      await runScenario('report-upload', reportUpload, shared),
      await runScenario('case-links', caseLinks, shared),
      await runScenario('large-values', largeValues, shared),
      await runScenario('transition-drafts', transitionDrafts, shared),
      await runScenario('connection-notice', connectionNotice, shared),
      await runScenario('sign-in-errors', signInErrors, shared),
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
