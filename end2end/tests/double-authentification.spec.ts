// The second factor, as a person sets it up with an authenticator app (the code is
// computed here, as the app would), then logs in with a code and with a recovery code.
import { test, expect } from '@playwright/test';
import { createAccount, enterCode, logInAs, passwordStep, ready, totp } from './helpers';

const PASSWORD = 'mot-de-passe-solide';

test('set up the second factor, log in with a code, then with a recovery code', async ({ browser, baseURL }, info) => {
  const email = `camille.${info.project.name}@cabinet-2fa.fr`;
  await createAccount(baseURL!, 'Camille', 'Faure', email);
  const { page, problems } = await logInAs(browser, info, email, PASSWORD);

  await page.goto('/mon-compte/double-authentification');
  await ready(page, info);
  await expect(page.getByRole('heading', { name: 'Désactivée' })).toBeVisible();
  await page.getByRole('button', { name: 'Configurer la double authentification' }).click();
  const key = page.getByTestId('cle-totp');
  await expect(key).toBeVisible();
  const secret = (await key.textContent())!.trim();
  await ready(page, info);
  await page.getByLabel("Code de l'application").fill(totp(secret));
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await expect(page.getByRole('heading', { name: 'Activée' })).toBeVisible();
  const codes = (await page.getByTestId('codes-secours').getByRole('listitem').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.reload();
  await expect(page.getByTestId('codes-secours')).toHaveCount(0);
  expect(problems).toEqual([]);

  // A new browser: password, then the app's code (the next time step: the one used to
  // set it up is spent).
  const { page: p2, problems: problems2 } = await passwordStep(browser, info, email, PASSWORD);
  await enterCode(p2, info, secret, problems2);
  await expect(p2).toHaveURL(/\/espaces$/);
  await expect(p2.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  expect(problems2).toEqual([]);

  // A third browser: a recovery code instead.
  const { page: p3, problems: problems3 } = await passwordStep(browser, info, email, PASSWORD);
  await expect(p3).toHaveURL(/\/connexion\/code$/);
  await ready(p3, info);
  await p3.getByLabel('Code').fill(codes[0]);
  await p3.getByRole('button', { name: 'Valider' }).click();
  await expect(p3).toHaveURL(/\/espaces$/);
  await expect(p3.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  expect(problems3).toEqual([]);

  await page.goto('/mon-compte/double-authentification');
  await expect(page.getByText('Codes de secours restants : 9.')).toBeVisible();
  await p2.context().close();
  await p3.context().close();
});
