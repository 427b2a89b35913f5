/**
 * Headless chromium for the PDF and the browser tests: the system's chromium (Debian's package),
 * driven by playwright-core, never a downloaded browser. playwright-core is imported on demand so
 * that nothing but `build --pdf` (and the browser tests) ever loads it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Debian's chromium; RUNBOOKC_CHROMIUM names another build of it (tests use it to simulate none). */
export const CHROMIUM_PATH = process.env.RUNBOOKC_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, throw-away browser (playwright adds --headless itself). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(executablePath = CHROMIUM_PATH): boolean {
  return existsSync(executablePath);
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts chromium with a fresh profile directory, removed again on close. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Chromium> {
  if (!chromiumAvailable(executablePath)) {
    throw new Error(`Chromium was not found at \`${executablePath}\`; install it with \`apt-get install -y chromium\``);
  }
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'runbookc-chromium-'));
  try {
    // A persistent context is how playwright passes --user-data-dir; the directory is new each time.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      offline: true,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
