// Scenarios of the header and the sign-in page: the language switch, the notice while the event
// stream is down with the header's layout at two window widths, and the sign-in page's messages
// for rejected tokens.
import { isDeepStrictEqual } from 'node:util';
import {
  REQUEST_TIMEOUT_MS,
  SUPERVISOR,
  VIEWPORT,
  check,
  fillMessage,
  getJson,
  signIn,
  switchLanguage,
  waitForApiIdle,
} from '../browser_helpers.mjs';

// Window widths at which every part of the header must be whole and inside the window.
const HEADER_WIDTHS = [1366, 1024];

// Checks the labels that name the screen and the navigation in one language.
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

// The language switch: English labels and user titles, kept after a reload, then Chinese again.
export async function languageSwitch({ page, port, tokens, messages, records }) {
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

  await waitForApiIdle(page); // the home page's panels load; a reload would cut their requests
  await page.reload();
  await page.getByTestId('overdue-counter').waitFor();
  await checkLabels(page, messages.en, 'en');

  await switchLanguage(page, 'zh-CN', meZh.user.role_title);
  await page.locator('.el-menu-item', { hasText: messages['zh-CN'].nav.home }).waitFor();
  await checkLabels(page, messages['zh-CN'], 'zh-CN');
}

// Returns the problems of the header's layout: a part outside the window, or text cut off
// (scrollWidth beyond clientWidth, as an ellipsis or a clipping box leaves it).
async function headerProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const parts = document.querySelectorAll(['.app-header .brand', '.app-header .el-menu-item',
      '[data-testid="header-user-name"]', '[data-testid="header-organisation"]', '[data-testid="header-role"]',
      '[data-testid="header-role"] .el-tag__content', '[data-testid="language-switch"]',
      '[data-testid="sign-out-button"]', '[data-testid="connection-lost"]',
      '[data-testid="connection-lost"] .el-tag__content'].join(', '));
    const problems = [];
    for (const part of parts) {
      const name = `${part.dataset.testid ?? part.className} "${part.textContent.trim()}"`;
      const box = part.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) problems.push(`${name} is not shown`);
      if (box.left < 0 || box.right > width + 0.5) problems.push(`${name} spans ${box.left}–${box.right} px of a ${width} px window`);
      if (part.scrollWidth > part.clientWidth + 1) problems.push(`${name} is cut off: ${part.scrollWidth} px of content in ${part.clientWidth} px`);
    }
    if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    return problems;
  });
}

// Checks the header at each of HEADER_WIDTHS in `locale`, with the connection notice shown.
async function checkHeaderLayout(page, locale) {
  for (const width of HEADER_WIDTHS) {
    await page.setViewportSize({ width, height: VIEWPORT.height });
    const problems = await headerProblems(page);
    check(problems.length === 0, `in ${locale} at ${width} px the header has ${problems.length} problem(s):\n    ${problems.join('\n    ')}`);
    check(await page.getByTestId('connection-lost').isVisible(), `in ${locale} at ${width} px the connection notice is not visible`);
  }
  await page.setViewportSize(VIEWPORT);
}

// While the event stream cannot connect, the header shows a notice, and every part of the header
// stays whole at 1366 and 1024 px, in Chinese and in the longer English. Once the stream
// reconnects (RECONNECT_DELAY_MS of live.js later) the notice goes.
export async function connectionNotice({ page, port, tokens, messages, records, scenario }) {
  const zh = messages['zh-CN'];
  const token = tokens[SUPERVISOR];
  const streamPath = '/api/v1/stream';
  records.expectedErrors.push({ scenario, method: 'GET', pathname: streamPath, status: 503 });
  const isStream = (url) => url.pathname === streamPath;
  await page.route(isStream, (route) => route.fulfill({
    status: 503,
    contentType: 'application/problem+json',
    body: JSON.stringify({ status: 503, detail: '浏览器测试：事件流暂不可用' }),
  }));

  await page.goto(`${records.origin}/`);
  await signIn(page, token, await getJson(port, token, 'me'));
  const notice = page.getByTestId('connection-lost');
  await notice.waitFor();
  const text = (await notice.textContent()).trim();
  check(text === zh.connection.lost, `the header's connection notice reads "${text}", expected "${zh.connection.lost}"`);
  await checkHeaderLayout(page, 'zh-CN');
  const meEn = await getJson(port, token, 'me', { language: 'en' });
  await switchLanguage(page, 'en', meEn.user.role_title);
  await page.getByTestId('connection-lost').filter({ hasText: messages.en.connection.lost }).waitFor();
  await checkHeaderLayout(page, 'en');

  const reconnected = page.waitForResponse((response) => isStream(new URL(response.url())) && response.status() === 200);
  await page.unroute(isStream);
  await reconnected;
  await notice.waitFor({ state: 'hidden' });
}

// A well-formed token that no demo user has.
const UNKNOWN_TOKEN = `sct_browser_test_unknown_${'0'.repeat(64)}`;

// Signs in with `token` and returns the sign-in page's error text, after checking the status of
// GET /api/v1/me.
async function signInError(page, token, expectedStatus) {
  const response = page.waitForResponse((item) => new URL(item.url()).pathname === '/api/v1/me');
  await page.getByTestId('sign-in-token').fill(token);
  await page.getByTestId('sign-in-submit').click();
  const status = (await response).status();
  check(status === expectedStatus, `GET /api/v1/me with a wrong token returned ${status}, expected ${expectedStatus}`);
  const alert = page.getByTestId('sign-in-error');
  await alert.waitFor();
  return (await alert.textContent()).trim();
}

// The sign-in page shows its own messages, not the server's, which name the Authorization header.
// One is for a token the server does not know (401). The other is for the lock that follows
// repeated failures from one address (429), with the minutes the lock lasts.
export async function signInErrors({ port, page, messages, records, scenario }) {
  const zh = messages['zh-CN'];
  for (const status of [401, 429]) records.expectedErrors.push({ scenario, method: 'GET', pathname: '/api/v1/me', status });
  await page.goto(`${records.origin}/`);
  await page.getByTestId('sign-in-token').waitFor();

  const wrong = await signInError(page, UNKNOWN_TOKEN, 401);
  check(wrong === zh.signIn.wrongToken, `for an unknown token the sign-in page says "${wrong}", expected "${zh.signIn.wrongToken}"`);

  // Fails from this address until the server locks it, which LockoutPolicy::address_failures
  // (20 unless configured) failures within its window do.
  let locked = null;
  for (let attempt = 0; attempt < 50 && !locked; attempt += 1) {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { Authorization: `Bearer ${UNKNOWN_TOKEN}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.json();
    if (response.status === 429) locked = body;
  }
  check(locked !== null, 'the server did not lock 127.0.0.1 out after 50 failed sign-ins');
  check(typeof locked.retry_after_seconds === 'number', `the 429 has no retry_after_seconds: ${JSON.stringify(locked)}`);
  const lockedText = await signInError(page, UNKNOWN_TOKEN, 429);
  const expectedLocked = fillMessage(zh.signIn.lockedOutFor, { minutes: Math.ceil(locked.retry_after_seconds / 60) });
  check(lockedText === expectedLocked, `while locked out the sign-in page says "${lockedText}", expected "${expectedLocked}"`);
  for (const text of [wrong, lockedText]) {
    check(!text.includes('Authorization'), `the sign-in page shows the server's message for API clients: "${text}"`);
  }
}
