/**
 * The demo page in a real browser: two users chat through the bridge, one of them on a
 * phone-sized screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { uniqueUserID } from '../support/admin';
import { usingEmulator } from '../support/emulator';
import { ARTIFACTS, PHONE, UI_TIMEOUT_MS, describeInBrowser, messageTexts, openChat, screenshot, sendText, startBrowserRig, type BrowserRig } from './browser';

describeInBrowser('Demo page: two users chat', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(async () => {
    await rig?.close('chat-console.log');
  });

  it('A sends B three messages; B sees them in order with an unread badge, replies, and A sees the reply; each message shows exactly once', async () => {
    // Each suite has its own emulator: plain names read better in the screenshot.
    const [alice, bob] = usingEmulator() ? ['alice', 'bob'] : [uniqueUserID('alice'), uniqueUserID('bob')];
    const a = await rig.openAs(alice);
    const b = await rig.openAs(bob, PHONE);
    expect(await b.locator('#status').textContent()).toBe('Online');
    await expectNoOverflow(b);

    await openChat(a, bob);
    const texts = ['Hi Bob!', 'Are you there?', 'This is the third one.'];
    for (const t of texts) await sendText(a, t);

    // B is on the conversation list (phone: one pane at a time): the badge counts what is unread.
    const conv = b.locator(`.conversation[data-user-id="${alice}"]`);
    await conv.locator('.badge').filter({ hasText: '3' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await conv.locator('.preview').textContent()).toBe(texts[2]);
    const unreadShot = await screenshot(b, 'chat-b-unread.png');

    await conv.click();
    await b.locator('#messages .message.theirs').nth(2).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messageTexts(b)).toEqual(texts);
    expect(await b.locator('#sidebar').isVisible()).toBe(false); // phone: the chat replaces the list
    await expectNoOverflow(b);

    await sendText(b, 'Yes, here. Hi Alice!');
    await a.locator('.message.theirs .text', { hasText: 'Yes, here. Hi Alice!' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // The page adds every OnRecvNewMessages as new (only its own pending bubble is replaced by
    // clientMsgID): a send reported back to its sender would show twice here.
    expect(await messageTexts(a)).toEqual([...texts, 'Yes, here. Hi Alice!']);
    // A's next message reaches B after anything of B's own reply could have come back to B.
    await sendText(a, 'Good.');
    await b.locator('.message.theirs .text', { hasText: 'Good.' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messageTexts(b)).toEqual([...texts, 'Yes, here. Hi Alice!', 'Good.']);
    expect(await messageTexts(a)).toEqual([...texts, 'Yes, here. Hi Alice!', 'Good.']);

    // Reading it in the open chat clears B's badge (back on the list).
    await b.locator('#back').click();
    await conv.locator('.badge').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await conv.click();

    const shots = [await screenshot(a, 'chat-a.png'), unreadShot, await screenshot(b, 'chat-b.png')];
    await sideBySide(rig, shots, 'demo.png');
  });
});

async function expectNoOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** A's page, then B's phone before and after opening the chat, in one picture (test-artifacts/demo.png; docs/demo.png is a copy of it). */
async function sideBySide(rig: BrowserRig, files: string[], name: string): Promise<void> {
  const page = await rig.context.newPage();
  const imgs = files.map((f) => `<img src="data:image/png;base64,${fs.readFileSync(f).toString('base64')}">`).join('');
  await page.setContent(`<body style="margin:0;padding:16px;background:#cfd6df;display:flex;gap:16px;align-items:flex-start">${imgs}</body>`);
  await page.locator('img').last().waitFor();
  await page.evaluate(() => Promise.all(Array.from(document.images).map((i) => i.decode())));
  const box = await page.evaluate(() => ({ width: document.body.scrollWidth, height: document.body.scrollHeight }));
  await page.setViewportSize(box);
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
  await page.close();
}
