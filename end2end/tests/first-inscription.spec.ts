// The path a new firm administrator takes: from the public catalogue to a company
// space, with a first registration of two participants, one of them invited by email.
import { test, expect } from '@playwright/test';
import { confirmationPath, createAccount, mailTo, ready, siretFrom, watchConsole } from './helpers';

test('a new administrator creates the company space while registering two participants', async ({ page, browser, baseURL }, info) => {
  // Emails and SIRET numbers distinct per project and repetition (one database per run).
  const p = `${info.project.name}${info.repeatEachIndex}`;
  const n = (info.project.name === 'hydrate' ? 1000 : 2000) + info.repeatEachIndex;
  const admin = `marie.durand.${p}@cabinet-durand.fr`;
  const colleague = `paul.martin.${p}@cabinet-durand.fr`;
  const invitee = `nina.roux.${p}@cabinet-durand.fr`;
  const siret = siretFrom(`5521${String(n).padStart(9, '0')}`);
  await createAccount(baseURL!, 'Paul', 'Martin', colleague);
  const problems = watchConsole(page);

  // 1. Catalogue: search, open the training, check the programme, INSCRIPTION.
  await page.goto('/catalogue');
  await ready(page, info);
  await page.getByLabel('Mots-clés').fill("normes d'exercice");
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByTestId('nombre-resultats')).toHaveText('1 formation');
  await page.getByRole('link', { name: "Actualité des normes d'exercice professionnel (NEP)" }).click();
  await expect(page.getByRole('heading', { name: 'Programme' })).toBeVisible();
  await expect(page.getByTestId('session-3')).toContainText('Session complète');
  await page.getByTestId('session-1').getByRole('button', { name: /INSCRIPTION/ }).click();

  // 2. Not logged in: create the individual account, then come back to the same registration.
  await expect(page).toHaveURL(/\/inscription\/connexion$/);
  const account = page.getByTestId('form-compte');
  await account.getByLabel('Civilité').selectOption('mme');
  await account.getByLabel('Prénom').fill('Marie');
  await account.getByLabel('Nom', { exact: true }).fill('Durand');
  await account.getByLabel('Profession', { exact: true }).selectOption('ec');
  await account.getByLabel("Numéro d'inscription professionnelle").fill('EC-75-1234');
  await account.getByLabel('Adresse e-mail').fill(admin);
  await account.getByLabel('Téléphone').fill('01 23 45 67 89');
  await account.getByLabel('Adresse', { exact: true }).fill('3 rue de la Paix');
  await account.getByLabel('Code postal').fill('75002');
  await account.getByLabel('Ville').fill('Paris');
  await account.getByLabel('Mot de passe', { exact: true }).fill('un-mot-de-passe-solide');
  await account.getByLabel('Confirmation du mot de passe').fill('un-mot-de-passe-solide');
  await account.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByTestId('confirmation-envoyee')).toContainText(`Consultez votre messagerie : un lien de confirmation vous a été envoyé à ${admin}`);
  // The mailed link, opened in the same browser: one click confirms, logs in, and the
  // registration goes on where it was.
  await page.goto(await confirmationPath(admin));
  await ready(page, info);
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();

  // 3. Who registers, and a new structure. A wrong SIRET first: French message, answers kept.
  await expect(page).toHaveURL(/\/inscription\/structure$/);
  await expect(page.getByTestId('session-choisie')).toContainText('Paris');
  await page.getByLabel('Dirigeant', { exact: true }).check();
  await page.getByLabel('Déclarer une nouvelle structure').check();
  await page.getByLabel('Raison sociale').fill(`Cabinet Durand ${p}`);
  await page.getByLabel('Forme juridique').selectOption('SAS');
  await page.getByLabel('SIRET', { exact: true }).fill('12345678901234');
  await page.getByLabel('Adresse du siège').fill('10 boulevard Haussmann');
  await page.getByLabel('Code postal').fill('75009');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByText('sa clé de contrôle est fausse')).toBeVisible();
  await expect(page.getByLabel('Raison sociale')).toHaveValue(`Cabinet Durand ${p}`);
  await expect(page.getByLabel('Adresse du siège')).toHaveValue('10 boulevard Haussmann');
  await expect(page.getByLabel('Dirigeant', { exact: true })).toBeChecked();
  await page.getByLabel('SIRET', { exact: true }).fill(siret);
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 4. Se déclarer en tant qu'administrateur, with the explicit commitment.
  await expect(page).toHaveURL(/\/inscription\/administrateur$/);
  await expect(page.getByRole('heading', { name: "Se déclarer en tant qu'administrateur pour cette structure ?" })).toBeVisible();
  await page.getByRole('button', { name: 'Oui, je me déclare administrateur' }).click();
  await expect(page.getByText('vous devez vous engager')).toBeVisible();
  await page.getByLabel(/Je m'engage à être habilité/).check();
  await page.getByRole('button', { name: 'Oui, je me déclare administrateur' }).click();

  // 5. Restricted rights, one training manager.
  await expect(page).toHaveURL(/\/inscription\/droits$/);
  await expect(page.getByText('Ce choix est structurant.')).toBeVisible();
  await page.getByLabel(/Restreindre les droits d'inscription/).check();
  await page.getByLabel('Adresse e-mail').fill(`lea.petit.${p}@cabinet-durand.fr`);
  await page.getByLabel('Prénom').fill('Léa');
  await page.getByLabel('Nom', { exact: true }).fill('Petit');
  await page.getByLabel('Responsable de formation').check();
  await page.getByRole('button', { name: 'Ajouter cette personne' }).click();
  await expect(page.getByTestId('personnes-habilitees')).toContainText('Léa Petit');
  await expect(page.getByTestId('personnes-habilitees')).toContainText('Responsable de formation');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 6. Vérifier vos paramètres; a reload in the middle keeps every answer.
  await expect(page).toHaveURL(/\/inscription\/parametres$/);
  await page.reload();
  await ready(page, info);
  await expect(page.getByLabel('E-mail de facturation')).toHaveValue(admin);
  await expect(page.getByTestId('annuaire')).toContainText('Léa Petit');
  await expect(page.getByText(siret)).toBeVisible();
  await page.getByRole('button', { name: 'Finaliser la création de mon espace entreprise' }).click();

  // 7. Participants: an existing account and a nominative email without account.
  await expect(page).toHaveURL(/\/inscription\/participants$/);
  await expect(page.getByText(`L'espace entreprise de « Cabinet Durand ${p} » est créé.`)).toBeVisible();
  // The registrant types the names: an account found by its address never shows its own.
  await page.getByLabel('Adresse e-mail').fill(colleague);
  await page.getByLabel('Prénom').fill('Paul');
  await page.getByLabel('Nom', { exact: true }).fill('Martin');
  await page.getByRole('button', { name: 'Ajouter ce participant' }).click();
  await expect(page.getByTestId('participants')).toContainText('Paul Martin');
  await page.getByLabel('Adresse e-mail').fill(invitee);
  await page.getByLabel('Prénom').fill('Nina');
  await page.getByLabel('Nom', { exact: true }).fill('Roux');
  await page.getByRole('button', { name: 'Ajouter ce participant' }).click();
  await expect(page.getByTestId('participants')).toContainText('sera invité(e) par e-mail');
  await page.getByRole('button', { name: "Confirmer l'inscription" }).click();

  // 8. Done: the cart holds the seats; validate the order; Mes espaces shows both
  //    registrations "en attente".
  await expect(page).toHaveURL(/\/inscription\/termine$/);
  await page.getByRole('link', { name: 'Valider la commande' }).click();
  await expect(page.getByTestId('lignes-panier').getByRole('row')).toHaveCount(4); // header, 2 lines, total
  await expect(page.getByTestId('total')).toHaveText('1\u202f280,00\u00a0€');
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText('Acceptez les conditions générales de vente')).toBeVisible();
  await page.getByLabel('Référence du bon de commande (facultatif)').fill('BC-2026-17');
  await page.getByLabel("J'accepte les conditions générales de vente de l'organisme de formation.").check();
  await page.getByRole('button', { name: 'Valider la commande' }).click();
  await expect(page.getByText(/Commande CMD-\d{4}-\d{6} validée\./)).toBeVisible();
  await expect(page.getByTestId('commandes')).toContainText('BC-2026-17');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes espaces' }).click();
  await expect(page).toHaveURL(/\/espaces$/);
  const company = page.getByRole('region', { name: `Mon espace Entreprise — Cabinet Durand ${p}` });
  await expect(company.getByRole('row')).toHaveCount(3);
  await expect(company.getByText('en attente')).toHaveCount(2);
  await expect(company).toContainText('Nina Roux');

  // 9. The invitee, invited when she was added (the order then only tells her it is
  //    waiting), follows the invitation's link, sets her password and sees her training.
  const mail = await mailTo(invitee, 'Invitation : votre inscription à');
  const link = mail.text.match(/https?:\/\/\S+\/invitation\/[0-9a-f]+/)![0];
  const context = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled !== false });
  const inviteePage = await context.newPage();
  const inviteeProblems = watchConsole(inviteePage);
  await inviteePage.goto(new URL(link).pathname);
  await ready(inviteePage, info);
  await inviteePage.getByLabel('Mot de passe', { exact: true }).fill('le-mot-de-passe-de-nina');
  await inviteePage.getByLabel('Confirmation du mot de passe').fill('le-mot-de-passe-de-nina');
  await inviteePage.getByRole('button', { name: 'Créer mon mot de passe' }).click();
  await expect(inviteePage).toHaveURL(/\/espaces$/);
  const own = inviteePage.getByRole('region', { name: 'Mon espace participant' });
  await expect(own).toContainText("Actualité des normes d'exercice professionnel (NEP)");
  await expect(own).toContainText('en attente');
  await context.close();

  expect(problems, 'console errors or hydration warnings').toEqual([]);
  expect(inviteeProblems, 'console errors or hydration warnings').toEqual([]);
});
