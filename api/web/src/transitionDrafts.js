// Drafts of transition forms, kept in sessionStorage so that what a user typed survives a
// sign-out after a 401 (a token revoked or expired while the form was open) and a reload of the
// tab. A draft is keyed by the signed-in user, the case and the transition, so that another user
// of the same tab never gets it. It contains the field drafts (fieldDrafts.js) and the comment,
// and not the API token or the content of a chosen file. TransitionDialog.vue saves and removes drafts
// through useTransitionDraft, and the header's sign-out removes all of them (session.js).
import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { isDraftEmpty, restoreDraft } from './fieldDrafts.js';

const KEY_PREFIX = 'sitecycle.transitionDraft/';
const FORMAT_VERSION = 1;
// A draft whose JSON text is larger than this (UTF-8 bytes) is not kept, so that one form cannot
// use up the tab's storage.
const MAX_DRAFT_BYTES = 256 * 1024;

// Counts the calls of removeAllTransitionDrafts. A store opened before a call saves nothing after
// it, so a save still pending at an explicit sign-out cannot bring a draft back.
let removalCount = 0;

function sessionStore() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // The browser's privacy settings disabled storage, so drafts are not kept.
  }
}

function storageKey(userId, caseId, transitionId) {
  return KEY_PREFIX + [userId, caseId, transitionId].map(encodeURIComponent).join('/');
}

function removeKey(storage, key) {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing more can be done, and the tab's storage ends with the tab anyway.
  }
}

// Parses a stored draft. Returns { values, comment, savedAt } or null for text of another format.
function parseDraft(text) {
  try {
    const draft = JSON.parse(text);
    const valid = draft?.version === FORMAT_VERSION && draft.values && typeof draft.values === 'object'
      && !Array.isArray(draft.values) && typeof draft.comment === 'string';
    return valid ? { values: draft.values, comment: draft.comment, savedAt: draft.saved_at ?? null } : null;
  } catch {
    return null;
  }
}

// Returns the store of the draft of one user's form for one transition of one case:
//   read()                      the saved draft { values, comment, savedAt }, or null
//   save({ values, comment })   keeps the draft, and returns false when it was not kept
//   remove()                    removes the saved draft
// A draft larger than MAX_DRAFT_BYTES, or one the storage has no room for, is not kept, and the
// older draft is removed, because restoring it would bring back less than the user typed.
export function transitionDraftStore(userId, caseId, transitionId) {
  const key = storageKey(userId, caseId, transitionId);
  const openedAfter = removalCount;

  return {
    read() {
      const storage = sessionStore();
      const text = storage?.getItem(key);
      if (!text) return null;
      const draft = parseDraft(text);
      if (!draft) removeKey(storage, key);
      return draft;
    },

    save({ values, comment }) {
      const storage = sessionStore();
      if (!storage || openedAfter !== removalCount) return false;
      const text = JSON.stringify({ version: FORMAT_VERSION, saved_at: new Date().toISOString(), values, comment });
      if (new TextEncoder().encode(text).length > MAX_DRAFT_BYTES) {
        removeKey(storage, key);
        return false;
      }
      try {
        storage.setItem(key, text);
        return true;
      } catch {
        removeKey(storage, key); // QuotaExceededError
        return false;
      }
    },

    remove() {
      const storage = sessionStore();
      if (storage) removeKey(storage, key);
    },
  };
}

// Removes the drafts of every user kept in this tab.
export function removeAllTransitionDrafts() {
  removalCount += 1;
  const storage = sessionStore();
  if (!storage) return;
  const keys = [];
  for (let index = 0; index < storage.length; index += 1) {
    const key = storage.key(index);
    if (key?.startsWith(KEY_PREFIX)) keys.push(key);
  }
  for (const key of keys) removeKey(storage, key);
}

// The pause after the last change to a form before its draft is saved.
const SAVE_DELAY_MS = 500;

// Keeps the draft of a transition form while it is open. `values` is the reactive object of the
// field drafts by field id, and `comment` the ref of the comment. Returns:
//   restored                       a ref, true while the form shows a draft saved before it opened
//   open({ userId, caseId, transitionId, fields })
//                                  starts keeping the draft of the form that just opened with
//                                  `fields` ({ id, spec, required }), and fills `values` and
//                                  `comment` from the saved draft. Without a user id nothing is kept.
//   finish({ keep })               stops keeping the draft. `keep` saves what the form holds, for a
//                                  form that goes away without the user's choice (a sign-out after
//                                  a 401, a reload of the case). Otherwise the saved draft is
//                                  removed: the step succeeded, or the user cancelled or closed it.
//   discard()                      removes the saved draft and keeps the store open, for a form
//                                  the caller empties next
// When the component goes away with the form open, such as the case page after a sign-out by a
// 401, the draft is saved, and so is a save still waiting for its delay when the tab reloads.
export function useTransitionDraft(values, comment) {
  let store = null;
  // The fields of the open form. A sign-out clears the workflows before the case page goes away,
  // so the form's own list of fields is empty by the time the draft is saved for the last time.
  let fields = [];
  let saveTimer = null;
  const restored = ref(false);

  function hasInput() {
    return comment.value.trim() !== '' || fields.some((field) => !isDraftEmpty(field.spec, values[field.id]));
  }

  // Saves what the form holds, or removes the saved draft once the form is empty again.
  function save() {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (!store) return;
    if (hasInput()) store.save({ values, comment: comment.value });
    else store.remove();
  }

  function open({ userId, caseId, transitionId, fields: openFields }) {
    fields = openFields;
    store = userId && transitionId ? transitionDraftStore(userId, caseId, transitionId) : null;
    const saved = store?.read();
    if (!saved) return;
    for (const field of fields) {
      if (field.id in saved.values) values[field.id] = restoreDraft(field.spec, saved.values[field.id], field.required);
    }
    comment.value = saved.comment;
    restored.value = hasInput();
  }

  function finish({ keep }) {
    if (keep) save();
    else store?.remove();
    clearTimeout(saveTimer);
    saveTimer = null;
    store = null;
    restored.value = false;
  }

  function discard() {
    store?.remove();
    restored.value = false;
  }

  watch([() => values, comment], () => {
    if (!store) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY_MS);
  }, { deep: true });

  function saveBeforeUnload() {
    if (saveTimer) save();
  }

  onMounted(() => window.addEventListener('pagehide', saveBeforeUnload));
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', saveBeforeUnload);
    if (store) finish({ keep: true });
  });

  return { restored, open, finish, discard };
}
