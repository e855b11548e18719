// The filters and the page of a list screen, kept in the route query so that Back restores them.
import { computed, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';

// For the route named `routeName`. Returns text(name) for a filter's value ("" when absent),
// model(name) for a v-model bound to a filter, page and pageSize (numbers), their models
// pageModel and pageSizeModel, update(changes), loadOnChange(load) and fitPage(total). A changed
// filter or page size starts again at page 1.
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
  // Runs `load` now and after every change of the query, but only while this route is shown: the
  // query also changes when the user leaves for another page.
  function loadOnChange(load) {
    watch(
      () => route.query,
      () => {
        if (route.name === routeName) load();
      },
      { immediate: true },
    );
  }

  // Moves to the last page when the page shown is past the end of `total` items, as an old link
  // or a shrunken list leaves it.
  function fitPage(total) {
    const lastPage = Math.max(1, Math.ceil(total / pageSize.value));
    if (page.value > lastPage) pageModel.value = lastPage;
  }

  return { route, router, text, model, update, page, pageSize, pageModel, pageSizeModel, loadOnChange, fitPage };
}
