// Scenarios of a consultancy (a firm, which may read only its own cases): the case list limited to its
// firm, its home page with its pending work and projects, and a report submitted with its file.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  CITY_EEB,
  CONSULTANT,
  CORRECTION_ITEMS,
  LATE_CASE,
  REPORT_CASE,
  REPORT_COMMENT,
  REPORT_FILE_BYTES,
  REPORT_FILE_NAME,
  REPORT_KIND,
  REPORT_TRANSITION,
  REQUEST_TIMEOUT_MS,
  RETURNED_CASE,
  callApi,
  check,
  checkGlyphs,
  fillField,
  fillMessage,
  fillRequiredInputs,
  getAll,
  getJson,
  localized,
  rowOfCase,
  saveFullScreen,
  saveScreen,
  signIn,
  waitForHash,
  waitForLoaded,
} from '../browser_helpers.mjs';

// The page size of the firm's projects on its home page (LIMIT of MyProjects.vue).
const PROJECTS_LIMIT = 20;

// A case id that no case has.
const MISSING_CASE = 'browser_test_no_such_case';

// The exceedance that the consultancy enters as a row of the report's form, and the message of
// the 422 that the test stubs for its medium.
const EXCEEDANCE = { pollutant: '镍（浏览器测试）', medium: 'groundwater', max_concentration: 123.4 };
const STUBBED_MEDIUM_ERROR = '浏览器测试：介质与采样记录不符';
const STUBBED_MISSING_ROW_ERROR = '浏览器测试：第 4 项不存在';

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

// The case list of a consultancy contains only its firm's cases, and another firm's case and a
// case that does not exist show the dashboard's not-found message, not the server's.
export async function consultantScope({ page, port, tokens, messages, records, scenario }) {
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
  await checkNotFoundPage(page, zh, LATE_CASE);

  // A case that does not exist reads the same.
  for (const pathname of [`/api/v1/cases/${MISSING_CASE}`, `/api/v1/cases/${MISSING_CASE}/events`]) {
    records.expectedErrors.push({ scenario, method: 'GET', pathname, status: 404 });
  }
  await page.goto(`${records.origin}/#/cases/${MISSING_CASE}`);
  await page.getByTestId('case-error').filter({ hasText: zh.case.notFound }).waitFor();
  await waitForLoaded(page);
  await checkNotFoundPage(page, zh, MISSING_CASE);
}

// Checks that the case page of `caseId`, for which the server returned 404, shows only the
// dashboard's message. It must show no error text written for API clients (the server's detail
// names GET /api/v1/cases), and no empty history.
async function checkNotFoundPage(page, zh, caseId) {
  await waitForLoaded(page);
  const errors = (await page.locator('.el-alert').allTextContents()).map((text) => text.trim());
  check(isDeepStrictEqual(errors, [zh.case.notFound]),
    `the case page of ${caseId} shows the alerts ${JSON.stringify(errors)}, expected only "${zh.case.notFound}"`);
  const text = await page.locator('body').textContent();
  check(!text.includes('/api/v1'), `the case page of ${caseId} shows text written for API clients: ${JSON.stringify(text.slice(0, 300))}`);
  check(await page.getByTestId('case-timeline').count() === 0, `the case page of ${caseId} shows an empty history`);
}

// A consultancy's home page: its pending work, where the report step of REPORT_CASE names the
// report still missing and RETURNED_CASE lists the items returned for correction, and its
// projects, which are the cases of its firm, the most urgent first.
export async function firmHome({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[CONSULTANT];
  const me = await getJson(port, token, 'me');

  // Through the API: the queue and the projects the page is expected to show.
  const todo = await getJson(port, token, 'todo?limit=10');
  const reportItem = todo.items.find((item) => item.id === REPORT_CASE);
  check(reportItem !== undefined,
    `the first page of GET /api/v1/todo as ${CONSULTANT} lists no ${REPORT_CASE}: ${JSON.stringify(todo.items.map((item) => item.id))}`);
  const reportStep = reportItem.steps.find((step) => step.id === REPORT_TRANSITION);
  const missingKinds = reportStep?.missing_documents.map((document) => document.kind);
  check(isDeepStrictEqual(missingKinds, [REPORT_KIND]),
    `GET /api/v1/todo gives the step ${REPORT_TRANSITION} of ${REPORT_CASE} the missing documents ${JSON.stringify(missingKinds)}, expected ${JSON.stringify([REPORT_KIND])}`);
  const kindTitle = localized(reportStep.missing_documents[0].title, 'zh-CN');
  check(kindTitle.includes('调查报告'), `the document kind ${REPORT_KIND} is titled "${kindTitle}", expected a title naming 调查报告`);
  const returnedItem = todo.items.find((item) => item.id === RETURNED_CASE);
  check(returnedItem?.state === 'returned_for_correction',
    `GET /api/v1/todo as ${CONSULTANT} gives ${RETURNED_CASE} the state ${returnedItem?.state}, expected returned_for_correction`);
  check(isDeepStrictEqual(returnedItem.data.correction_items, CORRECTION_ITEMS),
    `${RETURNED_CASE} has the correction items ${JSON.stringify(returnedItem.data.correction_items)}, expected ${JSON.stringify(CORRECTION_ITEMS)}`);
  const projects = await getJson(port, token, `cases?sort=next_due_at&limit=${PROJECTS_LIMIT}`);
  const firmCases = await casesOfFirm(port, tokens, me.organisation.id);
  const foreign = projects.items.map((item) => item.id).filter((id) => !firmCases.includes(id));
  check(foreign.length === 0, `GET /api/v1/cases as ${CONSULTANT} lists cases of other firms: ${JSON.stringify(foreign)}`);

  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await waitForHash(page, '#/');
  const home = page.getByTestId('firm-home');
  await home.waitFor();
  check(await page.getByTestId('overdue-counter').count() === 0, `the home page of ${CONSULTANT} shows the supervisors' overdue counter`);

  // The pending work: the report that REPORT_CASE's step lacks, and RETURNED_CASE's corrections.
  const queue = home.getByTestId('todo-queue');
  const reportRow = rowOfCase(page, queue, REPORT_CASE);
  await reportRow.waitFor();
  const missing = reportRow.locator(`[data-step="${REPORT_TRANSITION}"]`).getByTestId('todo-missing-documents');
  check(await missing.count() === 1, `the pending work shows no missing documents for ${REPORT_TRANSITION} of ${REPORT_CASE}`);
  const missingText = (await missing.textContent()).trim();
  const expectedMissing = fillMessage(zh.todo.missingDocuments, { documents: kindTitle });
  check(missingText === expectedMissing, `the pending work says "${missingText}" for ${REPORT_CASE}, expected "${expectedMissing}"`);
  const returnedRow = rowOfCase(page, queue, RETURNED_CASE);
  const corrections = returnedRow.getByTestId('todo-correction-items');
  check(await corrections.count() === 1, `the pending work shows no correction items for ${RETURNED_CASE}`);
  const items = (await corrections.locator('li').allTextContents()).map((text) => text.trim());
  check(isDeepStrictEqual(items, CORRECTION_ITEMS),
    `the pending work lists the correction items ${JSON.stringify(items)} for ${RETURNED_CASE}, expected ${JSON.stringify(CORRECTION_ITEMS)}`);
  check(await reportRow.getByTestId('todo-correction-items').count() === 0,
    `the pending work shows correction items for ${REPORT_CASE}, which was not returned for correction`);

  // The projects: the API's list in its order, none of another firm, and all of them when they
  // fit on one page.
  const projectsPanel = home.getByTestId('my-projects');
  await projectsPanel.locator('a[data-case-id]').first().waitFor();
  await waitForLoaded(page);
  const shownProjects = await projectsPanel.locator('a[data-case-id]').evaluateAll(
    (links) => links.map((link) => link.getAttribute('data-case-id')));
  const expectedShown = projects.items.map((item) => item.id);
  check(isDeepStrictEqual(shownProjects, expectedShown),
    `the projects of ${CONSULTANT} are ${JSON.stringify(shownProjects)}, expected the API's ${JSON.stringify(expectedShown)}`);
  check(!shownProjects.includes(LATE_CASE), `the projects of ${CONSULTANT} include ${LATE_CASE} of another firm`);
  if (firmCases.length <= PROJECTS_LIMIT) {
    check(isDeepStrictEqual([...shownProjects].sort(), firmCases),
      `the projects of ${CONSULTANT} are ${JSON.stringify([...shownProjects].sort())}, expected the cases of its firm ${JSON.stringify(firmCases)}`);
  }

  await checkGlyphs(page, 'firm home page');
  await saveFullScreen(page, screens, 'firm-home');
}

// A consultancy submits its investigation report from the case page. Without a file the server
// rejects the step with 409 documents_missing, which the form shows. With a file chosen, the
// form uploads it with its kind and title, and the step hands it in.
export async function reportUpload({ page, port, tokens, messages, screens, records, scenario }) {
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
  expectedInput.exceedances = [EXCEEDANCE];
  await enterExceedance(page, dialog, workflow, zh, transitionPath);

  const uploads = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === documentsPath) uploads.push(request);
  });
  const isTransitionResponse = (response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === transitionPath;

  // A 422 stubbed in place of the server's: its error for the row's medium shows at that input,
  // and its error for a row the form does not have shows at the list, with the row's path.
  records.expectedErrors.push({ scenario, method: 'POST', pathname: transitionPath, status: 422 });
  await page.route((url) => url.pathname === transitionPath, (route) => route.fulfill({
    status: 422,
    contentType: 'application/problem+json',
    body: JSON.stringify({
      status: 422,
      code: 'invalid_input',
      detail: '浏览器测试：输入有误',
      errors: [
        { pointer: '/input/exceedances/0/medium', message: STUBBED_MEDIUM_ERROR },
        { pointer: '/input/exceedances/3/pollutant', message: STUBBED_MISSING_ROW_ERROR },
      ],
    }),
  }), { times: 1 });
  const stubbedPromise = page.waitForResponse(isTransitionResponse);
  await dialog.getByTestId('transition-form-submit').click();
  check((await stubbedPromise).status() === 422, 'the stubbed POST did not return 422');
  const mediumError = dialog.locator('[data-pointer="/input/exceedances/0/medium"] [data-testid="field-error"]');
  await mediumError.waitFor();
  check((await mediumError.textContent()).trim() === STUBBED_MEDIUM_ERROR,
    `the form shows "${(await mediumError.textContent()).trim()}" at the medium of row 1, expected "${STUBBED_MEDIUM_ERROR}"`);
  const exceedancesTitle = localized(workflow.fields.find((field) => field.id === 'exceedances').title, 'zh-CN');
  const pollutantTitle = localized(exceedanceSpec(workflow).items.fields.find((field) => field.id === 'pollutant').title, 'zh-CN');
  const listError = (await dialog.locator('.el-form-item[data-field-id="exceedances"] > .el-form-item__content > .el-form-item__error').textContent()).trim();
  const expectedListError = fillMessage(zh.case.errorAt, {
    path: [fillMessage(zh.case.errorItem, { number: 4 }), pollutantTitle].join(zh.case.errorPathSeparator),
    message: STUBBED_MISSING_ROW_ERROR,
  });
  check(listError === expectedListError, `the form shows "${listError}" at ${exceedancesTitle}, expected "${expectedListError}"`);

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
  check(isDeepStrictEqual(caseAfter.data.exceedances, [EXCEEDANCE]),
    `${REPORT_CASE} has the exceedances ${JSON.stringify(caseAfter.data.exceedances)}, expected ${JSON.stringify([EXCEEDANCE])}`);
}

function exceedanceSpec(workflow) {
  const spec = workflow.fields.find((field) => field.id === 'exceedances');
  check(spec?.items?.fields?.length > 0, `the workflow ${workflow.id} declares no item fields of exceedances`);
  return spec;
}

// Adds EXCEEDANCE as a row of the report's form. First without its pollutant, which the form
// reports at that input without sending anything, then whole.
async function enterExceedance(page, dialog, workflow, zh, transitionPath) {
  const spec = exceedanceSpec(workflow);
  const itemFields = spec.items.fields;
  const list = dialog.locator('.el-form-item[data-field-id="exceedances"]');
  check(await list.getByTestId('field-rows').count() === 1, 'the form takes exceedances as no rows');
  check(await list.getByTestId('field-row').count() === 0, 'the optional exceedances start with a row');
  await list.getByTestId('field-row-add').click();
  const row = list.locator('[data-pointer="/input/exceedances/0"]');
  await row.waitFor();
  // One input per item field, titled with the field's title.
  const labels = (await row.locator('.member-label').allTextContents()).map((text) => text.replace('*', '').trim()).sort();
  const expectedLabels = itemFields.map((field) => localized(field.title, 'zh-CN')).sort();
  check(isDeepStrictEqual(labels, expectedLabels), `the exceedance row has the inputs ${JSON.stringify(labels)}, expected ${JSON.stringify(expectedLabels)}`);

  const member = (id) => row.locator(`[data-pointer="/input/exceedances/0/${id}"]`);
  const fieldOf = (id) => itemFields.find((field) => field.id === id);
  await fillField(page, member('medium'), fieldOf('medium'), EXCEEDANCE.medium);
  await fillField(page, member('max_concentration'), fieldOf('max_concentration'), EXCEEDANCE.max_concentration);

  const posts = [];
  const recordPost = (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === transitionPath) posts.push(request);
  };
  page.on('request', recordPost);
  await dialog.getByTestId('transition-form-submit').click();
  const pollutantTitle = localized(fieldOf('pollutant').title, 'zh-CN');
  const expectedError = fillMessage(zh.transition.required, { field: pollutantTitle });
  const error = member('pollutant').getByTestId('field-error');
  await error.waitFor();
  check((await error.textContent()).trim() === expectedError,
    `the form shows "${(await error.textContent()).trim()}" at the missing pollutant, expected "${expectedError}"`);
  page.off('request', recordPost);
  check(posts.length === 0, 'the form sent the report with an exceedance that lacks its pollutant');

  await fillField(page, member('pollutant'), fieldOf('pollutant'), EXCEEDANCE.pollutant);
}
