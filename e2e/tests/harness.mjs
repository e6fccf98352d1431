// What every browser test shares: where the binary, the corpus and Chromium
// are, temp dirs, the system git, a bare origin made from the corpus, the
// server started on an ephemeral port, the browser, and waiting in the page.
//
// Environment: DASHSTUDIO_BIN (default ../target/debug/dashstudio relative
// to e2e/), CHROMIUM_PATH (default /usr/bin/chromium); LEPTOS_SITE_ROOT is
// passed through to the server when set.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { addUser, serverEnv } from './harness/signin.mjs';

const testsDir = path.dirname(fileURLToPath(import.meta.url));
export const e2eDir = path.resolve(testsDir, '..');
export const repoRoot = path.resolve(testsDir, '..', '..');
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'talos-homelab');
export const serverBin = process.env.DASHSTUDIO_BIN
  ? path.resolve(process.env.DASHSTUDIO_BIN)
  : path.resolve(e2eDir, '..', 'target', 'debug', 'dashstudio');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const outputDir = path.join(e2eDir, 'output');

export const BRANCH = 'main';
export const SERVER_READY_TIMEOUT_MS = 90_000;
export const STEP_TIMEOUT_MS = 30_000;
export const VIEWPORT = { width: 1280, height: 900 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

const tmpDirs = [];
/** A new temp dir, removed by `removeTmpDirs`. */
export function freshTmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dashstudio-e2e-${prefix}-`));
  tmpDirs.push(dir);
  return dir;
}

export function removeTmpDirs() {
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** The system git in `cwd`; its stdout. */
export function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Corpus', GIT_AUTHOR_EMAIL: 'corpus@example.org',
      GIT_COMMITTER_NAME: 'Corpus', GIT_COMMITTER_EMAIL: 'corpus@example.org',
    },
  });
}

/** A bare origin holding the corpus as one commit on `main`. */
export function makeOrigin() {
  const dir = freshTmpDir('git');
  const work = path.join(dir, 'work');
  fs.cpSync(corpusDir, work, { recursive: true });
  git(work, 'init', '-q', '-b', BRANCH);
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'corpus');
  const origin = path.join(dir, 'origin.git');
  git(dir, 'clone', '-q', '--bare', work, origin);
  return origin;
}

/**
 * Starts `dashstudio serve --repo <repo> <extra...>` on an ephemeral port;
 * `ready` resolves with its base URL once it prints `listening on
 * http://127.0.0.1:PORT` on stdout. Both streams are drained for the life of
 * the process (a full pipe would block the server) and kept in `logs`.
 */
export function startServer(repo, extra = [], users = []) {
  const dataDir = freshTmpDir('data');
  // Sign-in is required: the suites' users exist before the server starts.
  for (const user of users) addUser(serverBin, dataDir, user);
  const args = ['serve', '--repo', repo, '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...extra];
  // process.env is inherited (LEPTOS_SITE_ROOT reaches the server only if set here), plus the bootstrap token.
  const child = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv() });
  const logs = { stdout: [], stderr: [] };
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const ready = new Promise((resolve, reject) => {
    const describeLogs = () =>
      `command: ${serverBin} ${args.join(' ')}\n` +
      `--- stdout ---\n${logs.stdout.join('\n')}\n--- stderr ---\n${logs.stderr.join('\n')}`;
    const timer = setTimeout(() => {
      const onStderr = logs.stderr.some((l) => /listening on http:\/\//.test(l));
      reject(new Error(
        `server did not print "listening on http://127.0.0.1:PORT" on stdout within ${SERVER_READY_TIMEOUT_MS / 1000}s` +
        (onStderr ? ' (it appeared on stderr; it must be on stdout)' : '') + `\n${describeLogs()}`));
    }, SERVER_READY_TIMEOUT_MS);
    child.once('error', (err) => { clearTimeout(timer); reject(new Error(`could not start ${serverBin}: ${err.message}`)); });
    // 'close' (not 'exit') so that the last lines of both streams are in the logs.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})\n${describeLogs()}`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (raw) => {
      const line = stripAnsi(raw);
      logs.stdout.push(line);
      const m = line.match(/listening on (http:\/\/127\.0\.0\.1:(\d+))/);
      if (m && Number(m[2]) > 0) { clearTimeout(timer); resolve(m[1]); }
    });
    readline.createInterface({ input: child.stderr }).on('line', (raw) => logs.stderr.push(stripAnsi(raw)));
  });
  return { child, logs, ready };
}

export async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Stops the server and writes its output to e2e/output/<name>-server.log. */
export async function stopAndKeepLogs(server, name) {
  if (!server) return;
  await stopServer(server.child);
  fs.writeFileSync(path.join(outputDir, `${name}-server.log`),
    `--- stdout ---\n${server.logs.stdout.join('\n')}\n--- stderr ---\n${server.logs.stderr.join('\n')}\n`);
}

/** Headless Debian Chromium with a fresh profile. */
export async function launchBrowser(options = {}) {
  try {
    const context = await chromium.launchPersistentContext(freshTmpDir('profile'), {
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT, ...options,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    return context;
  } catch (err) {
    throw new Error(`could not launch chromium at ${chromiumPath} (set CHROMIUM_PATH): ${err.message}`);
  }
}

/** Waits until `fn(arg)` is truthy in the page; false instead of throwing on timeout. */
export async function eventually(page, fn, arg, timeout = STEP_TIMEOUT_MS) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
    return true;
  } catch (err) {
    if (err?.name === 'TimeoutError') return false;
    throw err;
  }
}

/** A screenshot to e2e/output/<name>.png (the full page unless `fullPage: false`). */
export const screenshot = (page, name, { fullPage = true } = {}) =>
  page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage });

/**
 * The CodeMirror editor that replaced the textarea `#id` once the page
 * hydrated: waits for it and returns its editable content element.
 */
export async function codeEditor(page, id) {
  const content = page.locator(`textarea#${id} + .code-host.cm-mounted .cm-content`);
  await content.waitFor({ timeout: STEP_TIMEOUT_MS });
  return content;
}

/** Replaces the whole text of a CodeMirror editor from the keyboard. */
export async function replaceCode(page, content, text) {
  await content.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

/** A new page of `context` that records uncaught errors and Rust panics in `errors`. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err?.stack || err)));
  page.on('console', (msg) => { if (/panicked at/.test(msg.text())) errors.push(msg.text()); });
  return { page, errors };
}

/** Opens dashboard `d`'s page (`namespace`, `name`) and its editor. */
export async function openEditor(page, baseUrl, d) {
  await page.goto(`${baseUrl}/dashboards/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}`);
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('button.edit-toggle').click();
}
