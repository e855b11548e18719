// Starts and stops `sitecycle serve` processes for the Node.js tests (tests/openapi, tests/web).
// Servers still running when the script ends, in any way, are killed.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import readline from 'node:readline';

const SERVER_STOP_TIMEOUT_MS = 10_000;
const running = new Set();

process.on('exit', () => {
  for (const { child } of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`stopped by ${signal}`);
    process.exit(1);
  });
}

// Runs `binary ARGS` in `folder` with its standard error appended to `logPath`, and resolves to
// { child, logPath, port } once it prints "listening on http://127.0.0.1:PORT". On failure the
// error carries the server in `error.server`, so that the caller can show its log and stop it.
export async function startServer(binary, args, { folder, logPath, timeoutMs }) {
  const log = openSync(logPath, 'a');
  const child = spawn(binary, args, { cwd: folder, stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  const server = { child, folder, logPath, port: 0 };
  running.add(server);

  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `timed out after ${timeoutMs / 1000} s waiting for the server's "listening on" line`)), timeoutMs);
    child.once('error', (error) => reject(new Error(`failed to start ${binary}: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(
      `the server exited before listening (exit code ${code}, signal ${signal})`)));
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
      else reject(new Error(`unexpected first line from the server: ${JSON.stringify(line)}`));
    });
  });
  try {
    server.port = await listening;
  } catch (error) {
    error.server = server;
    throw error;
  }
  child.removeAllListeners('exit');
  child.stdout.resume(); // drain later output so the server never blocks on a full pipe
  return server;
}

// Stops the server with SIGTERM, and SIGKILL when it does not exit in time.
export async function stopServer(server) {
  const { child } = server;
  running.delete(server);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
