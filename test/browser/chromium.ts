/**
 * Browser tests run in Debian's chromium. In CI (CI=true) a missing chromium is a failure; locally
 * the tests are skipped with a message saying how to install it.
 */
import { describe, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH } from '../../src/emitters/checklist/browser.js';

const INSTALL = 'apt-get install -y chromium';

export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs chromium', () => {
        throw new Error(`chromium was not found at ${CHROMIUM_PATH}; install it with \`${INSTALL}\``);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": chromium was not found at ${CHROMIUM_PATH} (install it with \`${INSTALL}\`).`);
  describe.skip(name, body);
}
