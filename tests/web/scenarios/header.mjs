// Scenarios of the header: the language switch and the notice while the event stream is down.
import { isDeepStrictEqual } from 'node:util';
import { SUPERVISOR, check, getJson, signIn, switchLanguage, waitForApiIdle } from '../browser_helpers.mjs';

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

// While the event stream cannot connect, the header shows a notice, and once it reconnects
// (RECONNECT_DELAY_MS of live.js later) the notice goes.
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

  const reconnected = page.waitForResponse((response) => isStream(new URL(response.url())) && response.status() === 200);
  await page.unroute(isStream);
  await reconnected;
  await notice.waitFor({ state: 'hidden' });
}
