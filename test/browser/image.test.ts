/**
 * The demo page sends a picture the way browser apps do — `createImageMessageByFile`, which
 * uploads through `apiAddr`'s `/object/*` routes — and the page only ever talks to the bridge's
 * origin: the upload and the picture the other side loads both go through the bridge.
 */
import type { Page } from 'playwright-core';
import { OBJECT_API_PATHS } from '../../module/http/uploadProxy';
import { uniqueUserID } from '../support/admin';
import { UI_TIMEOUT_MS, describeInBrowser, openChat, screenshot, startBrowserRig, type BrowserRig } from './browser';

const WIDTH = 160;
const HEIGHT = 90;

/** A PNG drawn by the browser itself (no fixture file). */
async function drawPng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement('canvas');
      canvas.width = w!;
      canvas.height = h!;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#1d6fe0';
      g.fillRect(0, 0, w!, h!);
      g.fillStyle = '#ffd23f';
      g.beginPath();
      g.arc(w! / 2, h! / 2, h! / 3, 0, Math.PI * 2);
      g.fill();
      return canvas.toDataURL('image/png');
    },
    [WIDTH, HEIGHT],
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

describeInBrowser('Demo page: pictures', () => {
  let rig: BrowserRig;
  const upstreamRequests: string[] = [];
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(async () => {
    await rig?.close('image-console.log');
  });

  it('sends an image from a file input; the other page shows it, loaded through the bridge\'s origin', async () => {
    expect(OBJECT_API_PATHS.filter((p) => !rig.fx.bridge.http.routes.has(p))).toEqual([]); // the upload proxy is part of the bridge
    const alice = uniqueUserID('alice');
    const bob = uniqueUserID('bob');
    const a = await rig.openAs(alice);
    const b = await rig.openAs(bob);
    const bridgeOrigin = new URL(rig.fx.bridge.httpAddress).origin;
    const apiOrigin = new URL(rig.fx.server.apiAddress).origin;
    for (const page of [a, b]) page.on('request', (r) => upstreamRequests.push(r.url()));
    await openChat(a, bob);
    await openChat(b, alice);

    await a.locator('#image').setInputFiles({ name: 'sun.png', mimeType: 'image/png', buffer: await drawPng(a) });
    await a.locator('.message.mine:not(.sending) img.picture').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await a.locator('.message.failed').count()).toBe(0);

    const img = b.locator('.message.theirs img.picture');
    await img.waitFor({ timeout: UI_TIMEOUT_MS });
    await b.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('.message.theirs img.picture');
      return i !== null && i.complete && i.naturalWidth > 0;
    }, undefined, { timeout: UI_TIMEOUT_MS });
    const shown = await img.evaluate((i: HTMLImageElement) => ({ src: i.src, width: i.naturalWidth, height: i.naturalHeight }));
    expect(new URL(shown.src).origin).toBe(bridgeOrigin);
    expect(shown).toEqual(expect.objectContaining({ width: WIDTH, height: HEIGHT }));
    // Neither page ever reached the OpenIM API itself.
    expect(upstreamRequests.filter((u) => u.startsWith(apiOrigin))).toEqual([]);
    expect(upstreamRequests.some((u) => u.startsWith(`${bridgeOrigin}/object/`))).toBe(true);
    await screenshot(b, 'image-b.png');
  });
});
