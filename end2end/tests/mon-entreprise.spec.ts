// MON ENTREPRISE: an administrator imports his directory, grants a role, finds it in
// the audit log, and cannot remove the last administrator; a training manager is refused.
import { test, expect } from '@playwright/test';
import { api, companyWithAdmin, ready, signUpIn, siretFrom, watchConsole } from './helpers';

test('an administrator manages the directory and the rights of his company', async ({ page, context, browser, baseURL }, info) => {
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const n = (info.project.name === 'hydrate' ? 3000 : 4000) + info.repeatEachIndex;
  const problems = watchConsole(page);
  const id = await companyWithAdmin(context.request, baseURL!, {
    email: `claire.admin.${p}@cabinet-lumiere.fr`,
    first: 'Claire',
    last: 'Admin',
    companyName: `Cabinet Lumière ${p}`,
    siret: siretFrom(`6621${String(n).padStart(9, '0')}`),
    persons: [[`tom.formation.${p}@cabinet-lumiere.fr`, 'Tom', 'Formation', 'role_training']],
  });

  // From Mes espaces to the company space, then MON ENTREPRISE.
  await page.goto('/espaces');
  await ready(page, info);
  await page.getByRole('link', { name: "Ouvrir l'espace entreprise" }).click();
  await expect(page).toHaveURL(new RegExp(`/entreprise/${id}$`));
  await page.getByRole('link', { name: 'Annuaire de mes collaborateurs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Annuaire de mes collaborateurs' })).toBeVisible();

  // CSV import: 20 lines, 3 of them bad.
  const lines = ['Prénom;Nom;E-mail'];
  for (let i = 1; i <= 17; i++) lines.push(`Prénom${i};Nom${i};collab${i}.${p}@cabinet-lumiere.fr`);
  lines.push('Sans;Adresse;pas-une-adresse', `;SansPrénom;vide.${p}@cabinet-lumiere.fr`, 'trop;de;colonnes;ici');
  if (info.project.use.javaScriptEnabled !== false) {
    // With JavaScript the administrator picks the file; its text fills the form.
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'annuaire.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await expect(page.getByText('« annuaire.csv » chargé : 21 ligne(s). Vérifiez-les, puis importez.')).toBeVisible();
  } else {
    await expect(page.getByLabel('Fichier CSV')).toHaveCount(0);
    await page.getByLabel('Contenu du fichier').fill(lines.join('\n'));
  }
  await page.getByRole('button', { name: 'Importer' }).click();
  await expect(page.getByText('17 collaborateur(s) ajouté(s), 0 déjà présent(s), 3 ligne(s) refusée(s).')).toBeVisible();
  await expect(page.getByTestId('lignes-refusees').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('annuaire').getByRole('row')).toHaveCount(20); // header + 17 + admin + training manager

  // Grant a role, and find it in the audit log.
  await page.getByRole('button', { name: 'Prénom1 Nom1 — Responsable facturation : attribuer' }).click();
  await expect(page.getByText('Prénom1 Nom1 est désormais responsable facturation.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Prénom1 Nom1 — Responsable facturation : retirer' })).toBeVisible();
  await page.getByRole('link', { name: 'Journal des modifications', exact: true }).click();
  const grant = page.getByTestId('journal').getByRole('row').filter({ hasText: `collab1.${p}@cabinet-lumiere.fr` });
  await expect(grant).toContainText("Attribution d'un rôle");
  await expect(grant).toContainText('billing_manager');
  await expect(grant).toContainText('Claire Admin');

  // The last administrator stays.
  await page.getByRole('link', { name: 'Annuaire de mes collaborateurs', exact: true }).click();
  await page.getByRole('button', { name: 'Claire Admin — Administrateur : retirer' }).click();
  await expect(page.getByText('La structure doit garder au moins un administrateur')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Claire Admin — Administrateur : retirer' })).toBeVisible();

  // The training manager cannot open MON ENTREPRISE, even by its address.
  const other = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled !== false });
  const tm = await other.newPage();
  const tmProblems = watchConsole(tm);
  await signUpIn(other.request, baseURL!, 'Tom', 'Formation', `tom.formation.${p}@cabinet-lumiere.fr`);
  await tm.goto(`/entreprise/${id}`);
  await ready(tm, info);
  await expect(tm.getByRole('link', { name: 'Annuaire de mes collaborateurs', exact: true })).toHaveCount(0);
  await tm.goto(`/entreprise/${id}/annuaire`);
  await ready(tm, info);
  await expect(tm.getByText('Cette action est réservée aux administrateurs')).toBeVisible();
  await expect(tm.getByTestId('annuaire')).toHaveCount(0);
  await other.close();

  // The company's trainings: two registrations, filtered, one cancelled before the session.
  for (const [email, first, last] of [[`collab1.${p}@cabinet-lumiere.fr`, 'Prénom1', 'Nom1'], [`collab2.${p}@cabinet-lumiere.fr`, 'Prénom2', 'Nom2']]) {
    await api(context.request, baseURL!, 'wizard/participants', { op: 'add', email, first_name: first, last_name: last });
  }
  await api(context.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  await page.goto(`/entreprise/${id}`);
  await ready(page, info);
  await expect(page.getByTestId('formations-a-venir').getByRole('row')).toHaveCount(3);
  await page.getByLabel('Collaborateur').selectOption({ label: 'Prénom2 Nom2' });
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByTestId('formations-a-venir').getByRole('row')).toHaveCount(2);
  await expect(page).toHaveURL(/collaborateur=/);
  await page.getByRole('button', { name: /Annuler l'inscription de Prénom2 Nom2/ }).click();
  await expect(page.getByTestId('formations-a-venir')).toContainText('annulée');
  await expect(page.getByRole('button', { name: /Annuler l'inscription de Prénom2 Nom2/ })).toHaveCount(0);

  expect(problems, 'console errors or hydration warnings').toEqual([]);
  expect(tmProblems, 'console errors or hydration warnings').toEqual([]);
});
