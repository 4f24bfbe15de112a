import { expect, test } from '@playwright/test';
import { ARTIFACTS, demoAccount, unique } from './people';

// The open data pool in the browser: a spectator browses, searches and filters it and opens a
// demo dataset; the demo organiser publishes a dataset (bad input first), uploads a CSV file
// with a progress bar, and finds the dataset in the search.

test('a spectator browses and searches the pool and opens a demo dataset', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Open data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open data pool' })).toBeVisible();
  const results = page.getByTestId('pool-results');
  await expect(results.getByTestId('dataset-card').first()).toBeVisible();
  await expect(results).toContainText('Stations du BRT de Dakar');
  await page.screenshot({ path: `${ARTIFACTS}/pool-list.png`, fullPage: true });

  // Full-text search: the address keeps it.
  const search = page.getByTestId('pool-search');
  await search.getByLabel('Search the datasets').fill('bornes');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/datasets\?q=bornes$/);
  await expect(results.getByTestId('dataset-card')).toHaveCount(1);
  await expect(results).toContainText('Bornes-fontaines de Dakar');
  await expect(page.getByTestId('pool-count')).toHaveText('1 dataset');

  // A filter applies as soon as it is chosen; together with the words, nothing matches.
  await search.getByLabel('Licence').selectOption('ODbL-1.0');
  await expect(page).toHaveURL(/licence=ODbL-1\.0/);
  await expect(page.getByTestId('pool-empty')).toBeVisible();
  await page.getByRole('link', { name: 'Clear the search' }).click();
  await search.getByLabel('Licence').selectOption('ODbL-1.0');
  await expect(results.getByTestId('dataset-card')).toHaveCount(1);
  await expect(results).toContainText('Stations du BRT de Dakar');
  await expect(results.getByTestId('dataset-card')).toContainText('Open Data Commons Open Database License 1.0');
  await expect(results.getByTestId('dataset-card')).toContainText('CSV');

  // The dataset's page: licence, publisher, keywords, its file with size and fingerprint.
  await results.getByRole('link', { name: 'Stations du BRT de Dakar' }).click();
  await expect(page).toHaveURL(/\/datasets\/stations-brt-dakar$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Stations du BRT de Dakar' })).toBeVisible();
  const facts = page.getByTestId('dataset-facts');
  await expect(facts.getByRole('link', { name: 'Open Data Commons Open Database License 1.0' })).toHaveAttribute(
    'href',
    'https://opendatacommons.org/licenses/odbl/1-0/',
  );
  await expect(facts).toContainText('Ville de Dakar');
  await expect(facts).toContainText('transport');
  await expect(facts).toContainText('donnees@demo.test');
  const resource = page.getByTestId('resource').first();
  await expect(resource).toContainText('CSV');
  await expect(resource).toContainText('SHA-256');
  await expect(resource.getByRole('link', { name: 'Download' })).toHaveAttribute('href', /\/api\/v1\/resources\/.+\/download$/);
  await expect(page.getByRole('link', { name: 'DCAT-AP (JSON-LD)' })).toHaveAttribute('href', '/dataset/stations-brt-dakar.jsonld');
  await expect(page.getByRole('link', { name: 'Frictionless Data Package' })).toHaveAttribute(
    'href',
    '/dataset/stations-brt-dakar/datapackage.json',
  );
  // A spectator gets no upload form.
  await expect(page.getByTestId('upload-form')).toHaveCount(0);
  await page.screenshot({ path: `${ARTIFACTS}/pool-dataset.png`, fullPage: true });

  // The download is the file itself.
  const href = await resource.getByRole('link', { name: 'Download' }).getAttribute('href');
  const file = await page.request.get(href!);
  expect(file.status()).toBe(200);
  expect(await file.text()).toContain(',');

  // In French too; on a phone, nothing overflows.
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Fichiers et liens' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${ARTIFACTS}/pool-dataset-360-fr.png`, fullPage: true });
  await page.goto('/datasets');
  await expect(page.getByTestId('dataset-card').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${ARTIFACTS}/pool-list-360-fr.png`, fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
});

test('an organiser publishes a dataset and uploads a file with a progress bar', async ({ browser }) => {
  const title = `Arrêts des cars rapides ${unique()}`;
  const organiser = await demoAccount(browser, 'organiser@demo.test');
  await organiser.getByRole('link', { name: 'Open data' }).click();
  await organiser.getByRole('link', { name: 'Publish a dataset' }).click();
  await expect(organiser.getByRole('heading', { level: 1, name: 'Publish a dataset' })).toBeVisible();

  // Bad input: no title, an email that is not one; the fields say so, nothing is created.
  const form = organiser.getByTestId('new-dataset-form');
  await form.getByLabel('Contact').fill('pas-un-email');
  await form.getByRole('button', { name: 'Publish the dataset' }).click();
  await expect(organiser.getByTestId('form-error')).toBeVisible();
  await expect(form.locator('.field-invalid')).toHaveCount(2);
  await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('This field is required.')).toBeVisible();
  await expect(form.getByText('Enter a valid email address.')).toBeVisible();
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-new-errors.png`, fullPage: true });

  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('Les arrêts des **cars rapides** relevés en 2026.');
  await form.getByLabel('Licence').selectOption('CC-BY-4.0');
  await form.getByLabel('Keywords').fill('Transport, cars rapides');
  await form.getByLabel('Themes').fill('mobilité');
  // The period covered: a last day before the first is refused, naming the field.
  await form.getByLabel('Period covered: first day').fill('2026-03-31');
  await form.getByLabel('Period covered: last day').fill('2026-01-01');
  await form.getByRole('button', { name: 'Publish the dataset' }).click();
  await expect(form.getByLabel('Period covered: last day')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Period covered: first day').fill('2026-01-01');
  await form.getByLabel('Period covered: last day').fill('2026-03-31');
  await form.getByLabel('Area covered').fill('Dakar, Sénégal');
  await form.getByLabel('Update frequency').selectOption('monthly');
  await form.getByLabel('Contact').fill('donnees@demo.test');
  await form.getByRole('button', { name: 'Publish the dataset' }).click();

  // Its page, with the upload form for its organisers.
  await expect(organiser.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(organiser.getByTestId('dataset-facts')).toContainText('Monthly');
  await expect(organiser.getByTestId('dataset-facts')).toContainText('mobilité');
  const period = organiser.getByTestId('dataset-temporal');
  await expect(period).toContainText('January');
  await expect(period).toContainText('March 2026');
  await expect(organiser.getByText('No file or link yet.')).toBeVisible();
  const upload = organiser.getByTestId('upload-form');
  // No file chosen: the field says so.
  await upload.getByRole('button', { name: 'Upload the file' }).click();
  await expect(upload.getByText('This field is required.').first()).toBeVisible();

  const rows = ['arret,ligne,latitude,longitude'];
  for (let i = 0; i < 20000; i++) rows.push(`Arrêt ${i},${i % 40},14.${700000 + i},-17.${400000 + i}`);
  const csv = Buffer.from(rows.join('\n') + '\n');
  await upload.getByLabel('File').setInputFiles({ name: 'arrets.csv', mimeType: 'text/csv', buffer: csv });
  await upload.getByLabel('Title').fill('Arrêts');
  await upload.getByRole('button', { name: 'Upload the file' }).click();
  const progress = upload.getByTestId('upload-progress');
  await expect(progress.locator('progress')).toHaveAttribute('value', '100');
  await expect(progress).toContainText('100%');
  const resource = organiser.getByTestId('resource');
  await expect(resource).toHaveCount(1);
  await expect(resource).toContainText('Arrêts');
  await expect(resource).toContainText('CSV');
  const kb = (csv.length / 1000).toFixed(0);
  await expect(resource.getByTestId('resource-size')).toContainText(' kB');
  expect(Number.parseFloat((await resource.getByTestId('resource-size').textContent())!)).toBeCloseTo(Number(kb), -1);
  await expect(upload.getByLabel('Title')).toHaveValue('');

  // The CSV's first rows and its inferred column types; the publisher corrects one, and the
  // correction is what a reload shows.
  await resource.getByText('Preview the first rows and the columns').click();
  const table = resource.getByTestId('preview-table');
  await expect(table.locator('thead th')).toHaveCount(4);
  await expect(table.locator('tbody tr')).toHaveCount(20);
  await expect(table).toContainText('Arrêt 0');
  const schema = resource.getByTestId('schema-form');
  await expect(schema.getByLabel('ligne')).toHaveValue('integer');
  await expect(schema.getByLabel('latitude')).toHaveValue('number');
  await schema.getByLabel('ligne').selectOption('string');
  await schema.getByRole('button', { name: "Save the columns' types" }).click();
  await expect(schema.getByRole('button', { name: "Save the columns' types" })).toBeEnabled();
  await organiser.reload();
  await organiser.getByTestId('resource').getByText('Preview the first rows and the columns').click();
  await expect(organiser.getByTestId('schema-form').getByLabel('ligne')).toHaveValue('string');
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-preview.png`, fullPage: true });

  // A remote link, refused without an address first.
  const link = organiser.getByTestId('link-form');
  await link.getByLabel('Title').fill('Portail de la ville');
  await link.getByRole('button', { name: 'Add the link' }).click();
  await expect(link.getByText('Enter a valid web address (https://…).')).toBeVisible();
  await link.getByLabel('Address (URL)').fill('https://www.villededakar.sn/donnees/arrets.geojson');
  await link.getByRole('button', { name: 'Add the link' }).click();
  await expect(resource).toHaveCount(2);
  await expect(resource.nth(1)).toContainText('GeoJSON');
  await expect(resource.nth(1).getByRole('link', { name: 'Open the link' })).toHaveAttribute(
    'href',
    'https://www.villededakar.sn/donnees/arrets.geojson',
  );
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-upload.png`, fullPage: true });
  const datasetUrl = organiser.url();

  // On a phone, signed in with three links in the navigation: nothing overflows.
  await organiser.setViewportSize({ width: 360, height: 800 });
  expect(await organiser.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-upload-360.png`, fullPage: true });
  await organiser.getByRole('button', { name: 'Français' }).click();
  await expect(organiser.getByRole('heading', { level: 2, name: 'Ajouter un fichier' })).toBeVisible();
  expect(await organiser.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-upload-360-fr.png` });
  // The three links of the navigation share one row.
  const nav = organiser.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link');
  const tops = await nav.evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
  await organiser.getByRole('button', { name: 'English' }).click();
  await organiser.setViewportSize({ width: 1280, height: 800 });

  // The new dataset is in the pool, found by its words and its format.
  await organiser.getByRole('link', { name: 'Open data' }).first().click();
  const search = organiser.getByTestId('pool-search');
  await search.getByLabel('Search the datasets').fill('cars rapides');
  await search.getByRole('button', { name: 'Search' }).click();
  const card = organiser.getByTestId('dataset-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(title);
  await expect(card).toContainText('Creative Commons Attribution 4.0 International');
  await expect(card).toContainText('GeoJSON');
  await expect(card).toContainText('cars rapides');
  await search.getByLabel('Format').selectOption('CSV');
  await expect(organiser).toHaveURL(/format=CSV/);
  await expect(card).toHaveCount(1);
  // The themes offered are the pool's, with their counts; choosing one filters by it.
  await search.getByLabel('Search the datasets').fill('');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(search.getByLabel('Theme').locator('option', { hasText: 'mobilité (1)' })).toHaveCount(1);
  await search.getByLabel('Theme').selectOption('mobilité');
  await expect(organiser).toHaveURL(/theme=mobilit%C3%A9/);
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(title);

  // Harvesting this pool's own CKAN answer for the dataset: a report with one dataset created.
  const name = new URL(datasetUrl).pathname.split('/').pop();
  await organiser.getByRole('link', { name: 'Import a catalogue' }).click();
  await expect(organiser.getByRole('heading', { level: 1, name: 'Import a catalogue' })).toBeVisible();
  const harvest = organiser.getByTestId('harvest-form');
  await harvest.getByLabel('Catalogue address').fill(`${new URL(datasetUrl).origin}/api/3/action/package_show?id=${name}`);
  await harvest.getByLabel('Format').selectOption('ckan');
  await harvest.getByRole('button', { name: 'Import' }).click();
  const report = organiser.getByTestId('harvest-report');
  await expect(report).toBeVisible();
  await expect(report.locator('.stats')).toContainText('Created1');
  await expect(report.getByRole('link', { name: title })).toBeVisible();
  await organiser.screenshot({ path: `${ARTIFACTS}/pool-harvest.png`, fullPage: true });
  await organiser.close();
});

test('the harvest form explains a source it cannot read', async ({ browser }) => {
  const organiser = await demoAccount(browser, 'organiser@demo.test');
  await organiser.goto('/datasets/harvest');
  await expect(organiser.getByRole('heading', { level: 1, name: 'Import a catalogue' })).toBeVisible();
  const form = organiser.getByTestId('harvest-form');
  await form.getByLabel('Catalogue address').fill('pas une adresse');
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByText('Enter a valid web address (https://…).')).toBeVisible();
  // Our own server is no catalogue: nothing is imported and the server says why.
  await form.getByLabel('Catalogue address').fill(`${new URL(organiser.url()).origin}/healthz`);
  await form.getByLabel('Format').selectOption('ckan');
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(organiser.getByTestId('form-error')).toBeVisible();
  await expect(organiser.getByTestId('harvest-report')).toHaveCount(0);
  await organiser.close();
});
