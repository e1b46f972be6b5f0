/**
 * The Chinese description of every option, for README.zh-CN.md's configuration table (generated
 * like the English one; test/unit/docsInStep.test.ts keeps both in step).
 *
 * `en` is the first 8 hex digits of the SHA-256 of the English `doc` the Chinese was written from:
 * when an English description changes, the test names the option until its Chinese is reviewed
 * and `en` updated. A new option without an entry fails the typecheck and the test.
 */
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, describeOptions, OPTIONS, type OptionName } from './config';

export interface ZhDoc {
  /** sha256(English doc).slice(0, 8) at the time of translation. */
  readonly en: string;
  readonly zh: string;
}

export const CONFIG_FILE_DOC_ZH = 'JSON 配置文件，键为参数名，例如 `{"sdk_ws_port": 10003}`。';

export const OPTION_DOCS_ZH: { readonly [K in OptionName]: ZhDoc } = {
  port: { en: '571bfc74', zh: 'jssdk WebSocket 连接和 HTTP 端点使用的端口（0 表示随机选择一个空闲端口）。' },
  tcpPort: { en: 'e15e0287', zh: 'TCP 传输的端口（长度前缀帧，JSON 或 msgpack，见 docs/PROTOCOL.md）；-1：关闭，0：任意空闲端口。' },
  workers: { en: 'f1b75472', zh: '监听端口背后的桥接进程数：大于 1 时，主进程按 sendID 把每个连接交给负责该用户的 worker（同一用户总在同一个 worker 上），从而用上更多 CPU 核和文件描述符。仅支持明文 ws/tcp。' },
  host: { en: '276622d0', zh: '监听地址。' },
  apiAddress: { en: '919206b9', zh: 'OpenIM REST API 地址，例如 http://127.0.0.1:10002。留空：启动内置模拟器。' },
  wsAddress: { en: 'caee45ab', zh: 'OpenIM msg_gateway 地址，例如 ws://127.0.0.1:10001。留空：启动内置模拟器。' },
  logLevel: { en: '1b708b72', zh: '日志级别：fatal、error、warn、info、debug、trace、silent（也接受 oimws 的数字 0-6）。' },
  emulatorApiPort: { en: '69b6e301', zh: '内置模拟器的 REST 端口（仅在未配置 OpenIM 地址时生效）。' },
  emulatorWsPort: { en: '26aa5762', zh: '内置模拟器的网关端口（仅在未配置 OpenIM 地址时生效）。' },
  emulatorSecret: { en: '2c8244f0', zh: '内置模拟器的 token 密钥（secret）。' },
  maxFrameBytes: { en: '5bee7ee9', zh: '客户端单帧的最大字节数；超过时返回错误并关闭连接（1009）。' },
  maxConnections: { en: '5e04fc6f', zh: '同时允许的最大客户端连接数；超过后的升级请求返回 HTTP 503。进程的打开文件数上限可能让实际可接纳的连接更少：每个连接占两个描述符，另保留 1,024 个（指标 openim_bridge_connection_capacity）。' },
  maxOutboundBytes: { en: '8362c7f6', zh: '发往单个客户端的待发送字节数上限；超过即认为客户端过慢，关闭其连接（1008）。' },
  pingIntervalMs: { en: 'cc3a7180', zh: '服务端发送 WebSocket ping 的间隔。' },
  fanoutCacheEntries: { en: 'cdc2f405', zh: '同时记住的群消息条数：各成员收到的同一条消息只转换并编码为 JSON 一次，而不是每个成员各一次（任何字段不同的副本，例如已读状态不同，单独成帧）；0：关闭。' },
  writeCoalescing: { en: '64b04c29', zh: '把一个连接在同一轮事件循环中收到的多个帧合并为一次系统调用写出：on、off，或 auto（仅在事件循环繁忙度超过 75 % 时，或某一轮已向 16 个连接写出（如群消息扇出）后的剩余部分合并）；见 docs/PERFORMANCE.md F1。' },
  pongTimeoutMs: { en: '45df67d2', zh: '连接超过这段时间没有回应 ping 即被关闭。' },
  maxInflightRequests: { en: '2c2b3be0', zh: '单个登录会话同时处理中的请求数上限；超出的请求返回 errCode 10007（连接保持不断）。' },
  loginTimeoutMs: { en: '5b264579', zh: '一次上游登录允许的最长时间，超时后 Login 返回错误。' },
  upstreamHeartbeatMs: { en: 'c0e1aa97', zh: '每个上游会话向 msg_gateway 发送心跳的间隔（client SDK 自带的是 10 s）；最多 25 s，须小于网关 30 s 的读超时。' },
  requestTimeoutMs: { en: 'aaf5d39d', zh: '一次上游调用允许的最长时间，超时后该请求返回错误。' },
  loginDeadlineMs: { en: '82413d4f', zh: '连接升级后超过这段时间仍未登录即被关闭（1008）。' },
  idleTimeoutMs: { en: '5ae2bc51', zh: '连接升级后超过这段时间没有发送任何帧即被关闭（1008）。' },
  allowedOrigins: { en: '6feee1a7', zh: '允许连接的浏览器来源（scheme://host[:port]），逗号分隔；* 表示允许任意来源（会记录一条警告）。不带 Origin 的客户端不受影响。' },
  connectRatePerIp: { en: '7a4e855d', zh: '每个客户端 IP 每秒允许新建的连接数（突发量相同）；超出的在连接内拒绝：其 Login 以 errCode 10000 应答，随后发送让 jssdk 可以重新登录的帧，然后关闭连接。0：不限制。' },
  tokenSecret: { en: '3aba615a', zh: 'OpenIM 的 token 密钥（secret）；设置后，伪造、过期或冒用的 token 在连接内被拒绝，不会建立任何上游连接：其 Login 以网关的 token 错误码（1501–1507）应答，随后发送 OnUserTokenExpired，然后关闭连接。' },
  trustedProxies: { en: 'dafaeb2e', zh: '受信任的代理地址，逗号分隔（例如本机 nginx 的 127.0.0.1）；按 IP 的限制使用它们在 X-Forwarded-For 中给出的客户端地址。' },
  adminToken: { en: '106cd369', zh: '管理 API（/admin/sessions、/admin/kick、/admin/drain）以及非本机调用方访问 /status 时使用的 Bearer token；本机回环地址的调用方无需 token，token 错误时无论来自何处都返回 401。从不写入日志。' },
  drainMs: { en: 'd9b2e57c', zh: '收到 SIGTERM 或 /admin/drain 时：/readyz 立即变为 503 并拒绝新连接，随后在这段时间内均匀地关闭各登录会话（1001），让客户端逐步重连到其他实例；之后进程退出。0：一次全部关闭。' },
  loginsPerSecond: { en: 'c9ebf67f', zh: '全进程每秒发起的上游登录数（每次登录是一个网关连接外加约十次 OpenIM REST 调用）；突发的大批重连排队等候（会话恢复不受限速）。一个 Login 最多等待 login_timeout_ms 的一半（其余时间留给上游登录）；更晚才能轮到的 Login 立即返回 errCode 10002，同一个 SDK 实例可以重新登录。0：不限速。' },
  uploadMaxBytes: { en: 'cef11d1f', zh: '小程序可以向 /bridge/upload 上传（wx.uploadFile / uni.uploadFile）的最大文件；桥接服务把文件上传到 OpenIM 期间暂存在内存中。更大的文件返回 HTTP 413。' },
  resumeGraceMs: { en: '00e9cd58', zh: '连接断开但未 Logout 的登录会话等待客户端重新登录的时长（0：不做会话恢复）。' },
  resumeMaxSessions: { en: '3373de4e', zh: '同时等待恢复的登录会话数上限；超出时最早挂起的先被释放。' },
  resumeMaxEvents: { en: 'c5e35eea', zh: '为一个等待恢复的登录会话缓存的事件数上限；超过后丢弃该会话（客户端随后重新登录）。' },
  resumeMaxBytes: { en: 'c0f78a0c', zh: '为一个等待恢复的登录会话缓存的事件字节数上限；超过后丢弃该会话。' },
  syncHoldMaxEvents: { en: '139ab012', zh: '登录的关系补发（catch-up）读取期间，在 OnSyncServerFinish 之后最多暂存的事件数；超过后立即发送，补发事件随后跟上（指标 openim_bridge_sync_hold_cut_total）。' },
  syncHoldMaxMs: { en: '900ba3d5', zh: '为登录的关系补发（catch-up）暂存 OnSyncServerFinish 及其后事件的最长时间；到时即发送，补发事件随后跟上（指标 openim_bridge_sync_hold_cut_total）。' },
  relationSnapshotMaxAgeMs: { en: 'def5bcfc', zh: '桥接记住已告知某个应用实例的好友、好友申请和群组信息的时长，以便在它下次登录时把离开期间的变化作为事件补发（0：关闭；超过这段时间未出现的实例视为新实例）。' },
  relationSnapshotFlushMs: { en: '207a8a74', zh: '已发给应用实例的关系链变化写入状态存储的最短间隔（按实例计）；进程被强杀时，下次登录最多重复这段时间内的内容。' },
  catchupMaxMessages: { en: '5fccf8be', zh: '一次补发中，每个会话最多补给离开过的应用实例的消息数（重启、长时间离开、上游重连）；超过时只发最新的部分，并附带会话变更（指标 openim_bridge_catchup_truncated_total）。' },
  catchupPullsPerSecond: { en: '08362e08', zh: '全进程每秒发起的补发拉取次数（每次最多 100 条消息），避免重启后的大批重连挤占实时流量；超出的排队等待。' },
  cursorMaxAgeMs: { en: '5c6bb835', zh: '应用实例的投递游标在最后一次写入后保留的时长，过期即被遗忘（该实例随后视为新实例：不再补发）。' },
  cursorFlushMs: { en: '75f5c99e', zh: '投递游标的推进写入状态存储的最短间隔（登录会话结束和停机时也会写入）；SIGKILL 可能导致最后一个间隔内已投递的内容被重发。' },
  tlsCert: { en: '54058f81', zh: 'PEM 证书文件；与 tls_key 一起配置时提供 wss:// 和 https://。' },
  tlsKey: { en: 'f841b4a3', zh: 'tls_cert 对应的 PEM 私钥文件。' },
  dataDir: { en: 'db5deecc', zh: '桥接存放每个用户本地数据的目录。' },
  stateStore: { en: 'f619ffd2', zh: '每个用户的状态（本地数据、投递游标）存放在哪里：留空：--openIMDbDir 下的 LevelDB（单实例）；redis://[user:pass@]host:port/db 或 rediss://…：Redis，由负载均衡后面的所有实例共享（见 docs/zh-CN/OPERATIONS.md）。' },
  stateStorePrefix: { en: '2a859240', zh: '状态存储所有 Redis 键和频道的前缀（多个部署可以共用一个 Redis）。' },
  stateStoreTimeoutMs: { en: '62c8b1e0', zh: '一条 Redis 状态存储命令（以及首次连接）允许的最长时间；超时后该调用返回 errCode 10006 并指明是哪个存储。Redis 不可用期间命令不会排队。' },
  demoPage: { en: 'bdfb4f02', zh: '在 / 提供演示聊天页面：auto（仅在使用内置模拟器时）、on 或 off。其 token 端点 /demo/token 只在使用内置模拟器时存在。' },
};

/** README.zh-CN.md's configuration table, generated from OPTIONS and OPTION_DOCS_ZH. */
export function configMarkdownTableZh(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const shownDefault = (d: string) => (d === '(empty)' ? '（空）' : d);
  const names = Object.keys(OPTIONS) as OptionName[];
  const rows = [
    `| \`--${CONFIG_FILE_FLAG}\` | \`${CONFIG_FILE_ENV}\` | \`（无）\` | ${esc(CONFIG_FILE_DOC_ZH)} |`,
    ...describeOptions().map((r, i) => `| \`${r.flag}\` | \`${r.env}\` | \`${esc(shownDefault(r.default))}\` | ${esc(OPTION_DOCS_ZH[names[i]!]?.zh ?? '')} |`),
  ];
  return ['| 参数 | 环境变量 | 默认值 | 说明 |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
