// Sign-in for the e2e tests: sign-in is required, so each suite creates a
// user in the server's data dir with `dashstudio user add` before starting
// it, then signs the browser in through the real sign-in page.

import { execFileSync } from 'node:child_process';

/** Creates `user` ({username, role, password, name, email}) in `dataDir`'s database. */
export function addUser(serverBin, dataDir, user) {
  execFileSync(serverBin, [
    'user', 'add', '--username', user.username, '--role', user.role, '--password-stdin',
    '--name', user.name, '--email', user.email, '--data-dir', dataDir,
  ], { input: `${user.password}\n`, encoding: 'utf8' });
}

/** Signs the browser context in through /signin (a plain form: works without JS too). */
export async function signIn(context, baseUrl, user) {
  const page = await context.newPage();
  try {
    const response = await page.goto(`${baseUrl}/`);
    if (!new URL(page.url()).pathname.startsWith('/signin')) {
      throw new Error(`an anonymous visit to / should land on /signin, got ${page.url()} (${response?.status()})`);
    }
    await page.fill('input[name="username"]', user.username);
    await page.fill('input[name="password"]', user.password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/signin')),
      page.click('.signin-form button[type="submit"]'),
    ]);
    const cookies = await context.cookies(baseUrl);
    const session = cookies.find((c) => c.name === 'dashstudio_session');
    if (!session || !session.httpOnly || session.sameSite !== 'Lax') {
      throw new Error(`no HttpOnly SameSite=Lax session cookie after signing in: ${JSON.stringify(cookies)}`);
    }
  } finally {
    await page.close().catch(() => {});
  }
}

/** The admin API token the suites start the server with (DASHSTUDIO_BOOTSTRAP_TOKEN). */
export const BOOTSTRAP_TOKEN = 'e2e-bootstrap-token-0123456789';

/** The server's environment: the caller's, plus the bootstrap token. */
export const serverEnv = () => ({ ...process.env, DASHSTUDIO_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN });

/** `fetch` for the tests' own API calls, as the bootstrap admin (a bearer token). */
export function api(url, options = {}) {
  return fetch(url, {
    ...options,
    headers: { ...(options.headers || {}), authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
  });
}
