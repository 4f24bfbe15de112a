import { expect, type Browser, type Page } from '@playwright/test';
import { resolve } from 'node:path';

// The people of the e2e journeys, each in a browser context of their own, and what the
// specs share about the demo data.

export const ARTIFACTS = resolve(__dirname, '../artifacts');
export const DEMO_EVENT = 'Hackathon Données Ouvertes de Dakar 2026';
export const DEMO_PASSWORD = 'demo-password';

/** A short suffix that keeps names and emails unique within a run (the demo data is shared). */
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Someone new, signed up under `name`, on the home page. */
export async function newcomer(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(`${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}@example.org`);
  await page.getByLabel('Password').fill('une phrase assez longue');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  return page;
}

/** One of the demo accounts, signed in, on the home page. */
export async function demoAccount(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-in');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  return page;
}

/** From the home page to the demo event's page. */
export async function openDemoEvent(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: DEMO_EVENT }).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_EVENT })).toBeVisible();
}
