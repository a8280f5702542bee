// The cart and a validated order invoiced to a third party that authorised the
// ordering company; the third party's billing manager sees it; a training manager
// sees only the orders he placed.
import { test, expect } from '@playwright/test';
import { api, companyWithAdmin, ready, signUpIn, siretFrom, watchConsole } from './helpers';

test('an order invoiced to an authorising third party, seen by its billing manager', async ({ page, context, browser, baseURL }, info) => {
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const n = (info.project.name === 'hydrate' ? 5000 : 6000) + info.repeatEachIndex * 10;
  const js = info.project.use.javaScriptEnabled !== false;
  const problems = watchConsole(page);
  const nordSiret = siretFrom(`7731${String(n).padStart(9, '0')}`);
  const sudSiret = siretFrom(`7731${String(n + 1).padStart(9, '0')}`);

  // The ordering company (two participants on two sessions, below) and the company it
  // will have invoiced, which authorises it.
  const nordId = await companyWithAdmin(context.request, baseURL!, {
    email: `nadia.nord.${p}@cabinet-nord.fr`, first: 'Nadia', last: 'Nord', companyName: `Cabinet Nord ${p}`, siret: nordSiret,
    persons: [[`tom.formation.${p}@cabinet-nord.fr`, 'Tom', 'Formation', 'role_training']],
  });
  // The invoiced company authorises the ordering one.
  const sud = await browser.newContext({ javaScriptEnabled: js });
  const sudId = await companyWithAdmin(sud.request, baseURL!, {
    email: `sophie.sud.${p}@cabinet-sud.fr`, first: 'Sophie', last: 'Sud', companyName: `Cabinet Sud ${p}`, siret: sudSiret,
    persons: [[`bea.facture.${p}@cabinet-sud.fr`, 'Béa', 'Facture', 'role_billing']],
  });
  await api(sud.request, baseURL!, 'company/third-party', { company_id: String(sudId), op: 'mode', mode: 'listed', siret: '' });
  await api(sud.request, baseURL!, 'company/third-party', { company_id: String(sudId), op: 'add', siret: nordSiret });
  await sud.close();

  await api(context.request, baseURL!, 'wizard/participants', { op: 'add', email: `ali.${p}@cabinet-nord.fr`, first_name: 'Ali', last_name: 'Ben' });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  await api(context.request, baseURL!, 'wizard/start', { session_id: '1' });
  await api(context.request, baseURL!, 'wizard/structure', {
    kind: 'dirigeant', mode: 'existing', existing_company_id: String(nordId), existing_siret: '', 'company[legal_name]': '',
  });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'add', email: `eva.${p}@cabinet-nord.fr`, first_name: 'Eva', last_name: 'Lune' });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });

  await page.goto(`/entreprise/${nordId}/panier`);
  await ready(page, info);
  await expect(page.getByTestId('lignes-panier').getByRole('row')).toHaveCount(4);
  await page.getByLabel(`Cabinet Sud ${p} (tiers de facturation)`).check();
  await page.getByLabel('Référence du bon de commande (facultatif)').fill(`BC-${p}`);
  await page.getByLabel("J'accepte les conditions générales de vente de l'organisme de formation.").check();
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText(/Commande CMD-\d{4}-\d{6} validée\./)).toBeVisible();
  const row = page.getByTestId('commandes').getByRole('row').filter({ hasText: `BC-${p}` });
  await expect(row).toContainText(`Cabinet Sud ${p}`);
  const number = (await row.getByRole('cell').first().textContent())!.trim();

  // The third party's billing manager sees the order.
  const bea = await browser.newContext({ javaScriptEnabled: js });
  await signUpIn(bea.request, baseURL!, 'Béa', 'Facture', `bea.facture.${p}@cabinet-sud.fr`);
  const beaPage = await bea.newPage();
  const beaProblems = watchConsole(beaPage);
  await beaPage.goto(`/entreprise/${sudId}/commandes`);
  await ready(beaPage, info);
  const seen = beaPage.getByTestId('commandes').getByRole('row').filter({ hasText: number });
  await expect(seen).toContainText(`Cabinet Nord ${p} (tiers)`);
  await expect(seen).toContainText(`BC-${p}`);
  await bea.close();

  // The ordering company's training manager sees the orders he placed, not this one,
  // and is refused the invoices, even by address.
  const tom = await browser.newContext({ javaScriptEnabled: js });
  await signUpIn(tom.request, baseURL!, 'Tom', 'Formation', `tom.formation.${p}@cabinet-nord.fr`);
  const tomPage = await tom.newPage();
  const tomProblems = watchConsole(tomPage);
  await tomPage.goto(`/entreprise/${nordId}`);
  await ready(tomPage, info);
  await expect(tomPage.getByRole('link', { name: 'Factures et avoirs', exact: true })).toHaveCount(0);
  await tomPage.getByRole('link', { name: 'Commandes', exact: true }).click();
  await expect(tomPage.getByText('Les commandes que vous avez passées pour la structure.')).toBeVisible();
  await expect(tomPage.getByText(number)).toHaveCount(0);
  await tomPage.goto(`/entreprise/${nordId}/factures`);
  await ready(tomPage, info);
  await expect(tomPage.getByText('Cette page est réservée aux administrateurs et aux responsables facturation')).toBeVisible();
  await expect(tomPage.getByTestId('factures')).toHaveCount(0);
  await tom.close();

  expect(problems, 'console errors or hydration warnings').toEqual([]);
  expect(beaProblems, 'console errors or hydration warnings').toEqual([]);
  expect(tomProblems, 'console errors or hydration warnings').toEqual([]);
});
