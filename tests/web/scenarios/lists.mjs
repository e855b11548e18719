// Scenario of the case list: its filters by light and by firm, its sorting by the next due time,
// and an address with filter values that the server rejects.
import { isDeepStrictEqual } from 'node:util';
import {
  CITY_EEB,
  CONSULTANT,
  RETURNED_CASE,
  SUPERVISOR,
  callApi,
  check,
  checkGlyphs,
  getJson,
  hashOf,
  localized,
  signIn,
  waitForHash,
  waitForLoaded,
} from '../browser_helpers.mjs';

const CASES_PATH = '/api/v1/cases';
const PAGE_SIZE = 20; // DEFAULT_PAGE_SIZE of CaseListView.vue

// The query of the hash route, such as light=red of #/cases?light=red.
function routeQuery(page) {
  const { hash } = new URL(page.url());
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

// Returns a promise of the page's next GET /api/v1/cases.
function nextListResponse(page) {
  return page.waitForResponse((response) => response.request().method() === 'GET'
    && new URL(response.url()).pathname === CASES_PATH);
}

// Runs `action`, which changes the list's query to `params`, and waits for the list that the
// page requests next. Checks that the request and the route query have each of `params`, and
// returns the ids of the rows shown, in their order.
async function reloadList(page, params, action) {
  const responsePromise = nextListResponse(page);
  await action();
  const response = await responsePromise;
  const sent = new URL(response.url()).searchParams;
  for (const [name, value] of Object.entries(params)) {
    check(sent.get(name) === value, `the case list requested ${response.url()}, expected ${name}=${value} in its query`);
    check(routeQuery(page).get(name) === value, `the case list's address is ${hashOf(page)}, expected ${name}=${value} in its query`);
  }
  check(response.status() === 200, `GET ${response.url()} returned ${response.status()}`);
  await waitForLoaded(page);
  return page.getByTestId('case-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));
}

// Opens the dropdown of the el-select `select` and clicks the option labelled `label`.
async function chooseOption(page, select, label) {
  await select.locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown:visible').getByText(label, { exact: true }).click();
}

// Opens the unfiltered case list from the menu.
async function openUnfiltered(page, zh) {
  await reloadList(page, {}, () => page.locator('.el-menu-item', { hasText: zh.nav.cases }).click());
  await waitForHash(page, '#/cases');
}

// The case list of the supervisor filtered by light and by firm, sorted from the light column,
// and opened with filter values the server rejects, which a button clears.
export async function caseList({ page, port, tokens, messages, records, scenario }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  await page.goto(`${records.origin}/`);
  await signIn(page, token, await getJson(port, token, 'me'));
  await openUnfiltered(page, zh);
  await page.getByTestId('case-row').first().waitFor();
  await checkGlyphs(page, 'case list');

  // The light filter: only the red cases, as the API lists them.
  const red = await getJson(port, token, `cases?light=red&limit=${PAGE_SIZE}`);
  check(red.total > 0, `GET ${CASES_PATH}?light=red as ${SUPERVISOR} lists no case, so the light filter cannot be checked`);
  const redRows = await reloadList(page, { light: 'red' },
    () => chooseOption(page, page.getByTestId('case-filter-light'), zh.light.red));
  const expectedRed = red.items.map((item) => item.id);
  check(isDeepStrictEqual(redRows, expectedRed), `the red filter shows ${JSON.stringify(redRows)}, expected ${JSON.stringify(expectedRed)}`);
  const lights = await page.getByTestId('case-table').getByTestId('deadline-light').evaluateAll(
    (tags) => tags.map((tag) => tag.getAttribute('data-light')));
  check(lights.length === redRows.length, `the red filter shows ${lights.length} lights in ${redRows.length} rows, expected one per row`);
  check(lights.every((light) => light === 'red'), `the red filter shows rows with the lights ${JSON.stringify(lights)}, expected only red`);

  // The firm filter: only the cases CONSULTANT's firm was granted or acted on, chosen by the
  // firm's name.
  const firm = (await getJson(port, tokens[CONSULTANT], 'me')).organisation.id;
  const directory = await getJson(port, token, 'directory');
  const firmName = localized(directory.organisations.find((organisation) => organisation.id === firm)?.name, 'zh-CN');
  check(firmName, `GET /api/v1/directory has no name for the firm ${firm}`);
  const granted = await getJson(port, token, `cases?party=${firm}&limit=${PAGE_SIZE}`);
  const expectedGranted = granted.items.map((item) => item.id);
  check(expectedGranted.includes(RETURNED_CASE), `GET ${CASES_PATH}?party=${firm} as ${SUPERVISOR} does not list ${RETURNED_CASE}`);
  for (const id of expectedGranted) {
    const detail = await getJson(port, tokens[CITY_EEB], `cases/${id}`);
    const events = await getJson(port, tokens[CITY_EEB], `cases/${id}/events?limit=500`);
    const party = detail.parties.some((grant) => grant.org_id === firm)
      || events.items.some((event) => event.actor.org === firm);
    check(party, `GET ${CASES_PATH}?party=${firm} lists ${id}, which ${firm} was neither granted nor acted on`);
  }
  await openUnfiltered(page, zh);
  const firmRows = await reloadList(page, { party: firm },
    () => chooseOption(page, page.getByTestId('case-filter-firm'), firmName));
  check(isDeepStrictEqual(firmRows, expectedGranted),
    `the filter by the firm ${firm} shows ${JSON.stringify(firmRows)}, expected ${JSON.stringify(expectedGranted)}`);

  // Sorting from the light column: by the next due time, first ascending, then descending, in
  // the API's order.
  await openUnfiltered(page, zh);
  const lightHeader = page.getByTestId('case-table').locator('thead th').filter({ hasText: zh.cases.light });
  for (const sort of ['next_due_at', '-next_due_at']) {
    const sorted = await getJson(port, token, `cases?sort=${sort}&limit=${PAGE_SIZE}`);
    const sortedRows = await reloadList(page, { sort }, () => lightHeader.click());
    const expectedSorted = sorted.items.map((item) => item.id);
    check(isDeepStrictEqual(sortedRows, expectedSorted),
      `sorted by ${sort} the case list shows ${JSON.stringify(sortedRows)}, expected ${JSON.stringify(expectedSorted)}`);
  }

  // An address with a light, a firm and a sort key that the server does not know. The page
  // shows its 400 message, not an empty list, and the light and firm boxes stay empty. A button
  // clears the filters, in place of a retry that would repeat the request.
  records.expectedErrors.push({ scenario, method: 'GET', pathname: CASES_PATH, status: 400 });
  const badQuery = 'light=purple&party=x&sort=name';
  const rejected = await callApi(port, token, `cases?${badQuery}&limit=${PAGE_SIZE}`);
  check(rejected.status === 400, `GET ${CASES_PATH}?${badQuery} returned ${rejected.status}, expected 400`);
  const detail = rejected.json?.detail;
  check(typeof detail === 'string' && detail.length > 0, `the 400 of GET ${CASES_PATH}?${badQuery} has no detail: ${JSON.stringify(rejected.json)}`);
  const responsePromise = nextListResponse(page);
  await page.goto(`${records.origin}/#/cases?${badQuery}`);
  const response = await responsePromise;
  check(new URL(response.url()).searchParams.get('light') === 'purple', `the case list requested ${response.url()}, expected light=purple in its query`);
  check(response.status() === 400, `GET ${response.url()} returned ${response.status()}, expected 400`);
  const alert = page.getByTestId('case-list-error');
  await alert.waitFor();
  await waitForLoaded(page);
  const alertText = (await alert.locator('.el-alert__title').textContent()).trim();
  check(alertText === detail, `the case list shows the error "${alertText}", expected the server's "${detail}"`);
  check(await page.getByTestId('case-row').count() === 0, 'the case list shows rows next to the error');
  check(await page.getByTestId('case-list-retry').count() === 0, 'the case list offers to retry a request the server rejected as invalid');
  // An empty el-select shows its placeholder, greyed with the class is-transparent.
  for (const [testId, value, expected] of [['case-filter-light', 'purple', zh.cases.allLights], ['case-filter-firm', 'x', zh.cases.allFirms]]) {
    const placeholder = page.getByTestId(testId).locator('.el-select__placeholder');
    const boxText = (await placeholder.textContent()).trim();
    const empty = (await placeholder.getAttribute('class')).split(/\s+/).includes('is-transparent');
    check(boxText === expected && empty, `for the unknown value "${value}" the filter box ${testId} shows "${boxText}", expected its placeholder "${expected}"`);
  }

  const clear = page.getByTestId('case-filter-clear');
  check((await clear.textContent()).trim() === zh.cases.clearFilters,
    `the case list's button reads "${(await clear.textContent()).trim()}", expected "${zh.cases.clearFilters}"`);
  const cleared = await reloadList(page, {}, () => clear.click());
  check(hashOf(page) === '#/cases', `after clearing the filters the case list's address is ${hashOf(page)}, expected #/cases`);
  const unfiltered = await getJson(port, token, `cases?limit=${PAGE_SIZE}`);
  check(isDeepStrictEqual(cleared, unfiltered.items.map((item) => item.id)),
    `after clearing the filters the case list shows ${JSON.stringify(cleared)}, expected the API's unfiltered list`);
  check(await page.getByTestId('case-list-error').count() === 0, 'the error stays after clearing the filters');
}
