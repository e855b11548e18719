// Scenarios of the case page: the workflow diagram, the data shown as tables, the links between
// cases, and the layout of very long values.
import { isDeepStrictEqual } from 'node:util';
import {
  LARGE_OUTLINE_POSITIONS,
  LARGE_PARCEL,
  LARGE_PARCEL_NAME,
  LARGE_SUB_PARCEL_COUNT,
  SUPERVISOR,
  callApi,
  check,
  checkGlyphs,
  fillMessage,
  getAll,
  getJson,
  localized,
  saveScreen,
  signIn,
  switchLanguage,
  waitForCasePage,
  waitForHash,
  waitForLoaded,
} from '../browser_helpers.mjs';

// The rows a long list shows before its "show more" button (LIST_LIMIT of FieldValue.vue).
const LIST_LIMIT = 50;
// The page height above which the case page counts as drawn out. The large parcel's page with
// its first 50 sub-parcels is about 3,300 px tall at 1366 px, while its outline drawn position
// by position made it 400,000 px.
const MAX_PAGE_HEIGHT = 8000;
// The narrowest width of a data label. Labels are at least 8em (112 px at the page's 14 px).
const MIN_LABEL_WIDTH = 80;

// Returns the first parcel (by id) that `token` may see with a link to a case it may also see and
// with a data field whose value is a list of objects: { parcel, link, linked, fieldId }, where
// parcel and linked are GET /api/v1/cases/{id} responses.
async function findLinkedParcel(port, token) {
  const parcels = (await getAll(port, token, 'cases?workflow=parcel')).map((item) => item.id).sort();
  for (const id of parcels) {
    const parcel = await getJson(port, token, `cases/${id}`);
    const fieldId = Object.keys(parcel.data).sort().find((key) => Array.isArray(parcel.data[key])
      && parcel.data[key].length > 0 && parcel.data[key].every((item) => item !== null && typeof item === 'object'));
    if (!fieldId) continue;
    for (const link of parcel.links) {
      const linked = await callApi(port, token, `cases/${link.case_id}`);
      if (linked.status === 200) return { parcel, link, linked: linked.json, fieldId };
    }
  }
  throw new Error(`no parcel that ${SUPERVISOR} may see has both a visible linked case and a list of objects in its data`);
}

// Checks the workflow diagram of the open case page: one box per state, the current state
// highlighted with its title in `locale`, and every title inside its box.
async function checkDiagram(page, workflow, stateId, locale) {
  const diagram = page.getByTestId('workflow-diagram');
  await diagram.waitFor();
  const boxes = diagram.locator('[data-state-id]');
  check(await boxes.count() === workflow.states.length,
    `the diagram of ${workflow.id} has ${await boxes.count()} states, expected ${workflow.states.length}`);

  const current = diagram.getByTestId('diagram-current-state');
  check(await current.count() === 1, `the diagram has ${await current.count()} current states, expected 1`);
  check(await current.getAttribute('data-state-id') === stateId,
    `the diagram marks ${await current.getAttribute('data-state-id')} as current, expected ${stateId}`);
  check(await current.getAttribute('aria-current') === 'step',
    `the current state of the diagram has aria-current ${await current.getAttribute('aria-current')}, expected step`);
  const title = localized(workflow.states.find((state) => state.id === stateId).title, locale);
  await page.waitForFunction((expected) => document.querySelector('[data-testid="diagram-current-state"] text')
    ?.textContent === expected, title);
  const fills = await diagram.evaluate((element, current) => {
    const fill = (id) => getComputedStyle(element.querySelector(`[data-state-id="${id}"] rect`)).fill;
    const other = [...element.querySelectorAll('[data-state-id]')].find((box) => box.dataset.stateId !== current);
    return { current: fill(current), other: other ? fill(other.dataset.stateId) : null };
  }, stateId);
  check(fills.current !== fills.other, `the current state is filled like the others (${fills.current})`);

  const overflowing = await diagram.evaluate((element) => [...element.querySelectorAll('[data-state-id]')]
    .filter((box) => {
      const frame = box.querySelector('rect').getBoundingClientRect();
      const text = box.querySelector('text').getBoundingClientRect();
      return text.left < frame.left || text.right > frame.right || text.top < frame.top || text.bottom > frame.bottom;
    })
    .map((box) => box.querySelector('text').textContent));
  check(overflowing.length === 0, `in ${locale} these titles overflow their boxes: ${JSON.stringify(overflowing)}`);
  const pageWidth = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(pageWidth[0] <= pageWidth[1], `the case page is ${pageWidth[0]} px wide with the diagram, wider than the window (${pageWidth[1]} px)`);
}

// Checks the table that FieldValue renders for the list of objects `items` of the field `spec`:
// one column per declared item field present (by its title in Chinese), and one row per item.
// Returns the table.
async function checkObjectTable(page, spec, items) {
  const table = page.getByTestId('case-data').locator(`[data-testid="field-table"][data-field-id="${spec.id}"]`);
  await table.waitFor();
  const present = new Set(items.flatMap((item) => Object.keys(item)));
  const expectedHeader = spec.items.fields.filter((field) => present.has(field.id)).map((field) => localized(field.title, 'zh-CN'));
  const header = (await table.locator('thead th').allTextContents()).map((text) => text.trim());
  check(isDeepStrictEqual(header, expectedHeader),
    `the table of ${spec.id} has the columns ${JSON.stringify(header)}, expected ${JSON.stringify(expectedHeader)}`);
  const rows = table.locator('tbody tr');
  check(await rows.count() === items.length, `the table of ${spec.id} has ${await rows.count()} rows, expected ${items.length}`);
  return table;
}

// A parcel's case page: its workflow diagram, its list of sub-parcels as a table, and a link to
// its investigation, which opens that case with its own diagram and its exceedances, whose
// medium column shows the enumeration's titles. The diagram's titles also fit in English.
export async function caseLinks({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const me = await getJson(port, token, 'me');
  const meEn = await getJson(port, token, 'me', { language: 'en' });
  const workflows = await getAll(port, token, 'workflows');
  const { parcel, link, linked, fieldId } = await findLinkedParcel(port, token);
  const parcelWorkflow = workflows.find((item) => item.id === parcel.workflow);
  const linkedWorkflow = workflows.find((item) => item.id === linked.workflow);

  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await page.goto(`${records.origin}/#/cases/${parcel.id}`);
  await waitForCasePage(page, parcel);
  await page.getByTestId('case-data').waitFor();
  await page.getByTestId('timeline-item').first().waitFor();
  await waitForLoaded(page);

  // The diagram: the title, the current state, and the states of the case's history.
  await checkDiagram(page, parcelWorkflow, parcel.state, 'zh-CN');
  const diagram = page.getByTestId('workflow-diagram');
  const workflowTitle = localized(parcelWorkflow.title, 'zh-CN');
  const svgTitle = (await diagram.locator('svg > title').textContent()).trim();
  const expectedSvgTitle = fillMessage(zh.case.diagram.title, { workflow: workflowTitle });
  check(svgTitle === expectedSvgTitle, `the diagram's title is "${svgTitle}", expected "${expectedSvgTitle}"`);
  const events = await getAll(port, token, `cases/${parcel.id}/events`);
  const passed = [...new Set(events.flatMap((event) => [event.from, event.to]))]
    .filter((state) => state && state !== parcel.state).sort();
  const marked = (await diagram.locator('[data-passed="true"]').evaluateAll(
    (boxes) => boxes.map((box) => box.getAttribute('data-state-id')))).sort();
  check(isDeepStrictEqual(marked, passed), `the diagram marks the states ${JSON.stringify(marked)} as passed, expected ${JSON.stringify(passed)}`);
  const finals = parcelWorkflow.states.filter((state) => state.final).map((state) => state.id).sort();
  const markedFinal = (await diagram.locator('[data-final="true"]').evaluateAll(
    (boxes) => boxes.map((box) => box.getAttribute('data-state-id')))).sort();
  check(isDeepStrictEqual(markedFinal, finals), `the diagram marks the states ${JSON.stringify(markedFinal)} as final, expected ${JSON.stringify(finals)}`);

  // The list of objects in the parcel's data, as a table.
  const spec = parcelWorkflow.fields.find((field) => field.id === fieldId);
  check(spec?.items?.fields?.length > 0, `the field ${fieldId} of ${parcelWorkflow.id} declares no item fields`);
  const items = parcel.data[fieldId];
  const table = await checkObjectTable(page, spec, items);
  const textField = spec.items.fields.find((field) => field.type === 'string' && items.every((item) => typeof item[field.id] === 'string'));
  if (textField) {
    const cells = (await table.locator(`tbody td[data-column-id="${textField.id}"]`).allTextContents()).map((text) => text.trim());
    const expectedCells = items.map((item) => item[textField.id]);
    check(isDeepStrictEqual(cells, expectedCells),
      `the ${textField.id} column of the table of ${fieldId} reads ${JSON.stringify(cells)}, expected ${JSON.stringify(expectedCells)}`);
  }
  await saveScreen(page, screens, 'case-diagram');
  await checkGlyphs(page, 'case page with its workflow diagram');

  // The link to the linked case, labelled with its role, opens that case.
  const caseLink = page.locator(`[data-testid="case-link"][data-case-id="${link.case_id}"]`);
  check(await caseLink.count() === 1, `the case page of ${parcel.id} has ${await caseLink.count()} links to ${link.case_id}, expected 1`);
  const linkText = await caseLink.textContent();
  const roleTitle = zh.case.linkRoles[link.role] ?? link.role;
  check(linkText.includes(roleTitle) && linkText.includes(link.case_id),
    `the link to ${link.case_id} reads "${linkText.trim()}", expected the role "${roleTitle}" and the case id`);
  await caseLink.click();
  await waitForHash(page, `#/cases/${link.case_id}`);
  await waitForCasePage(page, linked);
  await page.getByTestId('case-data').waitFor();
  await waitForLoaded(page);
  await checkDiagram(page, linkedWorkflow, linked.state, 'zh-CN');
  const backLink = linked.links.find((item) => item.case_id === parcel.id);
  if (backLink) {
    const back = page.locator(`[data-testid="case-link"][data-case-id="${parcel.id}"]`);
    const backRole = zh.case.linkRoles[backLink.role] ?? backLink.role;
    check((await back.textContent()).includes(backRole), `the link back to ${parcel.id} does not read "${backRole}"`);
  }

  // An enumeration inside a list of objects shows its titles, as it does at the top level.
  const linkedSpec = linkedWorkflow.fields.find((field) => field.type === 'list'
    && field.items?.fields?.some((member) => member.type === 'enum')
    && Array.isArray(linked.data[field.id]) && linked.data[field.id].length > 0);
  if (linkedSpec) {
    const linkedItems = linked.data[linkedSpec.id];
    const linkedTable = await checkObjectTable(page, linkedSpec, linkedItems);
    const enumField = linkedSpec.items.fields.find((member) => member.type === 'enum');
    const cells = (await linkedTable.locator(`tbody td[data-column-id="${enumField.id}"]`).allTextContents()).map((text) => text.trim());
    const expectedCells = linkedItems.map((item) => {
      const value = enumField.values.find((choice) => (choice.id ?? choice) === item[enumField.id]);
      return localized(value?.title, 'zh-CN') ?? '—';
    });
    check(isDeepStrictEqual(cells, expectedCells),
      `the ${enumField.id} column of the table of ${linkedSpec.id} reads ${JSON.stringify(cells)}, expected ${JSON.stringify(expectedCells)}`);
  }

  // In English the titles of the diagram fit their boxes too.
  await switchLanguage(page, 'en', meEn.user.role_title);
  await checkDiagram(page, linkedWorkflow, linked.state, 'en');
}

// The case page of LARGE_PARCEL. Its 360-character name is the title, with the id beside it, and
// the data labels keep their width beside the long name. Its outline of 10,000 positions is a
// one-line summary in both languages. Of its 60 sub-parcels, 50 rows are shown with the count of
// the rest, which a button shows. The page stays a few screens tall.
export async function largeValues({ page, port, tokens, messages, screens, records }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const me = await getJson(port, token, 'me');
  const meEn = await getJson(port, token, 'me', { language: 'en' });
  const parcel = await getJson(port, token, `cases/${LARGE_PARCEL}`);
  check(parcel.data.name === LARGE_PARCEL_NAME, `GET /api/v1/cases/${LARGE_PARCEL} has another name than the setup gave it`);
  check(parcel.data.sub_parcels.length === LARGE_SUB_PARCEL_COUNT,
    `${LARGE_PARCEL} has ${parcel.data.sub_parcels.length} sub-parcels, expected ${LARGE_SUB_PARCEL_COUNT}`);

  await page.goto(`${records.origin}/`);
  await signIn(page, token, me);
  await page.goto(`${records.origin}/#/cases/${LARGE_PARCEL}`);
  await waitForCasePage(page, parcel);
  const data = page.getByTestId('case-data');
  await data.waitFor();
  await waitForLoaded(page);

  // The outline: one line of summary, not a table of positions.
  const geometry = data.locator('[data-testid="field-geometry"][data-field-id="outline"]');
  const positions = LARGE_OUTLINE_POSITIONS.toLocaleString('en');
  const expectedZh = fillMessage(zh.value.geometry, {
    type: 'MultiPolygon',
    counts: [fillMessage(zh.value.geometryPolygons, { count: 1 }), fillMessage(zh.value.geometryPositions, { count: positions })]
      .join(zh.value.geometrySeparator),
  });
  check((await geometry.textContent()).trim() === expectedZh,
    `the outline of ${LARGE_PARCEL} reads "${(await geometry.textContent()).trim()}", expected "${expectedZh}"`);
  check(await data.locator('[data-field-id="outline"] table, [data-field-id="outline"] dl').count() === 0,
    `the case page draws the outline of ${LARGE_PARCEL} as a table or description list`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  check(height <= MAX_PAGE_HEIGHT, `the case page of ${LARGE_PARCEL} is ${height} px tall, expected at most ${MAX_PAGE_HEIGHT}`);

  // The labels keep their width beside the long name, and the name wraps inside the page.
  const labelWidths = await data.locator('.el-descriptions__label').evaluateAll(
    (labels) => labels.map((label) => [label.textContent.trim(), label.getBoundingClientRect().width]));
  const narrow = labelWidths.filter(([, width]) => width < MIN_LABEL_WIDTH);
  check(narrow.length === 0, `these data labels are narrower than ${MIN_LABEL_WIDTH} px: ${JSON.stringify(narrow)}`);
  const pageWidth = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(pageWidth[0] <= pageWidth[1], `the case page of ${LARGE_PARCEL} is ${pageWidth[0]} px wide, wider than the window (${pageWidth[1]} px)`);
  const titleBox = await page.getByTestId('case-title').boundingBox();
  check(titleBox.x + titleBox.width <= pageWidth[1], `the title of ${LARGE_PARCEL} reaches ${titleBox.x + titleBox.width} px, past the window`);

  // The sub-parcels: the first LIST_LIMIT rows, the count of the rest, and a button for them.
  const table = data.locator('[data-testid="field-table"][data-field-id="sub_parcels"]');
  const rows = table.locator('tbody tr');
  check(await rows.count() === LIST_LIMIT, `the sub-parcels of ${LARGE_PARCEL} show ${await rows.count()} rows, expected ${LIST_LIMIT}`);
  const hidden = LARGE_SUB_PARCEL_COUNT - LIST_LIMIT;
  const moreCount = data.getByTestId('field-more-count');
  check(await moreCount.count() === 1, `the case page shows ${await moreCount.count()} counts of hidden items, expected 1`);
  const expectedMore = fillMessage(zh.value.moreItems, { count: hidden });
  check((await moreCount.textContent()).trim() === expectedMore,
    `below the sub-parcels the page says "${(await moreCount.textContent()).trim()}", expected "${expectedMore}"`);
  await saveScreen(page, screens, 'case-large-values');
  await checkGlyphs(page, 'case page of a parcel with large values');
  await data.getByTestId('field-show-more').click();
  await page.waitForFunction((count) => document.querySelectorAll(
    '[data-testid="field-table"][data-field-id="sub_parcels"] tbody tr').length === count, LARGE_SUB_PARCEL_COUNT);
  check(await data.getByTestId('field-more-count').count() === 0, 'the count of hidden sub-parcels stays after all are shown');

  // In English the summary uses the plural forms.
  await switchLanguage(page, 'en', meEn.user.role_title);
  const expectedEn = `MultiPolygon: 1 polygon, ${positions} positions`;
  await geometry.filter({ hasText: expectedEn }).waitFor();
}
