// The filters and the page of a list screen, kept in the route query so that Back restores them.
import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';

// For the route named `routeName`. Returns text(name) for a filter's value ("" when absent),
// model(name) for a v-model bound to a filter, page and pageSize (numbers), their models
// pageModel and pageSizeModel, and update(changes). A changed filter or page size starts again
// at page 1.
export function useListQuery(routeName, defaultPageSize) {
  const route = useRoute();
  const router = useRouter();

  function text(name) {
    const value = route.query[name];
    return typeof value === 'string' ? value : '';
  }

  function positive(name, fallback) {
    const value = Number.parseInt(text(name), 10);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  }

  function update(changes) {
    const next = { ...route.query, ...changes };
    if (!('page' in changes)) delete next.page;
    for (const [name, value] of Object.entries(next)) {
      if (value === '' || value === null || value === undefined) delete next[name];
    }
    router.push({ name: routeName, query: next });
  }

  function model(name) {
    return computed({
      get: () => text(name),
      set: (value) => update({ [name]: value ?? '' }),
    });
  }

  const page = computed(() => positive('page', 1));
  const pageSize = computed(() => positive('size', defaultPageSize));
  const pageModel = computed({
    get: () => page.value,
    set: (value) => update({ page: value > 1 ? String(value) : '' }),
  });
  const pageSizeModel = computed({
    get: () => pageSize.value,
    set: (value) => update({ size: value === defaultPageSize ? '' : String(value) }),
  });
  return { route, router, text, model, update, page, pageSize, pageModel, pageSizeModel };
}
