/*
 * The demo chat: open-im-sdk 3.5.2's browser bundle (window.openImSdk) talking to the bridge
 * this page came from. Plain browser JavaScript, no build step; user content only ever goes
 * into the page as text.
 */
(() => {
  'use strict';
  const { OpenIMSDK, CbEvents } = window.openImSdk;
  const PLATFORM_WEB = 5;
  const SINGLE_CHAT = 1;
  const TEXT = 101;
  const PICTURE = 102;
  const HISTORY_COUNT = 50;
  const STATE_LABELS = {
    'signed-out': 'Signed out',
    connecting: 'Connecting…',
    online: 'Online',
    reconnecting: 'Reconnecting…',
    'server-down': 'Server unreachable',
    kicked: 'Signed in elsewhere',
    expired: 'Session expired',
  };

  const $ = (selector) => document.querySelector(selector);
  const sdk = new OpenIMSDK();
  const conversations = new Map(); // conversationID → ConversationItem
  let me = '';
  let current = null; // the open ConversationItem
  let messages = []; // of the open conversation, oldest first
  let signedIn = false;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showError(where, err) {
    const text = err ? (err.errMsg || err.message || String(err)) : '';
    $(where).textContent = text;
    if (err) console.error(err);
  }

  // Connection state. The jssdk reports the upstream side (OnConnect…) but not its own socket,
  // which it reopens on its own every 5 s: watch that socket through the WebSocket constructor.
  function setState(state) {
    const s = $('#status');
    s.dataset.state = state;
    s.textContent = STATE_LABELS[state];
  }
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('close', () => {
        if (signedIn && $('#status').dataset.state === 'online') setState('reconnecting');
      });
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.includes('"Login"')) return;
        try {
          const frame = JSON.parse(e.data);
          if (frame.event === 'Login' && frame.errCode === 0) setState('online');
        } catch {
          // not ours to judge: the jssdk reads the frame too
        }
      });
    }
  };

  sdk.on(CbEvents.OnConnecting, () => signedIn || setState('connecting'));
  sdk.on(CbEvents.OnConnectSuccess, () => setState('online'));
  sdk.on(CbEvents.OnConnectFailed, () => setState('server-down'));
  sdk.on(CbEvents.OnKickedOffline, () => ((signedIn = false), setState('kicked')));
  sdk.on(CbEvents.OnUserTokenExpired, () => ((signedIn = false), setState('expired')));
  sdk.on(CbEvents.OnSyncServerFinish, () => void loadConversations());
  sdk.on(CbEvents.OnNewConversation, ({ data }) => mergeConversations(data));
  sdk.on(CbEvents.OnConversationChanged, ({ data }) => mergeConversations(data));
  sdk.on(CbEvents.OnTotalUnreadMessageCountChanged, ({ data }) => showTotalUnread(Number(data) || 0));
  sdk.on(CbEvents.OnRecvNewMessages, ({ data }) => {
    const mine = (data || []).filter((m) => current && belongsTo(m, current));
    if (mine.length === 0) return;
    // As apps do: a new message is new. Only the page's own sends replace their pending bubble
    // (by clientMsgID), so a message reported twice shows twice.
    for (const m of mine) addMessage(m);
    renderMessages();
    markRead(current);
  });

  // Conversations.
  function peerOf(m) {
    return m.sendID === me ? m.recvID : m.sendID;
  }
  function belongsTo(m, conv) {
    if (conv.conversationType === SINGLE_CHAT) return !m.groupID && peerOf(m) === conv.userID;
    return m.groupID === conv.groupID;
  }
  function preview(conv) {
    let m;
    try {
      m = JSON.parse(conv.latestMsg || 'null');
    } catch {
      return '';
    }
    if (!m) return '';
    if (m.contentType === TEXT) return m.textElem ? m.textElem.content : '';
    if (m.contentType === PICTURE) return '[image]';
    return '[message]';
  }

  async function loadConversations() {
    try {
      const { data } = await sdk.getAllConversationList();
      conversations.clear();
      mergeConversations(data);
      const total = await sdk.getTotalUnreadMsgCount();
      showTotalUnread(Number(total.data) || 0);
    } catch (err) {
      showError('#app-error', err);
    }
  }

  function mergeConversations(list) {
    for (const c of list || []) {
      conversations.set(c.conversationID, c);
      if (current && c.conversationID === current.conversationID) {
        current = c;
        if (c.unreadCount > 0) markRead(c);
      }
    }
    renderConversations();
  }

  function renderConversations() {
    const list = [...conversations.values()].sort((a, b) => (b.latestMsgSendTime || 0) - (a.latestMsgSendTime || 0));
    const ul = $('#conversation-list');
    ul.replaceChildren(
      ...list.map((c) => {
        const li = el('li');
        const button = el('button', 'conversation');
        button.type = 'button';
        button.dataset.conversationId = c.conversationID;
        if (c.userID) button.dataset.userId = c.userID;
        if (current && current.conversationID === c.conversationID) button.classList.add('active');
        const text = el('span', 'summary');
        text.append(el('span', 'name', c.showName || c.userID || c.groupID), el('span', 'preview', preview(c)));
        button.append(text);
        if (c.unreadCount > 0) button.append(el('span', 'badge', String(c.unreadCount)));
        button.addEventListener('click', () => void openConversation(c));
        li.append(button);
        return li;
      }),
    );
    $('#no-conversations').hidden = list.length > 0;
  }

  function showTotalUnread(n) {
    document.title = n > 0 ? `(${n}) OpenIM bridge demo` : 'OpenIM bridge demo';
  }

  function markRead(conv) {
    if (!conv || conv.unreadCount === 0) return;
    conv.unreadCount = 0;
    renderConversations();
    sdk.markConversationMessageAsRead(conv.conversationID).catch((err) => showError('#app-error', err));
  }

  // Messages.
  function addMessage(m) {
    messages.push(m);
    sortMessages();
  }

  /** The page's own send (pending, sent or failed) and history pages: the same clientMsgID is one bubble. */
  function upsertMessage(m) {
    const i = messages.findIndex((x) => x.clientMsgID === m.clientMsgID);
    if (i >= 0) messages[i] = m;
    else messages.push(m);
    sortMessages();
  }

  function sortMessages() {
    messages.sort((a, b) => (a.sendTime || a.createTime) - (b.sendTime || b.createTime) || (a.seq || 0) - (b.seq || 0));
  }

  function renderMessage(m) {
    const li = el('li', `message ${m.sendID === me ? 'mine' : 'theirs'}`);
    li.dataset.clientMsgId = m.clientMsgID;
    if (m.status === 1) li.classList.add('sending');
    if (m.status === 3) li.classList.add('failed');
    if (m.contentType === TEXT && m.textElem) {
      li.append(el('span', 'text', m.textElem.content));
    } else if (m.contentType === PICTURE && m.pictureElem) {
      const p = m.pictureElem;
      const img = el('img', 'picture');
      img.alt = 'image';
      img.src = (p.snapshotPicture && p.snapshotPicture.url) || (p.sourcePicture && p.sourcePicture.url) || '';
      li.append(img);
    } else {
      li.append(el('span', 'text unsupported', `[message type ${m.contentType}]`));
    }
    const time = new Date(m.sendTime || m.createTime || Date.now());
    li.append(el('time', 'time', time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    return li;
  }

  function renderMessages() {
    const ol = $('#messages');
    const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
    ol.replaceChildren(...messages.map(renderMessage));
    if (atBottom || messages.length <= HISTORY_COUNT) ol.scrollTop = ol.scrollHeight;
  }

  async function openConversation(conv) {
    current = conv;
    messages = [];
    $('#app').dataset.view = 'chat';
    $('#chat-title').textContent = conv.showName || conv.userID || conv.groupID;
    $('#composer').classList.add('ready');
    renderConversations();
    renderMessages();
    try {
      const { data } = await sdk.getAdvancedHistoryMessageList({
        conversationID: conv.conversationID,
        lastMinSeq: 0,
        startClientMsgID: '',
        count: HISTORY_COUNT,
      });
      if (current !== conv && (!current || current.conversationID !== conv.conversationID)) return;
      for (const m of data.messageList || []) upsertMessage(m);
      renderMessages();
      markRead(current);
    } catch (err) {
      showError('#app-error', err);
    }
    $('#text').focus();
  }

  async function send(create) {
    const conv = current;
    if (!conv) return;
    let msg;
    try {
      msg = (await create()).data;
      upsertMessage({ ...msg, status: 1 });
      renderMessages();
      const { data } = await sdk.sendMessage({ recvID: conv.groupID ? '' : conv.userID, groupID: conv.groupID || '', message: msg });
      if (current && current.conversationID === conv.conversationID) upsertMessage(data);
      showError('#app-error', null);
    } catch (err) {
      if (msg && current && current.conversationID === conv.conversationID) upsertMessage({ ...msg, status: 3 });
      showError('#app-error', err);
    }
    renderMessages();
  }

  function imageSize(file) {
    return new Promise((resolve) => {
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = () => (URL.revokeObjectURL(url), resolve({ width: img.naturalWidth, height: img.naturalHeight }));
      img.onerror = () => (URL.revokeObjectURL(url), resolve({ width: 0, height: 0 }));
      img.src = url;
    });
  }

  function uuid() {
    return window.crypto.randomUUID ? window.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  async function sendImage(file) {
    const { width, height } = await imageSize(file);
    const picture = { uuid: uuid(), type: file.type, size: file.size, width, height, url: '' };
    await send(() =>
      sdk.createImageMessageByFile({ sourcePicture: picture, bigPicture: { ...picture }, snapshotPicture: { ...picture }, sourcePath: file.name, file }),
    );
  }

  // Sign-in.
  async function credentials(userID, ownToken) {
    const here = { wsAddr: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`, apiAddr: location.origin };
    if (ownToken) return { ...here, token: ownToken };
    const res = await fetch('/demo/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userID }) });
    if (res.status === 404) throw new Error('This bridge gives no demo tokens (it is in front of a real OpenIM server): enter your own token.');
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || `token request failed (${res.status})`);
    return body;
  }

  async function signIn(userID, ownToken) {
    const { token, wsAddr, apiAddr } = await credentials(userID, ownToken);
    me = userID;
    $('#me').textContent = userID;
    $('#login').hidden = true;
    $('#app').hidden = false;
    setState('connecting');
    await sdk.login({ userID, token, platformID: PLATFORM_WEB, wsAddr, apiAddr });
    signedIn = true;
    setState('online');
    history.replaceState(null, '', `?user=${encodeURIComponent(userID)}`);
    await loadConversations();
  }

  $('#login').addEventListener('submit', (e) => {
    e.preventDefault();
    const button = $('#login button');
    button.disabled = true;
    showError('#login-error', null);
    signIn($('#user-id').value.trim(), $('#token').value.trim()).catch((err) => {
      $('#login').hidden = false;
      $('#app').hidden = true;
      button.disabled = false;
      showError('#login-error', err);
    });
  });

  $('#logout').addEventListener('click', () => {
    signedIn = false;
    sdk.logout().finally(() => location.assign(location.pathname));
  });

  $('#new-chat').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = e.target.elements.peer;
    const peer = input.value.trim();
    if (!peer || peer === me) return;
    try {
      const { data } = await sdk.getOneConversation({ sourceID: peer, sessionType: SINGLE_CHAT });
      input.value = '';
      conversations.set(data.conversationID, conversations.get(data.conversationID) || data);
      await openConversation(conversations.get(data.conversationID));
    } catch (err) {
      showError('#app-error', err);
    }
  });

  $('#composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('#text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    void send(() => sdk.createTextMessage(text));
  });

  $('#image').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (file) void sendImage(file);
  });

  $('#back').addEventListener('click', () => {
    current = null;
    $('#app').dataset.view = 'list';
    $('#composer').classList.remove('ready');
    renderConversations();
  });

  $('#user-id').value = new URLSearchParams(location.search).get('user') || '';
})();
