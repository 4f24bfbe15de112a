import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';

// What a newcomer sees, end to end, against the real server in demo mode.

const ARTIFACTS = resolve(__dirname, '../artifacts');
const DEMO_EVENT = 'Hackathon Données Ouvertes de Dakar 2026';
const DEMO_ORGANISATION = 'Ville de Dakar';
const DEMO_CHALLENGE = 'Mobilité urbaine';

const header = (page: Page) => page.getByRole('banner');
const accountName = (page: Page) => header(page).getByTestId('account-name');

test('a newcomer signs up, signs in again, reads an event in French and stays signed in after a reload', async ({
  page,
}) => {
  const name = 'Awa Diop';
  const email = `awa.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.org`;
  const password = 'une phrase assez longue';

  // The home page lists the demo event.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const card = page.getByRole('listitem').filter({ hasText: DEMO_EVENT });
  await expect(card).toBeVisible();
  await expect(card).toContainText(DEMO_ORGANISATION);
  await expect(card).toContainText(/\d+ challenges?/);

  // Sign up.
  await header(page).getByRole('link', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(accountName(page)).toHaveText(name);

  // Sign out, then back in.
  await header(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(accountName(page)).toHaveCount(0);
  await header(page).getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(accountName(page)).toHaveText(name);

  // Open the demo event and read its challenges.
  await page.getByRole('link', { name: DEMO_EVENT }).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_EVENT })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Challenges/ })).toBeVisible();
  await expect(page.getByTestId('challenge-list')).toContainText(DEMO_CHALLENGE);
  const eventUrl = page.url();

  // Switch to French.
  await header(page).getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(header(page).getByRole('link', { name: 'Événements', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Défis/ })).toBeVisible();
  await expect(header(page).getByRole('button', { name: 'Se déconnecter' })).toBeVisible();

  // A reload keeps both the session (refresh cookie) and the language (local storage).
  await page.reload();
  await expect(page).toHaveURL(eventUrl);
  await expect(accountName(page)).toHaveText(name);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 2, name: /Défis/ })).toBeVisible();
  await expect(page.getByTestId('challenge-list')).toContainText(DEMO_CHALLENGE);
  await page.screenshot({ path: `${ARTIFACTS}/foundation-event-fr.png`, fullPage: true });
});

test('a wrong password shows the error in the reader’s language and stays on the sign-in page', async ({
  page,
}) => {
  await page.goto('/sign-in');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email address').fill('participant@demo.test');
  await form.getByLabel('Password').fill('not-the-demo-password');
  await form.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(accountName(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Français' }).click();
  await expect(alert).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a too-short password is refused next to its input without calling the server', async ({
  page,
}) => {
  const registerCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/auth/register')) registerCalls.push(request.url());
  });

  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Moussa Ndiaye');
  await page.getByLabel('Email address').fill('moussa@example.org');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create my account' }).click();

  const password = page.getByLabel('Password');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-password-error')).toHaveText('This is too short.');
  await expect(password).toBeFocused();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Your name')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(registerCalls).toEqual([]);
});

test('a demo participant signs in and an unknown address shows the not-found page', async ({ page }) => {
  await page.goto('/sign-in');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email address').fill('participant@demo.test');
  await form.getByLabel('Password').fill('demo-password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(accountName(page)).not.toBeEmpty();

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the events' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: DEMO_EVENT })).toBeVisible();
});

test('the home page fits a 360 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto('/');
  await expect(page.getByRole('listitem').filter({ hasText: DEMO_EVENT })).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${ARTIFACTS}/home-phone.png`, fullPage: true });
});
