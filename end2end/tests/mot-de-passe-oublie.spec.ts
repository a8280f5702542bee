// "Mot de passe oublié ?": the link comes by mail (read from the real test SMTP
// server), the new password is chosen, and the session opened before is over.
import { test, expect } from '@playwright/test';
import { createAccount, logInAs, mailTo, ready, watchConsole } from './helpers';

test('forgotten password: mail, new password, the older session is gone', async ({ browser, baseURL }, info) => {
  const email = `lucie.${info.project.name}@cabinet-oubli.fr`;
  await createAccount(baseURL!, 'Lucie', 'Moreau', email);
  // A session opened earlier, elsewhere.
  const { page: before, problems: beforeProblems } = await logInAs(browser, info, email, 'mot-de-passe-solide');

  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled !== false });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/connexion');
  await ready(page, info);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page).toHaveURL(/\/mot-de-passe-oublie$/);
  await ready(page, info);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByText('Si un compte existe', { exact: false })).toBeVisible();

  const mail = await mailTo(email, 'Choisir un nouveau mot de passe');
  const link = mail.text.match(/https?:\/\/\S+\/nouveau-mot-de-passe\/[0-9a-f]{64}/)![0];
  await page.goto(new URL(link).pathname);
  await ready(page, info);
  await page.getByLabel('Nouveau mot de passe').fill('un-tout-nouveau-secret');
  await page.getByLabel('Confirmation du mot de passe').fill('un-tout-nouveau-secret');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page).toHaveURL(/\/espaces$/);
  await expect(page.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  expect(problems).toEqual([]);

  // The session opened before the reset is over: its next page asks to log in.
  await before.goto('/espaces');
  await expect(before).toHaveURL(/\/connexion/);
  expect(beforeProblems).toEqual([]);
  // The old password no longer works; the new one does.
  const { page: again } = await logInAs(browser, info, email, 'un-tout-nouveau-secret');
  await expect(again.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  await context.close();
});
