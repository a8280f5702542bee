// The waiting list (issue 13): a full session offers "M'inscrire sur liste d'attente";
// a firm puts a participant on it; another firm cancels a registration; the freed seat
// is offered to the first on the list (a mail to whoever registered him) and, accepted
// in one click from Mes espaces, joins that firm's cart like a registration.
import { test, expect } from '@playwright/test';
import { api, companyWithAdmin, mailTo, ready, siretFrom, watchConsole } from './helpers';

test('a full session gets a waiting-list registration that becomes a seat after a cancellation', async ({ page, context, browser, baseURL }, info) => {
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const n = (info.project.name === 'hydrate' ? 7000 : 8000) + info.repeatEachIndex * 10;
  const js = info.project.use.javaScriptEnabled !== false;
  // One seeded session per project, used by no other spec: Lyon (training 1) with JavaScript,
  // Nantes (training 6) without.
  const [training, session] = js ? [1, 2] : [6, 13];
  const problems = watchConsole(page);

  // Firm A fills the session with registrations of its own.
  const a = await browser.newContext({ javaScriptEnabled: js });
  const aId = await companyWithAdmin(a.request, baseURL!, {
    email: `armand.${p}@cabinet-plein.fr`, first: 'Armand', last: 'Plein', companyName: `Cabinet Plein ${p}`,
    siret: siretFrom(`7741${String(n).padStart(9, '0')}`),
  });
  const detail = await api(a.request, baseURL!, 'catalogue/training', { id: String(training) });
  const left = detail.sessions.find((s: { id: number }) => s.id === session).seats_left as number;
  expect(left).toBeGreaterThan(0);
  await api(a.request, baseURL!, 'wizard/start', { session_id: String(session) });
  await api(a.request, baseURL!, 'wizard/structure', {
    kind: 'dirigeant', mode: 'existing', existing_company_id: String(aId), existing_siret: '', 'company[legal_name]': '',
  });
  for (let i = 0; i < left; i++) {
    await api(a.request, baseURL!, 'wizard/participants', { op: 'add', email: `plein${i}.${p}@cabinet-plein.fr`, first_name: 'Plein', last_name: `N${i}` });
  }
  await api(a.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  const registered = (await api(a.request, baseURL!, 'wizard/get', { step: 'termine' })).draft.registered as number[];
  expect(registered.length).toBe(left);

  // Firm B finds the session full and joins its waiting list.
  const bEmail = `berthe.${p}@cabinet-attente.fr`;
  const bId = await companyWithAdmin(context.request, baseURL!, {
    email: bEmail, first: 'Berthe', last: 'Attente', companyName: `Cabinet Attente ${p}`,
    siret: siretFrom(`7741${String(n + 1).padStart(9, '0')}`),
  });
  await page.goto(`/formations/${training}`);
  await ready(page, info);
  const row = page.getByTestId(`session-${session}`);
  await expect(row).toContainText('Session complète');
  await row.getByRole('link', { name: /M'inscrire sur liste d'attente/ }).click();
  await expect(page).toHaveURL(new RegExp(`/liste-d-attente/${session}$`));
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toContainText("Liste d'attente");
  await page.getByLabel('Adresse e-mail du participant').fill(`lucie.${p}@cabinet-attente.fr`);
  await page.getByLabel('Prénom').fill('Lucie');
  await page.getByLabel('Nom', { exact: true }).fill(`Patiente${p}`);
  await page.getByRole('button', { name: "M'inscrire sur liste d'attente" }).click();
  await expect(page.getByText(`Lucie Patiente${p} est inscrit(e) sur liste d'attente, en première position.`)).toBeVisible();
  await expect(page.getByTestId('liste-attente')).toContainText('Rang 1 sur la liste d\'attente');

  // Firm A cancels one registration: the seat is offered to Lucie, Berthe is mailed.
  await api(a.request, baseURL!, 'company/registrations/cancel', { company_id: String(aId), registration_id: String(registered[0]) });
  await a.close();
  const mail = await mailTo(bEmail, "Une place s'est libérée");
  expect(mail.text).toContain(`Lucie Patiente${p}`);
  expect(mail.text).toContain('Accepter la place');

  // Berthe accepts it in one click from Mes espaces: the seat is in her cart.
  await page.goto('/espaces');
  await ready(page, info);
  await expect(page.getByRole('heading', { name: "Mes listes d'attente" })).toBeVisible();
  const offer = page.getByTestId('liste-attente').getByRole('row').filter({ hasText: `Lucie Patiente${p}` });
  await expect(offer).toContainText('Place proposée jusqu\'au');
  await offer.getByRole('button', { name: `Accepter la place pour Lucie Patiente${p}` }).click();
  await expect(page).toHaveURL(new RegExp(`/entreprise/${bId}/panier$`));
  await expect(page.getByText(`La place de Lucie Patiente${p}`)).toBeVisible();
  await expect(page.getByTestId('lignes-panier')).toContainText(`Lucie Patiente${p}`);
  await ready(page, info);
  expect(problems).toEqual([]);
});
