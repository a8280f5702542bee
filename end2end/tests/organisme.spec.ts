// The provider's back-office and the documents, on the demo firm's seeded data: the
// provider's staff confirm a session that took place, record the attendance, invoice
// the order, cancel one invoiced registration and close the session; the firm's
// administrator finds and downloads the collective agreement, the purchase order, the
// invoice, the credit note and the certificate; the participant downloads his own
// certificate; the training manager gets the training documents, not the invoices.
import { test, expect, type Page } from '@playwright/test';
import { logInAs, mailTo, ready } from './helpers';

/** Follows a document link as the browser would, with the page's cookies. */
async function fetchPdf(page: Page, href: string) {
  const res = await page.context().request.get(href);
  expect(res.status(), href).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const body = await res.body();
  expect(body.subarray(0, 5).toString()).toBe('%PDF-');
  return body;
}

test('provider staff run a session; the firm downloads its documents', async ({ browser }, info) => {
  // One seeded session per project: each is closed once.
  const session = info.project.name === 'hydrate' ? 901 : 902;

  const staff = await logInAs(browser, info, 'olivier.organisme@crcc-formation.fr');
  await staff.page.getByRole('link', { name: "Ouvrir l'espace organisme" }).click();
  await ready(staff.page, info);
  await expect(staff.page.getByTestId('sessions-organisme')).toBeVisible();
  await staff.page.goto(`/organisme/session/${session}`);
  await ready(staff.page, info);
  const page = staff.page;

  await page.getByRole('button', { name: 'Confirmer la session' }).click();
  await expect(page.getByText('2 inscription(s) confirmée(s).')).toBeVisible();
  await expect(page.getByTestId('etat-session')).toContainText('maintenue');
  // The firm hears of it: its administrator is mailed.
  await mailTo('alice.admin@cabinet-demo.fr', ': confirmée');

  // Hugo was there the whole time, Inès the first day only.
  for (const box of await page.getByRole('checkbox', { name: /Hugo Lambert présent/ }).all()) await box.check();
  await page.getByRole('checkbox', { name: /Inès Moreau présent\(e\) le .* matin/ }).first().check();
  await page.getByRole('checkbox', { name: /Inès Moreau présent\(e\) le .* après-midi/ }).first().check();
  await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await expect(page.getByText('Présences enregistrées pour 2 participant(s).')).toBeVisible();

  // Invoice the order, then cancel Inès's invoiced registration: a credit note.
  await page.getByRole('button', { name: /^Facturer \(CMD-/ }).click();
  await expect(page.getByText(/^Facture FA-\d{4}-\d{6} émise\.$/)).toBeVisible();
  await page.getByRole('button', { name: "Annuler l'inscription de Inès Moreau" }).click();
  await expect(page.getByText('1 inscription annulée.')).toBeVisible();
  await mailTo('alice.admin@cabinet-demo.fr', ': annulée');
  await expect(page.getByTestId('factures-session')).toContainText('Avoir');

  await page.getByRole('button', { name: 'Clôturer la session' }).click();
  await expect(page.getByText('Session clôturée')).toBeVisible();
  await expect(page.getByTestId('participants-session').getByRole('row').filter({ hasText: 'Hugo Lambert' })).toContainText('14 h');
  expect(staff.problems).toEqual([]);

  // The administrator finds every document of the firm.
  const admin = await logInAs(browser, info, 'alice.admin@cabinet-demo.fr');
  await admin.page.getByRole('link', { name: "Ouvrir l'espace entreprise" }).click();
  await ready(admin.page, info);
  await admin.page.getByRole('link', { name: 'Conventions et certificats', exact: true }).click();
  await ready(admin.page, info);
  const agreementHref = await admin.page.getByTestId('conventions').getByRole('link').first().getAttribute('href');
  const certificateHref = await admin.page
    .getByTestId('certificats')
    .getByRole('link', { name: /Hugo Lambert/ })
    .first()
    .getAttribute('href');
  await admin.page.getByRole('link', { name: 'Commandes', exact: true }).click();
  await ready(admin.page, info);
  const orderHref = await admin.page.getByTestId('commandes').getByRole('link', { name: /Bon de commande/ }).first().getAttribute('href');
  await admin.page.getByRole('link', { name: 'Factures et avoirs', exact: true }).click();
  await ready(admin.page, info);
  const invoices = admin.page.getByTestId('factures');
  await expect(invoices.getByRole('row').filter({ hasText: 'Avoir' }).first()).toBeVisible();
  const invoiceHref = await invoices.getByRole('row').filter({ hasText: /^FA-/ }).filter({ hasText: 'Facture' }).first().getByRole('link').getAttribute('href');
  const creditHref = await invoices.getByRole('row').filter({ hasText: 'Avoir' }).first().getByRole('link').getAttribute('href');
  for (const href of [invoiceHref, creditHref, orderHref, agreementHref, certificateHref]) {
    await fetchPdf(admin.page, href!);
  }
  // Filter: unpaid invoices only, no credit note among them.
  await admin.page.getByLabel('Règlement').selectOption('non_acquittees');
  await admin.page.getByRole('button', { name: 'Filtrer' }).click();
  await ready(admin.page, info);
  await expect(invoices.getByRole('row').filter({ hasText: 'Avoir' })).toHaveCount(0);
  const csv = await admin.page.context().request.get(await admin.page.getByRole('link', { name: 'Exporter la liste (CSV)' }).getAttribute('href') ?? '');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('Avoir');
  expect(admin.problems).toEqual([]);

  // The participant downloads his own certificate from his space.
  const hugo = await logInAs(browser, info, 'hugo.collaborateur@cabinet-demo.fr');
  const own = hugo.page.getByRole('link', { name: 'Certificat de réalisation' });
  await expect(own.first()).toBeVisible();
  const hrefs = await own.evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  expect(hrefs).toContain(certificateHref);
  await fetchPdf(hugo.page, certificateHref!);
  expect(hugo.problems).toEqual([]);

  // The training manager gets the training documents and the purchase order of the
  // order he placed (the demo's orders are his), and is refused the invoices.
  const thomas = await logInAs(browser, info, 'thomas.formation@cabinet-demo.fr');
  for (const [href, status] of [[invoiceHref, 403], [creditHref, 403], [orderHref, 200], [agreementHref, 200], [certificateHref, 200]] as const) {
    const res = await thomas.page.context().request.get(href!);
    expect(res.status(), href!).toBe(status);
  }
});
