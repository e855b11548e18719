// Finds the characters of a page that no installed font can draw, so Chinese text never shows as
// empty boxes (豆腐块). fontconfig lists each installed font's character set, and Chromium draws a
// box for a character outside all of them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

let coverage = null;

// The code points of every installed font, as sorted, merged [first, last] ranges.
async function installedCoverage() {
  if (coverage) return coverage;
  const { stdout } = await run('fc-list', ['--format', '%{charset}\n'], { maxBuffer: 64 * 1024 * 1024 });
  const ranges = [];
  for (const token of stdout.split(/\s+/)) {
    if (!token) continue;
    const [first, last = first] = token.split('-');
    ranges.push([Number.parseInt(first, 16), Number.parseInt(last, 16)]);
  }
  ranges.sort((left, right) => left[0] - right[0]);
  const merged = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1] + 1) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([...range]);
  }
  coverage = merged;
  return merged;
}

function covered(ranges, codePoint) {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (codePoint < ranges[middle][0]) high = middle - 1;
    else if (codePoint > ranges[middle][1]) low = middle + 1;
    else return true;
  }
  return false;
}

// Returns the distinct characters of the page's visible text, titles and placeholders that no
// installed font has, as "字 (U+5B57)" strings. The list is empty when every one can be drawn.
export async function findMissingGlyphs(page) {
  const text = await page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[placeholder], [title], [aria-label]')]
      .flatMap((element) => ['placeholder', 'title', 'aria-label'].map((name) => element.getAttribute(name) ?? ''));
    return [document.body.innerText, ...attributes].join('\n');
  });
  const ranges = await installedCoverage();
  const missing = new Set();
  for (const character of text) {
    const codePoint = character.codePointAt(0);
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) || /\s/u.test(character)) continue;
    if (!covered(ranges, codePoint)) missing.add(`${character} (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`);
  }
  return [...missing];
}
