// Browser end-to-end test of the folder operations, each a draft: on a
// folder page the "New dashboard" form creates a dashboard from a template
// (a corpus dashboard) in that folder and opens its editor; on another
// dashboard's page the editor moves it to a different folder. One commit
// records both on a studio branch (its progress shows while it runs, and
// clears), and `git` on the bare origin checks that the branch adds the new
// file and its kustomization entry and moves the other dashboard's folder.
// Rows: a row of a corpus dashboard is collapsed and expanded again in the
// edit grid, and a panel moved into it with the side editor's Row select;
// the user's draft, read through the API, has each state. A rename and a
// delete (asked first, Cancel keeps it) commit together: origin has the new
// resource name, and neither the deleted file nor a kustomization entry for it.
//
// Needs what edit.test.mjs needs (DASHSTUDIO_BIN, LEPTOS_SITE_ROOT, the
// corpus, CHROMIUM_PATH, the system `git`). Screenshots of each state go to
// e2e/output/folders-*.png.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BRANCH, SERVER_READY_TIMEOUT_MS, chromiumPath, corpusDir, eventually, git,
  launchBrowser, makeOrigin, outputDir, removeTmpDirs, screenshot, serverBin, startServer, stopAndKeepLogs, watchedPage, openEditor,
} from './harness.mjs';
import { api, signIn } from './harness/signin.mjs';

const USER = { username: 'fiona', role: 'editor', password: 'e2e-password-fiona', name: 'Fiona Folders', email: 'fiona@example.org' };
const NEW_NAME = 'e2e-new-from-template';
const NEW_TITLE = 'E2E new dashboard';

/** Files with validation errors in the corpus (a commit writing one is blocked). */
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

/** A template dashboard, and another dashboard to move to a folder it is not in. */
async function pickDashboards(baseUrl) {
  const errors = filesWithErrors();
  const list = (await (await api(`${baseUrl}/api/v1/dashboards`)).json()).dashboards;
  const clean = list.filter((d) => !d.broken && !errors.has(d.file) && d.source?.kind === 'json');
  assert.ok(clean.length >= 2, `two corpus dashboards without errors: ${clean.length}`);
  const template = clean[0];
  const moved = clean.find((d) => d.folder !== template.folder && d.file !== template.file);
  assert.ok(moved, 'a dashboard in another folder than the template');
  const folders = [...new Set(list.map((d) => d.folder))];
  const to = folders.find((f) => f !== moved.folder && f !== template.folder);
  assert.ok(to, 'a third folder');
  return { template, moved, to };
}

const shot = (page, name) => screenshot(page, `folders-${name}`);

if (!fs.existsSync(corpusDir)) {
  const reason = `corpus not found at ${corpusDir}`;
  test('folder operations (needs the talos-homelab corpus)', { skip: reason }, () => {});
} else {
  describe('Dashboard Studio: folder operations as drafts, committed together', () => {
    let server;
    let baseUrl;
    let context;
    let origin;

    before(async () => {
      assert.ok(fs.existsSync(serverBin), `dashstudio binary not found at ${serverBin}`);
      assert.ok(fs.existsSync(chromiumPath), `chromium not found at ${chromiumPath}`);
      fs.mkdirSync(outputDir, { recursive: true });
      origin = makeOrigin();
      server = startServer(origin, ['--author', 'E2E Robot <robot@example.org>'], [USER]);
      baseUrl = await server.ready;
      context = await launchBrowser();
      await signIn(context, baseUrl, USER);
    }, { timeout: SERVER_READY_TIMEOUT_MS + 60_000 });

    after(async () => {
      await context?.close().catch(() => {});
      await stopAndKeepLogs(server, 'folders');
      removeTmpDirs();
    });

    test('create a dashboard from a template, move another to a different folder, commit both to a branch', { timeout: 300_000 }, async () => {
      const { template, moved, to } = await pickDashboards(baseUrl);
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        // --- the folder page's New dashboard form, from the template, in the template's folder ---
        await page.goto(`${baseUrl}/folders/${encodeURIComponent(template.folder)}`);
        await page.waitForLoadState('networkidle').catch(() => {});
        await page.locator('details.new-dashboard summary').click();
        const form = page.locator('form.new-dashboard-form');
        await form.waitFor();
        assert.equal(await form.locator('#new-folder').inputValue(), template.folder, 'the folder page\'s folder is the default');
        await form.locator('#new-namespace').fill(template.namespace);
        await form.locator('#new-name').fill(NEW_NAME);
        await form.locator('#new-title').fill(NEW_TITLE);
        await form.locator('#new-template').selectOption(`${template.namespace}/${template.name}`);
        await shot(page, '01-new-dashboard-form');
        await form.locator('button.create-dashboard').click();
        await page.waitForURL((url) => url.pathname === `/dashboards/${encodeURIComponent(template.namespace)}/${NEW_NAME}`);
        await page.locator('section.editor .save-state').waitFor();
        const effect = page.locator('.draft-effect');
        await effect.waitFor();
        const newFile = (await effect.textContent()).match(/writes (\S+\.ya?ml)\./)?.[1];
        assert.ok(newFile, `the draft names its file: ${await effect.textContent()}`);
        assert.ok(await eventually(page, () => document.querySelectorAll('.edit-grid .panel-box').length > 0),
          'the template\'s panels are in the new dashboard');
        await shot(page, '02-new-dashboard-editor');
        // Loaded directly (server-rendered, then hydrated), the new draft opens again.
        const loaded = await page.reload();
        assert.equal(loaded.status(), 200, 'a new dashboard\'s draft is not a 404 for its author');
        await page.locator('.draft-effect', { hasText: newFile }).waitFor();
        assert.equal(await page.locator('.not-found').count(), 0);
        await page.locator('#tab-changes').click();
        await page.locator(`.file-diff[data-file="${newFile}"]`).waitFor();
        assert.ok(await page.locator('.file-diff').count() >= 2, 'the new file and a kustomization');
        await shot(page, '03-new-dashboard-changes');

        // --- move another dashboard to a different folder ---
        await openEditor(page, baseUrl, moved);
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('#move-folder').selectOption(to);
        await page.locator('button.move-dashboard').click();
        await page.locator('.draft-effect', { hasText: `moves it to folder ${to}` }).waitFor();
        await shot(page, '04-moved');
        await page.locator('#tab-changes').click();
        const movedDiff = page.locator(`.file-diff[data-file="${moved.file}"]`);
        await movedDiff.waitFor();
        const added = await movedDiff.locator('.diff-line.add').allTextContents();
        assert.ok(added.some((l) => l.includes(to)), `the folder line: ${JSON.stringify(added)}`);
        await shot(page, '05-move-changes');

        // --- one commit of both, to a new branch ---
        await page.locator('#tab-commit').click();
        assert.ok(await eventually(page, () => document.querySelector('.validation-status')?.dataset.status === 'ok'),
          `validation status: ${await page.locator('.validation-status').textContent()}`);
        const also = page.locator(`input[name="also"][value="${template.namespace}/${NEW_NAME}"]`);
        await also.check();
        await page.locator('#commit-message').fill('New dashboard from a template; move another');
        await shot(page, '06-commit-dialog');
        // The in-progress state can be brief: an observer records that it showed
        // (text, spinner, aria-busy, the button disabled).
        await page.evaluate(() => {
          window.__commitProgress = false;
          const seen = () => {
            const p = document.querySelector('.commit-progress');
            if (p && p.querySelector('.spinner') && /Committing/.test(p.textContent)
              && document.querySelector('form.commit-form')?.getAttribute('aria-busy') === 'true'
              && document.querySelector('form.commit-form button[type="submit"]')?.disabled) {
              window.__commitProgress = true;
            }
          };
          new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true });
        });
        await page.locator('form.commit-form button[type="submit"]').click();
        const result = page.locator('dl.commit-result');
        await result.waitFor({ timeout: 60_000 });
        assert.equal(await page.evaluate(() => window.__commitProgress), true, 'the commit showed its progress');
        assert.equal(await page.locator('.commit-progress').count(), 0, 'the progress cleared');
        assert.equal(await page.locator('form.commit-form').getAttribute('aria-busy'), 'false');
        assert.equal(await result.getAttribute('data-pushed'), 'true', `pushed: ${await result.textContent()}`);
        const branch = (await result.locator('.commit-branch').textContent()).trim();
        await shot(page, '07-committed');

        // --- origin: the new file, its kustomization entry, the moved folder ---
        const status = git(origin, 'diff', '--name-status', BRANCH, branch).trim().split('\n');
        assert.ok(status.includes(`A\t${newFile}`), `the new file is added: ${status.join(' | ')}`);
        assert.ok(status.includes(`M\t${moved.file}`), `the moved dashboard's file changes: ${status.join(' | ')}`);
        const kustomizations = status.filter((l) => /^M\t(.*\/)?kustomization\.ya?ml$/.test(l)).map((l) => l.slice(2));
        assert.ok(kustomizations.length >= 1, `a kustomization changes: ${status.join(' | ')}`);
        const listed = kustomizations.some((k) => {
          const dir = path.posix.dirname(k) === '.' ? '' : `${path.posix.dirname(k)}/`;
          const entry = newFile.startsWith(dir) ? newFile.slice(dir.length) : newFile;
          return git(origin, 'show', `${branch}:${k}`).split('\n').some((l) => l.trim() === `- ${entry}`);
        });
        assert.ok(listed, `a kustomization lists ${newFile}`);
        const newText = git(origin, 'show', `${branch}:${newFile}`);
        assert.match(newText, new RegExp(`name: ${NEW_NAME}`));
        assert.ok(newText.includes(NEW_TITLE), 'the new dashboard has its title');
        const movedText = git(origin, 'show', `${branch}:${moved.file}`);
        assert.ok(movedText.split('\n').some((l) => /^\s+folder:/.test(l) && l.includes(to)), `the moved dashboard's folder is ${to}`);
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'folders-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });
    test('rows: collapse and expand a row, move a panel into it; the draft has it; fetch origin', { timeout: 300_000 }, async () => {
      // A dashboard with an expanded row and a panel outside it.
      const list = (await (await api(`${baseUrl}/api/v1/dashboards`)).json()).dashboards;
      let target;
      for (const d of list) {
        if (d.broken || d.source?.kind !== 'json') continue;
        const detail = await (await api(`${baseUrl}/api/v1/dashboards/${encodeURIComponent(d.namespace)}/${encodeURIComponent(d.name)}`)).json();
        const panels = detail.dashboard?.panels ?? [];
        const y = (p) => p.gridPos?.y ?? 0;
        const rows = panels.filter((p) => p.type === 'row' && !p.collapsed && p.id != null && p.gridPos);
        const rowOf = (p) => rows.filter((r) => y(r) < y(p)).sort((a, b) => y(b) - y(a))[0];
        for (const row of rows) {
          const members = panels.filter((p) => p.type !== 'row' && rowOf(p) === row);
          const outside = panels.find((p) => p.type !== 'row' && p.id != null && p.gridPos && rowOf(p) !== row);
          if (members.length > 0 && outside && !panels.some((p) => p.type === 'row' && p.collapsed)) {
            target = { ...d, row, members, outside };
            break;
          }
        }
        if (target) break;
      }
      assert.ok(target, 'a corpus dashboard with an expanded row and a panel outside it');
      const { page, errors: pageErrors } = await watchedPage(context);
      const draftUrl = `${baseUrl}/api/v1/drafts/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`;
      const saved = async () => assert.ok(
        await eventually(page, () => document.querySelector('.save-state')?.dataset.state === 'saved'),
        `the draft was not saved: ${await page.locator('.save-state').textContent()}`);
      try {
        await openEditor(page, baseUrl, target);
        await page.locator('section.editor .save-state').waitFor();
        const toggle = page.locator(`.edit-grid .row-toggle[data-row-id="${target.row.id}"]`);
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        const memberBox = page.locator(`.edit-grid .panel-box[data-panel-id="${target.members[0].id}"]`);
        await memberBox.waitFor();

        // --- collapse: the row's panels leave the grid, into the row ---
        await toggle.click();
        await memberBox.waitFor({ state: 'detached' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        await saved();
        await shot(page, '08-row-collapsed');
        let draft = await (await page.request.get(draftUrl)).json();
        const row = draft.dashboard.panels.find((p) => p.id === target.row.id);
        assert.equal(row.collapsed, true);
        assert.deepEqual(row.panels.map((p) => p.id).sort(), target.members.map((p) => p.id).sort(), 'the row holds its panels');

        // --- expand: back as they were ---
        await toggle.click();
        await memberBox.waitFor();
        await saved();
        draft = await (await page.request.get(draftUrl)).json();
        const original = (await (await api(`${baseUrl}/api/v1/dashboards/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`)).json()).dashboard;
        const comparable = (ps) => ps.map((p) => ({ ...p, panels: p.type === 'row' ? (p.panels ?? []) : p.panels, collapsed: p.type === 'row' ? !!p.collapsed : p.collapsed }));
        assert.deepEqual(comparable(draft.dashboard.panels), comparable(original.panels), 'collapse and expand give the panels back as they were');
        await shot(page, '09-row-expanded');

        // --- move a panel into the row with the side editor's Row select ---
        await page.locator(`.edit-grid .panel-box[data-panel-id="${target.outside.id}"]`).click({ position: { x: 8, y: 8 } });
        const editor = page.locator(`aside.panel-editor[data-panel-id="${target.outside.id}"]`);
        await editor.waitFor();
        await editor.locator('select[name="row"]').selectOption(String(target.row.id));
        await saved();
        await shot(page, '10-panel-moved-into-row');
        draft = await (await page.request.get(draftUrl)).json();
        const ps = draft.dashboard.panels;
        const y = (p) => p.gridPos?.y ?? 0;
        const r = ps.find((p) => p.id === target.row.id);
        const moved = ps.find((p) => p.id === target.outside.id);
        assert.ok(moved, 'the panel is top-level (the row is expanded)');
        const next = ps.filter((p) => p.type === 'row' && y(p) > y(r)).map(y).sort((a, b) => a - b)[0];
        assert.ok(y(moved) > y(r) && (next === undefined || y(moved) < next), `the panel is in the row's section: y ${y(moved)}, row ${y(r)}, next row ${next}`);

        // --- Fetch from the top bar: in progress, then what it brought ---
        await page.evaluate(() => {
          window.__fetchProgress = false;
          new MutationObserver(() => {
            if (document.querySelector('.fetch[aria-busy="true"] .spinner') && document.querySelector('button.fetch-origin')?.disabled) {
              window.__fetchProgress = true;
            }
          }).observe(document.body, { subtree: true, childList: true, attributes: true });
        });
        await page.locator('button.fetch-origin').click();
        await page.locator('.fetch-result').waitFor();
        assert.match(await page.locator('.fetch-result').textContent(), /Up to date|Fetched/);
        assert.equal(await page.evaluate(() => window.__fetchProgress), true, 'the fetch showed its progress');
        assert.equal(await page.locator('.fetch').getAttribute('aria-busy'), 'false');
        assert.equal(await page.locator('button.fetch-origin').isDisabled(), false);
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'folders-rows-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });

    test('rename one dashboard and delete another: drafts, one commit, origin has the new name and no deleted file or entry', { timeout: 300_000 }, async () => {
      // Two clean dashboards the other tests leave alone: from the end of the list.
      const errors = filesWithErrors();
      const list = (await (await api(`${baseUrl}/api/v1/dashboards`)).json()).dashboards;
      const clean = list.filter((d) => !d.broken && !errors.has(d.file) && d.source?.kind === 'json').reverse();
      const renamed = clean[0];
      const deleted = clean.find((d) => d.file !== renamed.file);
      assert.ok(renamed && deleted, 'two clean corpus dashboards');
      const newName = `${renamed.name}-renamed`;
      const { page, errors: pageErrors } = await watchedPage(context);
      try {
        // --- delete: asks first, Cancel keeps it, Delete makes the draft ---
        await openEditor(page, baseUrl, deleted);
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('button.delete-dashboard').click();
        await page.locator('.confirm-delete[role="alertdialog"]').waitFor();
        await page.locator('button.confirm-delete-no').click();
        assert.equal(await page.locator('.confirm-delete').count(), 0, 'Cancel closes the question');
        assert.equal(await page.locator('.draft-effect').count(), 0, 'nothing is deleted on Cancel');
        await page.locator('button.delete-dashboard').click();
        await page.locator('button.confirm-delete-yes').click();
        await page.locator('.draft-effect', { hasText: `deletes the dashboard (${deleted.file})` }).waitFor();
        await shot(page, '10-delete-draft');

        // --- rename: the draft says so ---
        await openEditor(page, baseUrl, renamed);
        await page.locator('section.editor .save-state').waitFor();
        await page.locator('#rename-name').fill(newName);
        await page.locator('button.rename-dashboard').click();
        const effect = page.locator('.draft-effect', { hasText: `renames it to ${newName}` });
        await effect.waitFor();
        const effectText = await effect.textContent();
        const renamedFile = effectText.match(/writes (\S+\.ya?ml) instead of/)?.[1] ?? renamed.file;
        await page.locator('#tab-changes').click();
        await page.locator('.file-diff').first().waitFor();
        await shot(page, '11-rename-changes');

        // --- one commit of both ---
        await page.locator('#tab-commit').click();
        const also = page.locator(`input[name="also"][value="${deleted.namespace}/${deleted.name}"]`);
        await also.check();
        await page.locator('#commit-message').fill('Rename one dashboard, delete another');
        await page.locator('form.commit-form button[type="submit"]').click();
        const result = page.locator('dl.commit-result');
        await result.waitFor({ timeout: 60_000 });
        assert.equal(await result.getAttribute('data-pushed'), 'true', `pushed: ${await result.textContent()}`);
        const branch = (await result.locator('.commit-branch').textContent()).trim();
        await shot(page, '12-rename-delete-committed');

        // --- origin ---
        const status = git(origin, 'diff', '--name-status', BRANCH, branch).trim().split('\n');
        assert.ok(status.includes(`D\t${deleted.file}`), `the deleted file is gone: ${status.join(' | ')}`);
        assert.ok(status.some((l) => l.endsWith(`\t${renamedFile}`)), `${renamedFile} (${effectText}): ${status.join(' | ')}`);
        const renamedText = git(origin, 'show', `${branch}:${renamedFile}`);
        const lines = renamedText.split('\n');
        const meta = lines.indexOf('metadata:');
        const metaName = lines.slice(meta + 1).find((l) => /^ {2}name:/.test(l))?.split(':')[1].trim().replace(/^["']|["']$/g, '');
        assert.equal(metaName, newName, 'metadata.name is the new name');
        // No kustomization on the branch lists the deleted file any more.
        const kustomizations = git(origin, 'ls-tree', '-r', '--name-only', branch).split('\n')
          .filter((f) => /(^|\/)kustomization\.ya?ml$/.test(f));
        for (const k of kustomizations) {
          const dir = path.posix.dirname(k) === '.' ? '' : `${path.posix.dirname(k)}/`;
          if (!deleted.file.startsWith(dir)) continue;
          const entry = deleted.file.slice(dir.length);
          const lines = git(origin, 'show', `${branch}:${k}`).split('\n');
          assert.ok(!lines.some((l) => l.trim() === `- ${entry}`), `${k} still lists ${entry}`);
        }
        if (renamedFile !== renamed.file) {
          assert.ok(status.some((l) => l.startsWith('R') || l === `A\t${renamedFile}`), `the renamed file: ${status.join(' | ')}`);
        }
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      } catch (err) {
        await page.screenshot({ path: path.join(outputDir, 'folders-rename-failed.png'), fullPage: true }).catch(() => {});
        throw err;
      } finally {
        await page.close().catch(() => {});
      }
    });
  });
}
