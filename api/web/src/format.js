// Formatting of instants, dates and numbers, and name sorting. Times are shown in 24-hour
// Asia/Shanghai time whatever the browser's time zone, and dates as YYYY-MM-DD as in Chinese
// tables. Only the weekday name and the sort order follow the UI language.
import { i18n } from './i18n/index.js';

const TIME_ZONE = 'Asia/Shanghai';

const instantParts = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const numberFormat = new Intl.NumberFormat('zh-CN');

const weekdayFormats = {
  'zh-CN': new Intl.DateTimeFormat('zh-CN', { weekday: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: 'UTC' }),
};

const collators = {
  'zh-CN': new Intl.Collator('zh-CN-u-co-pinyin'),
  en: new Intl.Collator('en'),
};

function currentLocale() {
  return i18n.global.locale.value;
}

// Formats an ISO 8601 instant ("2026-03-16T01:30:00Z") as "2026-03-16 09:30" in Shanghai time.
export function formatInstant(text) {
  if (!text) return '';
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return text;
  const parts = Object.fromEntries(instantParts.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

// Formats a calendar date ("2026-03-16") with its weekday: "2026-03-16 周一" or "2026-03-16 Mon".
export function formatDate(text) {
  if (!text) return '';
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return text;
  const weekdays = weekdayFormats[currentLocale()] ?? weekdayFormats['zh-CN'];
  return `${text} ${weekdays.format(date)}`;
}

// Formats the due day of a deadline from its due instant, which is the end of that day in
// Shanghai (the start of the next), as formatDate does: "2026-03-30 周一".
export function formatDueDay(instantText) {
  if (!instantText) return '';
  const instant = new Date(instantText);
  if (Number.isNaN(instant.getTime())) return instantText;
  const parts = Object.fromEntries(
    instantParts.formatToParts(new Date(instant.getTime() - 1)).map((part) => [part.type, part.value]),
  );
  return formatDate(`${parts.year}-${parts.month}-${parts.day}`);
}

export function formatNumber(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '');
  return numberFormat.format(value);
}

// Compares two names for sorting: pinyin order in Chinese, alphabetical in English.
export function compareNames(left, right) {
  const collator = collators[currentLocale()] ?? collators['zh-CN'];
  return collator.compare(left ?? '', right ?? '');
}

// The GeoJSON geometry types (RFC 7946) with `coordinates`, and the parts their summary counts:
// the members of a multi-geometry, or the rings of a polygon.
const GEOMETRY_PARTS = {
  Point: null,
  MultiPoint: null,
  LineString: null,
  MultiLineString: 'value.geometryLines',
  Polygon: 'value.geometryRings',
  MultiPolygon: 'value.geometryPolygons',
};

// Whether `value` is a GeoJSON geometry: an object with a known `type` and a `coordinates` array.
export function isGeometry(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.hasOwn(GEOMETRY_PARTS, value.type) && Array.isArray(value.coordinates);
}

// Counts the positions (arrays of numbers) in nested coordinate arrays.
function countPositions(coordinates) {
  if (!Array.isArray(coordinates)) return 0;
  if (coordinates.every((item) => typeof item === 'number')) return 1;
  return coordinates.reduce((total, item) => total + countPositions(item), 0);
}

// Summarises a GeoJSON geometry on one line: "MultiPolygon：1 个多边形，10,000 个坐标" or
// "MultiPolygon: 1 polygon, 10,000 positions".
export function formatGeometry(geometry) {
  const { t } = i18n.global;
  const counts = [];
  const partsKey = GEOMETRY_PARTS[geometry.type];
  if (partsKey) counts.push(t(partsKey, { count: formatNumber(geometry.coordinates.length) }, geometry.coordinates.length));
  const positions = countPositions(geometry.coordinates);
  counts.push(t('value.geometryPositions', { count: formatNumber(positions) }, positions));
  return t('value.geometry', { type: geometry.type, counts: counts.join(t('value.geometrySeparator')) });
}
