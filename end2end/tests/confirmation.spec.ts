// Proven email: an administrator of the demo firm makes an address billing manager;
// whoever signs up with it gets nothing of the firm until the confirmation link mailed
// to that address is used; then the role is his.
import { test, expect } from '@playwright/test';
import { api, confirmationPath, logInAs, ready, watchConsole } from './helpers';

test('the role granted to an address becomes active once its owner confirms it', async ({ browser, baseURL }, info) => {
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const email = `jean.dupont.${p}@cabinet-demo.fr`;
  const company = 'Cabinet Démo Audit & Conseil';

  // The administrator grants the role to an address that has no account yet.
  const admin = await logInAs(browser, info, 'alice.admin@cabinet-demo.fr');
  const spaces = await api(admin.page.context().request, baseURL!, 'spaces/mine', {});
  const companyId = String(spaces.companies[0].id);
  await api(admin.page.context().request, baseURL!, 'company/people/add', {
    company_id: companyId,
    email,
    first_name: 'Jean',
    last_name: 'Dupont',
    role: 'billing_manager',
  });
  expect(admin.problems).toEqual([]);
  await admin.page.context().close();

  // Sign-up: no log-in, a message to read one's mail.
  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled !== false });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/creer-un-compte?next=/espaces');
  await ready(page, info);
  const form = page.getByTestId('form-compte');
  await form.getByLabel('Civilité').selectOption('m');
  await form.getByLabel('Prénom').fill('Jean');
  await form.getByLabel('Nom', { exact: true }).fill('Dupont');
  await form.getByLabel('Profession', { exact: true }).selectOption('collaborateur');
  await form.getByLabel('Adresse e-mail').fill(email);
  await form.getByLabel('Téléphone').fill('01 23 45 67 89');
  await form.getByLabel('Adresse', { exact: true }).fill('3 rue de la Paix');
  await form.getByLabel('Code postal').fill('75002');
  await form.getByLabel('Ville').fill('Paris');
  await form.getByLabel('Mot de passe', { exact: true }).fill('le-mot-de-passe-de-jean');
  await form.getByLabel('Confirmation du mot de passe').fill('le-mot-de-passe-de-jean');
  await form.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByTestId('confirmation-envoyee')).toContainText(
    `Consultez votre messagerie : un lien de confirmation vous a été envoyé à ${email}`,
  );
  await expect(page.getByTestId('utilisateur')).toHaveCount(0);

  // Logged in with the password but unproven: nothing of the firm, a notice, a resend
  // button that keeps to its limit.
  await page.goto('/connexion?next=/espaces');
  await ready(page, info);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('le-mot-de-passe-de-jean');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/espaces$/);
  await expect(page.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  await ready(page, info);
  const notice = page.getByTestId('adresse-a-confirmer');
  await expect(notice).toContainText('Confirmez votre adresse e-mail');
  await expect(page.getByRole('region', { name: `Mon espace Entreprise — ${company}` })).toHaveCount(0);
  await notice.getByRole('button', { name: 'Renvoyer le lien' }).click();
  await expect(page.getByText('attendez une minute avant d\'en demander un autre')).toBeVisible();
  const refused = await page.goto(`/entreprise/${companyId}/commandes`);
  expect(refused?.status()).toBeLessThan(500);
  await ready(page, info);
  await expect(page.getByText(/CMD-\d{4}-\d{6}/)).toHaveCount(0);

  // The mailed link: opening it changes nothing, the button confirms and logs in.
  await page.goto(await confirmationPath(email));
  await ready(page, info);
  await expect(page.getByText(`Confirmez que l'adresse ${email} est bien la vôtre`)).toBeVisible();
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page).toHaveURL(/\/espaces$/);
  await expect(page.getByRole('region', { name: `Mon espace Entreprise — ${company}` })).toBeVisible();
  await expect(page.getByTestId('adresse-a-confirmer')).toHaveCount(0);

  // The role is active: the firm's validated orders.
  await page.goto(`/entreprise/${companyId}/commandes`);
  await ready(page, info);
  await expect(page.getByTestId('commandes')).toContainText(/CMD-\d{4}-\d{6}/);

  // The link served once.
  await page.goto(await confirmationPath(email));
  await ready(page, info);
  await expect(page.getByText("Ce lien de confirmation n'est pas valable")).toBeVisible();
  await context.close();
  expect(problems, 'console errors or hydration warnings').toEqual([]);
});
