/** The feed layer's surface, for module/ (sessions) and the bridge's wiring. */
export { Feed, type FeedDeps, type FeedInstance, type FeedObserver, type FeedPort, type LoginTurns } from './feed';
export { FanOutCache } from './fanOutCache';
export type { FeedFrame } from './frame';
export type { QueueLimits } from './outboundQueue';
export { ResumeStore, type ResumeLimits } from './resumeStore';
export type { SyncHoldCut, SyncHoldLimits } from './syncHold';
