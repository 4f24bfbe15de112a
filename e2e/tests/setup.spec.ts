import { expect, test } from '@playwright/test';
import { ARTIFACTS, demoAccount, newcomer, unique } from './people';

// An organiser sets up a new event from nothing: creates it, adds a challenge and an agenda
// session, makes registration moderated, opens registration; a spectator sees it appear live;
// a newcomer registers and waits for approval until the organiser approves them.
// Everything happens on a new event: the demo event stays as the other specs expect it.

test('an organiser creates an event and a challenge, then opens moderated registration', async ({ browser }) => {
  const title = `Hackathon Mobilité Thiès ${unique()}`;
  const organiser = await demoAccount(browser, 'organiser@demo.test');

  // The dashboard lists the demo event the organiser runs.
  await organiser.getByRole('link', { name: 'My events' }).click();
  await expect(organiser.getByRole('heading', { level: 1, name: 'My events' })).toBeVisible();
  await expect(organiser.getByTestId('my-event').first()).toContainText('Organiser');
  await organiser.screenshot({ path: `${ARTIFACTS}/organiser-dashboard.png`, fullPage: true });

  await organiser.getByRole('link', { name: 'Create an event' }).click();
  await expect(organiser.getByRole('heading', { level: 1, name: 'New event' })).toBeVisible();
  const form = organiser.getByTestId('new-event-form');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('Trois jours pour **repenser les transports** à Thiès.');
  await form.getByLabel('Time zone').fill('Africa/Dakar');
  await form.getByLabel('The event takes place online (too)').check();
  await form.getByLabel('Starts').fill('2027-04-10T09:00');
  // Bad input first: an end before the start is refused on the field, nothing is created.
  await form.getByLabel('Ends').fill('2027-04-09T18:00');
  await form.getByRole('button', { name: 'Create an event' }).click();
  await expect(organiser.getByTestId('form-error')).toBeVisible();
  await expect(form.locator('.field-invalid')).toHaveCount(1);
  await form.getByLabel('Ends').fill('2027-04-12T18:00');
  await form.getByRole('button', { name: 'Create an event' }).click();

  // The control room's challenges tab takes over.
  await expect(organiser).toHaveURL(/\/manage\/challenges$/);
  await expect(organiser.getByRole('link', { name: 'Challenges' })).toHaveAttribute('aria-current', 'page');
  await expect(organiser.getByText('No challenge yet.')).toBeVisible();
  const challenge = organiser.getByTestId('challenge-form');
  await challenge.getByLabel('Title').fill('Des cars rapides à l’heure');
  await challenge.getByLabel('Summary').fill('Prévoir les arrivées des cars rapides aux arrêts.');
  await challenge.getByLabel('Prize').fill('500 000 FCFA');
  await challenge.getByRole('button', { name: 'Save the challenge' }).click();
  await expect(organiser.getByTestId('challenge-setup-list')).toContainText('Des cars rapides à l’heure');
  await expect(challenge.getByLabel('Title')).toHaveValue('');

  // An agenda session, on the event's clocks.
  await organiser.getByRole('link', { name: 'Agenda' }).click();
  const session = organiser.getByTestId('agenda-form');
  await session.getByLabel('Title').fill('Lancement officiel');
  await session.getByLabel('Kind').selectOption('kickoff');
  await session.getByLabel('Starts').fill('2027-04-10T09:30');
  await session.getByRole('button', { name: 'Add a session' }).click();
  await expect(organiser.getByTestId('agenda-setup-list')).toContainText('Lancement officiel');
  await expect(organiser.getByTestId('agenda-setup-list')).toContainText('09:30');

  // Moderated registration with a small capacity; the settings survive a reload.
  await organiser.getByRole('link', { name: 'Event & settings' }).click();
  const settings = organiser.getByTestId('settings-form');
  await settings.getByLabel('Capacity').fill('30');
  await settings.getByLabel('An organiser approves each registration').check();
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('button', { name: 'Save' })).toBeEnabled();
  await organiser.reload();
  await expect(organiser.getByTestId('settings-form').getByLabel('Capacity')).toHaveValue('30');
  await expect(organiser.getByTestId('settings-form').getByLabel('An organiser approves each registration')).toBeChecked();
  await expect(organiser.getByTestId('event-form').getByLabel('Starts')).toHaveValue('2027-04-10T09:00');

  // A spectator on the home page, before the event is public.
  const spectator = await (await browser.newContext()).newPage();
  await spectator.goto('/');
  await expect(spectator.getByTestId('event-list')).toBeVisible();
  await expect(spectator.getByRole('link', { name: title })).toHaveCount(0);

  // Open registration, behind the confirmation.
  await organiser.getByRole('link', { name: 'Live' }).click();
  await expect(organiser.locator('.phase-now')).toContainText('Draft');
  await organiser.getByTestId('phase-next').click();
  await organiser.getByRole('alertdialog').getByRole('button', { name: 'Yes, change the phase' }).click();
  await expect(organiser.locator('.phase-now')).toContainText('Registration open');

  // The spectator's list gains the event without a reload; its page shows what was set up.
  await spectator.getByRole('link', { name: title }).click();
  await expect(spectator.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(spectator.getByTestId('challenge-list')).toContainText('Des cars rapides à l’heure');
  await expect(spectator.getByTestId('agenda')).toContainText('Lancement officiel');
  await expect(spectator.locator('.facts')).toContainText('Online');

  // Hacking is scheduled to start by itself: the spectator's countdown appears live.
  await expect(spectator.getByTestId('countdown')).toHaveCount(0);
  const schedule = organiser.getByTestId('schedule-form');
  await schedule.getByLabel('Move to').selectOption('hacking');
  await schedule.getByLabel('At').fill('2027-04-10T09:00');
  await schedule.getByRole('button', { name: 'Schedule' }).click();
  await expect(organiser.getByTestId('schedule-list')).toContainText('Hacking');
  await expect(organiser.getByTestId('schedule-list')).toContainText('09:00');
  await expect(spectator.getByTestId('countdown')).toContainText('Hacking starts in');

  // A newcomer registers and waits for approval.
  const participant = await newcomer(browser, 'Ndeye Fall');
  await participant.goto(spectator.url());
  const register = participant.getByTestId('register-form');
  await register.getByLabel('Your skills').fill('data, transport');
  await register.getByLabel('I have read and accept the code of conduct').check();
  await register.getByLabel(/I agree that the organisers use my name/).check();
  await register.getByRole('button', { name: 'Register' }).click();
  await expect(participant.getByTestId('registration-status')).toHaveText('Awaiting approval');

  // The organiser approves from the queue; the participant's page follows live.
  await organiser.getByRole('link', { name: 'Registrations' }).click();
  const queue = organiser.getByTestId('moderation-queue');
  await expect(queue).toContainText('Ndeye Fall');
  await queue.getByRole('button', { name: 'Approve' }).click();
  await expect(organiser.getByTestId('queue-empty')).toBeVisible();
  await expect(organiser.getByTestId('registrations-list')).toContainText('Ndeye Fall');
  await expect(participant.getByTestId('registration-status')).toHaveText('Registered');
  await expect(participant.getByTestId('create-team-form')).toBeVisible();

  // The control room reads in French too, and fits a phone.
  await organiser.getByRole('button', { name: 'Français' }).click();
  await expect(organiser.getByRole('link', { name: 'Inscriptions' })).toHaveAttribute('aria-current', 'page');
  await expect(organiser.getByRole('heading', { name: 'En attente de validation' })).toBeVisible();
  await organiser.setViewportSize({ width: 360, height: 780 });
  // On a phone the tabs scroll sideways; the current one is brought into sight.
  await organiser.reload();
  await expect(organiser.getByRole('link', { name: 'Inscriptions' })).toBeInViewport();
  const overflow = await organiser.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await organiser.screenshot({ path: `${ARTIFACTS}/organiser-registrations-fr-360.png`, fullPage: true });
});
