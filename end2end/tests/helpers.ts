import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';

/** Waits until the page is usable (its islands hydrated when JavaScript is on, loaded
 * otherwise). With JavaScript, then checks it with axe: no violation of WCAG 2.2 A/AA.
 * (axe runs as a script in the page, which a browser without JavaScript refuses; the
 * server sends both projects the same HTML, islands included.) */
export async function ready(page: Page, info: TestInfo) {
  await page.waitForLoadState('load');
  if (info.project.use.javaScriptEnabled !== false) {
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 30_000 });
    await expectAccessible(page);
  }
}

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe's violations of WCAG 2.2 A and AA on the page as it is now, one line each. */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const lines = violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
  expect(lines, `axe on ${page.url()}`).toEqual([]);
}

/** Collects console errors, warnings and page errors; the spec fails on any of them. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    // Without JavaScript the preloaded wasm is never used, by design.
    if (m.text().includes('was preloaded using link preload but not used')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** A mail the portal sent to `to` (the last one whose subject contains `subject`, if
 * given), as received by the SMTP server on loopback. */
export async function mailTo(to: string, subject?: string): Promise<{ subject: string; text: string }> {
  const file = process.env.E2E_MAILBOX;
  if (!file) throw new Error('E2E_MAILBOX is not set: the global setup did not run');
  let found: { to: string; subject: string; text: string } | undefined;
  await expect
    .poll(
      () => {
        const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
        found = lines
          .map((l) => JSON.parse(l))
          .filter((m) => m.to.includes(to) && (subject === undefined || m.subject.includes(subject)))
          .pop();
        return Boolean(found);
      },
      { timeout: 20_000, message: `no mail to ${to}${subject ? ` about ${subject}` : ''}` },
    )
    .toBe(true);
  return found!;
}

/** A valid SIRET (Luhn key) built from 13 digits. */
export function siretFrom(first13: string): string {
  for (let k = 0; k < 10; k++) {
    const s = first13 + k;
    let sum = 0;
    [...s].reverse().forEach((c, i) => {
      let d = Number(c);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    });
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

/** The account form as the signup server function takes it. */
export function signupForm(first: string, last: string, email: string, profession = 'collaborateur'): Record<string, string> {
  return {
    'form[civility]': 'mme',
    'form[first_name]': first,
    'form[last_name]': last,
    'form[email]': email,
    'form[phone]': '0123456789',
    'form[profession]': profession,
    'form[professional_number]': profession === 'collaborateur' ? '' : 'EC-1',
    'form[address_line]': '1 rue de la Paix',
    'form[postal_code]': '75002',
    'form[city]': 'Paris',
    password: 'mot-de-passe-solide',
    password_confirm: 'mot-de-passe-solide',
    next: '/espaces',
  };
}

/** The path of the confirmation link mailed to `email` (`/confirmer/<jeton>`). */
export async function confirmationPath(email: string): Promise<string> {
  const mail = await mailTo(email, 'Confirmez votre adresse e-mail');
  return new URL(mail.text.match(/https?:\/\/\S+\/confirmer\/[0-9a-f]+/)![0]).pathname;
}

/** Creates an account through the server function and confirms its address with the
 * mailed link, as another browser would. */
export async function createAccount(baseURL: string, first: string, last: string, email: string) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL, accept: 'application/json' };
  const res = await fetch(`${baseURL}/api/account/signup`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(signupForm(first, last, email)).toString(),
  });
  expect(res.ok).toBe(true);
  const token = (await confirmationPath(email)).split('/').pop()!;
  const confirmed = await fetch(`${baseURL}/api/account/confirm`, { method: 'POST', headers, body: new URLSearchParams({ token }).toString() });
  expect(confirmed.ok, `confirm: ${confirmed.status}`).toBe(true);
}

/** Calls a server function with the browser context's cookies, as its JavaScript would. */
export async function api(request: APIRequestContext, baseURL: string, endpoint: string, form: Record<string, string>) {
  const res = await request.post(`${baseURL}/api/${endpoint}`, {
    form,
    headers: { origin: baseURL, accept: 'application/json' },
  });
  expect(res.ok(), `${endpoint}: ${res.status()} ${await res.text()}`).toBe(true);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** Signs up and walks the wizard through the server functions: a company, restricted,
 * whose admin is logged in in `request`'s context. Returns the company id. */
export async function companyWithAdmin(
  request: APIRequestContext,
  baseURL: string,
  opts: { email: string; first: string; last: string; companyName: string; siret: string; persons?: [string, string, string, string][] },
): Promise<number> {
  await signUpIn(request, baseURL, opts.first, opts.last, opts.email, 'ec');
  await api(request, baseURL, 'wizard/start', { session_id: '4' });
  await api(request, baseURL, 'wizard/structure', {
    kind: 'dirigeant',
    mode: 'new',
    existing_siret: '',
    'company[legal_name]': opts.companyName,
    'company[legal_form]': 'SAS',
    'company[siret]': opts.siret,
    'company[vat_number]': '',
    'company[address_line]': '2 avenue Foch',
    'company[postal_code]': '69006',
    'company[city]': 'Lyon',
  });
  await api(request, baseURL, 'wizard/admin', { attest: 'on', op: 'next' });
  for (const [email, first, last, role] of opts.persons ?? []) {
    await api(request, baseURL, 'wizard/rights', { op: 'add', policy: 'restricted', email, first_name: first, last_name: last, [role]: 'on' });
  }
  await api(request, baseURL, 'wizard/rights', { op: 'next', policy: 'restricted', email: '', first_name: '', last_name: '' });
  const view = await api(request, baseURL, 'wizard/get', { step: 'parametres' });
  const settings: Record<string, string> = { op: 'finalise' };
  for (const [k, v] of Object.entries(view.draft.settings)) settings[`settings[${k}]`] = String(v);
  await api(request, baseURL, 'wizard/review', settings);
  const done = await api(request, baseURL, 'wizard/get', { step: 'participants' });
  return done.draft.company_id as number;
}

/** Creates an account, confirms its address with the mailed link and so logs it in, in
 * the browser context that owns `request`. */
export async function signUpIn(request: APIRequestContext, baseURL: string, first: string, last: string, email: string, profession = 'collaborateur') {
  await api(request, baseURL, 'account/signup', signupForm(first, last, email, profession));
  const token = (await confirmationPath(email)).split('/').pop()!;
  await api(request, baseURL, 'account/confirm', { token });
}

/** The demo accounts' password (seeded with the demo catalogue). */
export const DEMO_PASSWORD = 'demo-espace-2026';

/** The demo provider staff's second-factor key (base32), as seeded. */
export const DEMO_TOTP_SECRET = 'MRSW233PFVSXG4DBMNSS2MRQGI3C25DPORYC2ZDFNVXS2MJS';

/** RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 key at `unixSeconds`. */
export function totp(secretBase32: string, unixSeconds = Date.now() / 1000): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Answers the log-in's second step with a code of `secret`. A code is accepted once:
 * when this time step was spent already (an earlier log-in of the same account, or the
 * set-up), the next step's code is tried (one step of skew is allowed), then, if that
 * too was spent, the next step is waited for. Each try starts from a fresh code page. */
export async function enterCode(page: Page, info: TestInfo, secret: string, problems: string[] = []) {
  await expect.poll(() => new URL(page.url()).pathname).toBe('/connexion/code');
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt === 2) await page.waitForTimeout((30 - ((Date.now() / 1000) % 30) + 1) * 1000);
    if (attempt > 0) await page.goto('/connexion/code');
    await ready(page, info);
    await page.getByLabel('Code').fill(totp(secret, Date.now() / 1000 + (attempt === 0 ? 0 : 30)));
    await page.getByRole('button', { name: 'Valider' }).click();
    const accepted = page.waitForURL((u) => u.pathname !== '/connexion/code').then(() => true, () => false);
    const refused = page.getByText('Code incorrect').waitFor().then(() => false, () => false);
    if (await Promise.race([accepted, refused])) return;
    // The refusal is expected here: its 422 is not a fault of the page.
    for (let i = problems.length - 1; i >= 0; i--) if (problems[i].includes('status of 422')) problems.splice(i, 1);
  }
  throw new Error('the second factor was refused three times');
}

/** A new browser context at the log-in page that types the address and password; a
 * second-factor account is then at the code step. */
export async function passwordStep(browser: Browser, info: TestInfo, email: string, password: string) {
  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled !== false });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/connexion?next=/espaces');
  await ready(page, info);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  return { page, problems };
}

/** Logs in through the log-in page in a new browser context, and waits until Mes
 * espaces shows the user's own space (so the session cookie is in place). An account
 * with a second factor answers the code step with `secret`. */
export async function logInAs(browser: Browser, info: TestInfo, email: string, password = DEMO_PASSWORD, secret?: string) {
  const { page, problems } = await passwordStep(browser, info, email, password);
  const totpSecret = secret ?? (email === 'olivier.organisme@crcc-formation.fr' ? DEMO_TOTP_SECRET : undefined);
  if (totpSecret) await enterCode(page, info, totpSecret, problems);
  await expect(page).toHaveURL(/\/espaces$/);
  await expect(page.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  await ready(page, info);
  return { page, problems };
}
