// The UI language: zh-CN by default, English by the switch in the header, remembered in
// localStorage. API requests send it as Accept-Language (see api.js).
import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import elementEn from 'element-plus/es/locale/lang/en';
import zhCN from './zh-CN.js';
import en from './en.js';

export const LOCALES = [
  { id: 'zh-CN', label: '中文' },
  { id: 'en', label: 'English' },
];

const DEFAULT_LOCALE = 'zh-CN';
const STORAGE_KEY = 'sitecycle.locale';
const ELEMENT_LOCALES = { 'zh-CN': elementZhCn, en: elementEn };

function readStoredLocale() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (LOCALES.some((locale) => locale.id === stored)) return stored;
  } catch {
    // Storage can be disabled by the browser's privacy settings, so fall back to the default.
  }
  return DEFAULT_LOCALE;
}

export const i18n = createI18n({
  legacy: false,
  locale: readStoredLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
  // Messages such as "sct_<id>_<64 hex digits>" contain angle brackets. They are only rendered
  // as text ({{ }} and attribute bindings escape them), never with v-html.
  warnHtmlMessage: false,
});

export const currentLocale = computed(() => i18n.global.locale.value);
export const elementLocale = computed(() => ELEMENT_LOCALES[i18n.global.locale.value]);

function applyToDocument(locale) {
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
}

applyToDocument(i18n.global.locale.value);

export function setLocale(locale) {
  if (!LOCALES.some((known) => known.id === locale)) return;
  i18n.global.locale.value = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered when storage is disabled, but the switch still applies to this page.
  }
  applyToDocument(locale);
}

// Picks the current language from a LocalizedText ({"zh-CN": …, "en": …}) of the API.
// Returns null for null or undefined.
export function localized(text) {
  if (text == null) return null;
  if (typeof text === 'string') return text;
  return text[i18n.global.locale.value] ?? text[DEFAULT_LOCALE] ?? null;
}
