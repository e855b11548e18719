// Live updates from the server's event stream (GET /api/v1/stream, Server-Sent Events): the last
// event of a case the user may see, which screens watch to reload. EventSource cannot send the
// token, so the stream is read with fetch. After a dropped connection it reconnects with
// Last-Event-ID, so no event is missed; it stops at sign-out.
import { shallowRef, watch } from 'vue';
import { session, onSignOut, signOut } from './session.js';

const RECONNECT_DELAY_MS = 3000;

// The newest event: { id, type, event } where `event` is the case event's JSON.
export const lastEvent = shallowRef(null);

// True from a failed or dropped connection until the stream is open again, so that the header
// can show that updates may be missed meanwhile. False while the first connection is opened.
export const connectionLost = shallowRef(false);

// Counts the connections opened again after a loss. A server may have restarted meanwhile, with
// its clock moved on or changes its stream does not replay, so screens reload then too.
const reconnections = shallowRef(0);

let controller = null;
let lastEventId = null;

// Splits the stream's text into events (blank-line separated) and hands each to `onEvent`.
// Returns the unfinished rest.
function dispatchComplete(buffer, onEvent) {
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end !== -1; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const fields = { data: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue; // a heartbeat
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') fields.data.push(value);
      else fields[name] = value;
    }
    if (fields.data.length) onEvent(fields);
  }
  return rest;
}

async function readStream(signal) {
  const headers = { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const response = await fetch(new URL('api/v1/stream', document.baseURI), { headers, signal, cache: 'no-store' });
  if (response.status === 401) {
    // The token was revoked or expired: sign out at once, as any other request would.
    signOut('signIn.expired');
    return;
  }
  if (!response.ok || !response.body) throw new Error(`the stream returned ${response.status}`);
  if (connectionLost.value) reconnections.value += 1;
  connectionLost.value = false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = dispatchComplete(buffer + value.replace(/\r\n/g, '\n'), (fields) => {
      if (fields.id) lastEventId = fields.id;
      try {
        lastEvent.value = { id: fields.id, type: fields.event, event: JSON.parse(fields.data.join('\n')) };
      } catch {
        // An event that is not JSON changes nothing on screen.
      }
    });
  }
}

// Starts following the stream for the signed-in user; does nothing when it already runs.
export function startLiveUpdates() {
  if (controller || !session.token) return;
  controller = new AbortController();
  const { signal } = controller;
  (async () => {
    while (!signal.aborted) {
      try {
        await readStream(signal);
      } catch {
        // A dropped connection or a server restart: try again after a pause.
      }
      if (signal.aborted) break;
      // The stream failed or ended, so no updates arrive until the next connection opens.
      connectionLost.value = true;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
    }
  })();
}

export function stopLiveUpdates() {
  controller?.abort();
  controller = null;
  lastEventId = null;
  lastEvent.value = null;
  connectionLost.value = false;
}

onSignOut(stopLiveUpdates);

// Runs `reload` one second after a new event that `concerns` (default: every event), for a
// screen that shows data the event may change, and after the stream reconnects. Events within
// that second share the one reload.
export function reloadOnEvents(reload, concerns = () => true) {
  let timer = null;
  const reloadSoon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, 1000);
  };
  watch(lastEvent, (latest) => {
    if (latest && concerns(latest.event)) reloadSoon();
  });
  watch(reconnections, reloadSoon);
}
