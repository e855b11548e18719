// The organisations, roles and agencies of GET /api/v1/directory, loaded once per sign-in, so
// that screens show names instead of ids.
import { shallowRef } from 'vue';
import { apiGet } from './api.js';
import { onSignOut } from './session.js';
import { localized } from './i18n/index.js';

const directory = shallowRef(null);
let loading = null;

// Returns { organisations: Map, roles: Map, agencies: Map } by id, loading them on first use.
// A server older than the agencies list sends none, and agencies then show as ids.
export async function loadDirectory() {
  if (directory.value) return directory.value;
  if (!loading) {
    loading = apiGet('directory')
      .then((body) => {
        directory.value = {
          organisations: new Map(body.organisations.map((organisation) => [organisation.id, organisation])),
          roles: new Map(body.roles.map((role) => [role.id, role])),
          agencies: new Map((body.agencies ?? []).map((agency) => [agency.id, agency])),
        };
        return directory.value;
      })
      .finally(() => {
        loading = null;
      });
  }
  return loading;
}

export function useDirectory() {
  return directory;
}

onSignOut(() => {
  directory.value = null;
});

// The organisation's name in the UI language, or its id while the directory is not loaded or
// lacks it.
export function organisationName(id) {
  if (!id) return '';
  return localized(directory.value?.organisations.get(id)?.name) ?? id;
}

export function roleTitle(id) {
  if (!id) return '';
  return localized(directory.value?.roles.get(id)?.title) ?? id;
}

// The title of the agency whose working-day clock a deadline runs on (a deadline's `agency`),
// such as 浦东新区生态环境局, or its id while the directory is not loaded or lacks it.
export function agencyTitle(id) {
  if (!id) return '';
  return localized(directory.value?.agencies.get(id)?.title) ?? id;
}

// The registered firms (type firm or evaluator) as filter choices, sorted by name.
export function firmOptions(compare) {
  const firms = [...(directory.value?.organisations.values() ?? [])].filter((organisation) =>
    ['firm', 'evaluator'].includes(organisation.type),
  );
  return firms
    .map((organisation) => ({ value: organisation.id, label: organisationName(organisation.id) }))
    .sort((left, right) => compare(left.label, right.label));
}
