/**
 * docs/API.md, generated from the adapter table and the event relay table, checked against
 * the jssdk's own lists of methods (RequestApi) and events (CbEvents).
 */
import { DERIVED_EVENT_LIST, EVENT_RELAY_LIST } from './events';
import { ADAPTERS } from './table';

/** jssdk names that never reach the socket: the jssdk does them itself (upload) or only logs them. */
export const CLIENT_SIDE_METHODS: ReadonlyMap<string, string> = new Map([
  ['InitSDK', 'Sent by the bridge after the upgrade; the jssdk only logs it.'],
  ['UploadFile', 'Done by the jssdk itself over the REST API (`apiAddr`).'],
  ['CreateImageMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateImageMessageByURL.'],
  ['CreateSoundMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateSoundMessageByURL.'],
  ['CreateVideoMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateVideoMessageByURL.'],
  ['CreateFileMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateFileMessageByURL.'],
]);

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function apiMarkdown(jssdkMethods: readonly string[], jssdkEvents: readonly string[]): string {
  const out: string[] = [];
  const supported = jssdkMethods.filter((m) => ADAPTERS.has(m));
  const socketMethods = jssdkMethods.filter((m) => !CLIENT_SIDE_METHODS.has(m));
  out.push('# jssdk API coverage', '', 'Generated from the adapter table (`core_func/table.ts`) and the event relay (`core_func/events.ts`) by `test/unit/docsInStep.test.ts`; do not edit by hand.', '');
  out.push(`Methods: ${supported.length} of ${socketMethods.length} that reach the socket are supported.`, '');
  out.push('| method | arguments | needs login | status | what it does |', '| --- | --- | --- | --- | --- |');
  for (const m of jssdkMethods) {
    const a = ADAPTERS.get(m);
    if (a) {
      const args = a.args.map((s) => `${s.name}: ${s.type}`).join(', ') || '—';
      const status = a.difference ? `supported, differs: ${a.difference}` : 'supported';
      out.push(`| ${m} | ${cell(args)} | ${a.requiresLogin ? 'yes' : 'no'} | ${cell(status)} | ${cell(a.summary)} |`);
    } else if (CLIENT_SIDE_METHODS.has(m)) {
      out.push(`| ${m} | — | — | client side | ${cell(CLIENT_SIDE_METHODS.get(m)!)} |`);
    } else {
      out.push(`| ${m} | — | — | **not yet** | answered with errCode 20000 (unknown method) |`);
    }
  }
  const allRelays = [...EVENT_RELAY_LIST, ...DERIVED_EVENT_LIST];
  const relayed = new Map(allRelays.map((r) => [r.event, r]));
  out.push('', `Events: ${jssdkEvents.filter((e) => relayed.has(e)).length} of ${jssdkEvents.length} are relayed.`, '');
  out.push('| event | relayed from | what it means |', '| --- | --- | --- |');
  for (const e of jssdkEvents) {
    const sources = allRelays.filter((r) => r.event === e);
    if (sources.length) out.push(`| ${e} | ${sources.map((s) => s.upstream).join(', ')} | ${cell(sources.map((s) => s.summary).join(' '))} |`);
    else out.push(`| ${e} | — | **not relayed**: the client SDK does not produce it |`);
  }
  return `${out.join('\n')}\n`;
}
