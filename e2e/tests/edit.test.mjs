// Browser end-to-end test of the editor: a corpus dashboard edited in
// headless Chromium against the real server, whose `origin` is a real bare
// Git repository made from the talos-homelab corpus in a temp dir. A broken
// PromQL query, typed into its CodeMirror editor, shows its error under it
// and as the editor's diagnostic before anything is saved (core runs in the
// browser as wasm); a title edit and a keyboard move and
// resize of the panel become a draft, the Changes tab shows their lines, the
// commit lands on a studio branch in origin, and `git` checks there that the
// change is those lines. Once
// merged upstream, the History tab lists it, shows the version before it,
// and restores that as a draft whose diff takes the title back.
// A second flow fixes one of the corpus's broken-JSON dashboards in the JSON
// tab (live line/column errors, Apply only once it parses) into a draft and
// commits it: origin's diff is the fixed lines only.
//
// Needs what browse.test.mjs needs (DASHSTUDIO_BIN, LEPTOS_SITE_ROOT, the
// corpus, CHROMIUM_PATH) plus the system `git`. Screenshots of each state go
// to e2e/output/edit-*.png.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BRANCH, STEP_TIMEOUT_MS, SERVER_READY_TIMEOUT_MS, chromiumPath, codeEditor, corpusDir, eventually, git,
  launchBrowser, makeOrigin, outputDir, removeTmpDirs, replaceCode, screenshot, serverBin, startServer, stopAndKeepLogs, watchedPage, openEditor,
} from './harness.mjs';
import { api, signIn } from './harness/signin.mjs';

// Sign-in is required: Edna edits and commits as herself (harness/signin.mjs).
const USER = { username: 'edna', role: 'editor', password: 'e2e-password-edna', name: 'Edna Editor', email: 'edna@example.org' };
// An admin, who may commit past validation errors giving a reason.
const ADMIN = { username: 'adam', role: 'admin', password: 'e2e-password-adam', name: 'Adam Admin', email: 'adam@example.org' };

/** Files with validation errors in the corpus, from `dashstudio validate --format json`. */
function filesWithErrors() {
  let out;
  try {
    out = execFileSync(serverBin, ['validate', corpusDir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    out = err.stdout; // exit status 1: there are errors
  }
  const report = JSON.parse(out);
  return new Set(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
}

/** A dashboard without validation errors, and a titled top-level panel of it with one plain PromQL query. */
async function pickTarget(baseUrl, skip = new Set()) {
  const broken = filesWithErrors();
  const list = await (await api(`${baseUrl}/api/v1/dashboards`)).json();
  for (const d of list.dashboards) {
    if (d.broken || broken.has(d.file) || skip.has(d.file)) continue;
    const detail = await (await api(`${baseUrl}/api/v1/dashboards/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}`)).json();
    const panels = detail.detail?.model?.panels ?? [];
    // Room below: moved a row down and a row taller, it overlaps no other panel
    // (one that did would be pushed down, a cascade whose diff is checked in
    // unit tests, not here).
    const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const roomBelow = (p) => panels.every((o) => o === p || !o.gridPos
      || !overlaps({ ...p.gridPos, y: p.gridPos.y + 1, h: p.gridPos.h + 1 }, o.gridPos));
    for (const p of panels) {
      if (p.id == null || p.type === 'row' || !p.title || !p.gridPos || !roomBelow(p)) continue;
      const t = p.targets.find((x) => x.language === 'promql' && x.query && !x.query.includes('\n') && !x.query.includes('$'));
      if (t && !(detail.dashboard?.title ?? '').includes(p.title)) {
        return { namespace: d.namespace, name: d.name, file: d.file, panel: p, query: t.query };
      }
    }
  }
  throw new Error('no corpus dashboard without errors has a panel with a plain one-line PromQL query');
}

const shot = (page, name) => screenshot(page, `edit-${name}`);

if (!fs.existsSync(corpusDir)) {
  const reason = `corpus not found at ${corpusDir}`;
  test('edit flow (needs the talos-homelab corpus)', { skip: reason }, () => {});
} else {
  describe('Dashboard Studio: editing a corpus dashboard through to a commit', () => {
    let server;
    let baseUrl;
    let context;
    let origin;

    before(async () => {
      assert.ok(fs.existsSync(serverBin), `dashstudio binary not found at ${serverBin}`);
      assert.ok(fs.existsSync(chromiumPath), `chromium not found at ${chromiumPath}`);
      fs.mkdirSync(outputDir, { recursive: true });
      origin = makeOrigin();
      // The bootstrap token's owner (the tests' API calls); Edna signs in and commits as herself.
      server = startServer(origin, ['--author', 'E2E Robot <robot@example.org>'], [USER, ADMIN]);
      baseUrl = await server.ready;
      context = await launchBrowser();
      await signIn(context, baseUrl, USER);
    }, { timeout: SERVER_READY_TIMEOUT_MS + 60_000 });

    after(async () => {
      await context?.close().catch(() => {});
      await stopAndKeepLogs(server, 'edit');
      removeTmpDirs();
    });

    test('break and fix a query live, retitle a panel, move it from the keyboard, review the diff, commit to a branch, history', { timeout: 300_000 }, async () => {
      const target = await pickTarget(baseUrl);
      const newTitle = `${target.panel.title} (edited)`;
      const { page, errors: pageErrors } = await watchedPage(context);
      // Every request the page makes to the server after the page loaded.
      const requests = [];
      page.on('request', (r) => { if (r.method() === 'POST') requests.push(new URL(r.url()).pathname); });
      const dashPath = `/dashboards/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`;

      const openEditor = async () => {
        await page.goto(`${baseUrl}${dashPath}`);
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('button.edit-toggle').click();
        await page.locator('section.editor .save-state').waitFor();
        // Near its top-left corner: once moved down, the panel below overlaps its bottom.
        await page.locator(`.edit-grid .panel-box[data-panel-id="${target.panel.id}"]`).click({ position: { x: 8, y: 8 } });
        await page.locator(`aside.panel-editor[data-panel-id="${target.panel.id}"]`).waitFor();
      };

      try {
        await openEditor();
        await shot(page, '01-panel-editor');
        const editor = page.locator(`aside.panel-editor[data-panel-id="${target.panel.id}"]`);
        const queryBox = editor.locator('.query-editor[data-language="promql"] textarea').first();
        assert.equal(await queryBox.inputValue(), target.query, 'the query textarea holds the query');
        // Once hydrated, CodeMirror shows the query, highlighted as PromQL.
        const queryId = await queryBox.getAttribute('id');
        const queryCode = await codeEditor(page, queryId);
        assert.equal(await queryBox.isVisible(), false, 'the editor replaced the textarea on screen');
        assert.equal((await queryCode.innerText()).trim(), target.query.trim(), 'the editor holds the query');
        assert.ok(await queryCode.locator('.tok-label, .tok-name, .tok-function').count() > 0,
          'PromQL tokens are highlighted');

        // --- break the query by typing: the error shows under it and in the editor, computed in the browser ---
        const before = requests.length;
        await queryCode.click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(')');
        assert.equal(await queryBox.inputValue(), `${target.query})`, 'the typed text reached the textarea');
        const problem = editor.locator('.query-editor[data-language="promql"] .query-problem').first();
        await problem.waitFor({ state: 'visible', timeout: 2_000 });
        const stateWhenShown = await page.locator('.save-state').getAttribute('data-state');
        assert.equal(stateWhenShown, 'unsaved', 'the error appeared before the draft was saved');
        assert.deepEqual(requests.slice(before), [], 'no request to the server before the error appeared');
        assert.match(await problem.textContent(), /error/i);
        const lintMark = page.locator(`textarea#${queryId} + .code-host .cm-lintRange-error`);
        await lintMark.first().waitFor({ timeout: 2_000 });
        assert.equal(await queryCode.getAttribute('aria-invalid'), 'true', 'the editor is marked invalid');
        await shot(page, '02-query-error');

        // --- fix it: the error goes, under the query and in the editor ---
        await page.keyboard.press('Backspace');
        assert.equal(await queryBox.inputValue(), target.query);
        await problem.waitFor({ state: 'detached', timeout: 2_000 });
        assert.equal(await lintMark.count(), 0, 'no diagnostic left in the editor');
        assert.equal(await queryCode.getAttribute('aria-invalid'), 'false');

        // --- retitle the panel: autosaved as a draft ---
        await editor.locator('input[name="title"]').fill(newTitle);
        assert.ok(await eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved'),
          `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
        assert.ok(
          await eventually(page, (t) => [...document.querySelectorAll('.edit-grid .panel-title')].some((e) => e.textContent === t), newTitle),
          'the grid shows the new title');
        await shot(page, '03-draft-saved');

        // --- move the panel down a row and make it a row taller, from the keyboard ---
        const pos = target.panel.gridPos;
        const panelBox = page.locator(`.edit-grid .panel-box[data-panel-id="${target.panel.id}"]`);
        await panelBox.click();
        const focused = () => eventually(page, (id) => document.activeElement?.dataset?.panelId === String(id), target.panel.id);
        await page.keyboard.press('ArrowDown');
        assert.ok(await focused(), 'the moved panel keeps the focus');
        await page.keyboard.press('Shift+ArrowDown');
        assert.ok(await focused(), 'the resized panel keeps the focus');
        assert.ok(await eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved'),
          `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
        await shot(page, '03b-panel-moved');

        // --- Changes: the title line and the gridPos line(s), nothing else ---
        await page.locator('#tab-changes').click();
        const diff = page.locator('.file-diff pre.diff');
        await diff.first().waitFor();
        assert.equal(await page.locator('.file-diff').count(), 1, 'one file changes');
        assert.equal(await page.locator('.file-diff').getAttribute('data-file'), target.file);
        const added = await page.locator('.diff-line.add').allTextContents();
        const removed = await page.locator('.diff-line.del').allTextContents();
        assert.equal(added.length, removed.length, `as many lines added as removed: ${JSON.stringify(added)}`);
        assert.ok(added.length >= 2, `the title and gridPos lines: ${JSON.stringify(added)}`);
        const titleLine = added.findIndex((l) => l.includes(JSON.stringify(newTitle)));
        assert.ok(titleLine >= 0, `an added line has the new title: ${JSON.stringify(added)}`);
        assert.ok(removed.some((l) => l.includes(JSON.stringify(target.panel.title))), `a removed line has the old title: ${JSON.stringify(removed)}`);
        // Besides the title, only gridPos lines: the panel's, and those of panels it pushed down.
        const others = added.filter((_, i) => i !== titleLine);
        assert.ok(others.every((l) => /"(gridPos|x|y|w|h)"/.test(l)), `gridPos lines only: ${JSON.stringify(others)}`);
        const gridLines = others.join('\n');
        assert.match(gridLines, new RegExp(`"y":\\s*${pos.y + 1}\\b`), `y moved down: ${gridLines}`);
        assert.match(gridLines, new RegExp(`"h":\\s*${pos.h + 1}\\b`), `h grew: ${gridLines}`);
        const changedLines = added.length;
        assert.match(await page.locator('.change-summary').textContent(), /title changed/);
        await shot(page, '04-changes');

        // --- the draft survives a reload ---
        await openEditor();
        await page.locator('.draft-note').waitFor();
        assert.equal(await page.locator(`aside.panel-editor[data-panel-id="${target.panel.id}"] input[name="title"]`).inputValue(),
          newTitle, 'reopening the page continues the draft');

        // --- commit to a new branch ---
        await page.locator('#tab-commit').click();
        assert.ok(await eventually(page, () => document.querySelector('.validation-status')?.dataset.status === 'ok'),
          `validation status: ${await page.locator('.validation-status').textContent()}`);
        await page.locator('#commit-message').fill('Retitle a panel');
        await shot(page, '05-commit-dialog');
        await page.locator('form.commit-form button[type="submit"]').click();
        const result = page.locator('dl.commit-result');
        await result.waitFor({ timeout: 60_000 });
        const commit = (await result.locator('.commit-id').textContent()).trim();
        const branch = (await result.locator('.commit-branch').textContent()).trim();
        assert.equal(await result.getAttribute('data-pushed'), 'true', `pushed: ${await result.textContent()}`);
        assert.match(branch, /^studio\/edna\//, 'a studio branch of the user');
        await shot(page, '06-committed');

        // --- origin has the branch, and its diff is the one line ---
        assert.equal(git(origin, 'rev-parse', `refs/heads/${branch}`).trim(), commit, 'origin has the branch at the commit');
        assert.equal(git(origin, 'diff', '--numstat', BRANCH, branch).trim(), `${changedLines}\t${changedLines}\t${target.file}`,
          'the minimal change: the title and gridPos lines');
        const patch = git(origin, 'diff', BRANCH, branch);
        assert.ok(patch.includes(`+`) && patch.includes(JSON.stringify(newTitle)), patch);

        // --- History: the branch merged upstream, the server fetches it ---
        git(origin, 'update-ref', `refs/heads/${BRANCH}`, commit);
        const fetched = await api(`${baseUrl}/api/v1/repository/fetch`, { method: 'POST' });
        assert.equal(fetched.status, 200, await fetched.text());
        await page.goto(`${baseUrl}${dashPath}`);
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('button.edit-toggle').click();
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('#tab-history').click();
        const entries = page.locator('.history-list .history-entry');
        await entries.first().waitFor();
        assert.ok(await entries.count() >= 2, 'the retitle and the corpus commit');
        assert.equal(await entries.first().getAttribute('data-commit'), commit, 'newest first: the retitle');
        assert.match(await entries.first().textContent(), /Retitle a panel/);
        assert.match(await entries.first().textContent(), /Edna Editor/);
        // View the version before the retitle: read-only JSON with the old title.
        const older = entries.nth(1);
        const olderCommit = await older.getAttribute('data-commit');
        await older.locator('button.view-version').click();
        const version = page.locator(`section.version[data-commit="${olderCommit}"]`);
        await version.waitFor();
        const versionJson = version.locator('textarea.version-json');
        assert.equal(await versionJson.getAttribute('readonly'), '', 'the version is read-only');
        const versionCode = await codeEditor(page, 'version-json');
        assert.equal(await versionCode.getAttribute('contenteditable'), 'false', 'the version editor is read-only');
        const olderText = await versionJson.inputValue();
        assert.ok(olderText.includes(JSON.stringify(target.panel.title)) && !olderText.includes(JSON.stringify(newTitle)),
          'the older version has the old title');
        await shot(page, '06b-history');
        // Restore it as a draft: the editor reopens on it, and its diff takes the title back.
        await version.locator('button.restore-version').click();
        await page.locator('.draft-note').waitFor({ timeout: 30_000 });
        await page.locator('#tab-changes').click();
        await page.locator('.file-diff pre.diff').first().waitFor();
        const restoredAdded = await page.locator('.diff-line.add').allTextContents();
        const restoredRemoved = await page.locator('.diff-line.del').allTextContents();
        assert.equal(restoredAdded.length, changedLines, `the commit's lines back: ${JSON.stringify(restoredAdded)}`);
        assert.equal(restoredRemoved.length, changedLines, `the commit's lines back: ${JSON.stringify(restoredRemoved)}`);
        assert.ok(restoredAdded.some((l) => l.includes(JSON.stringify(target.panel.title))), JSON.stringify(restoredAdded));
        assert.ok(restoredRemoved.some((l) => l.includes(JSON.stringify(newTitle))), JSON.stringify(restoredRemoved));
        await shot(page, '06c-restored-draft');
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'edit-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('fix a broken-JSON corpus dashboard in the JSON tab: live errors, Apply, a draft that survives a reload, a commit of the fixed lines', { timeout: 300_000 }, async () => {
      const list = await (await api(`${baseUrl}/api/v1/dashboards`)).json();
      const broken = list.dashboards.filter((d) => d.broken);
      assert.ok(broken.length > 0, 'the corpus has broken dashboards');
      const target = broken[0];
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        await openEditor(page, baseUrl, target);
        await page.locator('section.editor .parse-error').waitFor();
        await page.locator('#tab-json').click();
        const box = page.locator('textarea#dashboard-json');
        await box.waitFor({ state: 'attached' });
        const code = await codeEditor(page, 'dashboard-json');
        const problem = page.locator('.json-problem');
        const text = (await problem.textContent()).trim();
        const m = text.match(/^Line (\d+), column (\d+):/);
        assert.ok(m, `the JSON problem names a line and column: ${text}`);
        assert.ok(await page.locator('button.apply-json').isDisabled(), 'Apply is disabled while the JSON does not parse');
        // A click on the problem shows it in the editor, marked there by the same check.
        await problem.locator('button.go-to').click();
        const lintMark = page.locator('textarea#dashboard-json + .code-host .cm-lintRange-error');
        await lintMark.first().waitFor({ timeout: 2_000 });
        assert.ok(await lintMark.first().isVisible(), 'the error is in view in the editor');
        assert.equal(await code.getAttribute('aria-invalid'), 'true', 'the editor is marked invalid');
        await shot(page, '07-json-broken');

        // The corpus's defect: a `]` where an object's `}` belongs, at each reported place.
        let report = m;
        let fixes = 0;
        for (let round = 0; report && round < 10; round += 1) {
          fixes += 1;
          const lines = (await box.inputValue()).split('\n');
          const [line, column] = [Number(report[1]) - 1, Number(report[2]) - 1];
          assert.equal(lines[line][column], ']', `a stray ] at ${report[1]}:${report[2]}: ${lines[line]}`);
          lines[line] = `${lines[line].slice(0, column)}}${lines[line].slice(column + 1)}`;
          await replaceCode(page, code, lines.join('\n'));
          assert.equal(await box.inputValue(), lines.join('\n'), 'the editor wrote the text back to the textarea');
          const next = (await problem.count()) ? (await problem.textContent()).trim() : '';
          report = next.match(/^Line (\d+), column (\d+):/);
        }
        await problem.waitFor({ state: 'detached', timeout: 2_000 });
        assert.ok(await page.locator('button.apply-json').isEnabled(), 'Apply is enabled once the JSON parses');
        await page.locator('button.apply-json').click();
        assert.ok(await eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved'),
          `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
        await shot(page, '08-json-fixed');

        // The fixed JSON is the draft now: panels can be edited, and a reload continues it.
        assert.equal(await page.locator('section.editor .parse-error').count(), 0, 'the broken-JSON banner is gone');
        await page.locator('#tab-panels').click();
        await page.locator('.edit-grid .panel-box').first().waitFor();
        await page.reload();
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('button.edit-toggle').click();
        await page.locator('.draft-note').waitFor();
        await page.locator('#tab-json').click();
        const reopened = page.locator('textarea#dashboard-json');
        await reopened.waitFor({ state: 'attached' });
        await codeEditor(page, 'dashboard-json');
        const reopenedText = await reopened.inputValue();
        assert.doesNotThrow(() => JSON.parse(reopenedText), 'the draft holds the fixed JSON');
        assert.equal(await page.locator('.json-problem').count(), 0, 'no JSON problem after the reload');
        await shot(page, '09-json-draft-reopened');

        // Commit the fix: origin's diff is the fixed lines, each `]` now `}`.
        await page.locator('#tab-commit').click();
        await page.locator('#commit-message').fill('Fix the dashboard JSON');
        await page.locator('form.commit-form button[type="submit"]').click();
        const result = page.locator('dl.commit-result');
        await result.waitFor({ timeout: 60_000 });
        const branch = (await result.locator('.commit-branch').textContent()).trim();
        assert.equal(await result.getAttribute('data-pushed'), 'true', `pushed: ${await result.textContent()}`);
        await shot(page, '09b-json-fix-committed');
        assert.equal(git(origin, 'diff', '--numstat', BRANCH, branch).trim(), `${fixes}\t${fixes}\t${target.file}`,
          'only the fixed lines change');
        const patch = git(origin, 'diff', '-U0', BRANCH, branch).split('\n');
        const minus = patch.filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1));
        const plus = patch.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1));
        assert.deepEqual(plus, minus.map((l) => l.replace(']', '}')), 'each fixed line: a ] became a }');
        const committed = git(origin, 'show', `${branch}:${target.file}`);
        const fileLines = committed.split('\n');
        const start = fileLines.findIndex((l) => /^  json: \|/.test(l)) + 1;
        assert.ok(start > 0, 'the committed file has its spec.json block');
        const end = fileLines.findIndex((l, i) => i >= start && l !== '' && !l.startsWith('    '));
        const block = fileLines.slice(start, end < 0 ? undefined : end).map((l) => l.slice(4)).join('\n');
        assert.doesNotThrow(() => JSON.parse(block), 'the committed spec.json parses');

        // Leaving with an edit the draft does not hold yet: the browser asks first.
        await page.locator('#tab-panels').click();
        if (await page.locator('button.number-panels').count()) {
          await page.locator('button.number-panels').click();
          assert.equal(await page.locator('.edit-grid .panel-box[disabled]').count(), 0, 'every panel has an id now');
        }
        await page.locator('.edit-grid .panel-box:not([disabled])').first().click();
        const boxes = page.locator('.edit-grid .panel-box');
        const count = await boxes.count();
        // Duplicate, delete, add: the grid follows, the new panel is selected.
        await page.locator('button.duplicate-panel').click();
        assert.ok(await eventually(page, (n) => document.querySelectorAll('.edit-grid .panel-box').length === n, count + 1), 'duplicate adds a panel');
        await page.locator('button.delete-panel').click();
        assert.ok(await eventually(page, (n) => document.querySelectorAll('.edit-grid .panel-box').length === n, count), 'delete removes it');
        await page.locator('button.add-panel').click();
        assert.ok(await eventually(page, (n) => document.querySelectorAll('.edit-grid .panel-box').length === n, count + 1), 'add adds a panel');
        assert.equal(await page.locator('aside.panel-editor input[name="title"]').inputValue(), 'New panel', 'the new panel is selected');
        await shot(page, '10-panel-added');
        await page.locator('aside.panel-editor input[name="title"]').click();
        await page.keyboard.type(' x');
        assert.equal(await page.locator('.save-state').getAttribute('data-state'), 'unsaved');
        const dialog = new Promise((resolve) => page.once('dialog', async (d) => { resolve(d.type()); await d.dismiss(); }));
        await page.close({ runBeforeUnload: true });
        assert.equal(await dialog, 'beforeunload', 'a beforeunload prompt guards unsaved edits');
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'edit-json-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('a LogQL query in CodeMirror: highlighted, a typo marked at its span with the fix, undone with Ctrl+Z, functions completed', { timeout: 300_000 }, async () => {
      // A corpus dashboard with a panel whose query is LogQL (its datasource resolves to Loki).
      const list = await (await api(`${baseUrl}/api/v1/dashboards`)).json();
      let target;
      for (const d of list.dashboards) {
        if (d.broken) continue;
        const detail = await (await api(`${baseUrl}/api/v1/dashboards/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}`)).json();
        const all = (detail.detail?.model?.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
        // A log query (a pipeline may follow it), not a metric query.
        const logQuery = (t) => t.language === 'logql' && t.query && t.query.trim().startsWith('{') && !t.query.includes('\n');
        const panel = all.find((p) => p.id != null && p.targets.some(logQuery));
        if (panel) {
          const index = panel.targets.findIndex(logQuery);
          target = { ...d, panel, index, query: panel.targets[index].query };
          break;
        }
      }
      assert.ok(target, 'the corpus has a dashboard with a LogQL log query');
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        await openEditor(page, baseUrl, target);
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('.panel-picker select').selectOption(String(target.panel.id));
        const aside = page.locator(`aside.panel-editor[data-panel-id="${target.panel.id}"]`);
        await aside.waitFor();
        const id = `panel-${target.panel.id}-query-${target.index}`;
        const box = page.locator(`textarea#${id}`);
        assert.equal(await box.inputValue(), target.query);
        assert.equal(await box.evaluate((el) => el.closest('.query-editor').dataset.language), 'logql');
        const code = await codeEditor(page, id);
        // Readable at 1280 and 1920 px: nothing runs off the side, the side editor is in view.
        for (const width of [1920, 1280]) {
          await page.setViewportSize({ width, height: 1000 });
          const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
          assert.ok(fits, `no horizontal scrolling at ${width} px`);
          const box = await aside.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= width, `the side editor is within ${width} px: ${JSON.stringify(box)}`);
          await shot(page, `11a-editor-${width}`);
        }
        // Highlighted by the Lezer LogQL grammar: the stream selector's label and its string.
        assert.ok(await code.locator('.tok-label').count() > 0, 'LogQL labels are highlighted');
        assert.ok(await code.locator('.tok-string').count() > 0, 'LogQL strings are highlighted');

        // A typo: `|=~` is no LogQL operator. Our parser (wasm) marks exactly it and suggests `|~`.
        await code.click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(' |=~ "timeout');
        const typed = await box.inputValue();
        assert.ok(typed.startsWith(target.query) && typed.includes('|=~ "timeout'), `typed: ${typed}`);
        const problem = page.locator(`#${id}-problems .query-problem`).first();
        await problem.waitFor({ timeout: 2_000 });
        assert.match(await problem.textContent(), /did you mean `\|~`/);
        const mark = page.locator(`textarea#${id} + .code-host .cm-lintRange-error`);
        await mark.first().waitFor({ timeout: 2_000 });
        const marked = (await mark.allTextContents()).join('');
        assert.ok(['|=~', '|=', '~'].some((m) => marked === m) || marked.includes('|='), `the mark is on the operator: ${JSON.stringify(marked)}`);
        // Hovering the mark shows the same message as the list under the query.
        await mark.first().hover();
        const tooltip = page.locator('.cm-tooltip-lint');
        await tooltip.waitFor({ timeout: 5_000 });
        assert.match(await tooltip.textContent(), /did you mean `\|~`/);
        await shot(page, '11-logql-typo');

        // Undo (the editor's history) takes the text back, and the mark goes.
        for (let i = 0; i < 5 && (await box.inputValue()) !== target.query; i += 1) {
          await code.click();
          await page.keyboard.press('Control+z');
        }
        assert.equal(await box.inputValue(), target.query, 'undo restored the query');
        await problem.waitFor({ state: 'detached', timeout: 2_000 });
        assert.equal(await mark.count(), 0);

        // Completion offers LogQL's functions.
        await page.keyboard.press('Control+End');
        await page.keyboard.type(' count_ov');
        const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'count_over_time' });
        await option.first().waitFor({ timeout: 5_000 });
        await shot(page, '12-logql-completion');
        await page.keyboard.press('Escape');
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'edit-logql-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('an admin sets a unit, commits a broken query past the validation gate with a reason; origin records it', { timeout: 300_000 }, async () => {
      const first = await pickTarget(baseUrl);
      const target = await pickTarget(baseUrl, new Set([first.file]));
      const adminContext = await launchBrowser();
      await signIn(adminContext, baseUrl, ADMIN);
      const { page, errors: pageErrors } = await watchedPage(adminContext);
      try {
        await openEditor(page, baseUrl, target);
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('.panel-picker select').selectOption(String(target.panel.id));
        const aside = page.locator(`aside.panel-editor[data-panel-id="${target.panel.id}"]`);
        await aside.waitFor();
        // The unit: typed (the list offers Grafana's ids), saved on change.
        await aside.locator('input[name="unit"]').fill('bytes');
        await aside.locator('input[name="unit"]').press('Tab');
        // Break the query from the keyboard.
        const id = await aside.locator('.query-editor[data-language="promql"] textarea').first().getAttribute('id');
        const code = await codeEditor(page, id);
        await code.click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(')');
        assert.ok(await eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved'),
          `the draft was not saved: ${await page.locator('.save-state').textContent()}`);

        // The gate: errors block the commit until the override is chosen with a reason.
        await page.locator('#tab-commit').click();
        assert.ok(await eventually(page, () => document.querySelector('.validation-status')?.dataset.status === 'errors'),
          `validation status: ${await page.locator('.validation-status').textContent()}`);
        assert.match(await page.locator('.validation-status').textContent(), /commit anyway giving a reason/);
        const submit = page.locator('form.commit-form button[type="submit"]');
        await page.locator('#commit-message').fill('Set a unit; keep a query the exporter will match tonight');
        assert.ok(await submit.isDisabled(), 'errors block the commit');
        await page.locator('input[name="override"]').check();
        assert.ok(await submit.isDisabled(), 'no reason, no override');
        const reason = 'e2e: the exporter renames this metric tonight';
        await page.locator('#override-reason').fill(reason);
        assert.ok(await submit.isEnabled(), 'a reason enables the override');
        assert.equal((await submit.textContent()).trim(), 'Commit anyway');
        await shot(page, '13-override');
        await submit.click();
        const result = page.locator('dl.commit-result');
        await result.waitFor({ timeout: 60_000 });
        assert.equal(await result.getAttribute('data-pushed'), 'true', `pushed: ${await result.textContent()}`);
        const branch = (await result.locator('.commit-branch').textContent()).trim();
        await shot(page, '14-override-committed');

        // Origin: the trailer names the reason and the admin; the diff has the unit and the query.
        const message = git(origin, 'log', '-1', '--format=%B', branch);
        assert.ok(message.includes(`Studio-Override: ${reason} (by ${ADMIN.email})`), message);
        const patch = git(origin, 'diff', '-U0', BRANCH, branch).split('\n');
        const plus = patch.filter((l) => l.startsWith('+') && !l.startsWith('+++'));
        assert.ok(plus.some((l) => /"unit":\s*"bytes"/.test(l)), `the unit is committed: ${plus.join('\n')}`);
        assert.ok(plus.some((l) => l.includes(`${target.query})`.replace(/"/g, '\\"'))), `the query as typed: ${plus.join('\n')}`);
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'edit-override-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
        await adminContext.close().catch(() => {});
      }
    });
  });
}
