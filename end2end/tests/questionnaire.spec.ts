// The participant space on the demo firm's seeded data: a collaborator without any role
// sees only his own trainings, fills the questionnaire of last month's session; the
// administrator then sees it with the averages, and so does the provider's staff.
import { test, expect } from '@playwright/test';
import { logInAs, ready } from './helpers';

test('a participant fills his questionnaire; the admin and the provider see the averages', async ({ browser }, info) => {
  // One participant per project: each questionnaire is answered once.
  const [email, name] =
    info.project.name === 'hydrate'
      ? ['paul.collaborateur@cabinet-demo.fr', 'Paul Bernard']
      : ['nina.collaboratrice@cabinet-demo.fr', 'Nina Roux'];
  const comment = `Formation très concrète (${info.project.name}).`;

  const { page, problems } = await logInAs(browser, info, email);
  await expect(page.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
  // No company space for a participant without a role, and none by its address either.
  await expect(page.getByRole('link', { name: "Ouvrir l'espace entreprise" })).toHaveCount(0);
  const past = page.getByRole('row').filter({ hasText: "Actualité des normes d'exercice professionnel (NEP)" });
  await expect(past).toHaveCount(1);
  await expect(past).toContainText('réalisée');
  await expect(page.getByTestId('heures')).toBeVisible();
  if (info.project.name === 'hydrate') {
    // Paul's confirmed virtual class shows its link.
    await expect(page.getByRole('link', { name: 'Rejoindre la classe virtuelle' })).toHaveAttribute('href', /^https:\/\/classe-virtuelle\./);
  }
  const todo = page.getByRole('status').filter({ hasText: 'Questionnaires de satisfaction à remplir' });
  await todo.getByRole('link').first().click();
  await ready(page, info);
  for (const [legend, note] of [
    ['Contenu et programme', '5'],
    ['Animation et formateur', '4'],
    ['Organisation et logistique', '5'],
    ['Satisfaction générale', '5'],
  ]) {
    await page.getByRole('group', { name: legend }).getByLabel(note, { exact: true }).check();
  }
  await page.getByLabel('Commentaire (facultatif)').fill(comment);
  await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await expect(page.getByText('Merci : votre réponse est enregistrée.')).toBeVisible();
  // Answered once: back in his space, nothing left to fill.
  await page.goto('/espaces');
  await ready(page, info);
  await expect(page.getByText('Questionnaires de satisfaction à remplir')).toHaveCount(0);
  expect(problems).toEqual([]);

  // The administrator of the firm sees the answers and the averages.
  const admin = await logInAs(browser, info, 'alice.admin@cabinet-demo.fr');
  await admin.page.getByRole('link', { name: "Ouvrir l'espace entreprise" }).click();
  await ready(admin.page, info);
  await admin.page.getByRole('link', { name: 'Questionnaires', exact: true }).click();
  await ready(admin.page, info);
  const results = admin.page.getByRole('region').filter({ hasText: comment });
  await expect(results).toContainText(`${name} : « ${comment} »`);
  await expect(results).toContainText('Hugo Lambert : « Cas pratiques très utiles. »');
  const averages = results.getByTestId('moyennes').locator('dd');
  await expect(averages).toHaveCount(4);
  for (const text of await averages.allTextContents()) expect(text).toMatch(/^[1-5],\d \/ 5$/);
  expect(admin.problems).toEqual([]);

  // The provider's staff see it for their session.
  const staff = await logInAs(browser, info, 'olivier.organisme@crcc-formation.fr');
  await staff.page.getByRole('link', { name: "Ouvrir l'espace organisme" }).click();
  await ready(staff.page, info);
  await expect(staff.page.getByRole('heading', { name: 'CRCC de Paris — Formation' })).toBeVisible();
  await expect(staff.page.getByRole('region').filter({ hasText: comment })).toContainText('/ 5');
  expect(staff.problems).toEqual([]);
});
