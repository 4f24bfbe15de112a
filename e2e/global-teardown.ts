import { rmSync } from 'node:fs';

// Removes the temporary data directory the config created (never one given by E2E_DATA_DIR).
export default function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && process.env.E2E_DATA_DIR_TEMPORARY === '1') {
    rmSync(dir, { recursive: true, force: true });
  }
}
