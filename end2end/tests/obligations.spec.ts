// Issue 13: a collaborator of the demo firm (an expert-comptable) follows his training
// obligation from Mes espaces, adds a conference done elsewhere with its proof (a plain
// multipart form, with and without JavaScript), sees what he is still missing, and
// downloads his proof and his declaration.
import { test, expect } from '@playwright/test';
import { logInAs, ready } from './helpers';

test('a participant adds an outside conference with its proof and sees his missing hours', async ({ browser }, info) => {
  // One participant per project: each adds his own conference.
  const email = info.project.name === 'hydrate' ? 'hugo.collaborateur@cabinet-demo.fr' : 'ines.collaboratrice@cabinet-demo.fr';
  const title = `Congrès régional de l'audit (${info.project.name})`;
  // Yesterday (UTC, as the server counts days): never in the future.
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  const { page, problems } = await logInAs(browser, info, email);
  const summary = page.getByTestId('obligations-resume');
  await expect(summary).toContainText('Expert-comptable');
  await summary.getByRole('link', { name: 'Voir le détail et déclarer' }).click();
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1, name: 'Mes obligations de formation' })).toBeVisible();

  const form = page.getByTestId('form-activite');
  await form.getByLabel('Nature').selectOption('conference');
  await form.getByLabel('Intitulé').fill(title);
  await form.getByLabel('Organisateur').fill('CNCC');
  await form.getByLabel('Date').fill(day);
  await form.getByLabel('Durée (heures)').fill('3,5');
  await form.getByLabel(/^Justificatif/).setInputFiles({
    name: 'attestation.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'),
  });
  await form.getByRole('button', { name: "Ajouter l'activité" }).click();
  await ready(page, info);
  await expect(page.getByText(`L'activité « ${title} » est ajoutée.`)).toBeVisible();

  const row = page.getByTestId('activites').getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Conférence, colloque');
  await expect(row).toContainText('3 h 30');
  const sentence = page.getByTestId('obligation-ec').getByTestId('phrase');
  await expect(sentence).toContainText(/Il vous (manque|a manqué) \d+ h( \d\d)? (d'ici le|au) 31 décembre \d{4}/);
  // The chart has its words.
  await expect(page.getByTestId('obligation-ec').locator('figcaption')).toContainText('Minimum annuel 20 h');

  // His proof comes back as he sent it; his declaration downloads.
  const proof = page.waitForEvent('download');
  await row.getByRole('link', { name: 'attestation.pdf' }).click();
  expect((await proof).suggestedFilename()).toBe('attestation.pdf');
  const declaration = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Déclaration (PDF)' }).click();
  expect((await declaration).suggestedFilename()).toMatch(/^declaration-formation-\d{4}\.pdf$/);

  // A second attempt with a file that is not a PDF nor an image is refused, with the
  // message next to the field and what was typed kept.
  await form.getByLabel('Nature').selectOption('publication');
  await form.getByLabel('Intitulé').fill('Article de revue');
  await form.getByLabel('Organisateur').fill('Revue Française de Comptabilité');
  await form.getByLabel('Date').fill(day);
  await form.getByLabel('Durée (heures)').fill('2');
  await form.getByLabel(/^Justificatif/).setInputFiles({ name: 'article.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>pas un PDF</html>') });
  await form.getByRole('button', { name: "Ajouter l'activité" }).click();
  await ready(page, info);
  await expect(page.getByText('Le justificatif doit être un fichier PDF, PNG ou JPEG.')).toBeVisible();
  await expect(page.getByTestId('form-activite').getByLabel('Intitulé')).toHaveValue('Article de revue');
  await expect(page.getByTestId('activites').getByRole('row').filter({ hasText: 'Article de revue' })).toHaveCount(0);

  // He shares his follow-up with his firm (his own choice, withdrawn the same way).
  const sharing = page.getByTestId('partages');
  await sharing.getByRole('button', { name: /^Partager mon suivi/ }).click();
  await ready(page, info);
  await expect(page.getByTestId('partages').getByRole('button', { name: /^Ne plus partager/ })).toBeVisible();
  expect(problems).toEqual([]);

  // The firm's administrator now sees him, behind.
  const name = info.project.name === 'hydrate' ? 'Hugo Lambert' : 'Inès Moreau';
  const admin = await logInAs(browser, info, 'alice.admin@cabinet-demo.fr');
  await admin.page.getByRole('link', { name: "Ouvrir l'espace entreprise" }).click();
  await ready(admin.page, info);
  await admin.page.getByRole('link', { name: 'Obligations de formation', exact: true }).click();
  await ready(admin.page, info);
  const line = admin.page.getByTestId('obligations').getByRole('row').filter({ hasText: name });
  await expect(line).toContainText('Expert-comptable');
  await expect(line).toContainText(/En retard de \d+ h/);
  expect(admin.problems).toEqual([]);
});
