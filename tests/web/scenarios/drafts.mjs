// Scenario of the drafts of transition forms. What a user typed survives a sign-out by a 401 and
// comes back when the same user opens the same form again. Another user does not get it, and it
// is gone after the step succeeded, after the user discarded or closed it, and after a sign-out
// with the header's button.
import { isDeepStrictEqual } from 'node:util';
import {
  CheckFailure,
  LAND_BUREAU,
  SUPERVISOR,
  callApi,
  check,
  checkGlyphs,
  fillField,
  getAll,
  getJson,
  hashOf,
  issueToken,
  revokeToken,
  saveScreen,
  signIn,
  waitForApiIdle,
  waitForCasePage,
  waitForHash,
} from '../browser_helpers.mjs';

// A Pudong parcel that the scenario creates as LAND_BUREAU. Both LAND_BUREAU and SUPERVISOR may
// fire DRAFT_TRANSITION on it, which keeps the parcel's state, so its form opens again after a
// step and both users can open the same form.
const DRAFT_PARCEL = 'browser_test_parcel_draft';
const DRAFT_PARCEL_NAME = '浏览器测试地块（暂存填写内容）';
const DRAFT_TRANSITION = 'update_details';

// What the scenario types into the form: a text field, a list of sub-parcels as rows (with a
// list of lines in the first row), and a comment.
const TYPED_LOCATION = '东至浏览器测试路，西至暂存路（浏览器测试）';
const TYPED_SUB_PARCELS = [
  { code: '浏览器测试-暂存-1', area_m2: 1200, planned_use_codes: ['R21', 'A33'] },
  { code: '浏览器测试-暂存-2', area_m2: 800.5 },
];
const TYPED_COMMENT = '补充子地块信息（浏览器测试：暂存填写内容）';
// What the form shows for that input, as readForm returns it.
const TYPED_FORM = {
  location: TYPED_LOCATION,
  subParcels: [
    { code: TYPED_SUB_PARCELS[0].code, area: '1200', useCodes: 'R21\nA33' },
    { code: TYPED_SUB_PARCELS[1].code, area: '800.5', useCodes: '' },
  ],
  comment: TYPED_COMMENT,
};
const EMPTY_FORM = { location: '', subParcels: [], comment: '' };
// A comment typed later, to leave a draft behind for the reload and the sign-out.
const LATER_COMMENT = '稍后再提交（浏览器测试：暂存填写内容）';
// Larger than the largest draft that transitionDrafts.js keeps (256 KiB).
const OVERSIZED_LOCATION = '大'.repeat(100 * 1024); // 300 KiB in UTF-8

// The sessionStorage key of a draft, as transitionDrafts.js builds it.
const DRAFT_KEY_PREFIX = 'sitecycle.transitionDraft/';
function draftKey(user, caseId, transition) {
  return DRAFT_KEY_PREFIX + [user, caseId, transition].map(encodeURIComponent).join('/');
}

// Returns the drafts the page keeps in sessionStorage, as { key: text }.
async function storedDrafts(page) {
  return page.evaluate((prefix) => Object.fromEntries(Object.keys(window.sessionStorage)
    .filter((key) => key.startsWith(prefix)).map((key) => [key, window.sessionStorage.getItem(key)])), DRAFT_KEY_PREFIX);
}

// Waits until the draft under `key` contains every text of `texts`, or until there is no draft
// under `key` when `texts` is null. `when` names the step in the failure.
async function waitForDraft(page, key, texts, when) {
  try {
    await page.waitForFunction(({ key: name, texts: parts }) => {
      const text = window.sessionStorage.getItem(name);
      return parts === null ? text === null : text !== null && parts.every((part) => text.includes(part));
    }, { key, texts });
  } catch (error) {
    const stored = (await storedDrafts(page))[key];
    const found = stored === undefined ? 'nothing' : `${stored.length} characters: ${stored.slice(0, 300)}`;
    const problem = texts === null ? 'still has a draft' : `has no draft containing ${JSON.stringify(texts)}`;
    throw new CheckFailure(`${when} sessionStorage ${problem} under ${key} (${error.message.split('\n')[0]}). `
      + `It stores ${found}`);
  }
}

// Returns what the open form shows in the inputs this scenario types into.
async function readForm(dialog) {
  return dialog.evaluate((root) => {
    const valueOf = (selector) => root.querySelector(selector)?.value ?? null;
    const rows = [...root.querySelectorAll('.el-form-item[data-field-id="sub_parcels"] [data-testid="field-row"]')];
    return {
      location: valueOf('.el-form-item[data-field-id="location"] input'),
      subParcels: rows.map((row) => {
        const pointer = row.getAttribute('data-pointer');
        return {
          code: valueOf(`[data-pointer="${pointer}/code"] input`),
          area: valueOf(`[data-pointer="${pointer}/area_m2"] input`),
          useCodes: valueOf(`[data-pointer="${pointer}/planned_use_codes"] textarea`),
        };
      }),
      comment: valueOf('[data-testid="transition-comment"]'),
    };
  });
}

// Opens the form of DRAFT_TRANSITION on the case page and returns it.
async function openForm(page) {
  await page.locator(`[data-testid="transition-button"][data-transition-id="${DRAFT_TRANSITION}"]`).click();
  const dialog = page.getByTestId('transition-dialog');
  await dialog.locator(`.el-form-item[data-field-id="location"]`).waitFor();
  return dialog;
}

// Closes the open form with `button`, its cancel button or the close button in its corner.
async function closeForm(dialog, button) {
  await button.click();
  await dialog.waitFor({ state: 'hidden' });
}

// Checks that the open form is empty and shows no notice of a restored draft.
async function checkEmptyForm(dialog, when) {
  const formValues = await readForm(dialog);
  check(isDeepStrictEqual(formValues, EMPTY_FORM), `${when} the form shows ${JSON.stringify(formValues)}, expected it empty`);
  check(await dialog.getByTestId('transition-draft-restored').count() === 0, `${when} the form shows the notice of a restored draft`);
}

async function checkSignInPage(page, zh, notice, redirect, when) {
  await page.getByTestId('sign-in-token').waitFor();
  const [route, query] = hashOf(page).slice(1).split('?');
  check(route === '/sign-in', `${when} the page shows ${hashOf(page)}, expected the sign-in page`);
  const shownRedirect = new URLSearchParams(query ?? '').get('redirect');
  check(shownRedirect === redirect, `${when} the sign-in page returns to ${shownRedirect}, expected ${redirect}`);
  await page.locator('.el-alert', { hasText: notice }).waitFor();
}

// The drafts of the transition form. LAND_BUREAU signs in with a token issued for the scenario
// (sitecycle tokens issue), types into the form of DRAFT_TRANSITION on DRAFT_PARCEL, and the
// token is revoked (sitecycle tokens revoke) while the form is open. The event stream ends, its
// reconnection gets 401, and the page moves to the sign-in page with the typed input kept in
// sessionStorage, without the token. SUPERVISOR, who may fire the same step, signs in next in
// the same tab and gets an empty form, then leaves by a stubbed 401. LAND_BUREAU signs in again
// with its demo token, returns to the case and gets the typed input back, then submits it, after
// which the form opens empty. Last, a discarded draft, an oversized one and one of a form closed
// with its close button are not kept, a reload keeps a draft, and the header's sign-out removes
// it.
export async function transitionDrafts({ page, port, tokens, messages, screens, records, scenario, binary, serverFolder }) {
  const zh = messages['zh-CN'];
  const landToken = tokens[LAND_BUREAU];
  const created = await callApi(port, landToken, 'cases', {
    method: 'POST',
    body: { workflow: 'parcel', id: DRAFT_PARCEL, data: { name: DRAFT_PARCEL_NAME, district: 'pudong', planned_class: 1 } },
  });
  check(created.status === 201, `POST /api/v1/cases of ${DRAFT_PARCEL} as ${LAND_BUREAU} returned ${created.status}: ${JSON.stringify(created.json)}`);
  const detail = created.json;
  for (const [user, token] of [[LAND_BUREAU, landToken], [SUPERVISOR, tokens[SUPERVISOR]]]) {
    const read = await getJson(port, token, `cases/${DRAFT_PARCEL}`);
    check(read.transitions.some((item) => item.id === DRAFT_TRANSITION && item.guard_holds),
      `${user} may not fire ${DRAFT_TRANSITION} on ${DRAFT_PARCEL}`);
  }
  const workflow = (await getAll(port, landToken, 'workflows')).find((item) => item.id === detail.workflow);
  const subParcelsSpec = workflow.fields.find((field) => field.id === 'sub_parcels');
  const landMe = await getJson(port, landToken, 'me');
  const supervisorMe = await getJson(port, tokens[SUPERVISOR], 'me');
  const casePath = `/cases/${DRAFT_PARCEL}`;
  const key = draftKey(LAND_BUREAU, DRAFT_PARCEL, DRAFT_TRANSITION);

  // LAND_BUREAU types into the form, signed in with a token issued for this scenario.
  const issued = await issueToken(binary, serverFolder, LAND_BUREAU);
  await page.goto(`${records.origin}/#${casePath}`);
  await signIn(page, issued.token, landMe);
  await waitForHash(page, `#${casePath}`);
  await waitForCasePage(page, detail);
  let dialog = await openForm(page);
  await checkEmptyForm(dialog, 'before anything was typed');
  await fillField(page, dialog.locator('.el-form-item[data-field-id="location"]'), { type: 'string' }, TYPED_LOCATION);
  await fillField(page, dialog.locator('.el-form-item[data-field-id="sub_parcels"]'), subParcelsSpec, TYPED_SUB_PARCELS);
  await dialog.getByTestId('transition-comment').fill(TYPED_COMMENT);
  const typed = await readForm(dialog);
  check(isDeepStrictEqual(typed, TYPED_FORM), `after typing the form shows ${JSON.stringify(typed)}, expected ${JSON.stringify(TYPED_FORM)}`);
  await waitForDraft(page, key, [TYPED_COMMENT, TYPED_SUB_PARCELS[1].code], 'after typing');
  const saved = (await storedDrafts(page))[key];
  check(!saved.includes(issued.token) && !saved.includes(landToken), 'the stored draft contains the API token');

  // The token is revoked: the stream's reconnection gets 401, which signs out.
  records.expectedErrors.push({ scenario, method: 'GET', pathname: '/api/v1/stream', status: 401 });
  await revokeToken(binary, serverFolder, issued.id);
  await checkSignInPage(page, zh, zh.signIn.expired, casePath, 'after the token was revoked');
  check(Object.keys(await storedDrafts(page)).includes(key), 'the sign-out by a 401 removed the draft');

  // Another user of the tab does not get the draft.
  await signIn(page, tokens[SUPERVISOR], supervisorMe);
  await waitForHash(page, `#${casePath}`);
  await waitForCasePage(page, detail);
  dialog = await openForm(page);
  await checkEmptyForm(dialog, `for ${SUPERVISOR}`);
  await closeForm(dialog, dialog.getByTestId('transition-form-cancel'));
  check(Object.keys(await storedDrafts(page)).includes(key), `cancelling the form of ${SUPERVISOR} removed the draft of ${LAND_BUREAU}`);

  // SUPERVISOR's token "expires": after a reload, the case request gets a stubbed 401.
  const caseApiPath = `/api/v1/cases/${DRAFT_PARCEL}`;
  records.expectedErrors.push({ scenario, method: 'GET', pathname: caseApiPath, status: 401 });
  await page.route((url) => url.pathname === caseApiPath, (route) => route.fulfill({
    status: 401,
    contentType: 'application/problem+json',
    body: JSON.stringify({ status: 401, code: 'unauthenticated', detail: '浏览器测试：令牌已过期' }),
  }), { times: 1 });
  await waitForApiIdle(page);
  await page.reload();
  await checkSignInPage(page, zh, zh.signIn.expired, casePath, `after a 401 for ${SUPERVISOR}`);

  // LAND_BUREAU signs in again with another token, returns to the case and gets the draft back.
  await signIn(page, landToken, landMe);
  await waitForHash(page, `#${casePath}`);
  await waitForCasePage(page, detail);
  dialog = await openForm(page);
  const restoredNotice = dialog.getByTestId('transition-draft-restored');
  await restoredNotice.waitFor();
  check((await restoredNotice.textContent()).includes(zh.transition.draftRestored),
    `the restored draft's notice reads "${(await restoredNotice.textContent()).trim()}", expected "${zh.transition.draftRestored}"`);
  const restored = await readForm(dialog);
  check(isDeepStrictEqual(restored, TYPED_FORM),
    `after signing in again the form shows ${JSON.stringify(restored)}, expected ${JSON.stringify(TYPED_FORM)}`);
  await saveScreen(page, screens, 'transition-draft-restored');
  await checkGlyphs(page, 'transition form with a restored draft');

  // Submitted: the step succeeds with the restored input, and the draft is gone.
  const transitionPath = `${caseApiPath}/transitions/${DRAFT_TRANSITION}`;
  const responsePromise = page.waitForResponse((response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === transitionPath);
  // The case page reads the case again after the step, and once more a second after the step's
  // event arrives on the stream. A reload of the page must not cut that second read.
  let caseReads = 0;
  const readTwice = page.waitForResponse((response) => response.request().method() === 'GET'
    && new URL(response.url()).pathname === caseApiPath && ++caseReads === 2);
  await dialog.getByTestId('transition-form-submit').click();
  const response = await responsePromise;
  check(response.status() === 200, `POST ${DRAFT_TRANSITION} returned ${response.status()}: ${await response.text()}`);
  const sent = response.request().postDataJSON();
  const expectedInput = { location: TYPED_LOCATION, sub_parcels: TYPED_SUB_PARCELS };
  check(isDeepStrictEqual(sent.input, expectedInput), `the form sent the input ${JSON.stringify(sent.input)}, expected ${JSON.stringify(expectedInput)}`);
  check(sent.comment === TYPED_COMMENT, `the form sent the comment ${JSON.stringify(sent.comment)}, expected ${JSON.stringify(TYPED_COMMENT)}`);
  await dialog.waitFor({ state: 'hidden' });
  check(!Object.keys(await storedDrafts(page)).includes(key), 'the draft is still stored after the step succeeded');
  await readTwice;
  await waitForApiIdle(page);
  dialog = await openForm(page);
  await checkEmptyForm(dialog, 'after the step succeeded');

  // Kept over a reload, then discarded: the draft is removed and the form empties.
  await dialog.getByTestId('transition-comment').fill(LATER_COMMENT);
  await waitForDraft(page, key, [LATER_COMMENT], 'after typing a comment');
  await waitForApiIdle(page);
  await page.reload();
  await waitForCasePage(page, detail);
  check(Object.keys(await storedDrafts(page)).includes(key), 'a reload removed the draft');
  dialog = await openForm(page);
  await dialog.getByTestId('transition-draft-restored').waitFor();
  await dialog.getByTestId('transition-draft-discard').click();
  await dialog.getByTestId('transition-draft-restored').waitFor({ state: 'hidden' });
  await checkEmptyForm(dialog, 'after discarding the draft');
  check(!Object.keys(await storedDrafts(page)).includes(key), 'the draft is still stored after it was discarded');

  // Oversized: a draft over 256 KiB is not kept, and nothing reports an error.
  await dialog.getByTestId('transition-comment').fill(LATER_COMMENT);
  await waitForDraft(page, key, [LATER_COMMENT], 'after typing a comment again');
  await dialog.locator('.el-form-item[data-field-id="location"] input').fill(OVERSIZED_LOCATION);
  await waitForDraft(page, key, null, 'after typing over 256 KiB');
  await dialog.locator('.el-form-item[data-field-id="location"] input').fill('');
  await waitForDraft(page, key, [LATER_COMMENT], 'after removing the oversized text');

  // Closed with the close button: the draft is removed.
  await closeForm(dialog, dialog.locator('.el-dialog__headerbtn'));
  check(!Object.keys(await storedDrafts(page)).includes(key), 'the draft is still stored after the form was closed');
  dialog = await openForm(page);
  await checkEmptyForm(dialog, 'after the form was closed');

  // Signed out with the header's button: a draft that a reload kept is removed.
  await dialog.getByTestId('transition-comment').fill(LATER_COMMENT);
  await waitForDraft(page, key, [LATER_COMMENT], 'after typing before the sign-out');
  await waitForApiIdle(page);
  await page.reload();
  await waitForCasePage(page, detail);
  check(Object.keys(await storedDrafts(page)).includes(key), 'a reload removed the draft');
  await waitForApiIdle(page);
  await page.getByTestId('sign-out-button').click();
  await checkSignInPage(page, zh, zh.signIn.signedOut, casePath, 'after signing out');
  const left = Object.keys(await storedDrafts(page));
  check(left.length === 0, `after signing out the tab still stores the drafts ${JSON.stringify(left)}`);
  await signIn(page, landToken, landMe);
  await waitForHash(page, `#${casePath}`);
  await waitForCasePage(page, detail);
  dialog = await openForm(page);
  await checkEmptyForm(dialog, 'after signing out and in again');
  await closeForm(dialog, dialog.getByTestId('transition-form-cancel'));
}
