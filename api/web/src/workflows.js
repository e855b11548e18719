// The workflow definitions of GET /api/v1/workflows (states, transitions, document kinds and,
// when the server sends them, fields), loaded once per sign-in.
import { shallowRef } from 'vue';
import { apiGet } from './api.js';
import { onSignOut } from './session.js';
import { localized } from './i18n/index.js';

const PAGE_LIMIT = 500;

const catalog = shallowRef(null);
let loading = null;

async function fetchAllWorkflows() {
  const items = [];
  for (;;) {
    const page = await apiGet('workflows', { limit: PAGE_LIMIT, offset: items.length });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) break;
  }
  return new Map(items.map((workflow) => [workflow.id, prepareWorkflow(workflow)]));
}

// Returns the workflows as a Map from id to definition, loading them on first use.
export async function loadWorkflows() {
  if (catalog.value) return catalog.value;
  if (!loading) {
    loading = fetchAllWorkflows()
      .then((workflows) => {
        catalog.value = workflows;
        return workflows;
      })
      .finally(() => {
        loading = null;
      });
  }
  return loading;
}

export function useWorkflows() {
  return catalog;
}

onSignOut(() => {
  catalog.value = null;
});

function prepareWorkflow(workflow) {
  return {
    ...workflow,
    stateById: new Map(workflow.states.map((state) => [state.id, state])),
    transitionById: new Map(workflow.transitions.map((transition) => [transition.id, transition])),
    documentById: new Map(workflow.documents.map((document) => [document.id, document])),
    fieldById: readFields(workflow.fields),
  };
}

// Field specs by field id, from the workflow's `fields`: an array of specs with an `id`, type,
// title, required, read_only, min, max, pattern, format, values ({id, title}), items and fields.
// Enumeration values become the YAML shape the screens use: `values` as ids and `value_titles`
// by id. Returns an empty map when the server sends no fields.
function readFields(fields) {
  const byId = new Map();
  for (const spec of Array.isArray(fields) ? fields : []) {
    if (spec && spec.id) byId.set(spec.id, normalizeField(spec));
  }
  return byId;
}

function normalizeField(spec) {
  const field = { ...spec };
  if (Array.isArray(spec.values) && spec.values.some((value) => value && typeof value === 'object')) {
    field.values = spec.values.map((value) => value.id);
    field.value_titles = Object.fromEntries(
      spec.values.filter((value) => value.title).map((value) => [value.id, value.title]),
    );
  }
  if (spec.items) field.items = normalizeField(spec.items);
  if (Array.isArray(spec.fields)) field.fields = spec.fields.map(normalizeField);
  return field;
}

export function workflowTitle(workflows, workflowId) {
  return localized(workflows?.get(workflowId)?.title) ?? workflowId;
}

export function stateTitle(workflow, stateId) {
  return localized(workflow?.stateById.get(stateId)?.title) ?? stateId;
}

export function fieldSpec(workflow, fieldId) {
  return workflow?.fieldById.get(fieldId) ?? null;
}

export function fieldTitle(workflow, fieldId) {
  return localized(fieldSpec(workflow, fieldId)?.title) ?? fieldId;
}

// Returns the title of an enumeration value from the field's value_titles, or the value itself.
export function enumValueTitle(spec, value) {
  return localized(spec?.value_titles?.[value]) ?? String(value);
}

// The Shanghai districts as filter choices, with titles, from the first workflow that declares a
// `district` choice field.
export function districtOptions(workflows) {
  for (const workflow of workflows?.values() ?? []) {
    const spec = fieldSpec(workflow, 'district');
    if (spec?.values?.length) return spec.values.map((value) => ({ value, label: enumValueTitle(spec, value) }));
  }
  return [];
}

// The fields that name a case, by workflow: parcels have `name`, enterprises `unit_name`, and the
// cases opened for a parcel repeat its name as `parcel_name`.
const NAME_FIELDS = ['name', 'parcel_name', 'unit_name'];

// The case's name from its data, or '' when it has none.
export function caseName(item) {
  for (const field of NAME_FIELDS) {
    const value = item?.data?.[field];
    if (typeof value === 'string' && value) return value;
  }
  return '';
}
