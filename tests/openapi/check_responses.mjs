// Contract test of the HTTP API. It starts a demo server with a 2 MiB upload limit and sends real
// requests to every route, successes and errors. Ajv (JSON Schema 2020-12) and ajv-formats check
// the status, headers, content type and body of each response against the source tree's
// api/http/openapi.json, so that an edited document is tested before the binary is rebuilt.
// A separate check compares that file with the document that GET /api/v1/openapi.json serves.
// The binary compiles the file in, so that check fails while the binary is older than the file.
// Webhook requests go to a receiver that this script runs on 127.0.0.1, and their bodies and
// signatures are checked against the document's top-level webhooks. A second demo server runs
// with --metrics-need-token for the checks of GET /metrics behind a token.
//
// Usage: node check_responses.mjs --binary PATH --source DIR
//   PATH  the sitecycle binary
//   DIR   the repository root, for workflows/, examples/ and api/http/openapi.json
// Prints one line per check. Exit status: 0 when every check passes, 1 when any fails or the
// server does not start, 2 on a usage error.
//
// ajv and ajv-formats are CommonJS packages loaded with require(), so NODE_PATH may point at the
// node_modules folder that `npm ci` filled (run.sh does this).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startServer as startSitecycle, stopServer } from '../sitecycle_server.mjs';

const require = createRequire(import.meta.url);

const USAGE = 'usage: node check_responses.mjs --binary PATH --source DIR';
const SERVER_START_TIMEOUT_MS = 180_000; // generous, because sanitizer builds load the demo data slowly
const REQUEST_TIMEOUT_MS = 60_000;
const SCHEMA_BASE = 'https://sitecycle.invalid/openapi/schemas/';
// Response headers the document describes. One of these in a response that the document does
// not list for it fails the check, so that the document cannot fall behind the server.
const DOCUMENTED_HEADERS = ['content-language', 'etag', 'location', 'www-authenticate', 'retry-after', 'allow',
  'idempotent-replayed', 'content-disposition', 'x-content-type-options', 'cache-control', 'x-accel-buffering'];
const BODY_LIMIT_BYTES = 1024 * 1024; // HttpServerOptions::body_limit
const HEADER_LIMIT_BYTES = 8 * 1024; // HttpServerOptions::header_limit
// serve --upload-limit. It is over BODY_LIMIT_BYTES, so that a check shows that uploads are not
// held to the limit of other request bodies.
const UPLOAD_LIMIT_MIB = 2;
const UPLOAD_LIMIT_BYTES = UPLOAD_LIMIT_MIB * 1024 * 1024;
const WEBHOOK_ATTEMPTS = 2; // serve --webhook-attempts, so that a failing receiver's event is dead-lettered soon
// The dispatcher polls every second, and retries a failed attempt after 5 seconds. These waits
// leave room for a slow sanitizer build.
const WEBHOOK_WAIT_MS = 30_000;
const STREAM_WAIT_MS = 15_000;
const MAX_TIMESTAMP_SKEW_SECONDS = 300; // a receiver's tolerance for webhook-timestamp
const DOCUMENT_PATH = 'api/http/openapi.json';
const MAX_SHOWN_TARGET = 160; // characters of a request target in a result line

// Demo users (serve --demo writes their tokens to demo-tokens.json).
const CITY_EEB = 'demo_city_eeb'; // may read every case
const PUDONG_EEB = 'demo_district_eeb'; // Pudong ecology bureau
const PUDONG_LAND = 'demo_land_bureau'; // Pudong land bureau
const JIADING_LAND = 'demo_land_bureau_jiading';
const COMMISSIONING_PARTY = 'demo_commissioning_party';
const CONSULTANT = 'demo_consultant'; // firm greenment
const OTHER_FIRM = 'demo_consultant_b'; // firm shanghai_huanzuan, party to none of the cases used here
const LOCKED_OUT_USER = 'demo_agriculture_bureau'; // used only by the lock-out checks, which come last

const JIADING_PARCEL = 'jiading_beihongqiao_84_01b';
const PUDONG_PARCEL = 'pudong_dongfang_hub_b_1_06_b_2_01_b_2_05';
const CLOSED_INVESTIGATION = 'investigation_000004';
const NEW_INVESTIGATION = 'contract_investigation';
const LISTED_SITE = 'contract_listing'; // a listing case in Pudong whose notice is recorded
const UNNOTICED_SITE = 'contract_listing_xuhui'; // a listing case in Xuhui without a notice
// The members of a public list entry: the case's id, state and creation time, and the members
// of the listing notice (api/http/public_routes.cpp).
const PUBLIC_ENTRY_MEMBERS = ['id', 'state', 'state_title', 'listed_at', 'parcel_name', 'district', 'target_class',
  'risk_control_targets', 'listing_notice_date', 'listing_notice_url'];

// ---------------------------------------------------------------- command line

function readArguments() {
  let parsed;
  try {
    parsed = parseArgs({ options: { binary: { type: 'string' }, source: { type: 'string' } }, strict: true });
  } catch (error) {
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const { binary, source } = parsed.values;
  if (!binary || !source) {
    console.error(`error: both --binary and --source are required\n${USAGE}`);
    process.exit(2);
  }
  return { binary: path.resolve(binary), source: path.resolve(source) };
}

// ---------------------------------------------------------------- server

// Starts `serve --demo` with `extraArgs` in a new temporary folder and resolves once it prints its
// port.
async function startServer(binary, source, extraArgs = []) {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sitecycle-openapi-'));
  const args = ['serve', '--demo', '--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(folder, 's.db')}`,
    '--workflows', path.join(source, 'workflows'), '--examples', path.join(source, 'examples'),
    '--upload-limit', String(UPLOAD_LIMIT_MIB), '--webhook-attempts', String(WEBHOOK_ATTEMPTS), ...extraArgs];
  return startSitecycle(binary, args, { folder, logPath: path.join(folder, 'server.log'), timeoutMs: SERVER_START_TIMEOUT_MS });
}

async function logTail(server, lines = 30) {
  try {
    return (await readFile(server.logPath, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(cannot read ${server.logPath}: ${error.message})`;
  }
}

// ---------------------------------------------------------------- HTTP

// Sends one request on a new connection. Resolves with status, lower-case headers, and the body
// as bytes and as text. A string or an object `body` is sent as JSON unless `headers` names another
// Content-Type. A Buffer `body` is sent as is, with no Content-Type unless `headers` has one.
// `chunked` sends the body with Transfer-Encoding: chunked instead of a Content-Length.
// `expectContinue` sends Expect: 100-continue, and the body only after 100 Continue. The reply's
// `continued` is true when the server requested the body. A response that comes first ends the
// request without the body.
function send(port, { method, target, token, headers = {}, body, chunked = false, expectContinue = false }) {
  const requestHeaders = { ...headers };
  if (token) requestHeaders.Authorization = `Bearer ${token}`;
  let payload;
  if (Buffer.isBuffer(body)) {
    payload = body;
  } else if (body !== undefined) {
    payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    requestHeaders['Content-Type'] ??= 'application/json';
  }
  if (payload && chunked) {
    requestHeaders['Transfer-Encoding'] = 'chunked';
  } else if (payload) {
    requestHeaders['Content-Length'] = payload.length;
  }
  if (expectContinue) requestHeaders.Expect = '100-continue';
  return new Promise((resolve, reject) => {
    let continued = false;
    let answered = false;
    const request = http.request(
      { host: '127.0.0.1', port, method, path: target, headers: requestHeaders, agent: false, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        answered = true;
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: response.statusCode, headers: response.headers, bytes, text: bytes.toString('utf8'), continued });
          if (expectContinue && !continued) request.destroy();
        });
        response.on('error', reject);
      });
    request.on('timeout', () => request.destroy(new Error(`timed out after ${REQUEST_TIMEOUT_MS / 1000} s without a response`)));
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (expectContinue) {
      request.on('continue', () => {
        continued = true;
        request.end(payload);
      });
      request.flushHeaders();
    } else {
      request.end(payload);
    }
  });
}

// ---------------------------------------------------------------- the document

// Reads the OpenAPI document of the source tree, which the responses are checked against.
async function loadDocument(source) {
  const text = await readFile(path.join(source, DOCUMENT_PATH), 'utf8');
  return { text, document: JSON.parse(text) };
}

// Replaces "#/components/schemas/NAME" references with the ids the schemas are registered under.
function withAbsoluteReferences(value) {
  if (Array.isArray(value)) return value.map(withAbsoluteReferences);
  if (value === null || typeof value !== 'object') return value;
  const copy = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === '$ref' && typeof member === 'string' && member.startsWith('#/components/schemas/')) {
      copy[key] = SCHEMA_BASE + member.slice('#/components/schemas/'.length);
    } else {
      copy[key] = withAbsoluteReferences(member);
    }
  }
  return copy;
}

function formatAjvErrors(errors) {
  return errors.map((error) => `${error.instancePath || '(root)'} ${error.message}` +
    (error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '')).join('; ');
}

class Contract {
  constructor(document) {
    const Ajv2020 = require('ajv/dist/2020.js');
    const addFormats = require('ajv-formats');
    this.document = document;
    // strictTypes and strictRequired stay off: the document narrows shared schemas with allOf
    // pieces that name a member or keyword without repeating its type.
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(this.ajv);
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      this.ajv.addSchema(withAbsoluteReferences(schema), SCHEMA_BASE + name);
    }
    this.validators = new Map();
  }

  // Follows a local "$ref" such as "#/components/responses/NotFound".
  resolve(value) {
    let current = value;
    while (current && typeof current.$ref === 'string') {
      const pointer = current.$ref;
      if (!pointer.startsWith('#/')) throw new Error(`unsupported $ref ${pointer}`);
      current = pointer.slice(2).split('/').reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.document);
      if (current === undefined) throw new Error(`$ref ${pointer} names nothing in the document`);
    }
    return current;
  }

  validator(key, schema) {
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(withAbsoluteReferences(schema)));
    return this.validators.get(key);
  }

  // Returns the ways `value` breaks the schema, each prefixed with `what`; empty when it conforms.
  failuresOf(what, key, schema, value) {
    const validate = this.validator(key, schema);
    return validate(value) ? [] : [`${what}: ${formatAjvErrors(validate.errors)}`];
  }

  // The documented response for a status: the operation's, MethodNotAllowed for a method that the
  // path's operations do not list, NotFound for a path the document does not list.
  responseFor(template, method, status) {
    if (template === null) {
      return { key: `unlisted path ${status}`, response: status === 404 ? this.resolve({ $ref: '#/components/responses/NotFound' }) : null };
    }
    const pathItem = this.document.paths?.[template];
    if (!pathItem) throw new Error(`the check names path ${template}, which the document does not list`);
    const operation = pathItem[method.toLowerCase()];
    if (!operation) {
      const response = status === 405 ? this.resolve({ $ref: '#/components/responses/MethodNotAllowed' }) : null;
      return { key: `${template} other method ${status}`, response, allowed: this.methodsOf(pathItem) };
    }
    const listed = operation.responses?.[String(status)] ?? operation.responses?.default;
    return { key: `${method} ${template} ${status}`, response: listed ? this.resolve(listed) : null };
  }

  methodsOf(pathItem) {
    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    return methods.filter((method) => pathItem[method]).map((method) => method.toUpperCase());
  }

  // Returns the ways `reply` breaks the document; empty when it conforms.
  check(template, method, reply) {
    const failures = [];
    const { key, response, allowed } = this.responseFor(template, method, reply.status);
    if (!response) return [`the document lists no ${reply.status} response for ${method} ${template ?? 'this path'}`];

    // Headers.
    const documented = new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), this.resolve(header)]));
    for (const [name, header] of documented) {
      const value = reply.headers[name];
      if (value === undefined) {
        if (header.required) failures.push(`header ${name} is missing`);
        continue;
      }
      const schema = header.schema ?? {};
      const typed = schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
      const validate = this.validator(`${key} header ${name}`, schema);
      if (!validate(typed)) failures.push(`header ${name}: ${JSON.stringify(value)} ${formatAjvErrors(validate.errors)}`);
    }
    for (const name of DOCUMENTED_HEADERS) {
      if (reply.headers[name] !== undefined && !documented.has(name)) {
        failures.push(`header ${name} is sent but not documented for this response`);
      }
    }
    if (allowed && reply.headers.allow !== undefined) {
      const sent = reply.headers.allow.split(',').map((method) => method.trim()).sort();
      if (sent.join(',') !== [...allowed].sort().join(',')) {
        failures.push(`header allow is ${JSON.stringify(reply.headers.allow)}, but the document lists ${allowed.join(', ')}`);
      }
    }

    // Content type and body.
    const content = response.content ?? {};
    const contentType = reply.headers['content-type'];
    if (Object.keys(content).length === 0) {
      if (reply.text.length > 0) failures.push('the document lists no content, but the body is not empty');
      return failures;
    }
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    // The most specific entry that matches: text/plain, then text/*, then */*.
    const documentedType = [mediaType, `${mediaType.split('/')[0]}/*`, '*/*'].find((type) => content[type]);
    if (!mediaType.includes('/') || !documentedType) {
      failures.push(`content type ${JSON.stringify(contentType ?? null)} is not one of ${Object.keys(content).join(', ')}`);
      return failures;
    }
    let body = reply.text;
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      try {
        body = JSON.parse(reply.text);
      } catch (error) {
        failures.push(`the body is not JSON (${error.message})`);
        return failures;
      }
    }
    const validate = this.validator(`${key} ${documentedType}`, content[documentedType].schema ?? {});
    if (!validate(body)) failures.push(`body: ${formatAjvErrors(validate.errors)}`);
    return failures;
  }
}

// ---------------------------------------------------------------- checks

class Checker {
  constructor(contract, sourceText, port, tokens) {
    this.contract = contract;
    this.sourceText = sourceText;
    this.port = port;
    this.tokens = tokens;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  token(user) {
    const entry = this.tokens.users?.[user];
    if (!entry?.token) throw new Error(`demo-tokens.json has no token for ${user}`);
    return entry.token;
  }

  // Sends a request and checks the response against the document and the expectation:
  // `status`, `code` (the problem code) and `verify(reply)`, which returns failures of its own.
  // `template` is the documented path, or null for a path the document does not list.
  // `bug` names a known server bug: { status, note }. A reply with that status is reported as
  // skipped with the note instead of failing, so the check passes again once the bug is fixed.
  async run(label, { method = 'GET', template, target, user, token, headers, body, chunked, expectContinue, status, code, verify, bug }) {
    const request = { method, target, headers, body, chunked, expectContinue, token: token ?? (user ? this.token(user) : undefined) };
    const shownTarget = target.length > MAX_SHOWN_TARGET ? `${target.slice(0, MAX_SHOWN_TARGET)}…` : target;
    const title = `${String(status).padEnd(3)} ${method} ${shownTarget} (${label})`;
    let reply;
    try {
      reply = await send(this.port, request);
    } catch (error) {
      this.report(title, [`request failed: ${error.message}`]);
      return null;
    }
    reply.json = parseJson(reply);
    if (bug && reply.status === bug.status && reply.status !== status) {
      this.skip(title, `server bug: ${bug.note}`);
      return reply;
    }

    const failures = [];
    if (reply.status !== status) failures.push(`status ${reply.status}, expected ${status}`);
    failures.push(...this.contract.check(template, method, reply));
    if (code !== undefined && reply.json?.code !== code) {
      failures.push(`code ${JSON.stringify(reply.json?.code)}, expected ${code}`);
    }
    if (verify && reply.status === status) failures.push(...verify(reply));
    if (failures.length > 0 && reply.json?.detail) failures.push(`detail: ${reply.json.detail}`);
    this.report(title, failures);
    return reply;
  }

  // Reads GET /api/v1/stream as `user` (readStream describes `listen`), and checks what arrived
  // against the document and the SSE framing. `verify(read)` returns failures of its own.
  async stream(label, { user, query = '', headers = {}, listen, verify }) {
    const title = `200 GET /api/v1/stream${query} (${label})`;
    const read = await readStream(this.port, { token: this.token(user), query, headers }, listen);
    const failures = streamFailures(this.contract, read);
    if (failures.length === 0 && verify) failures.push(...verify(read));
    this.report(title, failures);
    return read;
  }

  report(title, failures) {
    if (failures.length === 0) {
      this.passed += 1;
      console.log(`ok   ${title}`);
    } else {
      this.failed += 1;
      console.log(`FAIL ${title}: ${failures.join('; ')}`);
    }
  }

  skip(title, reason) {
    this.skipped += 1;
    console.log(`skip ${title}: ${reason}`);
  }
}

function parseJson(reply) {
  const type = reply.headers['content-type'] ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return JSON.parse(reply.text);
  } catch {
    return undefined;
  }
}

// Helpers for `verify`: each returns a list of failures.
const expectThat = (condition, message) => (condition ? [] : [message]);
const inEnglish = (reply) => expectThat(reply.headers['content-language'] === 'en',
  `content-language ${reply.headers['content-language']}, expected en`);
const isFirstResponse = (reply) => expectThat(reply.headers['idempotent-replayed'] === undefined,
  `idempotent-replayed ${reply.headers['idempotent-replayed']} on a first response`);
// A retry with the same Idempotency-Key gets the first response again: status, body and the
// headers the document describes, plus Idempotent-Replayed: true.
const replays = (first) => (reply) => {
  if (!first) return ['the first request failed, so there is nothing to compare'];
  const failures = [
    ...expectThat(reply.headers['idempotent-replayed'] === 'true', `idempotent-replayed ${reply.headers['idempotent-replayed']}, expected true`),
    ...expectThat(reply.text === first.text, 'the body differs from the first response'),
  ];
  for (const name of ['content-type', 'content-language', 'location', 'etag']) {
    failures.push(...expectThat(reply.headers[name] === first.headers[name],
      `${name} ${reply.headers[name]}, the first response had ${first.headers[name]}`));
  }
  return failures;
};
// For a request sent with `expectContinue`: the server rejected it before reading the body.
const refusedBeforeBody = (reply) => expectThat(!reply.continued, 'the server sent 100 Continue, so it read the body before it refused');
const hasErrorAt = (pointer) => (reply) => expectThat(reply.json.errors.some((error) => error.pointer === pointer),
  `no error at ${pointer}`);

const sha256Hex = (bytes) => createHash('sha256').update(bytes).digest('hex');

// The file name parameter the server sends: RFC 8187 percent-encoding of the UTF-8 title, which
// leaves only letters, digits and -._~ as they are.
function encodeFilename(title) {
  let encoded = '';
  for (const byte of Buffer.from(title, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

async function checkOpenRoutes(checker) {
  await checker.run('no token needed', { template: '/api/v1/health', target: '/api/v1/health', status: 200 });
  await checker.run('English', {
    template: '/api/v1/health', target: '/api/v1/health', headers: { 'Accept-Language': 'en-GB, zh;q=0.5' },
    status: 200, verify: inEnglish,
  });
  await checker.run('headers over 8 KiB', {
    template: '/api/v1/health', target: '/api/v1/health', headers: { 'X-Padding': 'x'.repeat(HEADER_LIMIT_BYTES) },
    status: 400, code: 'bad_request', verify: (reply) => expectThat(reply.json.instance === undefined, 'instance is set'),
  });
  await checker.run('wrong method', { method: 'POST', template: '/api/v1/health', target: '/api/v1/health', status: 405, code: 'method_not_allowed' });
  await checker.run('unknown parameter', { template: '/api/v1/health', target: '/api/v1/health?verbose=1', status: 400, code: 'bad_request' });

  const openapi = { template: '/api/v1/openapi.json', target: '/api/v1/openapi.json' };
  const served = await checker.run('the document itself', { ...openapi, status: 200 });
  checker.report(`the served document equals ${DOCUMENT_PATH}`, compareDocuments(served, checker.sourceText));
  await checker.run('unknown parameter', { ...openapi, target: '/api/v1/openapi.json?format=yaml', status: 400, code: 'bad_request' });
  await checker.run('wrong method', { ...openapi, method: 'PUT', body: {}, status: 405, code: 'method_not_allowed' });

  await checker.run('unknown route', { template: null, target: '/api/v1/nothing_here', user: CITY_EEB, status: 404, code: 'not_found' });
  await checker.run('outside /api/v1', { template: null, target: '/api/v2/cases', status: 404, code: 'not_found' });
}

async function checkAuthentication(checker) {
  const me = { template: '/api/v1/me', target: '/api/v1/me' };
  await checker.run('no token', { ...me, status: 401, code: 'unauthenticated' });
  await checker.run('malformed token', { ...me, token: 'not_a_token', status: 401, code: 'unauthenticated' });
  await checker.run('Basic scheme', { ...me, headers: { Authorization: 'Basic dXNlcjpwYXNz' }, status: 401, code: 'unauthenticated' });
  for (const user of [CITY_EEB, PUDONG_EEB, CONSULTANT]) {
    await checker.run(user, { ...me, user, status: 200, verify: (reply) => expectThat(reply.json.user.id === user, `user.id ${reply.json.user.id}`) });
  }
  await checker.run('English', { ...me, user: PUDONG_LAND, headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('wrong method', { ...me, method: 'DELETE', user: CITY_EEB, status: 405, code: 'method_not_allowed' });
  await checker.run('unknown parameter', { ...me, target: '/api/v1/me?user=demo_city_eeb', user: CITY_EEB, status: 400, code: 'bad_request' });
}

// Failures of a document served by the binary against the source tree's file: none when the
// bytes are equal. A binary built before the file's last edit serves the older document.
function compareDocuments(served, sourceText) {
  if (!served || served.status !== 200) return ['the server did not send the document'];
  if (served.text === sourceText) return [];
  let sameJson = false;
  try {
    sameJson = JSON.stringify(JSON.parse(served.text)) === JSON.stringify(JSON.parse(sourceText));
  } catch {
    // Either text is not JSON; the message below covers it.
  }
  return [`the served document differs from ${DOCUMENT_PATH} (${served.text.length} and ${sourceText.length} characters${
    sameJson ? ', equal as JSON' : ''}); rebuild the binary from this source tree`];
}

async function checkWorkflows(checker) {
  const workflows = { template: '/api/v1/workflows', user: CITY_EEB };
  await checker.run('all', { ...workflows, target: '/api/v1/workflows', status: 200,
    verify: (reply) => expectThat(reply.json.items.length > 0, 'no workflows listed') });
  await checker.run('second page', { ...workflows, target: '/api/v1/workflows?limit=2&offset=2', status: 200,
    verify: (reply) => expectThat(reply.json.items.length === 2, `${reply.json.items.length} items, expected 2`) });
  await checker.run('offset past the end', { ...workflows, target: '/api/v1/workflows?offset=1000', status: 200 });
  await checker.run('limit not a number', { ...workflows, target: '/api/v1/workflows?limit=ten', status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...workflows, target: '/api/v1/workflows?id=parcel', status: 400, code: 'bad_request' });
  await checker.run('no token', { template: '/api/v1/workflows', target: '/api/v1/workflows', status: 401, code: 'unauthenticated' });
}

async function checkCaseList(checker) {
  const cases = { template: '/api/v1/cases', user: CITY_EEB };
  await checker.run('every case', { ...cases, target: '/api/v1/cases', status: 200 });
  await checker.run('parcels, two per page', { ...cases, target: '/api/v1/cases?workflow=parcel&limit=2', status: 200,
    verify: (reply) => expectThat(reply.json.items.every((item) => item.workflow === 'parcel'), 'a case of another workflow') });
  await checker.run('filter by state', { ...cases, target: '/api/v1/cases?state=supply_preparation', status: 200 });
  await checker.run('empty filters', { ...cases, target: '/api/v1/cases?workflow=&state=&limit=&offset=', status: 200 });
  await checker.run('district scope', { ...cases, user: PUDONG_EEB, target: '/api/v1/cases?limit=500', status: 200,
    verify: (reply) => expectThat(reply.json.items.every((item) => item.data.district === 'pudong' || item.workflow !== 'parcel'),
      'a parcel outside Pudong') });
  await checker.run('firm with no cases', { ...cases, user: OTHER_FIRM, target: '/api/v1/cases', status: 200 });
  await checker.run('limit 0', { ...cases, target: '/api/v1/cases?limit=0', status: 400, code: 'bad_request' });
  await checker.run('limit 501', { ...cases, target: '/api/v1/cases?limit=501', status: 400, code: 'bad_request' });
  await checker.run('negative offset', { ...cases, target: '/api/v1/cases?offset=-1', status: 400, code: 'bad_request' });
  await checker.run('workflow twice', { ...cases, target: '/api/v1/cases?workflow=parcel&workflow=listing', status: 400, code: 'bad_request' });
  await checker.run('misspelt filter', { ...cases, target: '/api/v1/cases?workfow=parcel', status: 400, code: 'bad_request' });
  await checker.run('no token', { template: '/api/v1/cases', target: '/api/v1/cases', status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...cases, method: 'DELETE', target: '/api/v1/cases', status: 405, code: 'method_not_allowed' });
}

async function checkCaseCreation(checker) {
  const create = { method: 'POST', template: '/api/v1/cases', target: '/api/v1/cases', user: PUDONG_EEB };
  const data = { trigger: 'voluntary', planned_class: 2, parcel_name: '接口契约测试地块', district: 'pudong' };

  await checker.run('investigation with an id', {
    ...create, body: { workflow: 'investigation', id: NEW_INVESTIGATION, data, comment: '接口契约测试' }, status: 201,
    verify: (reply) => [
      ...expectThat(reply.headers.location === `/api/v1/cases/${NEW_INVESTIGATION}`, `location ${reply.headers.location}`),
      ...expectThat(reply.headers.etag === `"${NEW_INVESTIGATION}-v1"`, `etag ${reply.headers.etag}`),
    ],
  });
  await checker.run('generated id, English', {
    ...create, headers: { 'Accept-Language': 'en' }, body: { workflow: 'investigation', data }, status: 201,
    verify: (reply) => [...inEnglish(reply), ...expectThat(/^investigation_\d{6}$/.test(reply.json.id), `id ${reply.json.id}`)],
  });
  await checker.run('id taken', { ...create, body: { workflow: 'investigation', id: NEW_INVESTIGATION, data }, status: 409, code: 'conflict' });
  await checker.run('unknown workflow', { ...create, body: { workflow: 'no_such_workflow', data }, status: 404, code: 'not_found' });
  await checker.run('role may not create', { ...create, user: CITY_EEB, body: { workflow: 'investigation', data }, status: 403, code: 'role_not_allowed' });
  await checker.run('other district', {
    ...create, body: { workflow: 'investigation', data: { ...data, district: 'qingpu' } }, status: 403, code: 'forbidden',
  });
  await checker.run('invalid case data', {
    ...create, body: { workflow: 'investigation', data: { ...data, planned_class: 'two' } }, status: 422, code: 'invalid_input',
    verify: (reply) => expectThat(reply.json.errors.some((error) => error.pointer === '/data/planned_class'), 'no error at /data/planned_class'),
  });
  await checker.run('invalid id', { ...create, body: { workflow: 'investigation', id: 'Not-Valid', data }, status: 422, code: 'invalid_input' });
  await checker.run('workflow missing', { ...create, body: { data }, status: 422, code: 'invalid_input' });
  await checker.run('unknown member', { ...create, body: { workflow: 'investigation', data, colour: 'red' }, status: 422, code: 'invalid_input' });
  await checker.run('data not an object', { ...create, body: { workflow: 'investigation', data: [] }, status: 422, code: 'invalid_input' });
  await checker.run('empty body', { ...create, body: '', status: 400, code: 'bad_request' });
  await checker.run('not JSON', { ...create, body: '{"workflow": ', status: 400, code: 'bad_request',
    verify: (reply) => expectThat(Number.isInteger(reply.json.position), 'no position member') });
  await checker.run('JSON array', { ...create, body: '[]', status: 400, code: 'bad_request' });
  await checker.run('member given twice', { ...create, body: '{"workflow": "parcel", "workflow": "listing"}', status: 400, code: 'bad_request' });
  await checker.run('body over 1 MiB', {
    ...create, body: JSON.stringify({ workflow: 'investigation', comment: 'x'.repeat(BODY_LIMIT_BYTES) }), status: 413,
    code: 'payload_too_large',
  });
  await checker.run('no token', { ...create, user: undefined, body: { workflow: 'investigation', data }, status: 401, code: 'unauthenticated' });

  const key = { 'Idempotency-Key': 'contract-create-1' };
  const created = await checker.run('with an Idempotency-Key', {
    ...create, headers: key, body: { workflow: 'investigation', data, comment: '幂等重试' }, status: 201, verify: isFirstResponse,
  });
  await checker.run('retry with the same key', {
    ...create, headers: key, body: { workflow: 'investigation', data, comment: '幂等重试' }, status: 201, verify: replays(created),
  });
  await checker.run('same key, another body', {
    ...create, headers: { ...key, 'Accept-Language': 'en' }, body: { workflow: 'investigation', data }, status: 422,
    code: 'idempotency_key_reused', verify: (reply) => [...inEnglish(reply), ...expectThat(reply.json.errors.length === 0, 'errors is not empty')],
  });
  await checker.run('same key, another user', {
    ...create, user: CITY_EEB, headers: key, body: { workflow: 'investigation', data }, status: 403, code: 'role_not_allowed',
  });
  const existingId = {
    ...create, headers: { 'Idempotency-Key': 'contract-create-2' }, body: { workflow: 'investigation', id: NEW_INVESTIGATION, data },
  };
  const conflict = await checker.run('id taken, with a key', { ...existingId, status: 409, code: 'conflict', verify: isFirstResponse });
  await checker.run('id taken, retried', { ...existingId, status: 409, code: 'conflict', verify: replays(conflict) });
  await checker.run('key over 255 characters', {
    ...create, headers: { 'Idempotency-Key': 'k'.repeat(256) }, body: { workflow: 'investigation', data }, status: 400, code: 'bad_request',
  });
  await checker.run('key of spaces only', {
    ...create, headers: { 'Idempotency-Key': ' \t ' }, body: { workflow: 'investigation', data }, status: 400, code: 'bad_request',
  });
}

async function checkCaseReads(checker) {
  const caseRoute = { template: '/api/v1/cases/{id}', target: `/api/v1/cases/${NEW_INVESTIGATION}` };
  await checker.run('creator reads it', { ...caseRoute, user: PUDONG_EEB, status: 200,
    verify: (reply) => expectThat(reply.headers.etag === `"${NEW_INVESTIGATION}-v1"`, `etag ${reply.headers.etag}`) });
  await checker.run('parcel with links', { ...caseRoute, target: `/api/v1/cases/${JIADING_PARCEL}`, user: JIADING_LAND, status: 200,
    verify: (reply) => expectThat(reply.json.links.length > 0 && reply.json.transitions.some((t) => t.id === 'supply'),
      'no links, or no supply transition') });
  await checker.run('firm of another case', { ...caseRoute, user: OTHER_FIRM, status: 404, code: 'not_found' });
  await checker.run('other district', { ...caseRoute, target: `/api/v1/cases/${JIADING_PARCEL}`, user: PUDONG_LAND, status: 404, code: 'not_found' });
  await checker.run('missing case', { ...caseRoute, target: '/api/v1/cases/no_such_case', user: CITY_EEB, status: 404, code: 'not_found' });
  await checker.run('invalid id', { ...caseRoute, target: '/api/v1/cases/Not-Valid', user: CITY_EEB, status: 404, code: 'not_found' });
  await checker.run('unknown parameter', {
    ...caseRoute, target: `/api/v1/cases/${NEW_INVESTIGATION}?verbose=1`, user: PUDONG_EEB, status: 400, code: 'bad_request',
  });
  await checker.run('no token', { ...caseRoute, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...caseRoute, method: 'PUT', user: CITY_EEB, body: {}, status: 405, code: 'method_not_allowed' });
}

// Creates two listing cases as the city bureau, one in Pudong with its notice recorded and one in
// Xuhui without, and reads the public list without a token. The case data contains members that
// the list must not show, such as responsible_party.
async function checkPublicList(checker) {
  const list = { template: '/api/v1/public/listed-sites', target: '/api/v1/public/listed-sites' };
  await checker.run('before the new entries', { ...list, status: 200 });

  const withheld = {
    responsible_party: '接口契约测试不公开的污染责任人', land_holder: '接口契约测试不公开的土地使用权人', source_url: 'https://internal.invalid/contract-source',
  };
  const create = { method: 'POST', template: '/api/v1/cases', target: '/api/v1/cases', user: CITY_EEB };
  const listed = {
    parcel_name: '接口契约测试名录地块', district: 'pudong', target_class: 1, risk_control_targets: '苯并[a]芘不超过 0.55 mg/kg',
  };
  const notice = { listing_notice_date: '2026-11-30', listing_notice_url: 'https://sthj.sh.gov.cn/contract-listing-notice' };
  await checker.run('listing in Pudong', {
    ...create, body: { workflow: 'listing', id: LISTED_SITE, data: { ...listed, ...withheld } }, status: 201,
  });
  await checker.run('listing notice', {
    method: 'POST', template: '/api/v1/cases/{id}/transitions/{transition}',
    target: `/api/v1/cases/${LISTED_SITE}/transitions/record_listing_notice`, user: CITY_EEB, body: { input: notice }, status: 200,
  });
  await checker.run('listing in Xuhui, no notice', {
    ...create, status: 201, body: {
      workflow: 'listing', id: UNNOTICED_SITE,
      data: { parcel_name: '接口契约测试未公告地块', district: 'xuhui', target_class: 2, risk_control_targets: '镉不超过 65 mg/kg', ...withheld },
    },
  });

  const entryOf = (reply, id) => reply.json.items.find((item) => item.id === id);
  const ids = (reply) => reply.json.items.map((item) => item.id);
  await checker.run('no token needed', {
    ...list, target: '/api/v1/public/listed-sites?limit=500', status: 200,
    verify: (reply) => {
      const site = entryOf(reply, LISTED_SITE);
      const unnoticed = entryOf(reply, UNNOTICED_SITE);
      const failures = [
        ...expectThat(site !== undefined && unnoticed !== undefined, `items ${ids(reply)}, expected ${LISTED_SITE} and ${UNNOTICED_SITE}`),
        ...expectThat(reply.json.total === reply.json.items.length, `total ${reply.json.total} with ${reply.json.items.length} items`),
      ];
      for (const item of reply.json.items) {
        const members = Object.keys(item).sort().join(', ');
        failures.push(...expectThat(members === [...PUBLIC_ENTRY_MEMBERS].sort().join(', '), `entry ${item.id} has the members ${members}`));
      }
      for (const [name, value] of Object.entries(withheld)) {
        failures.push(...expectThat(!reply.text.includes(value), `the list shows the ${name} of the case data`));
      }
      if (site) {
        for (const [name, value] of Object.entries({ ...listed, ...notice, state: 'listed' })) {
          failures.push(...expectThat(site[name] === value, `${LISTED_SITE}: ${name} ${JSON.stringify(site[name])}, expected ${JSON.stringify(value)}`));
        }
        failures.push(...expectThat(site.state_title?.['zh-CN'] === '已纳入名录', `${LISTED_SITE}: state_title ${JSON.stringify(site.state_title)}`));
      }
      if (unnoticed) {
        failures.push(...expectThat(unnoticed.listing_notice_date === null && unnoticed.listing_notice_url === null,
          `${UNNOTICED_SITE}: listing_notice_date ${unnoticed.listing_notice_date}, listing_notice_url ${unnoticed.listing_notice_url}, expected null`));
      }
      return failures;
    },
  });
  await checker.run('district', {
    ...list, target: '/api/v1/public/listed-sites?district=pudong&limit=500', status: 200,
    verify: (reply) => [
      ...expectThat(reply.json.items.every((item) => item.district === 'pudong'), `districts ${reply.json.items.map((item) => item.district)}`),
      ...expectThat(entryOf(reply, LISTED_SITE) !== undefined, `items ${ids(reply)}, expected ${LISTED_SITE}`),
    ],
  });
  await checker.run('district without the new entries', {
    ...list, target: '/api/v1/public/listed-sites?district=chongming', status: 200,
    verify: (reply) => expectThat(reply.json.items.every((item) => item.district === 'chongming'), `districts ${reply.json.items.map((item) => item.district)}`),
  });
  await checker.run('second page of one', {
    ...list, target: '/api/v1/public/listed-sites?limit=1&offset=1', status: 200,
    verify: (reply) => expectThat(reply.json.items.length === 1 && reply.json.total >= 2, `${reply.json.items.length} items, total ${reply.json.total}`),
  });
  await checker.run('offset past the end', {
    ...list, target: '/api/v1/public/listed-sites?offset=1000', status: 200,
    verify: (reply) => expectThat(reply.json.items.length === 0 && reply.json.total >= 2, `${reply.json.items.length} items, total ${reply.json.total}`),
  });
  await checker.run('empty values', { ...list, target: '/api/v1/public/listed-sites?district=&limit=&offset=', status: 200 });
  await checker.run('English', { ...list, headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('invalid token not read', { ...list, token: 'not_a_token', status: 200 });
  await checker.run('token of a user', { ...list, user: OTHER_FIRM, status: 200 });

  await checker.run('unknown district', { ...list, target: '/api/v1/public/listed-sites?district=atlantis', status: 400, code: 'bad_request' });
  await checker.run('district in capitals', { ...list, target: '/api/v1/public/listed-sites?district=Pudong', status: 400, code: 'bad_request' });
  await checker.run('district twice', {
    ...list, target: '/api/v1/public/listed-sites?district=pudong&district=xuhui', status: 400, code: 'bad_request',
  });
  await checker.run('limit 0', { ...list, target: '/api/v1/public/listed-sites?limit=0', status: 400, code: 'bad_request' });
  await checker.run('limit 501', { ...list, target: '/api/v1/public/listed-sites?limit=501', status: 400, code: 'bad_request' });
  await checker.run('negative offset', { ...list, target: '/api/v1/public/listed-sites?offset=-1', status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...list, target: '/api/v1/public/listed-sites?workflow=parcel', status: 400, code: 'bad_request' });
  await checker.run('unknown parameter, English', {
    ...list, target: '/api/v1/public/listed-sites?state=listed', headers: { 'Accept-Language': 'en' }, status: 400, code: 'bad_request', verify: inEnglish,
  });
  await checker.run('wrong method', { ...list, method: 'POST', body: {}, status: 405, code: 'method_not_allowed' });
  await checker.run('wrong method, with a token', { ...list, method: 'DELETE', user: CITY_EEB, status: 405, code: 'method_not_allowed' });
}

async function checkParties(checker) {
  const parties = { method: 'POST', template: '/api/v1/cases/{id}/parties', target: `/api/v1/cases/${NEW_INVESTIGATION}/parties`, user: PUDONG_EEB };
  await checker.run('new grant', { ...parties, body: { org_id: 'greenment' }, status: 201 });
  await checker.run('grant again', { ...parties, body: { org_id: 'greenment' }, status: 200 });
  await checker.run('commissioning party', { ...parties, body: { org_id: 'songjiang_edz_committee' }, status: 201,
    verify: (reply) => expectThat(reply.json.parties.length === 2, `${reply.json.parties.length} parties, expected 2`) });
  await checker.run('firm may not grant', { ...parties, user: CONSULTANT, body: { org_id: 'shanghai_huanzuan' }, status: 403, code: 'forbidden' });
  await checker.run('unknown organisation', { ...parties, body: { org_id: 'no_such_org' }, status: 422, code: 'invalid_input' });
  await checker.run('org_id missing', { ...parties, body: {}, status: 422, code: 'invalid_input' });
  await checker.run('org_id not a string', { ...parties, body: { org_id: 7 }, status: 422, code: 'invalid_input' });
  await checker.run('empty body', { ...parties, body: '', status: 400, code: 'bad_request' });
  await checker.run('case not visible', { ...parties, user: OTHER_FIRM, body: { org_id: 'shanghai_huanzuan' }, status: 404, code: 'not_found' });
  await checker.run('no token', { ...parties, user: undefined, body: { org_id: 'greenment' }, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...parties, method: 'GET', status: 405, code: 'method_not_allowed' });

  const key = { 'Idempotency-Key': 'contract-grant-1' };
  const grant = await checker.run('grant again, with a key', { ...parties, headers: key, body: { org_id: 'greenment' }, status: 200, verify: isFirstResponse });
  await checker.run('retry with the same key', { ...parties, headers: key, body: { org_id: 'greenment' }, status: 200, verify: replays(grant) });
  await checker.run('same key, another organisation', {
    ...parties, headers: key, body: { org_id: 'songjiang_edz_committee' }, status: 422, code: 'idempotency_key_reused',
  });
  const unknown = { ...parties, headers: { 'Idempotency-Key': 'contract-grant-2' }, body: { org_id: 'no_such_org' } };
  const rejected = await checker.run('unknown organisation, with a key', { ...unknown, status: 422, code: 'invalid_input', verify: isFirstResponse });
  await checker.run('unknown organisation, retried', { ...unknown, status: 422, code: 'invalid_input', verify: replays(rejected) });
}

// Uploads, lists and downloads documents of the new investigation, and returns the reply to the
// report's upload, which submit_report hands in afterwards.
async function checkDocumentUploads(checker) {
  const documents = `/api/v1/cases/${NEW_INVESTIGATION}/documents`;
  const upload = (query) => ({ method: 'POST', template: '/api/v1/cases/{id}/documents', target: `${documents}?${query}`, user: CONSULTANT });
  // Bytes that are not UTF-8 as well, so that the download is compared byte for byte.
  const content = Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x00, 0xff]), Buffer.from('\n%%EOF\n')]);
  const title = '土壤污染状况调查报告（接口契约测试）.pdf';
  const reportQuery = `kind=investigation_report&title=${encodeURIComponent(title)}`;
  const pdf = { 'Content-Type': 'application/pdf', 'Idempotency-Key': 'contract-upload-1' };

  const report = await checker.run('report', {
    ...upload(reportQuery), headers: pdf, body: content, status: 201,
    verify: (reply) => [
      ...isFirstResponse(reply),
      ...expectThat(reply.headers.location === `${documents}/${reply.json.id}/content`, `location ${reply.headers.location}`),
      ...expectThat(reply.json.kind === 'investigation_report' && reply.json.title === title, `kind ${reply.json.kind}, title ${reply.json.title}`),
      ...expectThat(reply.json.content_type === 'application/pdf', `content_type ${reply.json.content_type}`),
      ...expectThat(reply.json.size === content.length && reply.json.sha256 === sha256Hex(content), `size ${reply.json.size}, sha256 ${reply.json.sha256}`),
      ...expectThat(reply.json.uploaded_by.user === CONSULTANT && reply.json.event_id === null,
        `uploaded_by ${reply.json.uploaded_by.user}, event_id ${reply.json.event_id}`),
    ],
  });
  await checker.run('retry with the same key', { ...upload(reportQuery), headers: pdf, body: content, status: 201, verify: replays(report) });
  await checker.run('same key, another file', {
    ...upload(reportQuery), headers: pdf, body: Buffer.from('%PDF-1.7 another report'), status: 422, code: 'idempotency_key_reused',
  });
  await checker.run('key over 255 characters', {
    ...upload(reportQuery), headers: { ...pdf, 'Idempotency-Key': 'k'.repeat(256) }, body: content, expectContinue: true,
    status: 400, code: 'bad_request', verify: refusedBeforeBody,
  });

  // The upload limit, 2 MiB here, and the 1 MiB limit of other bodies, which uploads are not held to.
  const limit = Buffer.alloc(UPLOAD_LIMIT_BYTES, 0x20);
  await checker.run(`no Content-Type, exactly ${UPLOAD_LIMIT_MIB} MiB`, {
    ...upload('kind=public_notice'), body: limit, status: 201,
    verify: (reply) => expectThat(reply.json.content_type === 'application/octet-stream' && reply.json.size === UPLOAD_LIMIT_BYTES,
      `content_type ${reply.json.content_type}, size ${reply.json.size}`),
  });
  const overBodyLimit = Buffer.alloc(BODY_LIMIT_BYTES + 1, 0x20);
  await checker.run('Content-Length over the body limit', {
    ...upload('kind=public_notice'), headers: { 'Content-Type': 'text/plain' }, body: overBodyLimit, status: 201,
    verify: (reply) => expectThat(reply.json.size === overBodyLimit.length, `size ${reply.json.size}, expected ${overBodyLimit.length}`),
  });
  const overLimit = Buffer.alloc(UPLOAD_LIMIT_BYTES + 1, 0x20);
  await checker.run(`Content-Length over ${UPLOAD_LIMIT_MIB} MiB`, {
    ...upload('kind=public_notice'), body: overLimit, expectContinue: true, status: 413, code: 'payload_too_large', verify: refusedBeforeBody,
  });
  await checker.run(`chunked body over ${UPLOAD_LIMIT_MIB} MiB`, {
    ...upload('kind=public_notice'), body: overLimit, chunked: true, status: 413, code: 'payload_too_large',
  });

  await checker.run('empty file', { ...upload('kind=public_notice'), body: Buffer.alloc(0), status: 400, code: 'bad_request' });
  await checker.run('empty chunked file', { ...upload('kind=public_notice'), body: Buffer.alloc(0), chunked: true, status: 400, code: 'bad_request' });
  await checker.run('kind missing', { ...upload('title=x'), body: content, status: 400, code: 'bad_request' });
  await checker.run('unknown kind, English', {
    ...upload('kind=site_photo'), headers: { 'Accept-Language': 'en' }, body: content, expectContinue: true, status: 400, code: 'bad_request',
    verify: (reply) => [...inEnglish(reply), ...refusedBeforeBody(reply)],
  });
  await checker.run('kind twice', { ...upload('kind=public_notice&kind=public_notice'), body: content, status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', {
    ...upload('kind=public_notice&case=x'), body: content, expectContinue: true, status: 400, code: 'bad_request', verify: refusedBeforeBody,
  });
  await checker.run('title over 600 bytes', {
    ...upload(`kind=public_notice&title=${encodeURIComponent('报'.repeat(201))}`), body: content, status: 400, code: 'bad_request',
  });
  await checker.run('invalid Content-Type', {
    ...upload('kind=public_notice'), headers: { 'Content-Type': 'pdf' }, body: content, status: 400, code: 'bad_request',
  });
  await checker.run('no token', { ...upload('kind=public_notice'), user: undefined, body: content, status: 401, code: 'unauthenticated' });
  await checker.run('case not visible', { ...upload('kind=public_notice'), user: OTHER_FIRM, body: content, status: 404, code: 'not_found' });
  await checker.run('missing case', {
    ...upload('kind=public_notice'), target: '/api/v1/cases/no_such_case/documents?kind=public_notice', body: content, status: 404, code: 'not_found',
  });

  // The list is in upload order, also for uploads within one second, as these three often are.
  const list = { template: '/api/v1/cases/{id}/documents', target: documents, user: PUDONG_EEB };
  await checker.run('documents in upload order', {
    ...list, status: 200,
    verify: (reply) => {
      const sizes = reply.json.items.map((item) => item.size);
      const expected = [content.length, UPLOAD_LIMIT_BYTES, overBodyLimit.length];
      return [
        ...expectThat(reply.json.total === 3 && reply.json.items[0]?.id === report?.json.id, `total ${reply.json.total}, expected 3, the report first`),
        ...expectThat(JSON.stringify(sizes) === JSON.stringify(expected), `sizes ${JSON.stringify(sizes)}, expected ${JSON.stringify(expected)}`),
      ];
    },
  });
  await checker.run('unknown parameter', { ...list, target: `${documents}?limit=1`, status: 400, code: 'bad_request' });
  await checker.run('case not visible', { ...list, user: OTHER_FIRM, status: 404, code: 'not_found' });
  await checker.run('no token', { ...list, user: undefined, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...list, method: 'DELETE', status: 405, code: 'method_not_allowed' });

  const reportContent = `${documents}/${report?.json.id ?? 'doc_0000000000000000'}/content`;
  const download = { template: '/api/v1/cases/{id}/documents/{document}/content', target: reportContent, user: PUDONG_EEB };
  await checker.run('the report', {
    ...download, status: 200,
    verify: (reply) => [
      ...expectThat(reply.bytes.equals(content), 'the content differs from the upload'),
      ...expectThat(reply.headers['content-type'] === 'application/pdf', `content-type ${reply.headers['content-type']}`),
      ...expectThat(reply.headers.etag === `"${sha256Hex(content)}"`, `etag ${reply.headers.etag}`),
      ...expectThat(reply.headers['content-disposition'] === `attachment; filename*=UTF-8''${encodeFilename(title)}`,
        `content-disposition ${reply.headers['content-disposition']}`),
    ],
  });
  await checker.run('document of another case', {
    ...download, target: `/api/v1/cases/${PUDONG_PARCEL}/documents/${report?.json.id}/content`, user: CITY_EEB, status: 404, code: 'not_found',
  });
  await checker.run('unknown document', { ...download, target: `${documents}/doc_0123456789abcdef/content`, status: 404, code: 'not_found' });
  await checker.run('case not visible', { ...download, user: OTHER_FIRM, status: 404, code: 'not_found' });
  await checker.run('no token', { ...download, user: undefined, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...download, method: 'PUT', body: content, status: 405, code: 'method_not_allowed' });
  await checker.run('unknown parameter', { ...download, target: `${reportContent}?inline=1`, status: 400, code: 'bad_request' });
  return report;
}

async function checkTransitions(checker) {
  const template = '/api/v1/cases/{id}/transitions/{transition}';
  const fire = (transition, caseId = NEW_INVESTIGATION) => ({
    method: 'POST', template, target: `/api/v1/cases/${caseId}/transitions/${transition}`,
  });
  const staleEtag = `"${NEW_INVESTIGATION}-v1"`;

  await checker.run('commissioning party engages', {
    ...fire('engage_consultant'), user: COMMISSIONING_PARTY, body: { input: { consultant: 'greenment' } }, status: 200,
    verify: (reply) => expectThat(reply.headers.etag === `"${NEW_INVESTIGATION}-v2"`, `etag ${reply.headers.etag}`),
  });
  const current = await checker.run('consultant reads it as a party', {
    template: '/api/v1/cases/{id}', target: `/api/v1/cases/${NEW_INVESTIGATION}`, user: CONSULTANT, status: 200,
  });
  await checker.run('stale If-Match', {
    ...fire('start_phase1'), user: CONSULTANT, headers: { 'If-Match': staleEtag }, status: 412, code: 'precondition_failed',
    verify: (reply) => expectThat(reply.json.current_version === 2, `current_version ${reply.json.current_version}`),
  });
  await checker.run('malformed If-Match', {
    ...fire('start_phase1'), user: CONSULTANT, headers: { 'If-Match': 'W/"v2"' }, status: 400, code: 'bad_request',
  });
  await checker.run('If-Match of the current version', {
    ...fire('start_phase1'), user: CONSULTANT, headers: { 'If-Match': current?.headers.etag ?? '*' }, status: 200,
    verify: (reply) => expectThat(reply.json.state === 'phase1' && reply.json.events.length === 1, `state ${reply.json.state}`),
  });
  await checker.run('not from this state', { ...fire('start_phase1'), user: CONSULTANT, status: 409, code: 'no_such_transition' });
  await checker.run('unknown transition', { ...fire('fly_away'), user: CONSULTANT, status: 404, code: 'not_found' });
  await checker.run('empty body', { ...fire('start_sampling'), user: CONSULTANT, status: 200 });
  // withdraw applies from initial_sampling, but only to the commissioning side.
  await checker.run('role may not fire', { ...fire('withdraw'), user: CONSULTANT, status: 403, code: 'role_not_allowed' });
  await checker.run('input not accepted', {
    ...fire('submit_report'), user: CONSULTANT, body: { input: { conclusion: 'clean', evaluated_class: 2, colour: 'red' } },
    status: 422, code: 'invalid_input',
    verify: (reply) => expectThat(reply.json.errors.some((error) => error.pointer === '/input/colour'), 'no error at /input/colour'),
  });
  await checker.run('unknown body member', { ...fire('submit_report'), user: CONSULTANT, body: { inputs: {} }, status: 422, code: 'invalid_input' });
  await checker.run('not JSON', { ...fire('submit_report'), user: CONSULTANT, body: '{input', status: 400, code: 'bad_request' });

  // submit_report requires the investigation report (required_documents), so it is rejected
  // until the report is uploaded.
  const input = { conclusion: 'clean', evaluated_class: 2 };
  await checker.run('report not uploaded', {
    ...fire('submit_report'), user: CONSULTANT, headers: { 'Accept-Language': 'en' }, body: { input }, status: 409, code: 'documents_missing',
    verify: (reply) => [...inEnglish(reply), ...expectThat(JSON.stringify(reply.json.missing_documents) === '["investigation_report"]',
      `missing_documents ${JSON.stringify(reply.json.missing_documents)}`)],
  });
  const report = await checkDocumentUploads(checker);
  const reportId = report?.json?.id ?? 'doc_0000000000000000';
  await checker.run('documents not an array', {
    ...fire('submit_report'), user: CONSULTANT, body: { input, documents: reportId }, status: 422, code: 'invalid_input', verify: hasErrorAt('/documents'),
  });
  await checker.run('unknown document named', {
    ...fire('submit_report'), user: CONSULTANT, body: { input, documents: ['doc_0123456789abcdef'] }, status: 422, code: 'invalid_input',
    verify: hasErrorAt('/documents/0'),
  });
  await checker.run('document named twice', {
    ...fire('submit_report'), user: CONSULTANT, body: { input, documents: [reportId, reportId] }, status: 422, code: 'invalid_input',
    verify: hasErrorAt('/documents/1'),
  });
  await checker.run('no documents handed in', {
    ...fire('submit_report'), user: CONSULTANT, body: { input, documents: [] }, status: 409, code: 'documents_missing',
  });
  await checker.run('guard fails', {
    ...fire('submit_report'), user: CONSULTANT, body: { input: { conclusion: 'exceeds_screening', evaluated_class: 2 } },
    status: 409, code: 'guard_failed',
    verify: (reply) => expectThat(typeof reply.json.condition === 'string', 'no condition member'),
  });
  const submit = {
    ...fire('submit_report'), user: CONSULTANT, headers: { 'Idempotency-Key': 'contract-submit-1' },
    body: { input, comment: '报告已提交', documents: [reportId] },
  };
  const submitted = await checker.run('report starts a deadline', {
    ...submit, status: 200,
    verify: (reply) => {
      const effects = reply.json.events[0].effects;
      const handedIn = effects.find((effect) => effect.documents)?.documents;
      return [
        ...isFirstResponse(reply),
        ...expectThat(reply.json.deadlines.length === 1 && effects.some((e) => e.action === 'started'), 'no deadline started'),
        ...expectThat(JSON.stringify(handedIn) === JSON.stringify([{ id: reportId, kind: 'investigation_report' }]),
          `documents effect ${JSON.stringify(handedIn)}, expected the report`),
      ];
    },
  });
  await checker.run('retry with the same key', { ...submit, status: 200, verify: replays(submitted) });
  await checker.run('same key, another transition', {
    ...fire('record_notice'), user: CONSULTANT, headers: submit.headers, body: { input: { notice_date: '2026-12-02' } },
    status: 422, code: 'idempotency_key_reused',
  });
  await checker.run('document handed in before', {
    ...fire('accept_for_review'), user: CONSULTANT, body: { documents: [reportId] }, status: 422, code: 'invalid_input',
    verify: hasErrorAt('/documents/0'),
  });
  await checker.run('report handed in', {
    template: '/api/v1/cases/{id}/documents', target: `/api/v1/cases/${NEW_INVESTIGATION}/documents`, user: CONSULTANT, status: 200,
    verify: (reply) => {
      const event = submitted?.json.events[0].id;
      const listed = reply.json.items.find((item) => item.id === reportId);
      return expectThat(listed !== undefined && listed.event_id === event, `event_id ${listed?.event_id}, expected ${event}`);
    },
  });
  await checker.run('review ends one, starts another', {
    ...fire('accept_for_review'), user: PUDONG_EEB, headers: { 'Accept-Language': 'en' }, status: 200,
    verify: (reply) => [...inEnglish(reply), ...expectThat(reply.json.deadlines.length === 2, `${reply.json.deadlines.length} deadlines, expected 2`)],
  });
  await checker.run('case not visible', { ...fire('start_phase1'), user: OTHER_FIRM, status: 404, code: 'not_found' });
  await checker.run('no token', { ...fire('start_phase1'), status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...fire('start_phase1'), method: 'GET', user: CONSULTANT, status: 405, code: 'method_not_allowed' });

  // The walk-through of README.md.
  await checker.run('blocked by the investigation', {
    ...fire('supply', PUDONG_PARCEL), user: PUDONG_LAND, headers: { 'Accept-Language': 'en' }, status: 409, code: 'guard_failed',
    verify: (reply) => [...inEnglish(reply), ...expectThat(typeof reply.json.blocking_case === 'string', 'no blocking_case member')],
  });
  const parcel = await checker.run('parcel before supply', {
    template: '/api/v1/cases/{id}', target: `/api/v1/cases/${JIADING_PARCEL}`, user: JIADING_LAND, status: 200,
  });
  await checker.run('supply with If-Match', {
    ...fire('supply', JIADING_PARCEL), user: JIADING_LAND, headers: { 'If-Match': parcel?.headers.etag ?? '*' },
    body: { comment: '出让合同已签订' }, status: 200,
    verify: (reply) => expectThat(reply.json.state === 'supplied', `state ${reply.json.state}`),
  });
  await checker.run('closed case', { ...fire('withdraw', CLOSED_INVESTIGATION), user: CITY_EEB, status: 409, code: 'case_closed' });
}

async function checkEvents(checker) {
  const events = { template: '/api/v1/cases/{id}/events', user: CITY_EEB };
  await checker.run('history', { ...events, target: `/api/v1/cases/${NEW_INVESTIGATION}/events`, status: 200,
    verify: (reply) => expectThat(reply.json.total >= 6, `total ${reply.json.total}, expected at least 6`) });
  await checker.run('parcel history, one page', { ...events, target: `/api/v1/cases/${JIADING_PARCEL}/events?limit=2&offset=1`, status: 200 });
  await checker.run('signals and opened cases', { ...events, target: `/api/v1/cases/${PUDONG_PARCEL}/events?limit=500`, status: 200 });
  await checker.run('limit not a number', { ...events, target: `/api/v1/cases/${NEW_INVESTIGATION}/events?limit=all`, status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...events, target: `/api/v1/cases/${NEW_INVESTIGATION}/events?since=1`, status: 400, code: 'bad_request' });
  await checker.run('case not visible', { ...events, user: OTHER_FIRM, target: `/api/v1/cases/${NEW_INVESTIGATION}/events`, status: 404, code: 'not_found' });
  await checker.run('no token', { ...events, user: undefined, target: `/api/v1/cases/${NEW_INVESTIGATION}/events`, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...events, method: 'POST', target: `/api/v1/cases/${NEW_INVESTIGATION}/events`, body: {}, status: 405, code: 'method_not_allowed' });

  // Reads every case and its history, so that every event and effect in the demo data is validated.
  const all = await send(checker.port, { method: 'GET', target: '/api/v1/cases?limit=500', token: checker.token(CITY_EEB) });
  for (const item of JSON.parse(all.text).items ?? []) {
    await checker.run('demo case', { template: '/api/v1/cases/{id}', user: CITY_EEB, target: `/api/v1/cases/${item.id}`, status: 200 });
    await checker.run('demo history', { ...events, target: `/api/v1/cases/${item.id}/events?limit=500`, status: 200 });
  }
}

async function checkDeadlines(checker) {
  const deadlines = { template: '/api/v1/deadlines', user: CITY_EEB };
  await checker.run('every deadline', { ...deadlines, target: '/api/v1/deadlines', status: 200,
    verify: (reply) => expectThat(reply.json.total >= 2, `total ${reply.json.total}, expected at least 2`) });
  await checker.run('open', { ...deadlines, target: '/api/v1/deadlines?status=open', status: 200,
    verify: (reply) => expectThat(reply.json.items.every((item) => item.light !== null), 'an open deadline without a light') });
  await checker.run('met', { ...deadlines, target: '/api/v1/deadlines?status=met', status: 200,
    verify: (reply) => expectThat(reply.json.items.length >= 1 && reply.json.items.every((item) => item.ended_at !== null && item.light === null),
      'no met deadline, or one without ended_at') });
  await checker.run('due before a date', { ...deadlines, target: '/api/v1/deadlines?due_before=2999-12-31', status: 200 });
  await checker.run('due before an instant', { ...deadlines, target: '/api/v1/deadlines?due_before=2999-12-31T09:00:00%2B08:00', status: 200 });
  await checker.run('agency', { ...deadlines, user: PUDONG_EEB, target: '/api/v1/deadlines?agency=pudong_eeb&limit=1', headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('unknown status', { ...deadlines, target: '/api/v1/deadlines?status=late', status: 400, code: 'bad_request' });
  await checker.run('invalid due_before', { ...deadlines, target: '/api/v1/deadlines?due_before=tomorrow', status: 400, code: 'bad_request' });
  await checker.run('unknown agency', { ...deadlines, target: '/api/v1/deadlines?agency=nowhere_eeb', status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...deadlines, target: '/api/v1/deadlines?case=x', status: 400, code: 'bad_request' });
  await checker.run('no token', { ...deadlines, user: undefined, target: '/api/v1/deadlines', status: 401, code: 'unauthenticated' });

  const feed = { template: '/api/v1/deadlines.ics', target: '/api/v1/deadlines.ics', user: PUDONG_EEB };
  await checker.run('feed of the district bureau', { ...feed, status: 200,
    verify: (reply) => expectThat(reply.text.includes('BEGIN:VEVENT') && reply.text.includes(NEW_INVESTIGATION), 'no event for the new case') });
  await checker.run('feed with no deadlines', { ...feed, user: CITY_EEB, status: 200,
    verify: (reply) => expectThat(!reply.text.includes('BEGIN:VEVENT'), 'an event in the city bureau\'s feed') });
  await checker.run('feed in English', { ...feed, headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('feed with a query', { ...feed, target: '/api/v1/deadlines.ics?role=city_eeb', status: 400, code: 'bad_request' });
  await checker.run('no token', { ...feed, user: undefined, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...feed, method: 'POST', body: {}, status: 405, code: 'method_not_allowed' });
}

async function checkWorkingDays(checker) {
  const days = { template: '/api/v1/calendars/{calendar}/working-days', user: CITY_EEB };
  await checker.run('20 days after 10 February 2026', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-02-10&count=20', status: 200,
    verify: (reply) => expectThat(reply.json.due === '2026-03-16' && reply.json.dates.length === 20, `due ${reply.json.due}`) });
  await checker.run('past the last calendar', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-12-01&count=300', status: 200 });
  await checker.run('from missing', { ...days, target: '/api/v1/calendars/CN/working-days?count=20', status: 400, code: 'bad_request' });
  await checker.run('invalid date', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-02-30&count=20', status: 400, code: 'bad_request' });
  await checker.run('count 0', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-02-10&count=0', status: 400, code: 'bad_request' });
  await checker.run('count 3661', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-02-10&count=3661', status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...days, target: '/api/v1/calendars/CN/working-days?from=2026-02-10&count=2&to=2026-03-01', status: 400, code: 'bad_request' });
  await checker.run('unknown calendar', { ...days, target: '/api/v1/calendars/XX/working-days?from=2026-02-10&count=20', status: 404, code: 'not_found' });
  await checker.run('no token', { ...days, user: undefined, target: '/api/v1/calendars/CN/working-days?from=2026-02-10&count=20', status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...days, method: 'POST', target: '/api/v1/calendars/CN/working-days', body: {}, status: 405, code: 'method_not_allowed' });
}

// Passing the review closes the new investigation. It has no parcel to signal, so the response
// shows signals skipped for want of a linked case. The step carries the review opinion, and with
// no documents member it hands in the latest one uploaded.
async function checkClosing(checker) {
  const fire = (transition) => ({
    method: 'POST', template: '/api/v1/cases/{id}/transitions/{transition}',
    target: `/api/v1/cases/${NEW_INVESTIGATION}/transitions/${transition}`, user: PUDONG_EEB,
  });
  const opinion = await checker.run('review opinion', {
    method: 'POST', template: '/api/v1/cases/{id}/documents', target: `/api/v1/cases/${NEW_INVESTIGATION}/documents?kind=review_opinion`,
    user: PUDONG_EEB, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('评审意见：通过。'), status: 201,
  });
  await checker.run('review passed', {
    ...fire('pass_review'), body: { input: { passed_on: '2026-12-01' } }, status: 200,
    verify: (reply) => {
      const effects = reply.json.events[0].effects;
      const handedIn = effects.find((effect) => effect.documents)?.documents;
      return [
        ...expectThat(reply.json.closed && effects.some((effect) => effect.signal?.skipped), 'the case is open, or no signal was skipped'),
        ...expectThat(handedIn?.length === 1 && handedIn[0].id === opinion?.json.id, `documents effect ${JSON.stringify(handedIn)}`),
      ];
    },
  });
  await checker.run('closed case', { ...fire('record_notice'), body: { input: { notice_date: '2026-12-02' } }, status: 409, code: 'case_closed' });
  await checker.run('every deadline ended', {
    template: '/api/v1/cases/{id}', target: `/api/v1/cases/${NEW_INVESTIGATION}`, user: PUDONG_EEB, status: 200,
    verify: (reply) => expectThat(reply.json.deadlines.every((deadline) => deadline.ended_at !== null), 'a deadline still open'),
  });
}

// ---------------------------------------------------------------- event stream

const EVENT_CASE = 'contract_event_delivery'; // created while a stream listens and two webhooks wait

// The CloudEvents type of an event kind, as adapters/webhook_message.cpp names it. The stream
// sends it as the name of each event.
function cloudEventType(kind) {
  if (kind === 'created') return 'cn.sitecycle.case.created';
  if (kind === 'transition') return 'cn.sitecycle.case.transitioned';
  if (kind.startsWith('deadline_')) return `cn.sitecycle.deadline.${kind.slice('deadline_'.length)}`;
  return `cn.sitecycle.case.${kind}`;
}

// Splits Server-Sent Events text into frames: { retry }, { comment }, { id, event, data, json }
// for an event (json is undefined when data is not JSON), or { invalid } for any other block.
function parseFrames(text) {
  const frames = [];
  for (const block of text.split('\n\n')) {
    if (block === '') continue;
    const lines = block.split('\n');
    if (lines.length === 1 && lines[0].startsWith('retry: ')) {
      frames.push({ retry: lines[0].slice('retry: '.length) });
    } else if (lines.every((line) => line.startsWith(':'))) {
      frames.push({ comment: block });
    } else if (lines.length === 3 && lines[0].startsWith('id: ') && lines[1].startsWith('event: ') && lines[2].startsWith('data: ')) {
      const data = lines[2].slice('data: '.length);
      let json;
      try {
        json = JSON.parse(data);
      } catch {
        json = undefined;
      }
      frames.push({ id: lines[0].slice('id: '.length), event: lines[1].slice('event: '.length), data, json });
    } else {
      frames.push({ invalid: block });
    }
  }
  return frames;
}

const eventsOf = (frames) => frames.filter((frame) => frame.id !== undefined);

// Opens GET /api/v1/stream with fetch and reads it until one member of `listen` ends the read:
//   until(frames)  returns true once enough has arrived (within STREAM_WAIT_MS, or it fails)
//   forMs          reads this long
//   quietMs        stops when nothing arrived for this long after the first event
// afterRetry(), when given, runs once the retry frame arrived, because the stream's starting
// point is fixed by then. The read ends with an abort, since the server does not end the
// response. Resolves with the status, lower-case headers, the text up to the last complete frame
// and its frames. `unfinished` or `error` gives the reason when a read fell short.
async function readStream(port, { token, query, headers }, { until, forMs, quietMs, afterRetry } = {}) {
  const controller = new AbortController();
  const read = { status: 0, headers: {}, text: '', frames: [], unfinished: null, error: null };
  const started = Date.now();
  const deadline = started + (forMs ?? STREAM_WAIT_MS);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/stream${query}`, {
      headers: { ...headers, Authorization: `Bearer ${token}` }, signal: controller.signal,
    });
    read.status = response.status;
    read.headers = Object.fromEntries(response.headers);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let received = '';
    let retried = false;
    while (true) {
      const remaining = deadline - Date.now();
      const quiet = quietMs !== undefined && eventsOf(read.frames).length > 0;
      const wait = quiet ? Math.min(quietMs, remaining) : remaining;
      if (wait <= 0) break;
      const next = reader.read();
      next.catch(() => {}); // the abort below rejects a read still waiting
      const chunk = await Promise.race([next, sleep(wait).then(() => null)]);
      if (chunk === null || chunk.done) break;
      received += decoder.decode(chunk.value, { stream: true });
      const end = received.lastIndexOf('\n\n');
      read.text = end < 0 ? '' : received.slice(0, end + 2);
      read.frames = parseFrames(read.text);
      if (afterRetry && !retried && read.frames.some((frame) => frame.retry !== undefined)) {
        retried = true;
        await afterRetry();
      }
      if (until?.(read.frames)) return read;
    }
    if (until) read.unfinished = `the expected events did not arrive within ${(Date.now() - started) / 1000} s`;
    if (quietMs !== undefined && eventsOf(read.frames).length === 0) read.unfinished = 'no event arrived';
  } catch (error) {
    read.error = error;
  } finally {
    controller.abort();
  }
  return read;
}

// Failures of a stream read: the response against the document, the retry frame first, and each
// event's id line and name against its data, which must be an Event of the document.
function streamFailures(contract, read) {
  if (read.error) return [`the request failed: ${read.error.message}`];
  const failures = [];
  if (read.status !== 200) failures.push(`status ${read.status}, expected 200`);
  failures.push(...contract.check('/api/v1/stream', 'GET', { status: read.status, headers: read.headers, text: read.text }));
  if (read.status !== 200) return failures;
  if (read.unfinished) failures.push(read.unfinished);
  failures.push(...expectThat(read.frames[0]?.retry !== undefined, `the first frame is ${JSON.stringify(read.frames[0] ?? null)}, not retry`));
  for (const frame of read.frames) {
    if (frame.invalid !== undefined) {
      failures.push(`a frame is not an event, retry or comment: ${JSON.stringify(frame.invalid.slice(0, 200))}`);
      continue;
    }
    if (frame.id === undefined) continue;
    if (frame.json === undefined) {
      failures.push(`event ${frame.id}: data is not JSON`);
      continue;
    }
    failures.push(...contract.failuresOf(`event ${frame.id} data`, 'Event', { $ref: '#/components/schemas/Event' }, frame.json));
    failures.push(...expectThat(frame.id === String(frame.json.id), `event ${frame.id}: data.id is ${frame.json.id}`));
    const type = cloudEventType(String(frame.json.kind));
    failures.push(...expectThat(frame.event === type, `event ${frame.id}: named ${frame.event}, expected ${type} for kind ${frame.json.kind}`));
  }
  const ids = eventsOf(read.frames).map((frame) => Number(frame.id));
  failures.push(...expectThat(ids.every((id, i) => i === 0 || id > ids[i - 1]), `event ids out of order: ${ids.join(', ')}`));
  return failures;
}

// Reads the stream from the start, then listens while a case is created in another request.
// Returns the id of that case's first event, which the webhooks also deliver, or null when the
// case was not created.
async function checkStreamOfNewEvents(checker) {
  const everything = await checker.stream('every event from the start', {
    user: CITY_EEB, query: '?after=0', listen: { quietMs: 1500 },
  });
  const newestBefore = Math.max(0, ...eventsOf(everything.frames).map((frame) => Number(frame.id)));

  const data = { trigger: 'voluntary', planned_class: 2, parcel_name: '事件推送测试地块', district: 'pudong' };
  const isCreatedEvent = (frame) => frame.json?.case_id === EVENT_CASE && frame.json.kind === 'created';
  await checker.stream('only events after the request', {
    user: PUDONG_EEB,
    listen: {
      until: (frames) => eventsOf(frames).some(isCreatedEvent),
      afterRetry: () => checker.run('case created while the stream listens', {
        method: 'POST', template: '/api/v1/cases', target: '/api/v1/cases', user: PUDONG_EEB,
        body: { workflow: 'investigation', id: EVENT_CASE, data }, status: 201,
      }),
    },
    verify: (read) => {
      const events = eventsOf(read.frames);
      return [
        ...expectThat(events.every((frame) => Number(frame.id) > newestBefore), `an event before the request (the newest then was ${newestBefore})`),
        ...expectThat(isCreatedEvent(events[0]), `the first event is ${events[0]?.id} of ${events[0]?.json?.case_id}, expected the creation of ${EVENT_CASE}`),
      ];
    },
  });

  const history = await send(checker.port, { method: 'GET', target: `/api/v1/cases/${EVENT_CASE}/events?limit=1`, token: checker.token(PUDONG_EEB) });
  const createdId = history.status === 200 ? JSON.parse(history.text).items[0]?.id ?? null : null;
  if (createdId === null) {
    checker.report(`the events of ${EVENT_CASE}`, [`GET /api/v1/cases/${EVENT_CASE}/events answered ${history.status} without an event`]);
    return null;
  }
  return createdId;
}

// Resumes the stream after the event before `createdId` in each way a client can, and checks the
// requests that the stream rejects.
async function checkStreamResumption(checker, createdId) {
  if (createdId === null) {
    checker.report('stream resumption', ['the event to resume at is missing, so nothing can be checked']);
    return;
  }
  const startsWithCreated = (read) => expectThat(eventsOf(read.frames)[0]?.id === String(createdId),
    `the first event is ${eventsOf(read.frames)[0]?.id}, expected ${createdId}`);
  const firstEvent = { until: (frames) => eventsOf(frames).length > 0 };
  const previous = String(createdId - 1);
  await checker.stream('resumed with Last-Event-ID', { user: PUDONG_EEB, headers: { 'Last-Event-ID': previous }, listen: firstEvent, verify: startsWithCreated });
  await checker.stream('resumed with after', { user: PUDONG_EEB, query: `?after=${previous}`, listen: firstEvent, verify: startsWithCreated });
  await checker.stream('Last-Event-ID over after', {
    user: PUDONG_EEB, query: '?after=0', headers: { 'Last-Event-ID': previous }, listen: firstEvent, verify: startsWithCreated,
  });
  await checker.stream('empty after', {
    user: PUDONG_EEB, query: '?after=', listen: { forMs: 1500 },
    verify: (read) => expectThat(eventsOf(read.frames).every((frame) => Number(frame.id) > createdId), 'an event from before the request'),
  });
  await checker.stream('case the caller may not see', {
    user: OTHER_FIRM, headers: { 'Last-Event-ID': previous }, listen: { forMs: 1500 },
    verify: (read) => expectThat(!eventsOf(read.frames).some((frame) => frame.json?.case_id === EVENT_CASE), `an event of ${EVENT_CASE}`),
  });

  const stream = { template: '/api/v1/stream', user: PUDONG_EEB };
  await checker.run('after not a number', { ...stream, target: '/api/v1/stream?after=latest', status: 400, code: 'bad_request' });
  await checker.run('negative after', { ...stream, target: '/api/v1/stream?after=-1', status: 400, code: 'bad_request' });
  await checker.run('after twice', { ...stream, target: '/api/v1/stream?after=1&after=2', status: 400, code: 'bad_request' });
  await checker.run('invalid Last-Event-ID', { ...stream, target: '/api/v1/stream', headers: { 'Last-Event-ID': 'abc' }, status: 400, code: 'bad_request' });
  await checker.run('empty Last-Event-ID', { ...stream, target: '/api/v1/stream', headers: { 'Last-Event-ID': '' }, status: 400, code: 'bad_request' });
  await checker.run('unknown parameter', { ...stream, target: '/api/v1/stream?since=1', status: 400, code: 'bad_request' });
  await checker.run('no token', { ...stream, user: undefined, target: '/api/v1/stream', status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...stream, method: 'POST', target: '/api/v1/stream', body: {}, status: 405, code: 'method_not_allowed' });
}

// ---------------------------------------------------------------- webhooks

// Runs a receiver of webhook requests on 127.0.0.1. It responds 204 to /ok and 500 to /fail, and
// keeps every request with its raw body and the body's JSON.
async function startReceiver() {
  const requests = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      let json;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      requests.push({ method: request.method, url: request.url, headers: request.headers, body, json });
      response.writeHead(request.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    requests,
    // Resolves with the first request that `match` accepts, or null after `timeoutMs`.
    waitFor: (match, timeoutMs) => waitUntil(() => requests.find(match) ?? null, timeoutMs),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

// Calls `probe` every 200 ms until it returns something other than null, or `timeoutMs` passed;
// resolves with that value or null.
async function waitUntil(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== null || Date.now() >= deadline) return value;
    await sleep(200);
  }
}

// Standard Webhooks: "v1," and the base64 HMAC-SHA256 of "ID.TIMESTAMP.BODY" under the
// base64-decoded part of the secret after "whsec_". The header may hold several signatures,
// separated by spaces.
function hasValidSignature(request, secret) {
  if (typeof secret !== 'string' || !secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = Buffer.concat([Buffer.from(`${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.`), request.body]);
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(signed).digest('base64')}`);
  return (request.headers['webhook-signature'] ?? '').split(' ').some((signature) => {
    const candidate = Buffer.from(signature);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

// Failures of one request at the receiver against the document's webhooks.caseEvent: headers,
// content type and body, and the signature under the subscription's `secret`.
function webhookFailures(contract, request, secret) {
  const operation = contract.document.webhooks?.caseEvent?.post;
  if (!operation) return ['the document has no webhooks.caseEvent.post'];
  const failures = [];
  for (const declared of operation.parameters ?? []) {
    const parameter = contract.resolve(declared);
    const value = request.headers[parameter.name.toLowerCase()];
    if (value === undefined) {
      if (parameter.required) failures.push(`header ${parameter.name} is missing`);
      continue;
    }
    const schema = parameter.schema ?? {};
    const typed = schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    failures.push(...contract.failuresOf(`header ${parameter.name} ${JSON.stringify(value)}`, `webhook header ${parameter.name}`, schema, typed));
  }

  const content = contract.resolve(operation.requestBody ?? {}).content ?? {};
  const contentType = request.headers['content-type'];
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!content[mediaType]) {
    failures.push(`content type ${JSON.stringify(contentType ?? null)} is not one of ${Object.keys(content).join(', ')}`);
  } else if (request.json === undefined) {
    failures.push('the body is not JSON');
  } else {
    failures.push(...contract.failuresOf('body', `webhook body ${mediaType}`, content[mediaType].schema ?? {}, request.json));
  }

  const id = request.headers['webhook-id'];
  const timestamp = Number(request.headers['webhook-timestamp']);
  const skew = Math.abs(Date.now() / 1000 - timestamp);
  failures.push(...expectThat(request.json?.id === id, `webhook-id ${id}, but the body's id is ${request.json?.id}`));
  failures.push(...expectThat(skew <= MAX_TIMESTAMP_SKEW_SECONDS, `webhook-timestamp ${request.headers['webhook-timestamp']} is ${Math.round(skew)} s off this machine's clock`));
  failures.push(...expectThat(hasValidSignature(request, secret), 'webhook-signature does not match the body under the secret'));
  return failures;
}

// A URL of exactly `bytes` bytes that starts with `prefix`.
const urlOfLength = (prefix, bytes) => prefix + 'a'.repeat(bytes - prefix.length);

// Subscribes two receivers for the Pudong ecology bureau, one that acknowledges and one that
// fails, and returns both subscriptions as created (null for one the server did not create).
// The URL rules are checked as a firm that may see none of the cases, so that no request goes
// out even to a URL the server wrongly accepts, and every subscription those checks create is
// deleted at once.
async function checkWebhookSubscriptions(checker, receiver) {
  const webhooks = { template: '/api/v1/webhooks', target: '/api/v1/webhooks' };
  const create = { ...webhooks, method: 'POST', user: PUDONG_EEB };
  const okUrl = `http://127.0.0.1:${receiver.port}/ok`;
  const failUrl = `http://127.0.0.1:${receiver.port}/fail`;

  const key = { 'Idempotency-Key': 'contract-webhook-1' };
  const acknowledging = await checker.run('receiver that acknowledges', {
    ...create, headers: key, body: { url: okUrl }, status: 201,
    verify: (reply) => [
      ...isFirstResponse(reply),
      ...expectThat(reply.headers.location === `/api/v1/webhooks/${reply.json.id}`, `location ${reply.headers.location}`),
      ...expectThat(reply.json.org_id === 'pudong_eeb' && reply.json.created_by === PUDONG_EEB && reply.json.url === okUrl,
        `org_id ${reply.json.org_id}, created_by ${reply.json.created_by}, url ${reply.json.url}`),
      ...expectThat(reply.json.attempts === 0 && reply.json.next_attempt_at === null,
        `attempts ${reply.json.attempts}, next_attempt_at ${reply.json.next_attempt_at}`),
    ],
  });
  await checker.run('retry with the same key', { ...create, headers: key, body: { url: okUrl }, status: 201, verify: replays(acknowledging) });
  await checker.run('same key, another URL', { ...create, headers: key, body: { url: failUrl }, status: 422, code: 'idempotency_key_reused' });
  const failing = await checker.run('receiver that fails, English', {
    ...create, headers: { 'Accept-Language': 'en' }, body: { url: failUrl }, status: 201, verify: inEnglish,
  });

  const firm = { ...create, user: OTHER_FIRM };
  const deleteIfCreated = async (reply) => {
    if (reply?.status !== 201 || !reply.json?.id) return;
    const target = `/api/v1/webhooks/${reply.json.id}`;
    const removed = await send(checker.port, { method: 'DELETE', target, token: checker.token(OTHER_FIRM) });
    if (removed.status !== 200) checker.report(`DELETE ${target} (clean-up)`, [`status ${removed.status}, expected 200`]);
  };
  const acceptedUrls = [
    ['http to localhost', `http://localhost:${receiver.port}/ok`],
    ['http to 127.1.2.3', `http://127.1.2.3:${receiver.port}/ok`],
    ['http to [::1]', `http://[::1]:${receiver.port}/ok`],
    ['https, 2000 bytes', urlOfLength('https://receiver.invalid/', 2000)],
  ];
  for (const [label, url] of acceptedUrls) {
    await deleteIfCreated(await checker.run(label, { ...firm, body: { url }, status: 201 }));
  }
  const rejectedUrls = [
    ['http to another host', 'http://receiver.invalid/hook'],
    ['http to localhost as a subdomain', 'http://localhost.receiver.invalid/hook'],
    ['http to a domain under 127', 'http://127.0.0.1.receiver.invalid/hook'],
    ['http to five numbers', 'http://127.0.0.1.1/hook'],
    ['http to a number over 255', 'http://127.0.0.256/hook'],
    ['another scheme', `ftp://127.0.0.1:${receiver.port}/ok`],
    ['credentials', 'https://user:secret@receiver.invalid/hook'],
    ['white space', 'https://receiver.invalid/a b'],
    ['over 2000 bytes', urlOfLength('https://receiver.invalid/', 2001)],
    ['no host', 'https:///hook'],
  ];
  for (const [label, url] of rejectedUrls) {
    await deleteIfCreated(await checker.run(label, { ...firm, body: { url }, status: 422, code: 'invalid_input', verify: hasErrorAt('/url') }));
  }
  await deleteIfCreated(await checker.run('http to [::1] and a name', {
    ...firm, body: { url: 'http://[::1]x.receiver.invalid/hook' }, status: 422, code: 'invalid_input', verify: hasErrorAt('/url'),
    bug: { status: 201, note: 'host_of takes a bracketed host up to "]" and drops the rest of the authority, so check_url accepts http://[::1]x.receiver.invalid/hook as [::1]' },
  }));

  await checker.run('url missing', { ...firm, body: {}, status: 422, code: 'invalid_input', verify: hasErrorAt('/url') });
  await checker.run('url not a string', { ...firm, body: { url: 7 }, status: 422, code: 'invalid_input', verify: hasErrorAt('/url') });
  await deleteIfCreated(await checker.run('unknown member', {
    ...firm, body: { url: okUrl, secret: 'whsec_AAAA' }, status: 422, code: 'invalid_input', verify: hasErrorAt('/secret'),
  }));
  await checker.run('empty body', { ...firm, body: '', status: 400, code: 'bad_request' });
  await checker.run('not JSON', { ...firm, body: '{"url": ', status: 400, code: 'bad_request' });
  await deleteIfCreated(await checker.run('key over 255 characters', {
    ...firm, headers: { 'Idempotency-Key': 'k'.repeat(256) }, body: { url: okUrl }, status: 400, code: 'bad_request',
  }));
  await checker.run('no token', { ...create, user: undefined, body: { url: okUrl }, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...webhooks, method: 'PUT', user: PUDONG_EEB, body: { url: okUrl }, status: 405, code: 'method_not_allowed' });

  const ids = [acknowledging?.json?.id, failing?.json?.id];
  await checker.run('subscriptions of the organisation', {
    ...webhooks, user: PUDONG_EEB, status: 200,
    verify: (reply) => [
      ...expectThat(ids.every((id) => reply.json.items.some((item) => item.id === id)), `items ${reply.json.items.map((item) => item.id)}, expected ${ids}`),
      ...expectThat(reply.json.total === reply.json.items.length, `total ${reply.json.total} with ${reply.json.items.length} items`),
    ],
  });
  await checker.run('another organisation', {
    ...webhooks, user: CITY_EEB, status: 200,
    verify: (reply) => expectThat(!reply.json.items.some((item) => ids.includes(item.id)), 'the Pudong bureau\'s subscriptions are listed'),
  });
  await checker.run('unknown parameter', { ...webhooks, target: '/api/v1/webhooks?org_id=pudong_eeb', user: PUDONG_EEB, status: 400, code: 'bad_request' });
  await checker.run('no token', { ...webhooks, status: 401, code: 'unauthenticated' });
  return { acknowledging: acknowledging?.status === 201 ? acknowledging.json : null, failing: failing?.status === 201 ? failing.json : null };
}

// Checks that the event `createdId` reached both receivers, signed and as the document describes, and
// that the failing receiver's subscription waits for a retry. The retry comes 5 seconds after
// the first attempt, so this runs right after the event. Returns false when there is nothing to
// check.
async function checkWebhookArrival(checker, receiver, { acknowledging, failing }, createdId) {
  if (!acknowledging || !failing || createdId === null) {
    checker.report('webhook deliveries', ['a subscription or the event to deliver is missing, so nothing can be checked']);
    return false;
  }
  const isEvent = (request) => request.json?.data?.event_id === createdId;
  const arrived = await receiver.waitFor((request) => request.url === '/ok' && isEvent(request), WEBHOOK_WAIT_MS);
  checker.report(`webhook of event ${createdId} at the receiver that acknowledges`, arrived === null
    ? [`no request within ${WEBHOOK_WAIT_MS / 1000} s`]
    : [
      ...webhookFailures(checker.contract, arrived, acknowledging.secret),
      ...expectThat(arrived.json.type === 'cn.sitecycle.case.created' && arrived.json.data.case_id === EVENT_CASE && arrived.json.data.workflow === 'investigation',
        `type ${arrived.json.type}, case ${arrived.json.data.case_id}, workflow ${arrived.json.data.workflow}`),
      ...expectThat(arrived.json.data.actor?.user === PUDONG_EEB && arrived.json.data.actor?.org === 'pudong_eeb',
        `data.actor ${JSON.stringify(arrived.json.data.actor)}, expected user ${PUDONG_EEB} of pudong_eeb`),
    ]);

  // The failing receiver's first attempt, once the dispatcher recorded it.
  const failedOnce = await waitUntil(async () => {
    const reply = await send(checker.port, { method: 'GET', target: '/api/v1/webhooks', token: checker.token(PUDONG_EEB) });
    const item = reply.status === 200 ? JSON.parse(reply.text).items.find((candidate) => candidate.id === failing.id) : undefined;
    return item?.attempts > 0 ? true : null;
  }, WEBHOOK_WAIT_MS);
  await checker.run('retry waiting', {
    template: '/api/v1/webhooks', target: '/api/v1/webhooks', user: PUDONG_EEB, status: 200,
    verify: (reply) => {
      const item = reply.json.items.find((candidate) => candidate.id === failing.id);
      return [
        ...expectThat(failedOnce !== null, `the first attempt was not recorded within ${WEBHOOK_WAIT_MS / 1000} s`),
        ...expectThat(item?.attempts === 1 && item.next_attempt_at !== null && item.delivered_through < createdId,
          `attempts ${item?.attempts}, next_attempt_at ${item?.next_attempt_at}, delivered_through ${item?.delivered_through}`),
      ];
    },
  });
  return true;
}

// Checks that the failing receiver's event was tried again and dead-lettered (serve
// --webhook-attempts 2), the delivery lists, and deletion, which ends both subscriptions.
async function checkWebhookRetries(checker, receiver, { acknowledging, failing }, createdId) {
  const isEvent = (request) => request.json?.data?.event_id === createdId;
  const failedTwice = await waitUntil(() => {
    const attempts = receiver.requests.filter((request) => request.url === '/fail' && isEvent(request));
    return attempts.length >= 2 ? attempts : null;
  }, WEBHOOK_WAIT_MS);
  checker.report(`webhook of event ${createdId} at the receiver that fails, twice`, failedTwice === null
    ? [`fewer than 2 requests within ${WEBHOOK_WAIT_MS / 1000} s`]
    : [
      ...failedTwice.flatMap((request) => webhookFailures(checker.contract, request, failing.secret)),
      ...expectThat(failedTwice[0].headers['webhook-id'] === failedTwice[1].headers['webhook-id'], 'the retry has another webhook-id'),
    ]);
  const acknowledged = receiver.requests.filter((request) => request.url === '/ok');
  checker.report('every webhook to the receiver that acknowledges', [
    ...acknowledged.flatMap((request) => webhookFailures(checker.contract, request, acknowledging.secret)),
    ...expectThat(new Set(acknowledged.map((request) => request.headers['webhook-id'])).size === acknowledged.length, 'an acknowledged event was sent again'),
  ]);

  const deliveries = (id) => ({ template: '/api/v1/webhooks/{id}/deliveries', target: `/api/v1/webhooks/${id}/deliveries`, user: PUDONG_EEB });
  const attemptsAt = (reply) => reply.json.items.filter((item) => item.event_id === createdId);
  await checker.run('delivered', {
    ...deliveries(acknowledging.id), status: 200,
    verify: (reply) => {
      const attempts = attemptsAt(reply);
      return expectThat(attempts.length === 1 && attempts[0].attempt === 1 && attempts[0].outcome === 'delivered' && attempts[0].status === 204,
        `attempts at event ${createdId}: ${JSON.stringify(attempts)}`);
    },
  });
  // The receiver has responded, but the dispatcher may not have recorded the second attempt yet.
  await waitUntil(async () => {
    const reply = await send(checker.port, { method: 'GET', target: `/api/v1/webhooks/${failing.id}/deliveries`, token: checker.token(PUDONG_EEB) });
    return reply.status === 200 && JSON.parse(reply.text).items.some((item) => item.event_id === createdId && item.attempt === 2) ? true : null;
  }, WEBHOOK_WAIT_MS);
  await checker.run('failed, then dead-lettered', {
    ...deliveries(failing.id), status: 200,
    verify: (reply) => {
      const outcomes = attemptsAt(reply).map((item) => `${item.attempt} ${item.outcome} ${item.status} ${item.error}`);
      const expected = [`2 dead_lettered 500 receiver answered 500`, `1 failed 500 receiver answered 500`];
      return expectThat(JSON.stringify(outcomes) === JSON.stringify(expected), `attempts ${JSON.stringify(outcomes)}, expected ${JSON.stringify(expected)}`);
    },
  });
  await checker.run('limit 1', {
    ...deliveries(failing.id), target: `/api/v1/webhooks/${failing.id}/deliveries?limit=1`, status: 200,
    verify: (reply) => expectThat(reply.json.items.length === 1 && reply.json.total === 1, `${reply.json.items.length} items, total ${reply.json.total}`),
  });
  await checker.run('offset', { ...deliveries(failing.id), target: `/api/v1/webhooks/${failing.id}/deliveries?offset=1`, status: 400, code: 'bad_request' });
  await checker.run('limit 0', { ...deliveries(failing.id), target: `/api/v1/webhooks/${failing.id}/deliveries?limit=0`, status: 400, code: 'bad_request' });
  await checker.run('another organisation', { ...deliveries(failing.id), user: CITY_EEB, status: 404, code: 'not_found' });
  await checker.run('unknown subscription', { ...deliveries('whk_0000000000000000'), status: 404, code: 'not_found' });
  await checker.run('no token', { ...deliveries(failing.id), user: undefined, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...deliveries(failing.id), method: 'POST', body: {}, status: 405, code: 'method_not_allowed' });

  const subscription = (id) => ({ method: 'DELETE', template: '/api/v1/webhooks/{id}', target: `/api/v1/webhooks/${id}`, user: PUDONG_EEB });
  await checker.run('another organisation', { ...subscription(acknowledging.id), user: CITY_EEB, status: 404, code: 'not_found' });
  await checker.run('unknown subscription', { ...subscription('whk_0000000000000000'), status: 404, code: 'not_found' });
  await checker.run('no token', { ...subscription(acknowledging.id), user: undefined, status: 401, code: 'unauthenticated' });
  await checker.run('wrong method', { ...subscription(acknowledging.id), method: 'GET', status: 405, code: 'method_not_allowed' });
  await checker.run('unknown parameter', {
    ...subscription(acknowledging.id), target: `/api/v1/webhooks/${acknowledging.id}?force=1`, status: 400, code: 'bad_request',
  });
  await checker.run('delete', {
    ...subscription(acknowledging.id), status: 200,
    verify: (reply) => expectThat(reply.json.id === acknowledging.id && reply.json.active === false, `id ${reply.json.id}, active ${reply.json.active}`),
  });
  await checker.run('deleted before', { ...subscription(acknowledging.id), status: 404, code: 'not_found' });
  await checker.run('deleted subscription', { ...deliveries(acknowledging.id), status: 404, code: 'not_found' });
  await checker.run('delete, English', { ...subscription(failing.id), headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('none left', {
    template: '/api/v1/webhooks', target: '/api/v1/webhooks', user: PUDONG_EEB, status: 200,
    verify: (reply) => expectThat(reply.json.items.length === 0 && reply.json.total === 0, `${reply.json.items.length} items, total ${reply.json.total}`),
  });
}

// ---------------------------------------------------------------- metrics

// Failures of Prometheus text (exposition format 0.0.4): every line is a HELP or TYPE comment or
// a sample with a number.
function prometheusFailures(text) {
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*")*\})? (\S+)$/;
  const failures = [];
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const match = sample.exec(line);
    const value = match?.[3];
    if (!match || (Number.isNaN(Number(value)) && !['+Inf', '-Inf', 'NaN'].includes(value))) failures.push(`not a sample: ${JSON.stringify(line)}`);
  }
  return failures.slice(0, 5);
}

// GET /metrics of the main server, which runs without --metrics-need-token. The counts of the
// checks before are in it.
async function checkMetrics(checker) {
  const metrics = { template: '/metrics', target: '/metrics' };
  await checker.run('no token needed', {
    ...metrics, status: 200,
    verify: (reply) => [
      ...expectThat(reply.headers['content-type'] === 'text/plain; version=0.0.4; charset=utf-8', `content-type ${reply.headers['content-type']}`),
      ...expectThat(reply.text.includes('sitecycle_http_requests_total{route="/api/v1/webhooks",method="POST",status="201"} '),
        'no count of the webhook subscriptions created'),
      ...expectThat(reply.text.includes('sitecycle_http_requests_total{route="/api/v1/stream",method="GET",status="200"} '),
        'no count of the streams opened'),
      ...prometheusFailures(reply.text),
    ],
  });
  await checker.run('invalid token not read', { ...metrics, token: 'not_a_token', status: 200 });
  await checker.run('English', { ...metrics, headers: { 'Accept-Language': 'en' }, status: 200, verify: inEnglish });
  await checker.run('unknown parameter', { ...metrics, target: '/metrics?format=json', status: 400, code: 'bad_request' });
  await checker.run('wrong method', { ...metrics, method: 'POST', body: {}, status: 405, code: 'method_not_allowed' });
}

// GET /metrics of a server that runs with --metrics-need-token.
async function checkMetricsBehindToken(checker) {
  const metrics = { template: '/metrics', target: '/metrics' };
  await checker.run('no token, --metrics-need-token', { ...metrics, status: 401, code: 'unauthenticated' });
  await checker.run('malformed token, --metrics-need-token', { ...metrics, token: 'not_a_token', status: 401, code: 'unauthenticated' });
  await checker.run('token, --metrics-need-token', {
    ...metrics, user: CONSULTANT, status: 200,
    verify: (reply) => expectThat(reply.text.includes('# TYPE sitecycle_http_requests_total counter'), 'no sitecycle_http_requests_total'),
  });
}

// Five wrong secrets for one token lock its user out (LockoutPolicy::user_failures): a sixth wrong
// secret then gets 429, while the right token still works. Each failure also counts against the
// address 127.0.0.1, and 20 would turn every later bad token into 429, so this runs last.
async function checkLockOut(checker) {
  const token = checker.token(LOCKED_OUT_USER);
  const cut = token.lastIndexOf('_');
  const wrongSecret = token.slice(0, cut + 1) + '0'.repeat(token.length - cut - 1);
  const me = { template: '/api/v1/me', target: '/api/v1/me' };
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await checker.run(`wrong secret ${attempt} of 5`, { ...me, token: wrongSecret, status: 401, code: 'unauthenticated' });
  }
  await checker.run('locked out', {
    ...me, token: wrongSecret, headers: { 'Accept-Language': 'en' }, status: 429, code: 'locked_out',
    verify: (reply) => [...inEnglish(reply), ...expectThat(reply.headers['retry-after'] === String(reply.json.retry_after_seconds),
      `retry-after ${reply.headers['retry-after']}, retry_after_seconds ${reply.json.retry_after_seconds}`)],
  });
  await checker.run('right token while locked out', { ...me, token, status: 200 });
}

// ---------------------------------------------------------------- main

// Starts a demo server with `extraArgs`. Returns null when it does not start, after printing the
// error and the server's log.
async function startOrReport(binary, source, extraArgs = []) {
  try {
    const server = await startServer(binary, source, extraArgs);
    console.log(`server${extraArgs.map((arg) => ` ${arg}`).join('')} on port ${server.port}, folder ${server.folder}`);
    return server;
  } catch (error) {
    console.error(`error: ${error.message}`);
    if (error.server) {
      console.error(`server log (${error.server.logPath}):\n${await logTail(error.server)}`);
      await stopServer(error.server);
    }
    return null;
  }
}

// Runs `checks(checker)` on a started server with its demo tokens, then stops the server. Checks
// that throw, and a server that exits during them, count as failures. The server's folder is
// kept when anything failed.
async function runOn(server, contract, sourceText, checks) {
  let checker = new Checker(contract, sourceText, server.port, {});
  try {
    checker.tokens = JSON.parse(await readFile(path.join(server.folder, 'demo-tokens.json'), 'utf8'));
    await checks(checker);
  } catch (error) {
    console.error(`error: the checks stopped: ${error.stack ?? error.message}`);
    checker.failed += 1;
  }

  const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
  if (crashed) {
    console.log(`FAIL the server exited during the checks (exit code ${server.child.exitCode}, signal ${server.child.signalCode})`);
    checker.failed += 1;
  }
  await stopServer(server);
  if (checker.failed > 0) {
    console.log(`server log (kept in ${server.folder}):\n${await logTail(server)}`);
  } else {
    await rm(server.folder, { recursive: true, force: true });
  }
  return checker;
}

async function main() {
  const { binary, source } = readArguments();
  let contract;
  let sourceText;
  try {
    const loaded = await loadDocument(source);
    sourceText = loaded.text;
    contract = new Contract(loaded.document);
  } catch (error) {
    console.error(`error: cannot load ${path.join(source, DOCUMENT_PATH)}: ${error.message}`);
    return 1;
  }

  const server = await startOrReport(binary, source);
  if (!server) return 1;
  const totals = await runOn(server, contract, sourceText, async (checker) => {
    await checkOpenRoutes(checker);
    await checkAuthentication(checker);
    await checkWorkflows(checker);
    await checkCaseList(checker);
    await checkCaseCreation(checker);
    await checkCaseReads(checker);
    await checkPublicList(checker);
    await checkParties(checker);
    await checkTransitions(checker);
    await checkEvents(checker);
    await checkDeadlines(checker);
    await checkWorkingDays(checker);
    await checkClosing(checker);
    const receiver = await startReceiver();
    try {
      const subscriptions = await checkWebhookSubscriptions(checker, receiver);
      const createdId = await checkStreamOfNewEvents(checker);
      const delivered = await checkWebhookArrival(checker, receiver, subscriptions, createdId);
      await checkStreamResumption(checker, createdId);
      if (delivered) await checkWebhookRetries(checker, receiver, subscriptions, createdId);
    } finally {
      await receiver.close();
    }
    await checkMetrics(checker);
    await checkLockOut(checker);
  });

  // GET /metrics behind a token needs a server started with --metrics-need-token.
  const guardedServer = await startOrReport(binary, source, ['--metrics-need-token']);
  if (guardedServer) {
    const guarded = await runOn(guardedServer, contract, sourceText, checkMetricsBehindToken);
    totals.passed += guarded.passed;
    totals.failed += guarded.failed;
    totals.skipped += guarded.skipped;
  } else {
    totals.failed += 1;
  }

  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals.failed > 0 ? 1 : 0;
}

process.exitCode = await main();
