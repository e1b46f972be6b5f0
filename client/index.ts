/** The package's client: talk to the bridge from Node over WebSocket or TCP, JSON or msgpack. */
export { BridgeClient, BridgeCallError, ClientErrorCode, type BridgeClientOptions, type ClientState } from './bridgeClient';
export { ConnectRefused } from './wire';
export type { ClientCodec, FrameIn } from './codec';
