/**
 * The demo page over a broken connection: the bridge drops the page's socket, the jssdk
 * reconnects on its own (every 5 s) and logs in again, and the bridge's session resume hands
 * the page what was sent in the gap.
 */
import { uniqueUserID } from '../support/admin';
import { waitUntil } from '../support/wait';
import { UI_TIMEOUT_MS, describeInBrowser, messageTexts, openChat, screenshot, sendText, startBrowserRig, type BrowserRig } from './browser';

/** The jssdk waits 5 s before it reconnects; leave room for a loaded machine. */
const RECONNECT_TIMEOUT_MS = 30_000;

describeInBrowser('Demo page: reconnect', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(async () => {
    await rig?.close('reconnect-console.log');
  });

  it('shows the dropped connection, reconnects, and still receives the messages sent during the gap', async () => {
    const alice = uniqueUserID('alice');
    const bob = uniqueUserID('bob');
    const a = await rig.openAs(alice);
    const b = await rig.openAs(bob);
    await openChat(a, bob);
    await sendText(a, 'before the drop');
    await openChat(b, alice);
    await b.locator('.message.theirs .text', { hasText: 'before the drop' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // The same document must live through the drop: no reload, no second login by hand.
    await b.evaluate(() => ((window as unknown as { beforeDrop: boolean }).beforeDrop = true));

    expect(rig.fx.bridge.dropConnections(bob)).toBe(1);
    await b.locator('#status[data-state="reconnecting"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await waitUntil(() => rig.fx.bridge.parkedCount() === 1, "B's session to be parked");

    const gap = ['sent in the gap 1', 'sent in the gap 2', 'sent in the gap 3'];
    for (const t of gap) await sendText(a, t);
    expect(await b.locator('#status').getAttribute('data-state')).toBe('reconnecting');
    await screenshot(b, 'reconnect-b-reconnecting.png');

    await b.locator('#status[data-state="online"]').waitFor({ timeout: RECONNECT_TIMEOUT_MS });
    await b.locator('.message.theirs .text', { hasText: gap[2] }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messageTexts(b)).toEqual(['before the drop', ...gap]);
    expect(await b.evaluate(() => (window as unknown as { beforeDrop?: boolean }).beforeDrop)).toBe(true);
    expect(rig.fx.bridge.parkedCount()).toBe(0);

    // And live again, both ways.
    await sendText(a, 'after the reconnect');
    await b.locator('.message.theirs .text', { hasText: 'after the reconnect' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await sendText(b, 'got them all');
    await a.locator('.message.theirs .text', { hasText: 'got them all' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messageTexts(b)).toEqual(['before the drop', ...gap, 'after the reconnect', 'got them all']);
    await screenshot(b, 'reconnect-b-after.png');
  }, 60_000);
});
