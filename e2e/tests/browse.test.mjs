// Browser end-to-end tests for Dashboard Studio: browsing folder tiers,
// dashboards and their panel grid in headless Chromium against the real server.
//
// Needs what harness.mjs needs and the talos-homelab corpus in
// <repo root>/../shared/corpus/talos-homelab (skipped with a message when absent).
// E2E_ALLOW_SSR_ONLY=1 turns the "the hydrate bundle (wasm) was served"
// requirement of the hydrated flow into a logged warning, for builds made
// without cargo-leptos.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SERVER_READY_TIMEOUT_MS, STEP_TIMEOUT_MS, chromiumPath, corpusDir, eventually, launchBrowser, outputDir,
  removeTmpDirs, serverBin, startServer, stopAndKeepLogs, watchedPage,
} from './harness.mjs';
import { api, signIn } from './harness/signin.mjs';

// Sign-in is required: the suites browse as this viewer (harness/signin.mjs).
const USER = { username: 'vera', role: 'viewer', password: 'e2e-password-vera', name: 'Vera Viewer', email: 'vera@example.org' };

const allowSsrOnly = process.env.E2E_ALLOW_SSR_ONLY === '1';

const FOLDER = 'Kubernetes';
const SEARCH = 'etcd';
const QUERY_LANGS = ['PromQL', 'LogQL', 'TraceQL', 'other'];

/** Opens a page that records uncaught errors and Rust panics, runs `body`, screenshots on failure. */
async function withPage(context, name, body) {
  const { page, errors: pageErrors } = await watchedPage(context);
  page.on('console', (msg) => {
    if (/panicked at/.test(msg.text())) pageErrors.push(`console: ${msg.text()}`);
  });
  try {
    await body(page, pageErrors);
  } catch (err) {
    await page.screenshot({ path: path.join(outputDir, `failed-${name}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await page.close().catch(() => {});
  }
}

const countOf = (text) => {
  const m = String(text).match(/\d+/);
  return m ? Number(m[0]) : NaN;
};

const decodedPath = (url) => decodeURIComponent(new URL(url).pathname);

if (!fs.existsSync(corpusDir)) {
  const reason = `corpus not found at ${corpusDir}`;
  console.log(`skipping e2e: ${reason}`);
  test('browse flows (needs the talos-homelab corpus)', { skip: reason }, () => {});
} else {
  describe('Dashboard Studio: browsing the talos-homelab corpus', () => {
    let server;
    let baseUrl;
    let context;
    // Filled by the hydrated flow, reused (when it ran) by the no-JS flow.
    let visited = null;

    before(async () => {
      assert.ok(
        fs.existsSync(serverBin),
        `dashstudio binary not found at ${serverBin}: build it first (cargo build / cargo leptos build) ` +
        `or point DASHSTUDIO_BIN at it`);
      assert.ok(fs.existsSync(chromiumPath), `chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
      fs.mkdirSync(outputDir, { recursive: true });
      server = startServer(corpusDir, [], [USER]);
      baseUrl = await server.ready;
      console.log(`server ready at ${baseUrl}`);
      context = await launchBrowser();
      await signIn(context, baseUrl, USER);
    }, { timeout: SERVER_READY_TIMEOUT_MS + 60_000 });

    after(async () => {
      await context?.close().catch(() => {});
      await stopAndKeepLogs(server, 'browse');
      removeTmpDirs();
    });

    test('hydrated: folders, folder list, search, dashboard grid', { timeout: 180_000 }, async () => {
      await withPage(context, 'hydrated', async (page, pageErrors) => {
        const wasm = [];
        page.on('response', (r) => {
          if (new URL(r.url()).pathname.endsWith('.wasm')) {
            wasm.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] || '' });
          }
        });

        // --- home: sidebar of folder tiers ---
        const home = await page.goto(`${baseUrl}/`);
        assert.equal(home.status(), 200, 'GET / status');
        // Give the hydrate bundle time to load and run before interacting.
        await page.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT_MS }).catch(() => {});
        const wasmOk = wasm.some((w) => w.status === 200);
        if (wasmOk) {
          for (const w of wasm) {
            assert.match(w.type, /application\/wasm/, `${w.url} must be served as application/wasm, got "${w.type}"`);
          }
        } else {
          const msg = `no .wasm hydrate bundle was served for / (responses: ${JSON.stringify(wasm)}); ` +
            `build with cargo-leptos and set LEPTOS_SITE_ROOT to its site root`;
          if (allowSsrOnly) console.log(`warning: ${msg}`);
          else assert.fail(msg);
        }

        const folderLinks = page.locator('nav.folders a.folder-link');
        await folderLinks.first().waitFor();
        const folders = await folderLinks.evaluateAll((links) => links.map((a) => ({
          name: a.getAttribute('data-folder'),
          href: a.getAttribute('href'),
          count: a.querySelector('span.count')?.textContent ?? null,
        })));
        assert.ok(folders.length > 1, `expected several folder tiers, got ${JSON.stringify(folders)}`);
        for (const f of folders) {
          assert.ok(f.name, `folder link without data-folder: ${JSON.stringify(f)}`);
          assert.ok(f.count !== null, `folder ${f.name} has no span.count`);
          assert.ok(Number.isInteger(countOf(f.count)), `folder ${f.name}: span.count "${f.count}" has no number`);
        }
        const tier = folders.find((f) => f.name === FOLDER);
        assert.ok(tier, `no folder "${FOLDER}" in the sidebar: ${folders.map((f) => f.name).join(', ')}`);
        const folderCount = countOf(tier.count);
        assert.ok(folderCount > 0, `folder ${FOLDER} count is ${folderCount}`);
        const totalCount = folders.reduce((n, f) => n + countOf(f.count), 0);
        await page.screenshot({ path: path.join(outputDir, '01-home.png'), fullPage: true });

        // --- folder page (client-side navigation once hydrated) ---
        await page.evaluate(() => { window.__e2eSameDocument = true; });
        await page.locator(`nav.folders a.folder-link[data-folder="${FOLDER}"]`).click();
        await page.waitForURL((url) => decodeURIComponent(url.pathname) === `/folders/${FOLDER}`);
        if (wasmOk) {
          const sameDocument = await page.evaluate(() => window.__e2eSameDocument === true);
          assert.ok(sameDocument, 'clicking a folder link reloaded the page: the app did not hydrate (router not active)');
        }
        const items = page.locator('ul.dashboard-list > li');
        const listed = await eventually(page, (n) => document.querySelectorAll('ul.dashboard-list > li').length === n, folderCount);
        assert.ok(listed, `folder ${FOLDER}: expected ${folderCount} dashboards (sidebar count), found ${await items.count()}`);
        const hrefs = await items.evaluateAll((lis) => lis.map((li) => li.querySelector('a.dashboard-link')?.getAttribute('href') ?? null));
        for (const href of hrefs) {
          assert.ok(href, 'a dashboard list item has no a.dashboard-link');
          assert.match(href, /^\/dashboards\/[^/?#]+\/[^/?#]+$/, 'dashboard link href');
        }
        await page.screenshot({ path: path.join(outputDir, '02-folder.png'), fullPage: true });

        // --- search (GET form: ?q=) ---
        const search = page.locator('input#search');
        assert.equal(await search.getAttribute('name'), 'q', 'input#search name');
        await search.fill(SEARCH);
        await search.press('Enter');
        await page.waitForURL((url) => url.searchParams.get('q') === SEARCH);
        const unfiltered = decodedPath(page.url()) === `/folders/${FOLDER}` ? folderCount : totalCount;
        const narrowed = await eventually(page, (max) => {
          const n = document.querySelectorAll('ul.dashboard-list > li').length;
          return n >= 1 && n < max;
        }, unfiltered);
        const results = await items.evaluateAll((lis) => lis.map((li) => li.textContent.trim()));
        assert.ok(narrowed,
          `search "${SEARCH}" at ${page.url()}: expected 1..${unfiltered - 1} results, got ${results.length}`);
        assert.ok(results.some((t) => t.toLowerCase().includes(SEARCH)),
          `no search result mentions "${SEARCH}": ${JSON.stringify(results)}`);

        // --- dashboard page ---
        const first = page.locator('ul.dashboard-list > li a.dashboard-link').first();
        const dashHref = await first.getAttribute('href');
        await first.click();
        await page.waitForURL((url) => url.pathname.startsWith('/dashboards/'));
        assert.equal(new URL(page.url()).pathname, dashHref, 'dashboard URL after click');

        const h1 = page.locator('h1').first();
        assert.ok(await eventually(page, () => (document.querySelector('h1')?.textContent ?? '').trim().length > 0),
          'dashboard page h1 is empty');
        const title = (await h1.textContent()).trim();

        const meta = page.locator('dl.dashboard-meta');
        await meta.waitFor();
        const metaText = (await meta.textContent()).toLowerCase();
        for (const key of ['uid', 'folder', 'file', 'size']) {
          assert.ok(metaText.includes(key), `dl.dashboard-meta does not mention ${key}: "${metaText}"`);
        }

        await page.locator('div.grid div.panel-box').first().waitFor();
        const layout = await page.evaluate(() => {
          const grid = document.querySelector('div.grid');
          const g = grid.getBoundingClientRect();
          return {
            grid: { x: g.x, width: g.width },
            panels: [...grid.querySelectorAll('div.panel-box')].map((el) => {
              const r = el.getBoundingClientRect();
              return {
                title: el.querySelector('.panel-title') ? el.querySelector('.panel-title').textContent : null,
                type: el.getAttribute('data-panel-type'),
                position: getComputedStyle(el).position,
                x: r.x, width: r.width, height: r.height,
              };
            }),
          };
        });
        assert.ok(layout.grid.width > 0, 'div.grid has no width');
        assert.ok(layout.panels.length >= 1, 'no div.panel-box in div.grid');
        layout.panels.forEach((p, i) => {
          const label = `panel ${i} (${JSON.stringify(p.title)})`;
          assert.ok(p.title !== null, `${label} has no .panel-title`);
          assert.ok(p.type, `${label} has no data-panel-type`);
          assert.equal(p.position, 'absolute', `${label} is not absolutely positioned`);
          assert.ok(p.width > 0, `${label} has zero width`);
          assert.ok(p.width <= layout.grid.width + 1, `${label} is wider (${p.width}px) than the grid (${layout.grid.width}px)`);
        });

        const langs = await page.locator('section.queries .query-lang').allTextContents();
        assert.ok(langs.length >= 1, 'section.queries lists no .query-lang');
        for (const lang of langs) {
          assert.ok(QUERY_LANGS.includes(lang.trim()), `unexpected .query-lang "${lang}" (want one of ${QUERY_LANGS.join(', ')})`);
        }
        await page.screenshot({ path: path.join(outputDir, '03-dashboard.png'), fullPage: true });

        visited = { href: dashHref, title, panels: layout.panels.length };
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      });
    });

    test('broken dashboard: badge and parse error', { timeout: 120_000 }, async () => {
      const res = await api(`${baseUrl}/api/v1/dashboards`);
      assert.equal(res.status, 200, 'GET /api/v1/dashboards status');
      assert.match(res.headers.get('content-type') || '', /application\/json/, 'GET /api/v1/dashboards content-type');
      const body = await res.json();
      assert.ok(Array.isArray(body.dashboards), `GET /api/v1/dashboards: no "dashboards" array in ${JSON.stringify(body).slice(0, 300)}`);
      assert.ok(body.dashboards.length > 0, 'GET /api/v1/dashboards returned no dashboards');
      for (const d of body.dashboards) {
        // title, uid and folder may be unknown for a broken or folder-less dashboard; these never are.
        for (const key of ['namespace', 'name', 'file', 'size', 'broken']) {
          assert.ok(key in d, `dashboard ${d.namespace}/${d.name} has no "${key}" field`);
        }
        assert.equal(typeof d.broken, 'boolean', `dashboard ${d.namespace}/${d.name}: "broken" must be a boolean`);
      }
      const broken = body.dashboards.filter((d) => d.broken === true);
      assert.ok(broken.length >= 1, 'the corpus has dashboards whose spec.json does not parse, but none is broken: true');

      const target = broken[0];
      await withPage(context, 'broken', async (page, pageErrors) => {
        const path_ = `/dashboards/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`;
        const res = await page.goto(`${baseUrl}${path_}`);
        assert.equal(res.status(), 200, `GET ${path_} status`);
        await page.locator('.badge-broken').first().waitFor({ state: 'visible' });
        const error = page.locator('.parse-error').first();
        await error.waitFor();
        const text = (await error.textContent()).trim();
        assert.ok(text.length > 0, `${path_}: .parse-error is empty`);
        await page.screenshot({ path: path.join(outputDir, '05-broken.png'), fullPage: true });
        assert.deepEqual(pageErrors, [], 'uncaught errors or panics in the page');
      });
    });

    test('without JavaScript: server-rendered folder list, search and grid', { timeout: 120_000 }, async () => {
      const noJs = await launchBrowser({ javaScriptEnabled: false });
      await signIn(noJs, baseUrl, USER);
      try {
        await withPage(noJs, 'nojs', async (page) => {
          const folderPath = `/folders/${encodeURIComponent(FOLDER)}`;
          const res = await page.goto(`${baseUrl}${folderPath}`);
          assert.equal(res.status(), 200, `GET ${folderPath} status`);
          const links = page.locator('ul.dashboard-list > li a.dashboard-link');
          const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          assert.ok(hrefs.length > 0, `${folderPath}: no dashboard links rendered without JavaScript`);
          for (const href of hrefs) assert.match(href, /^\/dashboards\/[^/?#]+\/[^/?#]+$/, 'dashboard link href');

          // The search box is a plain GET form, so it works without JavaScript too.
          const total = await page.locator('nav.folders a.folder-link span.count')
            .evaluateAll((spans) => spans.reduce((n, s) => n + Number((s.textContent.match(/\d+/) || ['0'])[0]), 0));
          await page.locator('input#search').fill(SEARCH);
          await page.locator('input#search').press('Enter');
          await page.waitForURL((url) => url.searchParams.get('q') === SEARCH);
          const unfiltered = decodedPath(page.url()) === `/folders/${FOLDER}` ? hrefs.length : total;
          const found = await links.count();
          assert.ok(found >= 1 && found < unfiltered,
            `search "${SEARCH}" without JavaScript at ${page.url()}: expected 1..${unfiltered - 1} results, got ${found}`);

          const href = visited?.href ?? hrefs[0];
          const dash = await page.goto(`${baseUrl}${href}`);
          assert.equal(dash.status(), 200, `GET ${href} status`);
          const h1 = ((await page.locator('h1').first().textContent()) ?? '').trim();
          assert.ok(h1.length > 0, `${href}: h1 is empty without JavaScript`);
          const panels = await page.locator('div.grid div.panel-box').count();
          if (visited) {
            assert.equal(h1, visited.title, `${href}: server-rendered h1 differs from the hydrated page`);
            assert.equal(panels, visited.panels, `${href}: server-rendered panel count differs from the hydrated page`);
          } else {
            assert.ok(panels > 0, `${href}: no div.panel-box rendered without JavaScript`);
          }
          await page.screenshot({ path: path.join(outputDir, '04-nojs-dashboard.png'), fullPage: true });
        });
      } finally {
        await noJs.close().catch(() => {});
      }
    });

    test('unknown dashboard: 404 page', { timeout: 60_000 }, async () => {
      await withPage(context, 'not-found', async (page) => {
        const res = await page.goto(`${baseUrl}/dashboards/grafana/does-not-exist`);
        assert.equal(res.status(), 404, 'status of /dashboards/grafana/does-not-exist');
        const text = await page.locator('body').innerText();
        assert.match(text, /not found/i, 'the 404 page does not say "not found"');
      });
    });
  });
}
