// Prints, as one JSON object on stdout, whether the npm package chinese-days counts each day of a
// range of years as a working day in mainland China, and which of those years it has holiday
// data for:
//   {"package": "chinese-days", "version": "1.5.7", "covered_years": [2017, ...],
//    "is_workday": {"2017-01-01": false, ...}}
// Usage: node chinese_days_dump.js NODE_MODULES_DIR FIRST_YEAR LAST_YEAR
// Exits 2 on bad arguments and 3 when the package is not installed under NODE_MODULES_DIR.
'use strict';

// chinese-days 1.5.7 builds its tables by parsing dates as UTC and formatting them in local time,
// so west of UTC every holiday moves one day earlier. Node applies a change of TZ at once, and the
// tables are built when the package is loaded, so this must run before loadPackage.
process.env.TZ = 'UTC';

const path = require('path');

const WEEKDAY_NAMES = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

function fail(status, message) {
  process.stderr.write(`chinese_days_dump.js: ${message}\n`);
  process.exit(status);
}

function parseYear(text) {
  if (!/^\d{4}$/.test(text || '')) fail(2, `invalid year "${text}"; expected four digits such as 2017`);
  return Number(text);
}

function loadPackage(modulesDir) {
  const packageDir = path.join(modulesDir, 'chinese-days');
  try {
    return { api: require(packageDir), version: require(path.join(packageDir, 'package.json')).version };
  } catch (error) {
    fail(3, `cannot load chinese-days from ${packageDir} (${error.code || error.message}); run ./test.sh to install it`);
  }
}

function isoDate(year, monthIndex, day) {
  const pad = (number) => String(number).padStart(2, '0');
  return `${year}-${pad(monthIndex + 1)}-${pad(day)}`;
}

// Midnight in local time, which is UTC here: chinese-days reads the weekday and formats the date
// in local time.
function* daysOf(year) {
  for (let day = new Date(year, 0, 1); day.getFullYear() === year; day = new Date(year, day.getMonth(), day.getDate() + 1)) {
    yield day;
  }
}

function main() {
  const [modulesDir, firstText, lastText] = process.argv.slice(2);
  if (!modulesDir) fail(2, 'missing arguments; usage: node chinese_days_dump.js NODE_MODULES_DIR FIRST_YEAR LAST_YEAR');
  const first = parseYear(firstText);
  const last = parseYear(lastText);
  if (first > last) fail(2, `FIRST_YEAR ${first} is after LAST_YEAR ${last}`);

  const { api, version } = loadPackage(modulesDir);
  const isWorkday = {};
  const coveredYears = [];
  for (let year = first; year <= last; ++year) {
    // A year is covered when the package names at least one of its days as a holiday or a
    // make-up working day. In other years it treats weekends alone as days off.
    let covered = false;
    for (const day of daysOf(year)) {
      isWorkday[isoDate(year, day.getMonth(), day.getDate())] = api.isWorkday(day);
      if (!WEEKDAY_NAMES.has(api.getDayDetail(day).name)) covered = true;
    }
    if (covered) coveredYears.push(year);
  }
  process.stdout.write(JSON.stringify({ package: 'chinese-days', version, covered_years: coveredYears, is_workday: isWorkday }));
  process.stdout.write('\n');
}

main();
