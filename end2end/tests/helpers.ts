import { expect, type Page, type TestInfo } from '@playwright/test';
import fs from 'node:fs';

/** Waits until the page is usable: hydrated when JavaScript is on, loaded otherwise. */
export async function ready(page: Page, info: TestInfo) {
  await page.waitForLoadState('load');
  if (info.project.use.javaScriptEnabled !== false) {
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  }
}

/** Collects console errors, warnings and page errors; the spec fails on any of them. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** A mail the portal sent to `to`, as received by the SMTP server on loopback. */
export async function mailTo(to: string): Promise<{ subject: string; text: string }> {
  const file = process.env.E2E_MAILBOX;
  if (!file) throw new Error('E2E_MAILBOX is not set: the global setup did not run');
  let found: { to: string; subject: string; text: string } | undefined;
  await expect
    .poll(
      () => {
        const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
        found = lines.map((l) => JSON.parse(l)).find((m) => m.to.includes(to));
        return Boolean(found);
      },
      { timeout: 20_000, message: `no mail to ${to}` },
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

/** Creates an account through the server function, as another browser would. */
export async function createAccount(baseURL: string, first: string, last: string, email: string) {
  const res = await fetch(`${baseURL}/api/account/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL, accept: 'application/json' },
    body: new URLSearchParams({
      'form[civility]': 'm',
      'form[first_name]': first,
      'form[last_name]': last,
      'form[email]': email,
      'form[phone]': '0123456789',
      'form[profession]': 'collaborateur',
      'form[professional_number]': '',
      'form[address_line]': '1 rue de la Paix',
      'form[postal_code]': '75002',
      'form[city]': 'Paris',
      password: 'mot-de-passe-solide',
      password_confirm: 'mot-de-passe-solide',
      next: '/espaces',
    }).toString(),
  });
  expect(res.ok).toBe(true);
}
