import { expect, test, type Browser, type Page } from '@playwright/test';
import { resolve } from 'node:path';

// Event operations against the real server in demo mode: participants register and team up,
// the organiser talks to everyone and moves the event along, a spectator watches it live.
// The demo data is shared by every spec of a run: names here are unique, and the phase change
// comes last (it expects the demo event still in registration, i.e. a fresh server).

const ARTIFACTS = resolve(__dirname, '../artifacts');
const DEMO_EVENT = 'Hackathon Données Ouvertes de Dakar 2026';
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

async function eventPage(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: DEMO_EVENT }).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_EVENT })).toBeVisible();
}

async function newParticipant(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(`${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}@example.org`);
  await page.getByLabel('Password').fill('une phrase assez longue');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await eventPage(page);
  return page;
}

async function register(page: Page): Promise<void> {
  const form = page.getByTestId('register-form');
  await form.getByLabel('Your skills').fill('python, cartographie');
  // Both terms are required: the form says so before anything is sent.
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.locator('.field-error')).toHaveCount(2);
  await form.getByLabel('I have read and accept the code of conduct').check();
  await form.getByLabel(/I agree that the organisers use my name/).check();
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('registration-status')).toHaveText('Registered');
}

async function signInOrganiser(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-in');
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Email address').fill('organiser@demo.test');
  await form.getByLabel('Password').fill('demo-password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await eventPage(page);
  await page.getByRole('link', { name: 'Open the control room' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Control room' })).toBeVisible();
  await expect(page.getByTestId('stats')).toBeVisible();
  return page;
}

test('two newcomers register, one creates a team, the other joins with its invite code', async ({ browser }) => {
  const team = `Équipe ${unique()}`;
  const first = await newParticipant(browser, 'Aminata Ndiaye');
  await register(first);
  const create = first.getByTestId('create-team-form');
  await create.getByLabel('Team name').fill(team);
  await create.getByLabel('Challenge').selectOption({ label: 'Mobilité urbaine' });
  await create.getByRole('button', { name: 'Create the team' }).click();
  const mine = first.getByTestId('my-team');
  await expect(mine).toContainText(team);
  await expect(first.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(1);
  await expect(first.getByTestId('my-team-members')).toContainText('Captain');
  const code = (await first.getByTestId('invite-code').textContent())?.trim() ?? '';
  expect(code.length).toBeGreaterThan(3);

  const second = await newParticipant(browser, 'Moussa Diallo');
  await register(second);
  const join = second.getByTestId('join-team-form');
  await join.getByLabel('Invite code').fill(code);
  await join.getByRole('button', { name: 'Join the team' }).click();
  await expect(second.getByTestId('my-team')).toContainText(team);
  await expect(second.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(2);

  // The captain's page follows the event live: the new member shows up without a reload.
  await expect(first.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(2);
  await expect(first.getByTestId('my-team-members')).toContainText('Moussa Diallo');
  await expect(first.getByTestId('teams')).toContainText(team);
  await first.screenshot({ path: `${ARTIFACTS}/participant-event.png`, fullPage: true });
});

test('a spectator sees the organiser’s announcement appear, then the event move to Hacking', async ({ browser }) => {
  const spectator = await (await browser.newContext()).newPage();
  await eventPage(spectator);
  await expect(spectator.getByTestId('announcements')).toBeVisible();
  await expect(spectator.getByTestId('countdown')).toContainText('Hacking starts in');
  await expect(spectator.getByTestId('agenda')).toBeVisible();
  await expect(spectator.locator('.conn[data-state="live"]')).toBeVisible();

  const organiser = await signInOrganiser(browser);
  const message = `Le bus 7 part à 8 h 30 (${unique()})`;
  const composer = organiser.getByTestId('composer');
  await composer.getByLabel('Message').fill(message);
  await composer.getByLabel('Audience').selectOption('everyone');
  await composer.getByRole('button', { name: 'Publish' }).click();
  await expect(composer.getByLabel('Message')).toHaveValue('');
  await expect(organiser.getByTestId('announcements')).toContainText(message);

  // No reload: the announcement arrives through the live link.
  await expect(spectator.getByTestId('announcements')).toContainText(message);

  // The phase change, behind a confirmation.
  await organiser.getByTestId('phase-next').click();
  const dialog = organiser.getByRole('alertdialog');
  await expect(dialog).toContainText('Change the phase now?');
  await dialog.getByRole('button', { name: 'Yes, change the phase' }).click();
  await expect(organiser.getByRole('alertdialog')).toHaveCount(0);
  await expect(organiser.locator('.phase-now')).toContainText('Hacking');
  await organiser.screenshot({ path: `${ARTIFACTS}/organiser-control-room.png`, fullPage: true });

  await expect(spectator.locator('.event-badges')).toContainText('Hacking');
  await expect(spectator.getByText('Hacking starts in')).toHaveCount(0);
  await spectator.screenshot({ path: `${ARTIFACTS}/spectator-event.png`, fullPage: true });
});
