// Hash-mode routes (#/cases/…), so the server serves index.html at / and needs no fallback route.
import { createRouter, createWebHashHistory } from 'vue-router';
import { loadDirectory } from './directory.js';
import { loadMe, onSignOut, session } from './session.js';

const routes = [
  { path: '/sign-in', name: 'signIn', component: () => import('./views/SignInView.vue'), meta: { public: true } },
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  { path: '/cases', name: 'cases', component: () => import('./views/CaseListView.vue') },
  { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true },
  { path: '/deadlines', name: 'deadlines', component: () => import('./views/DeadlineListView.vue') },
  { path: '/:unknown(.*)*', redirect: { name: 'home' } },
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.token) return { name: 'signIn', query: { redirect: to.fullPath } };
  // Names for ids, loaded once per sign-in; screens show the ids until then, or if it fails.
  loadDirectory().catch(() => null);
  if (!session.me) {
    try {
      await loadMe();
    } catch (error) {
      // A 401 has already signed out. Any other failure leaves the header without a name, and
      // the page shows its own error when its requests fail too.
      if (!session.token) return { name: 'signIn', query: { redirect: to.fullPath } };
    }
  }
  return true;
});

onSignOut(() => {
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  const redirect = current.matched.length > 0 ? current.fullPath : undefined;
  router.push({ name: 'signIn', query: redirect ? { redirect } : {} });
});
