/**
 * Browser-test support: Debian's Chromium driven by playwright-core (never a downloaded build),
 * the demo page opened as a user, screenshots into test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
export const PHONE = { width: 390, height: 780 };
export const DESKTOP = { width: 1000, height: 680 };
/** Page-side waits: logins and messages go browser → bridge → emulator and back. */
export const UI_TIMEOUT_MS = 15_000;

/**
 * `describe` when Chromium is installed. Without it the suite is skipped with a message, except
 * under CI, where a missing browser is a failure (.ci/run installs it).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const install = 'apt-get update && apt-get install -y chromium';
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing under CI: .ci/run should have run \`${install}\``);
      });
    });
    return;
  }
  console.warn(`skipping browser tests "${name}": no ${CHROMIUM} (install it with \`${install}\`)`);
  describe.skip(name, body);
}

export interface BrowserRig {
  readonly fx: BridgeFixture;
  readonly context: BrowserContext;
  /** Messages the pages wrote to their consoles, for failure reports. */
  readonly consoleLines: string[];
  /** Opens the demo page and logs in as `userID`; resolves once the page says it is online. */
  openAs(userID: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Closes everything; the pages' console goes to test-artifacts/<logName>. */
  close(logName?: string): Promise<void>;
}

/** A bridge with the demo page in front of the test server, and a fresh Chromium profile. */
export async function startBrowserRig(): Promise<BrowserRig> {
  const fx = await startBridgeFixture((server) => ({ demo: { page: true, emulatorSecret: server.secret } }));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: DESKTOP });
  } catch (err) {
    await fx.close();
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const consoleLines: string[] = [];
  context.on('page', (page) => {
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  });
  return {
    fx,
    context,
    consoleLines,
    async openAs(userID, viewport = DESKTOP) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${fx.bridge.httpAddress}/`);
      await page.locator('#user-id').fill(userID);
      await page.locator('#login button[type=submit]').click();
      await page.locator('#status[data-state="online"]').waitFor({ timeout: UI_TIMEOUT_MS });
      return page;
    },
    async close(logName) {
      if (logName) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.writeFileSync(path.join(ARTIFACTS, logName), `${consoleLines.join('\n')}\n`);
      }
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
      await fx.close();
    },
  };
}

/** Opens (or creates) the one-to-one conversation with `peer` from the page's "chat with" box. */
export async function openChat(page: Page, peer: string): Promise<void> {
  const existing = page.locator(`.conversation[data-user-id="${peer}"]`);
  if (await existing.count()) await existing.click();
  else {
    await page.locator('#new-chat input').fill(peer);
    await page.locator('#new-chat button').click();
  }
  await page.locator('#chat-title').filter({ hasText: peer }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** Types and sends a text, and waits until the server has accepted it (no longer "sending"). */
export async function sendText(page: Page, text: string): Promise<void> {
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
  await page.locator('.message.mine:not(.sending)', { hasText: text }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** The texts of the open conversation, oldest first. */
export function messageTexts(page: Page): Promise<string[]> {
  return page.locator('#messages .message .text').allTextContents();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  return file;
}
