// "Remplacer le participant": before the session, the administrator replaces a
// participant by a colleague typed in the form. The registration keeps its seat and
// order; the colleague gets his convocation and finds the training in Mes espaces, the
// former participant no longer; the registration's history shows the change.
import { test, expect } from '@playwright/test';
import { api, companyWithAdmin, mailTo, ready, signUpIn, siretFrom, watchConsole } from './helpers';

test('an administrator replaces a participant before the session', async ({ page, context, browser, baseURL }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const n = (js ? 5000 : 6000) + info.repeatEachIndex;
  const problems = watchConsole(page);
  const id = await companyWithAdmin(context.request, baseURL!, {
    email: `claire.${p}@cabinet-relais.fr`,
    first: 'Claire',
    last: 'Relais',
    companyName: `Cabinet Relais ${p}`,
    siret: siretFrom(`6631${String(n).padStart(9, '0')}`),
  });
  const paul = `paul.${p}@cabinet-relais.fr`;
  const lea = `lea.${p}@cabinet-relais.fr`;

  // Paul has an account; he is registered, and the order validated.
  const paulContext = await browser.newContext({ javaScriptEnabled: js });
  await signUpIn(paulContext.request, baseURL!, 'Paul', 'Martin', paul);
  await api(context.request, baseURL!, 'wizard/participants', { op: 'add', email: paul, first_name: 'Paul', last_name: 'Martin' });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  await page.goto(`/entreprise/${id}/panier`);
  await ready(page, info);
  await page.getByLabel("J'accepte les conditions générales de vente de l'organisme de formation.").check();
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText(/Commande CMD-\d{4}-\d{6} validée\./)).toBeVisible();

  // From the firm's trainings to the replacement form.
  await page.goto(`/entreprise/${id}`);
  await ready(page, info);
  await page.getByRole('link', { name: /^Remplacer le participant Paul Martin à/ }).click();
  await expect(page).toHaveURL(new RegExp(`/entreprise/${id}/inscriptions/\\d+/remplacer$`));
  await ready(page, info);
  const registration = new URL(page.url()).pathname.split('/')[4];
  await expect(page.getByTestId('participant')).toHaveText(`Paul Martin (${paul})`);
  const paulPage = await paulContext.newPage();
  await paulPage.goto('/espaces');
  await ready(paulPage, info);
  const title = (await page.getByTestId('inscription').getByRole('link').first().textContent())!.trim();
  await expect(paulPage.getByRole('region', { name: 'Mon espace participant' })).toContainText(title);

  // Léa, a new colleague, typed in the form.
  await page.getByLabel('Prénom').fill('Léa');
  await page.getByLabel('Nom', { exact: true }).fill('Petit');
  await page.getByLabel('Adresse e-mail').fill(lea);
  await page.getByRole('button', { name: 'Remplacer le participant' }).click();
  await expect(page.getByText('Léa Petit remplace Paul Martin : la place, la commande et la facture sont conservées.', { exact: false })).toBeVisible();
  await ready(page, info);
  await expect(page.getByTestId('participant')).toHaveText(`Léa Petit (${lea})`);
  const history = page.getByTestId('historique');
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history).toContainText('Inscription de Paul Martin, par Claire Relais.');
  await expect(history).toContainText('Léa Petit remplace Paul Martin, par Claire Relais.');

  // Her convocation, with the link to create her account; Paul is told.
  const convocation = await mailTo(lea, 'Convocation');
  expect(convocation.text).toContain('à la place de Paul Martin');
  const invitation = new URL(convocation.text.match(/https?:\/\/\S+\/invitation\/\S+/)![0]).pathname;
  expect((await mailTo(paul, 'Remplacement')).text).toContain('Léa Petit');

  // The firm's list names Léa; her registration is in her space, no longer in Paul's.
  await page.getByRole('link', { name: '← Formations des collaborateurs' }).click();
  await ready(page, info);
  await expect(page.getByTestId('formations-a-venir')).toContainText('Léa Petit');
  await expect(page.getByTestId('formations-a-venir')).not.toContainText('Paul Martin');
  await paulPage.goto('/espaces');
  await ready(paulPage, info);
  await expect(paulPage.getByRole('region', { name: 'Mon espace participant' })).not.toContainText(title);
  await paulContext.close();
  expect(invitation).toMatch(/^\/invitation\//);
  const leaContext = await browser.newContext({ javaScriptEnabled: js });
  await signUpIn(leaContext.request, baseURL!, 'Léa', 'Petit', lea);
  const leaPage = await leaContext.newPage();
  await leaPage.goto('/espaces');
  await ready(leaPage, info);
  await expect(leaPage.getByRole('region', { name: 'Mon espace participant' })).toContainText(title);
  await leaContext.close();

  // The registration's page, opened from the list, keeps the history.
  await page.goto(`/entreprise/${id}/inscriptions/${registration}`);
  await ready(page, info);
  await expect(page.getByTestId('historique')).toContainText('Léa Petit remplace Paul Martin');
  expect(problems, 'console errors or hydration warnings').toEqual([]);
});
