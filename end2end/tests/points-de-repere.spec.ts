// The company space as the guide draws it ("Mon espace Entreprise — Points de repère"),
// walked by each role of the demo firm, with and without JavaScript: each page the role
// should see shows the guide's words; the others are absent from its tabs and from its
// points de repère, and refused when typed in the address bar. Then a registrant
// without a role, on a company open to all, validates his order and is told so.
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { api, companyWithAdmin, logInAs, mailTo, ready, signUpIn, siretFrom, watchConsole } from './helpers';

/** Each page of the company space: its tab, the guide's words on it, and the points de
 * repère of the home page that lead to it. */
const PAGES = [
  { suffix: '', tab: 'Mon espace Entreprise', words: ["L'entité qui commande les formations", 'Points de repère'],
    landmarks: ["L'entité qui commande les formations", 'Prochaines formations « en attente » ou « confirmée »', 'Liste et détail des formations réalisées'] },
  { suffix: '/documents', tab: 'Conventions et certificats', words: ['Conventions collectives', 'Protocole Individuel de Formation (e-learning)', 'Certificats de réalisation'],
    landmarks: ['Conventions individuelles et collectives', 'Certificat de réalisation'] },
  { suffix: '/questionnaires', tab: 'Questionnaires', words: ['Questionnaires de satisfaction des collaborateurs'],
    landmarks: ['Questionnaires de satisfaction des collaborateurs'] },
  { suffix: '/panier', tab: 'Panier', words: ['Commandes en cours dans le panier'], landmarks: ['Commandes en cours dans le panier'] },
  { suffix: '/commandes', tab: 'Commandes', words: ['Commandes validées'], landmarks: ['Commandes validées', 'Bon de commande'] },
  { suffix: '/factures', tab: 'Factures et avoirs', words: ["Factures d'acomptes, factures non acquittées/acquittées, avoirs", 'Règlements'],
    landmarks: ["Factures d'acomptes", 'Factures non acquittées/acquittées', 'Avoirs', 'Règlements'] },
  { suffix: '/informations', tab: 'MON ENTREPRISE', words: ['Information sur ma société'], landmarks: ['Information sur ma société'] },
  { suffix: '/annuaire', tab: 'MON ENTREPRISE', words: ['Annuaire de mes collaborateurs'], landmarks: ['Annuaire de mes collaborateurs'] },
  { suffix: '/etablissements', tab: 'MON ENTREPRISE', words: ['Autorisation des tiers', 'MES ETABLISSEMENTS'], landmarks: ['Autorisation des tiers'] },
  { suffix: '/interlocuteurs', tab: 'MON ENTREPRISE', words: ['Habilitation des interlocuteurs clés'], landmarks: ['Habilitation des interlocuteurs clés'] },
  { suffix: '/delegations', tab: 'MON ENTREPRISE', words: ["Délégations de droits à d'autres structures"], landmarks: [] },
  { suffix: '/journal', tab: 'MON ENTREPRISE', words: ['Journal des modifications'], landmarks: [] },
];

/** domain.md, "Who sees which point de repère". */
const ROLES = [
  { who: 'administrateur', email: 'alice.admin@cabinet-demo.fr', sees: PAGES.map((p) => p.suffix) },
  { who: 'responsable de formation', email: 'thomas.formation@cabinet-demo.fr', sees: ['', '/documents', '/questionnaires', '/panier', '/commandes'] },
  { who: 'responsable facturation', email: 'berenice.facturation@cabinet-demo.fr', sees: ['', '/documents', '/commandes', '/factures'] },
  { who: 'participant', email: 'paul.collaborateur@cabinet-demo.fr', sees: [] as string[] },
];

const REFUSED = /Cette (page|action) est réservée|n'existe pas/;

/** The demo firm's id, read from the administrator's Mes espaces. */
async function demoCompany(page: Page, info: TestInfo): Promise<number> {
  await page.goto('/espaces');
  await ready(page, info);
  const href = await page.getByRole('link', { name: "Ouvrir l'espace entreprise" }).first().getAttribute('href');
  return Number(href!.split('/').pop());
}

for (const role of ROLES) {
  test(`the ${role.who} sees his points de repère, and only those`, async ({ browser }, info) => {
    const admin = await logInAs(browser, info, 'alice.admin@cabinet-demo.fr');
    const id = await demoCompany(admin.page, info);
    await admin.page.context().close();
    const { page, problems } = await logInAs(browser, info, role.email);

    // The home's points de repère and tabs: those of the role, no others.
    await page.goto(`/entreprise/${id}`);
    await ready(page, info);
    const landmarks = page.getByTestId('points-de-repere');
    const tabs = page.getByRole('navigation', { name: 'Mon espace Entreprise' });
    for (const p of PAGES) {
      const seen = role.sees.includes(p.suffix);
      if (role.sees.length > 0) {
        for (const word of p.landmarks) {
          await expect(landmarks.getByRole('link', { name: word, exact: true }), `${word} on the home`).toHaveCount(seen ? 1 : 0);
        }
        await expect(tabs.getByRole('link', { name: p.tab, exact: true }), `tab ${p.tab}`).toHaveCount(seen || (p.tab === 'MON ENTREPRISE' && role.sees.includes('/informations')) ? 1 : 0);
      }
    }

    // Each page, by its address.
    for (const p of PAGES) {
      await page.goto(`/entreprise/${id}${p.suffix}`);
      await ready(page, info);
      if (role.sees.includes(p.suffix)) {
        for (const word of p.words) await expect(page.getByText(word, { exact: true }).first(), `${word} on ${p.suffix}`).toBeVisible();
        await expect(page.getByText(REFUSED)).toHaveCount(0);
      } else {
        await expect(page.getByText(REFUSED).first(), `${role.who} refused ${p.suffix}`).toBeVisible();
        for (const word of p.words) await expect(page.getByText(word, { exact: true }), `${word} on ${p.suffix}`).toHaveCount(0);
      }
    }
    if (role.sees.length === 0) {
      // His own trainings, in Mes espaces.
      await page.goto('/espaces');
      await ready(page, info);
      await expect(page.getByRole('heading', { name: 'Mon espace participant' })).toBeVisible();
      await expect(page.getByRole('link', { name: "Ouvrir l'espace entreprise" })).toHaveCount(0);
    }
    expect(problems, 'console errors or hydration warnings').toEqual([]);
  });
}

test('the training manager prepares a cart, validates it and sees "Commande … validée"', async ({ browser, baseURL }, info) => {
  const { page, problems } = await logInAs(browser, info, 'thomas.formation@cabinet-demo.fr');
  const id = await demoCompany(page, info);
  await api(page.context().request, baseURL!, 'wizard/start', { session_id: '4' });
  await api(page.context().request, baseURL!, 'wizard/structure', {
    kind: 'salarie', mode: 'existing', existing_company_id: String(id), existing_siret: '', 'company[legal_name]': '',
  });
  await api(page.context().request, baseURL!, 'wizard/participants', { op: 'add_directory', directory_email: 'nina.collaboratrice@cabinet-demo.fr', email: '', first_name: '', last_name: '' });
  // A colleague without an account is invited as soon as he is put in the cart.
  const newcomer = `noe.${info.project.name}${info.repeatEachIndex}@cabinet-demo.fr`;
  await api(page.context().request, baseURL!, 'wizard/participants', { op: 'add', email: newcomer, first_name: 'Noé', last_name: 'Nouveau' });
  await api(page.context().request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  expect((await mailTo(newcomer, 'Invitation : votre inscription à')).text).toMatch(/\/invitation\/\S+/);
  await page.goto(`/entreprise/${id}/panier`);
  await ready(page, info);
  await page.getByLabel("J'accepte les conditions générales de vente de l'organisme de formation.").check();
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText(/Commande CMD-\d{4}-\d{6} validée\./)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/entreprise/${id}/commandes$`));
  await expect(page.getByText('Les commandes que vous avez passées pour la structure.')).toBeVisible();
  expect(problems, 'console errors or hydration warnings').toEqual([]);
});

test('a registrant without a role, on a company open to all, validates his order and finds it in Mes espaces', async ({ browser, baseURL }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const siret = siretFrom(`7741${String((js ? 100 : 200) + info.repeatEachIndex).padStart(9, '0')}`);
  const owner = await browser.newContext({ javaScriptEnabled: js });
  const companyId = await companyWithAdmin(owner.request, baseURL!, {
    email: `odile.${p}@cabinet-ouvert.fr`, first: 'Odile', last: 'Ouvert', companyName: `Cabinet Ouvert ${p}`, siret,
    persons: [[`tim.${p}@cabinet-ouvert.fr`, 'Tim', 'Manager', 'role_training']],
  });
  // The person given a role, who has no account, is invited to create one.
  expect((await mailTo(`tim.${p}@cabinet-ouvert.fr`, 'Invitation : espace entreprise de')).text).toMatch(/\/invitation\/\S+/);
  await api(owner.request, baseURL!, 'company/policy', { company_id: String(companyId), policy: 'open' });
  await owner.close();

  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await signUpIn(context.request, baseURL!, 'Rémi', 'Passant', `remi.${p}@ailleurs.fr`);
  await api(context.request, baseURL!, 'wizard/start', { session_id: '4' });
  await api(context.request, baseURL!, 'wizard/structure', { kind: 'salarie', mode: 'existing', existing_siret: siret, 'company[legal_name]': '' });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'add', email: `remi.${p}@ailleurs.fr`, first_name: 'Rémi', last_name: 'Passant' });
  await api(context.request, baseURL!, 'wizard/participants', { op: 'confirm', email: '', first_name: '', last_name: '' });
  await page.goto(`/entreprise/${companyId}/panier`);
  await ready(page, info);
  await page.getByLabel("J'accepte les conditions générales de vente de l'organisme de formation.").check();
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText(/Commande CMD-\d{4}-\d{6} validée\./)).toBeVisible();
  await expect(page).toHaveURL(/\/espaces$/);
  // The company's pages stay closed to him, but for his own cart.
  for (const suffix of ['', '/commandes', '/factures', '/documents', '/informations']) {
    await page.goto(`/entreprise/${companyId}${suffix}`);
    await ready(page, info);
    await expect(page.getByText(REFUSED).first()).toBeVisible();
  }
  expect(problems, 'console errors or hydration warnings').toEqual([]);
  await context.close();
});
