import { expect, test, type APIRequestContext, type Page, type WebSocketRoute } from '@playwright/test';
import { resolve } from 'node:path';

// Live updates: what an organiser changes through the API reaches the pages that are open,
// without a reload, and the header says whether the link is up.

const ARTIFACTS = resolve(__dirname, '../artifacts');
const DEMO_EVENT = 'Hackathon Données Ouvertes de Dakar 2026';

const indicator = (page: Page) => page.getByRole('banner').getByTestId('connection');
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

type EventFields = { title?: string; venue?: string };

/** The organiser of the demo event, through the REST API (no browser involved). */
async function organiser(request: APIRequestContext) {
  const login = await request.post('/api/v1/auth/login', {
    data: { email: 'organiser@demo.test', password: 'demo-password' },
  });
  expect(login.ok(), await login.text()).toBeTruthy();
  const token: string = (await login.json()).access_token;
  const list = await request.get('/api/v1/events');
  const event = (await list.json()).items.find((e: { title: string }) => e.title === DEMO_EVENT);
  expect(event, `the demo event "${DEMO_EVENT}" is listed`).toBeTruthy();
  const original: EventFields = { title: event.title, venue: event.venue };
  const patch = async (fields: EventFields) => {
    const res = await request.patch(`/api/v1/events/${event.id}`, {
      headers: { Authorization: `Bearer ${token}` },
      data: fields,
    });
    expect(res.status(), await res.text()).toBe(200);
  };
  return { id: event.id as string, original, patch };
}

/** Marks the page; the mark survives only as long as the page is not reloaded. */
async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __kept: boolean }).__kept = true));
}
async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __kept?: boolean }).__kept)).toBe(true);
}

test('a spectator sees the organiser’s change on the event page and the home page without reloading', async ({
  page,
  context,
  request,
}) => {
  const event = await organiser(request);
  const title = `Dakar Open Data Hackathon ${Date.now() % 100000}`;
  const venue = 'Place de l’Indépendance, Dakar';

  // The spectator has the event page and the home page open, both live.
  await page.goto(`/events/${event.id}`);
  await expect(heading(page)).toHaveText(DEMO_EVENT);
  await expect(indicator(page)).toHaveAttribute('data-state', 'live');
  await expect(indicator(page)).toContainText('Live');
  const home = await context.newPage();
  await home.goto('/');
  await expect(home.getByRole('listitem').filter({ hasText: DEMO_EVENT })).toBeVisible();
  await expect(indicator(home)).toHaveAttribute('data-state', 'live');
  await markNoReload(page);
  await markNoReload(home);

  try {
    await event.patch({ title, venue });

    await expect(heading(page)).toHaveText(title);
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(title);
    await expect(page.getByRole('definition').filter({ hasText: venue })).toBeVisible();
    await expect(page).toHaveTitle(`${title} · Hackops`);
    const card = home.getByRole('listitem').filter({ hasText: title });
    await expect(card).toBeVisible();
    await expect(card).toContainText(venue);
    await expect(home.getByRole('listitem').filter({ hasText: DEMO_EVENT })).toHaveCount(0);
    await expectNoReload(page);
    await expectNoReload(home);
    await expect(indicator(page)).toContainText('Live');
    await page.screenshot({ path: `${ARTIFACTS}/realtime-live.png` });
  } finally {
    await event.patch(event.original);
  }
  // And back: the original title comes back the same way.
  await expect(heading(page)).toHaveText(DEMO_EVENT);
  await expect(home.getByRole('listitem').filter({ hasText: DEMO_EVENT })).toBeVisible();
});

test('the indicator says when the link drops, catches up on reconnecting, and follows the browser going offline', async ({
  page,
  context,
  request,
}) => {
  const event = await organiser(request);
  const title = `Hackathon de Dakar ${Date.now() % 100000}`;

  // Every socket of the page goes through here: the test can drop it, refuse new ones, and
  // read what the page sends.
  const sockets: WebSocketRoute[] = [];
  const sent: string[] = [];
  let refuse = false;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (refuse) {
      void ws.close({ code: 4008, reason: 'refused by the test' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      sent.push(String(message));
      server.send(message);
    });
    sockets.push(ws);
  });

  await page.goto(`/events/${event.id}`);
  await expect(heading(page)).toHaveText(DEMO_EVENT);
  await page.getByRole('banner').getByRole('button', { name: 'Français' }).click();
  await expect(indicator(page)).toHaveAttribute('data-state', 'live');
  await expect(indicator(page)).toContainText('En direct');
  const topic = `event:${event.id}`;
  expect(sent.map((m) => JSON.parse(m))).toContainEqual({ type: 'subscribe', topic, since: null });
  await markNoReload(page);

  try {
    // The link drops and the server cannot be reached for a while.
    refuse = true;
    await sockets[sockets.length - 1].close({ code: 4008, reason: 'slow consumer (test)' });
    await expect(indicator(page)).toHaveAttribute('data-state', 'reconnecting');
    await expect(indicator(page)).toContainText('Reconnexion…');

    // Meanwhile the organiser renames the event; once the link is back, the page catches up
    // (it re-subscribes with the version it holds, and gets the newer state).
    await event.patch({ title });
    sent.length = 0;
    refuse = false;
    await expect(indicator(page)).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await expect(heading(page)).toHaveText(title);
    const again = sent.map((m) => JSON.parse(m)).find((m) => m.type === 'subscribe' && m.topic === topic);
    expect(typeof again?.since).toBe('number');

    // The browser goes offline, then online again.
    await context.setOffline(true);
    await expect(indicator(page)).toHaveAttribute('data-state', 'offline');
    await expect(indicator(page)).toContainText('Hors ligne');
    await context.setOffline(false);
    await expect(indicator(page)).toHaveAttribute('data-state', 'live');
    await expectNoReload(page);
  } finally {
    refuse = false;
    await context.setOffline(false);
    await event.patch(event.original);
  }
  await expect(heading(page)).toHaveText(DEMO_EVENT);
});
