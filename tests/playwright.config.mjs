// Playwright drives Debian's Chromium (no browser download). `cargo xtask
// test` builds the site, serves it on a free port and passes BASE_URL; run
// directly (`npx playwright test -c tests/playwright.config.mjs`) it starts
// `cargo xtask serve` itself.
import { defineConfig } from '@playwright/test';

const port = 8123;
const external = process.env.BASE_URL;
// The site served again under a sub-folder path (see tests/e2e/hosting.spec.mjs).
const subfolderPrefix = '/course/week-3/explorer/';
process.env.SUBFOLDER_URL ||= `http://127.0.0.1:${port + 1}${subfolderPrefix}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME || '../target/playwright-report.json' }]],
  use: {
    baseURL: external || `http://127.0.0.1:${port}/`,
    viewport: { width: 1200, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      // Root needs --no-sandbox; the closed network needs the rest.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: external
    ? undefined
    : [
        { command: `cargo xtask serve --port ${port}`, url: `http://127.0.0.1:${port}/`, timeout: 600_000, reuseExistingServer: true },
        {
          command: `cargo xtask serve --no-build --port ${port + 1} --prefix ${subfolderPrefix}`,
          url: process.env.SUBFOLDER_URL,
          timeout: 600_000,
          reuseExistingServer: true,
        },
      ],
});
