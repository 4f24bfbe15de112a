import { expect, test, type Browser, type Page } from '@playwright/test';
import { ARTIFACTS, demoAccount, newcomer, openDemoEvent, unique } from './people';

// Event operations against the real server in demo mode: participants register and team up,
// the organiser talks to everyone and moves the event along, a spectator watches it live.
// The demo data is shared by every spec of a run: names here are unique, and the phase change
// comes last (it expects the demo event still in registration, i.e. a fresh server).

async function newParticipant(browser: Browser, name: string): Promise<Page> {
  const page = await newcomer(browser, name);
  await openDemoEvent(page);
  return page;
}

async function register(page: Page, lookingForTeam = false): Promise<void> {
  const form = page.getByTestId('register-form');
  await form.getByLabel('Your skills').fill('python, cartographie');
  if (lookingForTeam) await form.getByLabel('I am looking for a team').check();
  // Both terms are required: the form says so before anything is sent.
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.locator('.field-error')).toHaveCount(2);
  await form.getByLabel('I have read and accept the code of conduct').check();
  await form.getByLabel(/I agree that the organisers use my name/).check();
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('registration-status')).toHaveText('Registered');
}

async function signInOrganiser(browser: Browser): Promise<Page> {
  const page = await demoAccount(browser, 'organiser@demo.test');
  await openDemoEvent(page);
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
  await register(second, true);
  // The captain finds him on the "looking for a team" board, filtered by skill.
  const seekers = first.getByTestId('seekers-board');
  await first.getByLabel('Filter by skill').fill('carto');
  await first.getByLabel('Filter by skill').press('Enter');
  await expect(seekers).toContainText('Moussa Diallo');
  await expect(seekers).toContainText('cartographie');
  // A third newcomer asks to join instead; the captain accepts from her page.
  const third = await newParticipant(browser, 'Khadija Sow');
  await register(third);
  const ask = third.getByTestId('ask-team-form');
  await ask.getByLabel('Team', { exact: true }).selectOption({ label: team });
  await ask.getByLabel('A word for the captain').fill('Je fais de la cartographie.');
  await ask.getByRole('button', { name: 'Send my request' }).click();
  await expect(third.getByTestId('my-join-requests')).toContainText('Waiting for the captain');
  const requests = first.getByTestId('join-requests');
  await expect(requests).toContainText('Khadija Sow');
  await expect(requests).toContainText('Je fais de la cartographie.');
  await requests.getByRole('button', { name: 'Accept' }).click();
  await expect(third.getByTestId('my-team')).toContainText(team);
  await expect(first.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(2);

  const join = second.getByTestId('join-team-form');
  await join.getByLabel('Invite code').fill(code);
  await join.getByRole('button', { name: 'Join the team' }).click();
  await expect(second.getByTestId('my-team')).toContainText(team);
  await expect(second.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(3);

  // The captain's page follows the event live: the new member shows up without a reload.
  await expect(first.getByTestId('my-team-members').getByRole('listitem')).toHaveCount(3);
  await expect(first.getByTestId('my-team-members')).toContainText('Moussa Diallo');
  await expect(first.getByTestId('teams')).toContainText(team);
  // In a team now, he is off the board.
  await expect(seekers).not.toContainText('Moussa Diallo');
  await first.screenshot({ path: `${ARTIFACTS}/participant-event.png`, fullPage: true });

  // The dashboard shows his event, his team and its invite code.
  await second.getByRole('link', { name: 'My events' }).click();
  await expect(second.getByTestId('dashboard-team')).toContainText(team);
  await expect(second.getByTestId('dashboard-team')).toContainText(code);
  await second.screenshot({ path: `${ARTIFACTS}/participant-dashboard.png`, fullPage: true });
  await second.goBack();

  // The captain hands over the captaincy; both pages follow.
  await first.getByTestId('captain-tools').getByLabel('New captain').selectOption({ label: 'Moussa Diallo' });
  await first.getByRole('button', { name: 'Hand over the captaincy' }).click();
  await expect(first.getByTestId('captain-tools')).toHaveCount(0);
  await expect(second.getByTestId('captain-tools')).toBeVisible();

  // The new captain dissolves the team, behind a confirmation; both are teamless again.
  await second.getByRole('button', { name: 'Dissolve the team' }).click();
  await second.getByRole('alertdialog').getByRole('button', { name: 'Yes, dissolve it' }).click();
  await expect(second.getByTestId('create-team-form')).toBeVisible();
  await expect(first.getByTestId('create-team-form')).toBeVisible();
  await expect(first.getByTestId('teams')).not.toContainText(team);
});

test('a spectator sees the organiser’s announcement appear, then the event move to Hacking', async ({ browser }) => {
  const spectator = await (await browser.newContext()).newPage();
  await openDemoEvent(spectator);
  await expect(spectator.getByTestId('announcements')).toBeVisible();
  await expect(spectator.getByTestId('countdown')).toContainText('Hacking starts in');
  await expect(spectator.getByTestId('agenda')).toBeVisible();
  await expect(spectator.locator('.conn[data-state="live"]')).toBeVisible();

  // A registered participant (the demo's Fatou) follows the same page, signed in.
  const participant = await demoAccount(browser, 'participant@demo.test');
  await openDemoEvent(participant);
  await expect(participant.getByTestId('my-team')).toBeVisible();

  const organiser = await signInOrganiser(browser);
  const message = `Le bus 7 part à 8 h 30 (${unique()})`;
  const composer = organiser.getByTestId('composer');
  await composer.getByLabel('Message').fill(message);
  await composer.getByLabel('Audience').selectOption('everyone');
  await composer.getByRole('button', { name: 'Publish' }).click();
  await expect(composer.getByLabel('Message')).toHaveValue('');
  await expect(organiser.getByTestId('announcements')).toContainText(message);

  // No reload: the announcement arrives through the live link, for both.
  await expect(spectator.getByTestId('announcements')).toContainText(message);
  await expect(participant.getByTestId('announcements')).toContainText(message);

  // Pinned from the control room, it goes to the top of everyone's list.
  const notice = organiser.getByTestId('announcements').getByRole('listitem').filter({ hasText: message });
  await notice.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(notice).toContainText('Pinned');
  const spectatorNotice = spectator.getByTestId('announcements').getByRole('listitem').filter({ hasText: message });
  await expect(spectatorNotice).toContainText('Pinned');

  // Her team's datasets: the open ones now; the TER timetable is under embargo until hacking.
  const datasets = participant.getByTestId('team-datasets');
  await expect(datasets).toContainText('Stations du BRT de Dakar');
  await expect(datasets).not.toContainText('Horaires du TER');

  // The organiser publishes a new dataset in the pool, uploads its CSV (the progress bar reaches
  // 100 %), then attaches it to her challenge under embargo.
  const published = `Fréquentation des lignes ${unique()}`;
  const pool = await organiser.context().newPage();
  await pool.goto('/datasets/new');
  const publish = pool.getByTestId('new-dataset-form');
  await publish.getByLabel('Title').fill(published);
  await publish.getByLabel('Description').fill('Montées par ligne et par jour (données synthétiques).');
  await publish.getByLabel('Licence').selectOption('CC-BY-4.0');
  await publish.getByRole('button', { name: 'Publish the dataset' }).click();
  await expect(pool.getByRole('heading', { level: 1, name: published })).toBeVisible();
  const upload = pool.getByTestId('upload-form');
  const rows = ['ligne,jour,montees'];
  for (let i = 0; i < 5000; i++) rows.push(`${i % 40},2026-11-${String((i % 28) + 1).padStart(2, '0')},${i * 7 % 900}`);
  await upload.getByLabel('File').setInputFiles({ name: 'frequentation.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await upload.getByLabel('Title').fill('Montées');
  await upload.getByRole('button', { name: 'Upload the file' }).click();
  await expect(upload.getByTestId('upload-progress').locator('progress')).toHaveAttribute('value', '100');
  await expect(pool.getByTestId('resource')).toContainText('Montées');
  await pool.close();

  await organiser.getByRole('link', { name: 'Datasets' }).click();
  const attach = organiser.getByTestId('attach-form');
  await attach.getByLabel('Challenge').selectOption({ label: 'Mobilité urbaine' });
  await attach.getByLabel('Dataset').selectOption({ label: published });
  await expect(attach.getByLabel('Keep it under embargo until hacking starts')).toBeChecked();
  await attach.getByRole('button', { name: 'Attach' }).click();
  const attached = organiser.getByTestId('attached-datasets').getByRole('listitem');
  await expect(attached.filter({ hasText: published }).filter({ hasText: 'Mobilité urbaine' }))
    .toContainText('Embargoed until hacking');
  await expect(datasets).not.toContainText(published);
  await organiser.getByRole('link', { name: 'Live' }).click();

  // The phase change, behind a confirmation.
  await organiser.getByTestId('phase-next').click();
  const dialog = organiser.getByRole('alertdialog');
  await expect(dialog).toContainText('Change the phase now?');
  await dialog.getByRole('button', { name: 'Yes, change the phase' }).click();
  await expect(organiser.getByRole('alertdialog')).toHaveCount(0);
  await expect(organiser.locator('.phase-now')).toContainText('Hacking');
  // The schedule keeps only what is still ahead.
  await expect(organiser.getByTestId('schedule-list')).toContainText('Judging');
  await expect(organiser.getByTestId('schedule-list')).not.toContainText('Hacking');
  await organiser.screenshot({ path: `${ARTIFACTS}/organiser-control-room.png`, fullPage: true });

  await expect(spectator.locator('.event-badges')).toContainText('Hacking');
  await expect(spectator.getByText('Hacking starts in')).toHaveCount(0);
  // The countdown moves on to the next scheduled milestone.
  await expect(spectator.getByTestId('countdown')).toContainText('Judging starts in');
  await expect(participant.getByTestId('countdown')).toContainText('Judging starts in');
  await spectator.screenshot({ path: `${ARTIFACTS}/spectator-event.png`, fullPage: true });

  // Hacking has started: the embargoed datasets reach the team's page without a reload.
  await expect(datasets).toContainText('Horaires du TER Dakar – Diamniadio');
  await expect(datasets).toContainText(published);
  const mine = datasets.getByTestId('handout-item').filter({ hasText: published });
  await expect(mine).toContainText('Creative Commons Attribution 4.0');
  // No download before the licence is accepted; then a signed link serves the file.
  await expect(mine.getByRole('button', { name: 'Download', exact: true })).toHaveCount(0);
  await mine.getByRole('button', { name: 'I accept: unlock the downloads' }).click();
  const [download] = await Promise.all([
    participant.waitForEvent('download'),
    mine.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/-montees\.csv$/);
  const saved = await download.path();
  expect(require('node:fs').readFileSync(saved, 'utf8').split('\n')[0]).toBe('ligne,jour,montees');
  await participant.screenshot({ path: `${ARTIFACTS}/participant-datasets.png`, fullPage: true });

  // The control room counts the team's download.
  await organiser.getByRole('link', { name: 'Datasets' }).click();
  await expect(organiser.getByTestId('downloads')).toContainText('Les Baobabs');
  await expect(organiser.getByTestId('downloads')).toContainText(published);
});
