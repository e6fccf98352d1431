// Browser end-to-end test of the Problems page and of the grid's mouse
// editing, against the real server over a bare origin made from the corpus.
// The Problems page lists what `dashstudio validate` reports for the corpus,
// filters by severity, code and folder (in the URL), and a row's link opens
// the dashboard's editor on the panel with the file:line shown. In the
// editor, a panel dragged with the mouse and resized by its corner handle
// lands in the saved draft's gridPos, snapped to the 24 columns.
//
// Needs what harness.mjs needs plus the system `git`. Screenshots go to
// e2e/output/problems-*.png.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  SERVER_READY_TIMEOUT_MS, chromiumPath, corpusDir, eventually, launchBrowser, makeOrigin,
  outputDir, removeTmpDirs, screenshot, serverBin, startServer, stopAndKeepLogs, watchedPage, openEditor,
} from './harness.mjs';
import { api, signIn } from './harness/signin.mjs';

// Sign-in is required: Moe edits as himself (harness/signin.mjs).
const USER = { username: 'moe', role: 'editor', password: 'e2e-password-moe', name: 'Moe Mouse', email: 'moe@example.org' };

/** The corpus's report from `dashstudio validate --format json`. */
function corpusReport() {
  let out;
  try {
    out = execFileSync(serverBin, ['validate', corpusDir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    out = err.stdout; // exit status 1: there are errors
  }
  return JSON.parse(out);
}

// The viewport only: the full list is taller than Chromium can capture.
const shot = (page, name) => screenshot(page, `problems-${name}`, { fullPage: false });

/** The `<select>` options' values, the "any" one left out. */
const optionValues = (page, id) => page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => o.value).filter(Boolean));

if (!fs.existsSync(corpusDir)) {
  test('problems and mouse editing (needs the talos-homelab corpus)', { skip: `corpus not found at ${corpusDir}` }, () => {});
} else {
  describe('Dashboard Studio: the Problems page and mouse editing of the grid', () => {
    let server;
    let baseUrl;
    let context;

    before(async () => {
      assert.ok(fs.existsSync(serverBin), `dashstudio binary not found at ${serverBin}`);
      assert.ok(fs.existsSync(chromiumPath), `chromium not found at ${chromiumPath}`);
      fs.mkdirSync(outputDir, { recursive: true });
      server = startServer(makeOrigin(), ['--author', 'Moe Mouse <moe@example.org>'], [USER]);
      baseUrl = await server.ready;
      context = await launchBrowser();
      await signIn(context, baseUrl, USER);
    }, { timeout: SERVER_READY_TIMEOUT_MS + 60_000 });

    after(async () => {
      await context?.close().catch(() => {});
      await stopAndKeepLogs(server, 'problems');
      removeTmpDirs();
    });

    test('every diagnostic, filtered by severity, code and folder; a row opens the panel', { timeout: 180_000 }, async () => {
      const report = corpusReport();
      const all = report.diagnostics;
      assert.ok(all.length > 0, 'the corpus has diagnostics');
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        await page.goto(`${baseUrl}/`);
        await page.locator('a.nav-problems').click();
        await page.waitForURL(/\/problems$/);
        const rows = page.locator('table.problems tbody tr.problem');
        await rows.first().waitFor({ timeout: 60_000 });
        await page.waitForLoadState('networkidle').catch(() => {});
        assert.equal(await rows.count(), all.length, 'one row per diagnostic of `dashstudio validate`');
        assert.equal((await page.locator('.problem-count').textContent()).trim(), `${all.length} of ${all.length} problems`);
        await shot(page, '01-all');

        // --- severity: errors only ---
        const errors = all.filter((d) => d.severity === 'error');
        await page.locator('#filter-severity').selectOption('error');
        await page.waitForURL(/severity=error/);
        assert.ok(await eventually(page, (n) => document.querySelectorAll('table.problems tr.problem').length === n, errors.length),
          `${errors.length} error rows: ${await page.locator('.problem-count').textContent()}`);
        assert.equal(await page.locator('table.problems tr.problem:not(.severity-error)').count(), 0, 'errors only');
        await shot(page, '02-errors');

        // --- code: one that points into a panel ---
        const inPanel = errors.find((d) => /^\/panels\/\d+/.test(d.pointer ?? ''));
        assert.ok(inPanel, 'an error of the corpus points into a panel');
        const withCode = errors.filter((d) => d.code === inPanel.code);
        await page.locator('#filter-code').selectOption(inPanel.code);
        await page.waitForURL(new RegExp(`code=${encodeURIComponent(inPanel.code)}`));
        assert.ok(await eventually(page, (n) => document.querySelectorAll('table.problems tr.problem').length === n, withCode.length),
          `${withCode.length} rows of ${inPanel.code}: ${await page.locator('.problem-count').textContent()}`);
        const codes = await rows.evaluateAll((rs) => [...new Set(rs.map((r) => r.dataset.code))]);
        assert.deepEqual(codes, [inPanel.code]);

        // --- folder: every row in it ---
        await page.locator('#filter-code').selectOption('');
        await page.locator('#filter-severity').selectOption('');
        const folders = await optionValues(page, 'filter-folder');
        assert.ok(folders.length > 0, 'folders to filter by');
        await page.locator('#filter-folder').selectOption(folders[0]);
        await page.waitForURL(/folder=/);
        assert.ok(await eventually(page, (n) => document.querySelectorAll('table.problems tr.problem').length < n, all.length),
          'the folder filter narrows the list');
        const shownFolders = await page.locator('table.problems tr.problem .folder').allTextContents();
        assert.ok(shownFolders.length > 0 && shownFolders.every((f) => f === folders[0]), JSON.stringify(shownFolders));
        await shot(page, '03-folder');

        // --- a row with a panel opens the editor on it, with the place shown ---
        await page.locator('#filter-folder').selectOption('');
        await page.locator('#filter-code').selectOption(inPanel.code);
        const link = page.locator('table.problems a.problem-place', { hasText: 'panel' }).first();
        await link.waitFor();
        const href = await link.getAttribute('href');
        const place = (await link.textContent()).split(' · ')[0];
        const panelId = new URL(href, baseUrl).searchParams.get('panel');
        assert.ok(panelId, `the link names the panel: ${href}`);
        await link.click();
        await page.waitForURL(/\/dashboards\/.*panel=/);
        const note = page.locator('.jump-note .jump-place');
        await note.waitFor();
        assert.equal(await note.textContent(), place.split(':').slice(0, 2).join(':'), 'the page shows file:line');
        await page.locator(`aside.panel-editor[data-panel-id="${panelId}"]`).waitFor({ timeout: 30_000 });
        assert.equal(await page.locator(`.edit-grid .panel-box.selected`).count() <= 1, true);
        await shot(page, '04-jumped-to-panel');

        // --- a problem in a query: the editor opens with the cursor in that query ---
        const inQuery = all.find((d) => /^\/panels\/\d+(\/panels\/\d+)?\/targets\/\d+\//.test(d.pointer ?? ''));
        assert.ok(inQuery, 'a diagnostic of the corpus points into a query');
        await page.goto(`${baseUrl}/problems?code=${encodeURIComponent(inQuery.code)}`);
        const queryLink = page.locator('table.problems a.problem-place[href*="&query="]').first();
        await queryLink.waitFor({ timeout: 60_000 });
        const target = new URL(await queryLink.getAttribute('href'), baseUrl).searchParams;
        await queryLink.click();
        await page.waitForURL(/query=/);
        const focused = `#panel-${target.get('panel')}-query-${target.get('query')} + .code-host .cm-content`;
        await page.locator(focused).waitFor({ timeout: 30_000 });
        assert.ok(await eventually(page, (sel) => document.activeElement === document.querySelector(sel), focused),
          'the cursor is in the query');
        assert.ok(await eventually(page, (sel) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          return r.top >= 0 && r.top < window.innerHeight;
        }, focused), 'the query is scrolled into view');
        await shot(page, '05-jumped-to-query', { fullPage: false });
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await shot(page, 'failed').catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('drag a panel and resize it with the mouse: the draft has its new gridPos', { timeout: 180_000 }, async () => {
      // A dashboard that parses, with a placed panel that has room on its right.
      const list = await (await api(`${baseUrl}/api/v1/dashboards`)).json();
      let target;
      for (const d of list.dashboards) {
        if (d.broken) continue;
        const detail = await (await api(`${baseUrl}/api/v1/dashboards/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}`)).json();
        const p = (detail.detail?.model?.panels ?? []).find((p) => p.id != null && p.type !== 'row' && p.gridPos
          && p.gridPos.w >= 4 && p.gridPos.h >= 4 && p.gridPos.x + p.gridPos.w <= 20);
        if (p) { target = { namespace: d.namespace, name: d.name, panel: p }; break; }
      }
      assert.ok(target, 'a corpus panel with room to move right');
      const draftUrl = `${baseUrl}/api/v1/drafts/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`;
      const draftPos = async () => {
        // Moe's own draft: read with his session (the API token belongs to another user).
        const draft = await (await context.request.get(draftUrl)).json();
        const find = (ps) => ps.flatMap((p) => [p, ...(p.panels ?? [])]).find((p) => p.id === target.panel.id);
        return find(draft.dashboard?.panels ?? [])?.gridPos;
      };
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        await openEditor(page, baseUrl, target);
        await page.locator('section.editor .save-state').waitFor();
        const grid = page.locator('.edit-grid');
        const panelBox = grid.locator(`.panel-box[data-panel-id="${target.panel.id}"]`);
        await panelBox.waitFor();
        const g = await grid.boundingBox();
        const column = g.width / 24;
        const b = await panelBox.boundingBox();
        const saved = () => eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved');

        // --- drag it two columns right and one row down (24 px a row) ---
        const from = { x: b.x + 20, y: b.y + 12 };
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        await page.mouse.move(from.x + column, from.y + 10, { steps: 4 });
        await page.locator('.edit-grid .drop-target').waitFor();
        await page.mouse.move(from.x + 2 * column, from.y + 24, { steps: 4 });
        await shot(page, '05-dragging');
        await page.mouse.up();
        assert.equal(await page.locator('.save-state').getAttribute('data-state'), 'unsaved', 'the drag is an edit');
        assert.ok(await saved(), `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
        const p0 = target.panel.gridPos;
        assert.deepEqual(await draftPos(), { ...p0, x: p0.x + 2, y: p0.y + 1 }, 'moved two columns right and a row down');
        assert.equal(await panelBox.getAttribute('aria-pressed'), 'true', 'the dragged panel is selected');

        // --- its corner handle: one column wider, two rows taller ---
        const handle = panelBox.locator('.resize-handle');
        const h = await handle.boundingBox();
        const grip = { x: h.x + h.width / 2, y: h.y + h.height / 2 };
        await page.mouse.move(grip.x, grip.y);
        await page.mouse.down();
        await page.mouse.move(grip.x + column, grip.y + 48, { steps: 5 });
        await page.mouse.up();
        assert.equal(await page.locator('.save-state').getAttribute('data-state'), 'unsaved', 'the resize is an edit');
        assert.ok(await saved(), `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
        assert.deepEqual(await draftPos(), { ...p0, x: p0.x + 2, y: p0.y + 1, w: p0.w + 1, h: p0.h + 2 }, 'resized from the corner');
        await shot(page, '06-resized');
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await shot(page, 'drag-failed').catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });
  });
}
