// The loading state of a screen part that reads from the API: whether it is loading, the error
// message of the last failed load, and a load() that runs `read` and records both.
import { ref } from 'vue';

export function problemMessage(failure) {
  return failure.problem?.detail ?? String(failure);
}

// `read` is an async function that stores what it read; it runs on each load().
export function useLoader(read) {
  const loading = ref(false);
  const error = ref('');

  async function load() {
    loading.value = true;
    error.value = '';
    try {
      await read();
    } catch (failure) {
      error.value = problemMessage(failure);
    } finally {
      loading.value = false;
    }
  }

  return { loading, error, load };
}
