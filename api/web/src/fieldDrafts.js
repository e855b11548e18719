// Drafts of a transition's input: what the form's inputs hold while the user fills them in, and
// how a draft becomes the JSON value sent as input. FieldInput.vue renders each field by the
// shape that inputShape() returns for its spec, and readDraft() checks and converts the draft
// before the form sends it, with messages keyed by the JSON pointer of the input they belong to.
import { i18n, localized } from './i18n/index.js';

// Item types entered one per line of a textarea.
const LINE_ITEM_TYPES = ['string', 'integer', 'number'];
// Scalar item types entered one row per item, with the input of their type.
const ROW_ITEM_TYPES = ['date', 'boolean'];

function t(key, values, plural) {
  return plural === undefined ? i18n.global.t(key, values) : i18n.global.t(key, values, plural);
}

// Returns how a field with spec `spec` is entered, which also fixes the type of its draft.
//   shape    input                                                  draft
//   scalar   one input of the field's type, or text without a spec  the value
//   lines    a list of strings or numbers, one item per line         a string
//   choices  a list of enumeration values, as a multiple select      an array of values
//   rows     a list of objects, dates or booleans, a row per item    an array of item drafts
//   form     an object with declared fields, as a nested form        an object of member drafts
//   json     any other list or object, as JSON text                  a string
export function inputShape(spec) {
  if (spec?.type === 'list') {
    const itemType = spec.items?.type;
    if (LINE_ITEM_TYPES.includes(itemType)) return 'lines';
    if (itemType === 'enum' && spec.items.values?.length) return 'choices';
    if (ROW_ITEM_TYPES.includes(itemType)) return 'rows';
    if (itemType === 'object' && inputShape(spec.items) === 'form') return 'rows';
    return 'json';
  }
  if (spec?.type === 'object') {
    // A format such as geojson_multipolygon constrains the object as a whole, beyond what the
    // member inputs can check, so such objects stay JSON text.
    return Array.isArray(spec.fields) && spec.fields.length > 0 && !spec.format ? 'form' : 'json';
  }
  return 'scalar';
}

function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

// Returns the draft of an empty field. A required list of rows starts with as many rows as its
// minimum count, and at least one.
export function emptyDraft(spec, required = false) {
  switch (inputShape(spec)) {
    case 'lines':
    case 'json':
      return '';
    case 'choices':
      return [];
    case 'rows': {
      const count = required ? Math.max(1, numberOrNull(spec.min) ?? 1) : 0;
      return Array.from({ length: count }, () => emptyDraft(spec.items, true));
    }
    case 'form':
      return Object.fromEntries(spec.fields.map((field) => [field.id, emptyDraft(field, field.required)]));
    default:
      return null;
  }
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Whether `value` fits the scalar input of `spec`: a value of its type, or an enumeration value
// that the spec lists. Strings, dates ("YYYY-MM-DD") and fields without a spec are text.
function isScalarDraft(spec, value) {
  switch (spec?.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'enum':
      return Array.isArray(spec.values) && spec.values.includes(value);
    default:
      return typeof value === 'string';
  }
}

// Returns the draft `saved` (read back from a stored JSON text) where it has the form that
// emptyDraft() gives the field's shape, checked through every row and member, and the empty
// draft where it does not. So a draft saved under an older version of the workflow cannot put a
// value into an input that does not take it.
export function restoreDraft(spec, saved, required = false) {
  switch (inputShape(spec)) {
    case 'lines':
    case 'json':
      return typeof saved === 'string' ? saved : emptyDraft(spec, required);
    case 'choices':
      return Array.isArray(saved) ? saved.filter((value) => spec.items.values.includes(value)) : emptyDraft(spec, required);
    case 'rows':
      return Array.isArray(saved) ? saved.map((row) => restoreDraft(spec.items, row, true)) : emptyDraft(spec, required);
    case 'form':
      if (!isPlainObject(saved)) return emptyDraft(spec, required);
      return Object.fromEntries(spec.fields.map((field) => [field.id, restoreDraft(field, saved[field.id], field.required)]));
    default:
      return isScalarDraft(spec, saved) ? saved : null;
  }
}

function isBlank(value) {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

// Whether the user has entered nothing into the draft. Rows that are all blank count as empty,
// so an optional list whose rows were added but not filled in is left out.
export function isDraftEmpty(spec, draft) {
  switch (inputShape(spec)) {
    case 'lines':
    case 'json':
      return isBlank(draft);
    case 'choices':
      return !Array.isArray(draft) || draft.length === 0;
    case 'rows':
      return !Array.isArray(draft) || draft.every((row) => isDraftEmpty(spec.items, row));
    case 'form':
      return spec.fields.every((field) => isDraftEmpty(field, draft?.[field.id]));
    default:
      return isBlank(draft);
  }
}

// Escapes a reference token of a JSON pointer (RFC 6901).
function escapeToken(token) {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function childPointer(pointer, token) {
  return `${pointer}/${escapeToken(token)}`;
}

// Adds `message` to the messages of `pointer`, on a line after any message it already has.
export function addError(errors, pointer, message) {
  errors[pointer] = errors[pointer] ? `${errors[pointer]}\n${message}` : message;
}

export function fieldLabel(spec) {
  return localized(spec?.title) || spec?.id || '';
}

// Checks the number of items of a list against the spec's min and max.
function checkCount(spec, count, pointer, errors) {
  const min = numberOrNull(spec.min);
  const max = numberOrNull(spec.max);
  if (min !== null && count < min) addError(errors, pointer, t('transition.tooFewItems', { min }, min));
  if (max !== null && count > max) addError(errors, pointer, t('transition.tooManyItems', { max }, max));
}

// A decimal number as people type it: digits with an optional sign, fraction and exponent.
// Full-width digits (１２.５) are read after NFKC normalisation.
const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// Reads one line of a `lines` list as an item of `itemSpec`. Returns { value } or { error }.
function readLineItem(itemSpec, text, line) {
  const type = itemSpec?.type;
  const min = numberOrNull(itemSpec?.min);
  const max = numberOrNull(itemSpec?.max);
  if (type === 'integer' || type === 'number') {
    const normalized = text.normalize('NFKC');
    if (!NUMBER_PATTERN.test(normalized)) return { error: t('transition.lineNotNumber', { line, text }) };
    const value = Number(normalized);
    if (type === 'integer' && !Number.isInteger(value)) return { error: t('transition.lineNotInteger', { line, text }) };
    if (min !== null && value < min) return { error: t('transition.lineBelowMin', { line, min }) };
    if (max !== null && value > max) return { error: t('transition.lineAboveMax', { line, max }) };
    return { value };
  }
  // For strings, min and max bound the length in characters (code points, as the server counts).
  const length = [...text].length;
  if (min !== null && length < min) return { error: t('transition.lineTooShort', { line, min }, min) };
  if (max !== null && length > max) return { error: t('transition.lineTooLong', { line, max }, max) };
  return { value: text };
}

function readLines(spec, draft, pointer, errors) {
  const items = [];
  let invalid = false;
  const lines = String(draft ?? '').split('\n');
  lines.forEach((raw, index) => {
    const text = raw.trim();
    if (!text) return; // blank lines are ignored
    const item = readLineItem(spec.items, text, index + 1);
    if (item.error) {
      addError(errors, pointer, item.error);
      invalid = true;
    } else {
      items.push(item.value);
    }
  });
  // The count is only meaningful once every line reads as an item.
  if (!invalid) checkCount(spec, items.length, pointer, errors);
  return items;
}

function readRows(spec, draft, pointer, errors) {
  const rows = Array.isArray(draft) ? draft : [];
  checkCount(spec, rows.length, pointer, errors);
  return rows.map((row, index) => readDraft(spec.items, row, childPointer(pointer, index), errors, {
    required: true,
    title: t('case.errorItem', { number: index + 1 }),
  }) ?? null);
}

function readForm(spec, draft, pointer, errors, required, title) {
  if (required && isDraftEmpty(spec, draft) && !spec.fields.some((field) => field.required)) {
    addError(errors, pointer, t('transition.required', { field: title }));
    return undefined;
  }
  const value = {};
  for (const field of spec.fields) {
    const member = readDraft(field, draft?.[field.id], childPointer(pointer, field.id), errors, {
      required: Boolean(field.required),
      title: fieldLabel(field),
    });
    if (member !== undefined) value[field.id] = member;
  }
  return value;
}

// Returns the value to send for the draft `draft` of a field with spec `spec`, or undefined for a
// field left empty. Each problem found is added to `errors` under the JSON pointer of the input
// that shows it: the textarea of a `lines` list, or the row or member of `rows` and `form`.
// `required` marks a field that must not be empty, and `title` names it in messages.
export function readDraft(spec, draft, pointer, errors, { required = false, title = fieldLabel(spec) } = {}) {
  const shape = inputShape(spec);
  if (isDraftEmpty(spec, draft) && !(shape === 'form' && required)) {
    if (required) addError(errors, pointer, t('transition.required', { field: title }));
    return undefined;
  }
  switch (shape) {
    case 'lines':
      return readLines(spec, draft, pointer, errors);
    case 'choices':
      checkCount(spec, draft.length, pointer, errors);
      return [...draft];
    case 'rows':
      return readRows(spec, draft, pointer, errors);
    case 'form':
      return readForm(spec, draft, pointer, errors, required, title);
    case 'json':
      try {
        return JSON.parse(draft);
      } catch {
        addError(errors, pointer, t('transition.invalidJson', { field: title }));
        return undefined;
      }
    default:
      return typeof draft === 'string' ? draft.trim() : draft;
  }
}

// Follows the reference tokens `tokens` below a field as far as the form has an input for them:
// a row of `rows` that exists, or a member of `form`. Returns how many tokens it followed and the
// spec reached, so that an error of the server shows at the deepest input its pointer names.
export function followInputs(spec, draft, tokens) {
  let current = spec;
  let currentDraft = draft;
  let followed = 0;
  for (const token of tokens) {
    const shape = inputShape(current);
    if (shape === 'rows' && /^\d+$/.test(token) && Number(token) < (currentDraft?.length ?? 0)) {
      currentDraft = currentDraft[Number(token)];
      current = current.items;
    } else if (shape === 'form' && current.fields.some((field) => field.id === token)) {
      currentDraft = currentDraft?.[token];
      current = current.fields.find((field) => field.id === token);
    } else {
      break;
    }
    followed += 1;
  }
  return { followed, spec: current };
}
