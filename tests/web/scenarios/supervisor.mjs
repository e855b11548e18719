// Scenarios of district and city supervisors: the home page with its panels, the path from the
// overdue counter to a transition fired on the late case, and the overdue deadlines by district.
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  CITY_EEB,
  CORRECTION_ITEMS,
  LAND_ACTION_PARCEL,
  LAND_ACTION_PARCEL_NAME,
  LATE_CASE,
  LATE_DEADLINE_RULE,
  PINNED_INSTANT,
  SUPERVISOR,
  callApi,
  check,
  checkGlyphs,
  computedColor,
  fillMessage,
  getAll,
  getJson,
  hashOf,
  localized,
  rowOfCase,
  saveFullScreen,
  saveScreen,
  signIn,
  switchLanguage,
  waitForCasePage,
  waitForHash,
  waitForLoaded,
} from '../browser_helpers.mjs';

const require = createRequire(import.meta.url);
const ExcelJS = require('exceljs');

const LIVE_COMMENT = '信息公示已登记（浏览器测试：实时更新）';
// What the supervisor fires on the case page. Pudong's bureau may fire it on a case under review,
// it requires no document, and its required input correction_items is a list of strings, which
// the form takes one per line.
const FIRED_TRANSITION = 'return_for_correction';
const CORRECTION_FIELD = 'correction_items';
const TRANSITION_COMMENT = '请补充地下水采样点位说明（浏览器测试）';
// The correction items as typed: padded with spaces, with a blank line between them.
const TYPED_CORRECTION_ITEMS = `  ${CORRECTION_ITEMS[0]}\n\n   \n${CORRECTION_ITEMS[1]}  \n`;

// The listing case that supervisorHome creates at the pinned clock, as the city bureau, so that
// it counts among this month's additions to the list (名录).
const LISTING_DATA = {
  parcel_name: '浏览器测试地块（纳入名录）',
  district: 'pudong',
  target_class: 1,
  risk_control_targets: '浏览器测试数据：土壤中镍不超过第一类用地管制值',
};
// Special days of the shipped CN calendar that the calendar strip shows at PINNED_INSTANT: the
// first day of the Qingming holiday and the make-up working day after Labour Day.
const QINGMING_DAY = '2026-04-04';
const MAKEUP_WORKDAY = '2026-05-09';

// Checks the supervisor's home page with every panel:
// - the to-do queue, with LATE_CASE's red light and steps;
// - LAND_ACTION_PARCEL among the land actions whose investigation has not started;
// - a listing case created during the scenario among this month's additions to the list;
// - the Qingming holiday, a make-up working day and the missing next year in the calendar strip;
// - the outline of LAND_ACTION_PARCEL on the map, which opens the parcel when clicked.
// The page's text is checked for glyphs in both languages.
export async function supervisorHome({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const me = await getJson(port, token, 'me');
  const meEn = await getJson(port, token, 'me', { language: 'en' });

  // Through the API: what each panel is expected to show.
  const todo = await getJson(port, token, 'todo?limit=10');
  const lateItem = todo.items.find((item) => item.id === LATE_CASE);
  check(lateItem !== undefined,
    `the first page of GET /api/v1/todo as ${SUPERVISOR} lists no ${LATE_CASE}: ${JSON.stringify(todo.items.map((item) => item.id))}`);
  check(lateItem.next_deadline?.light === 'red',
    `GET /api/v1/todo gives ${LATE_CASE} the next deadline ${JSON.stringify(lateItem.next_deadline)}, expected one with a red light`);
  check(lateItem.steps.length > 0, `GET /api/v1/todo lists no step of ${SUPERVISOR} on ${LATE_CASE}`);
  const landActions = await getJson(port, token, 'statistics/land-actions-without-investigation');
  const actionItem = landActions.items.find((item) => item.id === LAND_ACTION_PARCEL);
  check(actionItem?.reason === 'not_started',
    `GET /api/v1/statistics/land-actions-without-investigation lists ${LAND_ACTION_PARCEL} with ${JSON.stringify(actionItem)}, expected the reason not_started`);
  const calendars = await getJson(port, token, 'calendars');
  const years = calendars.items.find((calendar) => calendar.id === 'CN')?.years ?? [];
  const nextYear = Number(calendars.today.slice(0, 4)) + 1;
  check(!years.includes(nextYear), `the CN calendar has the year ${nextYear}, so the strip cannot warn that it is missing`);
  const special = await getJson(port, token, `calendars/CN/special-days?from=${calendars.today}`);
  const qingming = special.days.find((day) => day.date === QINGMING_DAY);
  check(qingming?.kind === 'holiday', `GET special-days gives ${QINGMING_DAY} as ${JSON.stringify(qingming)}, expected a holiday`);
  const makeup = special.days.find((day) => day.date === MAKEUP_WORKDAY);
  check(makeup?.kind === 'makeup_workday', `GET special-days gives ${MAKEUP_WORKDAY} as ${JSON.stringify(makeup)}, expected a make-up working day`);
  const sites = await callApi(port, token, 'sites.geojson');
  check(sites.status === 200, `GET /api/v1/sites.geojson returned ${sites.status}`);
  const feature = sites.json.features.find((item) => item.properties.site_id === LAND_ACTION_PARCEL);
  check(feature !== undefined, `GET /api/v1/sites.geojson has no feature for ${LAND_ACTION_PARCEL}`);

  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await waitForHash(page, '#/');

  // The to-do queue: LATE_CASE with its red light and the steps the API lists, by their titles.
  const queue = page.getByTestId('todo-queue');
  const lateRow = rowOfCase(page, queue, LATE_CASE);
  await lateRow.waitFor();
  const lateLight = lateRow.getByTestId('deadline-light');
  check(await lateLight.getAttribute('data-light') === 'red',
    `the to-do queue shows the light "${await lateLight.getAttribute('data-light')}" for ${LATE_CASE}, expected "red"`);
  check(await lateLight.evaluate((element) => element.classList.contains('el-tag--danger')),
    `the light of ${LATE_CASE} in the to-do queue is not drawn as a danger (red) tag`);
  const steps = await lateRow.locator('[data-step]').evaluateAll((items) => items.map((item) => ({
    id: item.dataset.step,
    title: item.querySelector('.step-title').textContent.trim(),
  })));
  const expectedSteps = lateItem.steps.map((step) => ({ id: step.id, title: localized(step.title, 'zh-CN') }));
  check(isDeepStrictEqual(steps, expectedSteps),
    `the to-do queue shows the steps ${JSON.stringify(steps)} for ${LATE_CASE}, expected ${JSON.stringify(expectedSteps)}`);

  // Land actions: LAND_ACTION_PARCEL, whose investigation no consultancy works on yet.
  const actionRow = rowOfCase(page, page.getByTestId('land-actions'), LAND_ACTION_PARCEL);
  await actionRow.waitFor();
  const actionName = (await actionRow.locator(`a[data-case-id="${LAND_ACTION_PARCEL}"]`).textContent()).trim();
  check(actionName === LAND_ACTION_PARCEL_NAME, `the land actions name ${LAND_ACTION_PARCEL} "${actionName}", expected "${LAND_ACTION_PARCEL_NAME}"`);
  const reason = actionRow.locator('[data-reason]');
  check(await reason.getAttribute('data-reason') === 'not_started',
    `the land actions give ${LAND_ACTION_PARCEL} the reason "${await reason.getAttribute('data-reason')}", expected "not_started"`);
  const reasonText = (await reason.textContent()).trim();
  check(reasonText === zh.landActions.reasons.not_started,
    `the land actions give ${LAND_ACTION_PARCEL} the reason "${reasonText}", expected "${zh.landActions.reasons.not_started}"`);

  // The calendar strip: the Qingming holiday, the make-up working day, and the warning that
  // next year's calendar is not loaded.
  const strip = page.getByTestId('calendar-strip');
  const holidayEntry = strip.locator('li[data-kind="holiday"]').filter({ hasText: QINGMING_DAY });
  await holidayEntry.waitFor();
  const holidayText = await holidayEntry.textContent();
  check(holidayText.includes(localized(qingming.name, 'zh-CN')),
    `the calendar strip's entry of ${QINGMING_DAY} reads "${holidayText.trim()}", without the name "${localized(qingming.name, 'zh-CN')}"`);
  const makeupEntry = strip.locator('li[data-kind="makeup_workday"]').filter({ hasText: MAKEUP_WORKDAY });
  check(await makeupEntry.count() === 1, `the calendar strip has ${await makeupEntry.count()} make-up working day entries for ${MAKEUP_WORKDAY}, expected 1`);
  const makeupText = await makeupEntry.textContent();
  check(makeupText.includes(zh.calendarStrip.kinds.makeup_workday),
    `the calendar strip's entry of ${MAKEUP_WORKDAY} reads "${makeupText.trim()}", without "${zh.calendarStrip.kinds.makeup_workday}"`);
  const warning = strip.getByTestId('calendar-next-year-missing');
  check(await warning.isVisible(), `the calendar strip does not warn that the calendar of ${nextYear} is missing`);
  const warningText = (await warning.textContent()).trim();
  const expectedWarning = fillMessage(zh.calendarStrip.nextYearMissing, { year: nextYear });
  check(warningText.includes(expectedWarning), `the calendar strip warns "${warningText}", expected "${expectedWarning}"`);
  check(!warningText.includes('workflows/'), `the calendar strip tells a district user to edit files: "${warningText}"`);

  // The list changes: a listing case created now appears among this month's additions, through
  // the event stream.
  const changes = page.getByTestId('list-changes');
  await changes.getByTestId('list-added').waitFor();
  const month = PINNED_INSTANT.slice(0, 7);
  const changesTitle = (await changes.locator('.el-card__header').textContent()).trim();
  check(changesTitle === fillMessage(zh.listChanges.title, { month }),
    `the list changes are titled "${changesTitle}", expected "${fillMessage(zh.listChanges.title, { month })}"`);
  const created = await callApi(port, tokens[CITY_EEB], 'cases', { method: 'POST', body: { workflow: 'listing', data: LISTING_DATA } });
  check(created.status === 201, `POST /api/v1/cases of a listing case as ${CITY_EEB} returned ${created.status}: ${JSON.stringify(created.json)}`);
  const listingId = created.json.id;
  const addedLink = changes.getByTestId('list-added').locator(`a[href="#/cases/${listingId}"]`);
  await addedLink.waitFor();
  const addedName = (await addedLink.textContent()).trim();
  check(addedName === LISTING_DATA.parcel_name, `the list changes name ${listingId} "${addedName}", expected "${LISTING_DATA.parcel_name}"`);
  const listChanges = await getJson(port, token, 'statistics/list-changes');
  check(listChanges.added.items.some((item) => item.id === listingId),
    `GET /api/v1/statistics/list-changes as ${SUPERVISOR} does not list ${listingId} as added in ${listChanges.month}`);
  await page.waitForFunction((total) => document.querySelector('[data-testid="list-added-count"]')?.textContent.trim() === total,
    String(listChanges.added.total));

  // The map: LAND_ACTION_PARCEL's outline, coloured by the light the API gives it.
  const shape = page.getByTestId('parcel-map').locator(`path[data-case-id="${LAND_ACTION_PARCEL}"]`);
  await shape.waitFor();
  check(await shape.getAttribute('data-light') === feature.properties.light,
    `the map draws ${LAND_ACTION_PARCEL} with the light "${await shape.getAttribute('data-light')}", the API gives "${feature.properties.light}"`);

  await checkGlyphs(page, 'supervisor home page');
  await saveFullScreen(page, screens, 'home');

  // In English every character of the panels has a glyph too.
  await switchLanguage(page, 'en', meEn.user.role_title);
  await page.locator('h1.page-title', { hasText: messages.en.home.title }).waitFor();
  await waitForLoaded(page);
  await checkGlyphs(page, 'supervisor home page in English');

  // A click on the outline opens the parcel, titled with its name.
  await shape.click();
  await waitForHash(page, `#/cases/${LAND_ACTION_PARCEL}`);
  await waitForCasePage(page, { id: LAND_ACTION_PARCEL, data: { name: LAND_ACTION_PARCEL_NAME } });
}

// Checks through the API that LATE_CASE's review deadline is overdue and red for the supervisor,
// so that a failure of the UI scenarios is not a failure of the test data. Returns the number
// of overdue deadlines of the supervisor and the late deadline.
async function checkOverdueDeadline(port, tokens) {
  const page = await getJson(port, tokens[SUPERVISOR], 'deadlines?status=overdue&limit=500');
  const late = page.items.find((item) => item.case_id === LATE_CASE && item.rule === LATE_DEADLINE_RULE);
  if (!late) {
    throw new Error(`at ${PINNED_INSTANT} GET /api/v1/deadlines?status=overdue as ${SUPERVISOR} lists no ${LATE_DEADLINE_RULE} `
      + `deadline of ${LATE_CASE}; it lists ${JSON.stringify(page.items.map((item) => [item.case_id, item.rule, item.due_on]))}`);
  }
  if (late.light !== 'red') throw new Error(`the overdue deadline of ${LATE_CASE} has light ${late.light}, expected red`);
  return { overdueTotal: page.total, late };
}

// Returns the Chinese title of the agency `id` from GET /api/v1/directory.
async function agencyTitle(port, token, id) {
  const directory = await getJson(port, token, 'directory');
  const title = localized(directory.agencies?.find((agency) => agency.id === id)?.title, 'zh-CN');
  check(typeof title === 'string' && title.length > 0, `GET /api/v1/directory has no title for the agency ${id}`);
  return title;
}

// Sign-in, header, red overdue counter, deadline list with a red light and the agency's title,
// the late case with its name, agency and timeline, and a return for correction whose items are
// typed one per line. Its new event appears in the timeline and stores the items.
export async function supervisorFlow({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const me = await getJson(port, token, 'me');
  const { overdueTotal, late } = await checkOverdueDeadline(port, tokens);
  check(typeof late.agency === 'string' && late.agency.length > 0, `the overdue deadline of ${LATE_CASE} names no agency`);
  const lateAgency = await agencyTitle(port, token, late.agency);

  await page.goto(`${records.origin}/`);
  await page.getByTestId('sign-in-token').waitFor();
  check(hashOf(page).startsWith('#/sign-in'), `a signed-out visit to / shows ${hashOf(page)}, expected the sign-in page`);
  await saveScreen(page, screens, 'sign-in');
  await checkGlyphs(page, 'sign-in page');

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

  // The case list, through the menu, and back home.
  await page.locator('.el-menu-item', { hasText: zh.nav.cases }).click();
  await waitForHash(page, '#/cases');
  await page.getByTestId('case-row').first().waitFor();
  await waitForLoaded(page);
  check(await page.locator(`[data-testid="case-row"][data-case-id="${LATE_CASE}"]`).count() === 1,
    `the case list of ${SUPERVISOR} has no row for ${LATE_CASE}`);
  await saveScreen(page, screens, 'case-list');
  await checkGlyphs(page, 'case list');
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
  const rowAgency = (await lateRow.getByTestId('deadline-agency').textContent()).trim();
  check(rowAgency === lateAgency, `the deadline list names the agency of ${LATE_CASE} "${rowAgency}", expected "${lateAgency}"`);
  await saveScreen(page, screens, 'deadline-list');
  await checkGlyphs(page, 'deadline list');

  // The case page: its name as the title with its id, the red light and agency title in its
  // deadlines, and a timeline.
  const lateDetail = await getJson(port, token, `cases/${LATE_CASE}`);
  check(lateDetail.data.parcel_name, `${LATE_CASE} has no parcel_name, so the case page cannot show a name`);
  await lateRow.getByTestId('deadline-row').click();
  await waitForHash(page, `#/cases/${LATE_CASE}`);
  await waitForCasePage(page, lateDetail);
  await page.getByTestId('case-data').waitFor();
  await page.getByTestId('timeline-item').first().waitFor();
  await waitForLoaded(page);
  check(await page.getByTestId('case-deadlines').locator('[data-testid="deadline-light"][data-light="red"]').count() > 0,
    `the deadlines of the case page of ${LATE_CASE} show no red light`);
  const caseAgency = page.getByTestId('case-deadlines').locator(`[data-testid="deadline-agency"][data-agency="${late.agency}"]`).first();
  check((await caseAgency.textContent()).trim() === lateAgency,
    `the case page names the agency ${late.agency} "${(await caseAgency.textContent()).trim()}", expected "${lateAgency}"`);
  const eventsBefore = new Set(await page.getByTestId('timeline-item').evaluateAll(
    (items) => items.map((item) => item.getAttribute('data-event-id'))));
  await saveScreen(page, screens, 'case-page');
  await checkGlyphs(page, 'case page');

  // The transition form: the correction items typed one per line, then a comment.
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
  check(isDeepStrictEqual(transition.input?.required, [CORRECTION_FIELD]),
    `${FIRED_TRANSITION} requires the input ${JSON.stringify(transition.input?.required)}, expected ${JSON.stringify([CORRECTION_FIELD])}`);
  const itemsInput = dialog.locator(`.el-form-item[data-field-id="${CORRECTION_FIELD}"]`);
  const textarea = itemsInput.locator('textarea');
  check(await itemsInput.getByTestId('field-lines').count() === 1, `the form takes ${CORRECTION_FIELD} as no textarea of lines`);
  await dialog.getByTestId('transition-comment').fill(TRANSITION_COMMENT);

  // Blank lines only: the form reports the required field and sends nothing.
  const posts = [];
  const transitionPath = `/api/v1/cases/${LATE_CASE}/transitions/${FIRED_TRANSITION}`;
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === transitionPath) posts.push(request);
  });
  await textarea.fill('\n   \n');
  await dialog.getByTestId('transition-form-submit').click();
  const fieldTitle = localized(workflow.fields.find((field) => field.id === CORRECTION_FIELD).title, 'zh-CN');
  const requiredText = fillMessage(zh.transition.required, { field: fieldTitle });
  await itemsInput.locator('.el-form-item__error', { hasText: requiredText }).waitFor();
  check(posts.length === 0, `the form sent ${FIRED_TRANSITION} with only blank lines as ${CORRECTION_FIELD}`);

  await textarea.fill(TYPED_CORRECTION_ITEMS);
  const expectedInput = { [CORRECTION_FIELD]: CORRECTION_ITEMS };

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

  // Through the API: the event stores the two items, and the case's data has them.
  const firedEvent = (await getAll(port, token, `cases/${LATE_CASE}/events`)).find((event) => String(event.id) === eventId);
  check(isDeepStrictEqual(firedEvent?.input, expectedInput),
    `the event ${eventId} has the input ${JSON.stringify(firedEvent?.input)}, expected ${JSON.stringify(expectedInput)}`);
  const caseAfter = await getJson(port, token, `cases/${LATE_CASE}`);
  check(isDeepStrictEqual(caseAfter.data[CORRECTION_FIELD], CORRECTION_ITEMS),
    `${LATE_CASE} has the ${CORRECTION_FIELD} ${JSON.stringify(caseAfter.data[CORRECTION_FIELD])}, expected ${JSON.stringify(CORRECTION_ITEMS)}`);

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

// A city-level supervisor reaches a district's overdue deadlines in one click from the home page.
export async function cityDistricts({ page, port, tokens, records }) {
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
