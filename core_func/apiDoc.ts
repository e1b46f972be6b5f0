/**
 * docs/API.md, generated from the adapter table and the event relay table, checked against
 * the jssdk's own lists of methods (RequestApi) and events (CbEvents), with the tests that
 * cover each entry.
 */
import { DERIVED_EVENT_LIST, EVENT_RELAY_LIST } from './events';
import { PARITY_ROWS } from './coreRules/parity';
import { RELATION_KINDS } from './continuity/relationKinds';
import { ADAPTERS } from './table';

/** jssdk names that never reach the socket: the jssdk does them itself (upload) or only logs them. */
export const CLIENT_SIDE_METHODS: ReadonlyMap<string, string> = new Map([
  ['InitSDK', 'Sent by the bridge before its answer to the client\'s first frame, in that frame\'s kind (binary to open-im-sdk 3.4.1); the jssdk only logs it.'],
  ['UploadFile', 'Done by the jssdk itself over the REST API (`apiAddr`; the bridge proxies `/object/*`).'],
  ['CreateImageMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateImageMessageByURL.'],
  ['CreateSoundMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateSoundMessageByURL.'],
  ['CreateVideoMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateVideoMessageByURL.'],
  ['CreateFileMessageByFile', 'Done by the jssdk itself: uploads, then calls CreateFileMessageByURL.'],
]);

const RTC = 'RTC signaling was removed from OpenIM server v3; v3.8 produces no signaling notifications, so no client SDK emits it.';
const MEETING = 'Meeting events come from OpenIM\'s separate meeting service, not from the v3.8 IM server.';
const UPLOAD = 'Upload progress belongs to uploads, which the jssdk performs itself (client side); nothing reaches the bridge.';

/** jssdk events no OpenIM v3.8 deployment produces, with the reason. */
export const NOT_APPLICABLE_EVENTS: ReadonlyMap<string, string> = new Map([
  ['OnProgress', UPLOAD],
  ['UploadComplete', UPLOAD],
  ...['OnReceiveNewInvitation', 'OnInviteeAccepted', 'OnInviteeRejected', 'OnInvitationCancelled', 'OnHangUp', 'OnInvitationTimeout', 'OnInviteeAcceptedByOtherDevice', 'OnInviteeRejectedByOtherDevice'].map((e) => [e, RTC] as const),
  ...['OnStreamChange', 'OnRoomParticipantConnected', 'OnRoomParticipantDisconnected', 'OnReceiveCustomSignal'].map((e) => [e, MEETING] as const),
]);

/**
 * Events the bridge relays but @openim/client-sdk 0.0.14 never emits, so nothing can produce
 * them through this bridge today (a later client SDK that emits them is relayed unchanged).
 */
export const NOT_EMITTED_UPSTREAM: ReadonlyMap<string, string> = new Map([
  ['OnRecvNewMessage', 'the client SDK reports new messages only in batches (OnRecvNewMessages), as the OpenIM SDK core does with a batch listener.'],
  ['OnRecvGroupReadReceipt', 'the client SDK does not implement group read receipts (its handler for them is empty).'],
  ['OnFriendApplicationDeleted', 'the client SDK has no handler that emits it.'],
  ['OnGroupApplicationDeleted', 'the client SDK has no handler that emits it.'],
]);

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `coverage`: method or event name → the test files that exercise it end to end. */
export function apiMarkdown(jssdkMethods: readonly string[], jssdkEvents: readonly string[], coverage: ReadonlyMap<string, readonly string[]>): string {
  const out: string[] = [];
  const tests = (name: string) => (coverage.get(name) ?? []).map((f) => `\`${f}\``).join(', ') || '**none**';
  const socketMethods = jssdkMethods.filter((m) => !CLIENT_SIDE_METHODS.has(m));
  const supported = socketMethods.filter((m) => ADAPTERS.has(m));
  out.push('# jssdk API coverage', '', 'Generated from the adapter table (`core_func/table.ts`) and the event relay (`core_func/events.ts`) by `test/unit/docsInStep.test.ts` (`UPDATE_DOCS=1` rewrites it); do not edit by hand. "Tests" lists the end-to-end suites that drive the entry with the real open-im-sdk client. Both releases on npm are served, 3.5.2 and 3.4.1 (binary frames: every frame to a client that sends binary frames is binary); where 3.4.1 calls a method differently, its row says so after **open-im-sdk 3.4.1:**.', '');
  out.push(`Methods: ${supported.length} of ${socketMethods.length} that reach the socket are supported (${Math.round((100 * supported.length) / socketMethods.length)}%).`, '');
  out.push('| method | arguments | needs login | status | what it does | tests |', '| --- | --- | --- | --- | --- | --- |');
  for (const m of jssdkMethods) {
    const a = ADAPTERS.get(m);
    if (a) {
      const args = a.args.map((s) => `${s.name}: ${s.type}`).join(', ') || '—';
      const status = (a.difference ? `supported, differs: ${a.difference}` : 'supported') + (a.releases ? ` **open-im-sdk 3.4.1:** ${a.releases}` : '');
      out.push(`| ${m} | ${cell(args)} | ${a.requiresLogin ? 'yes' : 'no'} | ${cell(status)} | ${cell(a.summary)} | ${tests(m)} |`);
    } else if (CLIENT_SIDE_METHODS.has(m)) {
      out.push(`| ${m} | — | — | client side | ${cell(CLIENT_SIDE_METHODS.get(m)!)} | ${tests(m)} |`);
    } else {
      out.push(`| ${m} | — | — | **not supported** | answered with errCode 20000 (unknown method) | — |`);
    }
  }
  const allRelays = [...EVENT_RELAY_LIST, ...DERIVED_EVENT_LIST];
  const applicable = jssdkEvents.filter((e) => !NOT_APPLICABLE_EVENTS.has(e));
  const relayed = applicable.filter((e) => allRelays.some((r) => r.event === e));
  out.push(
    '',
    `Events: ${relayed.length} of ${applicable.length} applicable events are relayed (${Math.round((100 * relayed.length) / applicable.length)}%); ${NOT_APPLICABLE_EVENTS.size} are not applicable to OpenIM v3.8; ${NOT_EMITTED_UPSTREAM.size} of the relayed ones are never emitted by @openim/client-sdk 0.0.14.`,
    '',
  );
  out.push('| event | relayed from | what it means | tests |', '| --- | --- | --- | --- |');
  for (const e of jssdkEvents) {
    const sources = allRelays.filter((r) => r.event === e);
    const silent = NOT_EMITTED_UPSTREAM.get(e);
    if (sources.length && silent) out.push(`| ${e} | ${sources.map((s) => s.upstream).join(', ')} | ${cell(sources.map((s) => s.summary).join(' '))} Relayed when emitted, but @openim/client-sdk 0.0.14 never emits it: ${cell(silent)} | — |`);
    else if (sources.length) out.push(`| ${e} | ${sources.map((s) => s.upstream).join(', ')} | ${cell(sources.map((s) => s.summary).join(' '))} | ${tests(e)} |`);
    else if (NOT_APPLICABLE_EVENTS.has(e)) out.push(`| ${e} | — | not applicable: ${cell(NOT_APPLICABLE_EVENTS.get(e)!)} | — |`);
    else out.push(`| ${e} | — | **not relayed** | — |`);
  }
  const caughtUp = [...new Set(RELATION_KINDS.flatMap((k) => k.emits))];
  out.push(
    '',
    `Relation catch-up (\`core_func/continuity/relation*.ts\`): OpenIM v3.8 pushes friend, group and application notifications online only, so after a login that could not be resumed (grace over, bridge restarted, another instance) a known app instance (same sendID, platformID and login URL operationID) is also sent what changed while it was away, as the OpenIM SDK core v3.5.1's login sync did: ${caughtUp.join(', ')}. Events whose change the app already has are not sent again. Tests: \`test/bridge/continuity/relationCatchUp.test.ts\`.`,
  );
  out.push(...parityMarkdown());
  return `${out.join('\n')}\n`;
}

/** The parity review (core_func/coreRules/parity.ts) as a table. */
function parityMarkdown(): string[] {
  const same = PARITY_ROWS.filter((r) => !r.difference).length;
  const out = [
    '',
    '## Parity with openim-sdk-core v3.5.1',
    '',
    `What jssdk 3.5.2 apps were written against (oimws ran the SDK core per session) next to what the bridge answers, from \`core_func/coreRules/parity.ts\`; the rules live in \`core_func/coreRules/\`. ${same} of ${PARITY_ROWS.length} rows are as the SDK core; the others say how and why they differ.`,
    '',
    '| topic | openim-sdk-core v3.5.1 | bridge | verdict | test |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of PARITY_ROWS) {
    const verdict = r.difference ? `differs: ${r.difference}` : 'as the SDK core';
    const test = r.test ? `\`${r.test.file}\`: ${r.test.name}` : '—';
    out.push(`| ${cell(r.topic)} | ${cell(r.sdkCore)} | ${cell(r.bridge)} | ${cell(verdict)} | ${cell(test)} |`);
  }
  return out;
}
