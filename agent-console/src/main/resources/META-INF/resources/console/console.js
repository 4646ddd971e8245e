// The agent console: signs in through /console/api, then lives on /console/ws. Every frame from the switchboard
// replaces what it describes, so a reconnect (which resends every conversation) never duplicates anything.
import { measure } from './segments.js';

const API = '/console/api';
const TICK_MS = 30000;
const WARN_SEGMENTS = 10;
const RESTORE_WINDOW_MS = 15000;
const SENTIMENTS = ['very negative', 'negative', 'neutral', 'positive', 'very positive'];
const COMMAND_ERRORS = new Set(['opted_out', 'empty_body', 'body_too_long', 'not_assigned', 'rate_limited',
  'unavailable', 'bad_request']);

const $ = (id) => document.getElementById(id);
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const state = {
  me: null,
  socket: null,
  conversations: new Map(),
  selected: null,
  presence: { presence: 'away', capacity: 3, load: 0 },
  resyncing: false,
  lastSent: null,
  retryTimer: null,
};

// ---- time ------------------------------------------------------------------------------------------------------

function ago(instant) {
  if (!instant) {
    return '';
  }
  const seconds = Math.round((Date.now() - Date.parse(instant)) / 1000);
  if (seconds < 60) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return relative.format(-minutes, 'minute');
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    return relative.format(-hours, 'hour');
  }
  return relative.format(-Math.round(hours / 24), 'day');
}

function waited(instant) {
  const minutes = Math.floor((Date.now() - Date.parse(instant)) / 60000);
  if (minutes < 1) {
    return 'waiting <1 min';
  }
  return minutes < 60 ? `waiting ${minutes} min` : `waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Rewrites every relative time on the page from its instant. */
function tick() {
  document.querySelectorAll('[data-instant]').forEach((el) => {
    el.textContent = el.dataset.prefix ? el.dataset.prefix + ago(el.dataset.instant) : ago(el.dataset.instant);
  });
  document.querySelectorAll('[data-waiting]').forEach((el) => {
    el.textContent = waited(el.dataset.waiting);
  });
}

// ---- small DOM helpers -----------------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'text') {
      node.textContent = value;
    } else if (name.startsWith('data-') || name.startsWith('aria-') || ['role', 'title', 'type', 'href', 'src',
      'alt', 'target', 'rel', 'tabindex', 'datetime', 'loading', 'for'].includes(name)) {
      node.setAttribute(name, value);
    } else {
      node[name] = value;
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, value);
  }
  return node;
}

function notice(text, kind = 'error') {
  const close = el('button', { type: 'button', 'aria-label': 'Dismiss', text: '×' });
  const item = el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status',
    'data-testid': kind === 'error' ? 'error-notice' : 'info-notice' }, el('span', { text }), close);
  close.addEventListener('click', () => item.remove());
  $('notices').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 12000 : 6000);
}

// ---- sentiment -------------------------------------------------------------------------------------------------

function sentimentName(sentiment) {
  if (!sentiment) {
    return null;
  }
  if (Number.isInteger(sentiment.score) && sentiment.score >= 0 && sentiment.score <= 4) {
    return SENTIMENTS[sentiment.score];
  }
  const label = String(sentiment.label || '').toLowerCase().replace(/[_-]/g, ' ').trim();
  return SENTIMENTS.includes(label) ? label : null;
}

/** A face whose mouth curves with the score: 0 very negative … 4 very positive. */
function sentimentIcon(sentiment) {
  const name = sentimentName(sentiment);
  if (!name) {
    return null;
  }
  const score = SENTIMENTS.indexOf(name);
  const colours = ['#b42318', '#d9622b', '#6b7280', '#3f8f4f', '#1e7a3c'];
  const icon = svg('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' });
  icon.append(svg('circle', { cx: 8, cy: 8, r: 7, fill: 'none', stroke: colours[score], 'stroke-width': 1.5 }));
  icon.append(svg('circle', { cx: 5.5, cy: 6, r: 1, fill: colours[score] }));
  icon.append(svg('circle', { cx: 10.5, cy: 6, r: 1, fill: colours[score] }));
  const bend = (score - 2) * 1.6;
  icon.append(svg('path', { d: `M4.5 10.5 Q8 ${10.5 + bend} 11.5 10.5`, fill: 'none', stroke: colours[score],
    'stroke-width': 1.5, 'stroke-linecap': 'round' }));
  const wrap = el('span', { class: `sentiment s${score}`, role: 'img', 'aria-label': name, title: name,
    'data-testid': 'message-sentiment', 'data-sentiment': name }, icon);
  if (sentiment.flag) {
    wrap.dataset.flag = sentiment.flag;
  }
  return wrap;
}

function trendPoints(trend) {
  return (trend && Array.isArray(trend.points) ? trend.points : [])
    .map((p) => (typeof p === 'number' ? p : p && typeof p.score === 'number' ? p.score : null))
    .filter((p) => p !== null);
}

function trendView(trend) {
  if (!trend) {
    return null;
  }
  const points = trendPoints(trend);
  const negative = !!trend.negative;
  if (points.length === 0 && !negative) {
    // Nothing of the customer's scored yet: no trend to show.
    return null;
  }
  const label = negative ? 'sentiment trending negative' : `sentiment trend ${trend.direction || 'steady'}`;
  const wrap = el('span', { class: `trend${negative ? ' negative' : ''}`, role: 'img', 'aria-label': label,
    title: label, 'data-testid': 'conv-trend', 'data-negative': String(negative) });
  if (points.length >= 2) {
    const w = 48;
    const h = 16;
    const step = w / (points.length - 1);
    // Points run from -2 (very negative) to +2 (very positive), as the enrichment maps the scores.
    const coords = points.map((p, i) => `${(i * step).toFixed(1)},${(h - 1 - ((p + 2) / 4) * (h - 2)).toFixed(1)}`);
    const line = svg('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, 'aria-hidden': 'true' });
    line.append(svg('polyline', { points: coords.join(' '), fill: 'none', stroke: '#1f5fbf', 'stroke-width': 1.5 }));
    wrap.append(line);
  } else {
    const arrows = { falling: '↘', rising: '↗' };
    wrap.append(document.createTextNode(arrows[trend.direction] || '→'));
  }
  return wrap;
}

// ---- conversations ---------------------------------------------------------------------------------------------

function conversation(id) {
  return state.conversations.get(id);
}

function upsertMessage(conv, message) {
  const existing = conv.messages.findIndex((m) => m.id === message.id);
  if (existing >= 0) {
    const old = conv.messages[existing];
    conv.messages[existing] = { ...message, sentiment: message.sentiment || old.sentiment };
    return false;
  }
  conv.messages.push(message);
  conv.messages.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return true;
}

function onAssigned(frame) {
  const old = conversation(frame.conversation);
  const summary = frame.summary || {};
  const conv = {
    id: frame.conversation,
    customer: frame.customer || summary.customer,
    summary,
    optedOut: !!summary.optedOut,
    messages: [],
    trend: frame.trend || (old ? old.trend : null),
    unread: state.selected === frame.conversation ? 0 : Number(summary.unread || 0),
    stale: false,
  };
  for (const message of frame.history || []) {
    upsertMessage(conv, message);
  }
  if (old) {
    // Scores already received for this conversation stay until new ones come.
    for (const m of conv.messages) {
      const before = old.messages.find((o) => o.id === m.id);
      if (!m.sentiment && before && before.sentiment) {
        m.sentiment = before.sentiment;
      }
    }
  }
  state.conversations.set(conv.id, conv);
  render();
}

function onUpdate(frame) {
  const conv = conversation(frame.conversation);
  if (!conv) {
    return;
  }
  conv.optedOut = !!frame.optedOut;
  if (frame.trend) {
    conv.trend = frame.trend;
  }
  const added = upsertMessage(conv, frame.message);
  if (added && frame.message.direction === 'inbound' && !isOpen(conv.id)) {
    conv.unread += 1;
  }
  if (frame.message.direction === 'outbound' && state.lastSent && state.lastSent.conversation === conv.id) {
    state.lastSent = null;
  }
  render();
}

function onStatus(frame) {
  const conv = conversation(frame.conversation);
  const message = conv && conv.messages.find((m) => m.id === frame.messageId);
  if (!message) {
    return;
  }
  message.status = frame.status;
  message.errorCode = frame.errorCode ?? message.errorCode;
  message.errorMessage = frame.errorMessage ?? message.errorMessage;
  message.statusTimes = { ...(message.statusTimes || {}) };
  if (!message.statusTimes[frame.status]) {
    message.statusTimes[frame.status] = frame.at || new Date().toISOString();
  }
  render();
}

function onUnassigned(frame) {
  const conv = conversation(frame.conversation);
  state.conversations.delete(frame.conversation);
  if (state.selected === frame.conversation) {
    state.selected = null;
    document.body.dataset.view = 'list';
  }
  if (conv) {
    notice(`Conversation with ${conv.customer} ${frame.reason || 'closed'}.`, 'info');
  }
  render();
}

function onPresence(frame) {
  state.presence = frame;
  $('availability').dataset.known = 'true';
  if (state.resyncing) {
    // The switchboard sends presence after every conversation it still assigns to us: the rest are gone.
    for (const [id, conv] of state.conversations) {
      if (conv.stale) {
        state.conversations.delete(id);
        if (state.selected === id) {
          state.selected = null;
        }
      }
    }
    state.resyncing = false;
  }
  render();
}

function onSentiment(frame) {
  const conv = conversation(frame.conversation);
  if (!conv) {
    return;
  }
  const message = conv.messages.find((m) => m.id === frame.messageId);
  if (message) {
    message.sentiment = frame.sentiment;
  }
  if (frame.trend) {
    conv.trend = frame.trend;
  }
  render();
}

function onError(frame) {
  notice(frame.reason ? `${frame.reason} (${frame.code})` : frame.code);
  const last = state.lastSent;
  if (last && COMMAND_ERRORS.has(frame.code) && Date.now() - last.at < RESTORE_WINDOW_MS) {
    state.lastSent = null;
    if (state.selected === last.conversation && $('reply').value === '') {
      // The reply was not sent: give it back rather than lose it.
      $('reply').value = last.body;
      updateCounter();
    }
  }
}

function onConnection(frame) {
  const banner = $('banner');
  banner.className = `banner ${frame.state}`;
  if (frame.state === 'connected') {
    banner.hidden = true;
    banner.textContent = '';
    state.resyncing = true;
    for (const conv of state.conversations.values()) {
      conv.stale = true;
    }
  } else if (frame.state === 'reconnecting') {
    banner.hidden = false;
    const seconds = Math.max(1, Math.round((frame.retryInMs || 0) / 1000));
    banner.textContent = `Connection to the switchboard lost; retrying in ${seconds} s. Your conversations stay here.`;
  } else if (frame.state === 'signed_out') {
    banner.hidden = false;
    banner.textContent = frame.reason || 'Signed out.';
    signedOut(frame.reason || 'Your sign-in ended. Please sign in again.');
  }
}

const HANDLERS = {
  assigned: onAssigned,
  update: onUpdate,
  status: onStatus,
  unassigned: onUnassigned,
  presence: onPresence,
  sentiment: onSentiment,
  error: onError,
  connection: onConnection,
};

// ---- rendering -------------------------------------------------------------------------------------------------

function isOpen(id) {
  return state.selected === id && (document.body.dataset.view === 'conversation' || !narrow());
}

function narrow() {
  return window.matchMedia('(max-width: 760px)').matches;
}

function lastMessage(conv) {
  return conv.messages[conv.messages.length - 1];
}

function sortedConversations() {
  return [...state.conversations.values()].sort((a, b) => {
    const at = lastMessage(a) ? Date.parse(lastMessage(a).createdAt) : 0;
    const bt = lastMessage(b) ? Date.parse(lastMessage(b).createdAt) : 0;
    return bt - at;
  });
}

/** Puts the children in this order, moving only what is out of place (a moved node loses focus). */
function arrange(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) {
    if (!wanted.has(child)) {
      child.remove();
    }
  }
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) {
      parent.insertBefore(node, parent.children[i] || null);
    }
  });
}

function renderList() {
  const list = $('conversations');
  const existing = new Map([...list.children].map((li) => [li.dataset.conversation, li]));
  const all = sortedConversations();
  $('list-empty').hidden = all.length > 0;
  const items = all.map((conv) => {
    const last = lastMessage(conv);
    const preview = last ? (last.body || (last.media && last.media.length ? '[media]' : '')) :
      (conv.summary.lastMessagePreview || '');
    const waitingSince = last && last.direction === 'inbound' ? last.createdAt : null;
    const meta = el('span', { class: 'meta' },
      conv.optedOut ? el('span', { class: 'badge', 'data-testid': 'conv-optout', text: 'opted out' }) : null,
      trendView(conv.trend),
      conv.unread > 0 ? el('span', { class: 'unread', 'data-testid': 'conv-unread',
        'aria-label': `${conv.unread} unread`, text: String(conv.unread) }) : null);
    let item = existing.get(conv.id);
    if (!item) {
      const button = el('button', { type: 'button' });
      button.addEventListener('click', () => select(conv.id));
      item = el('li', { 'data-testid': 'conversation-item', 'data-conversation': conv.id }, button);
    }
    item.dataset.customer = conv.customer;
    item.classList.toggle('negative', !!(conv.trend && conv.trend.negative));
    if (state.selected === conv.id) {
      item.setAttribute('aria-current', 'true');
    } else {
      item.removeAttribute('aria-current');
    }
    item.firstElementChild.replaceChildren(
      el('span', { class: 'customer', 'data-testid': 'conv-customer', text: conv.customer }),
      meta,
      el('span', { class: 'preview', 'data-testid': 'conv-preview', text: preview }),
      waitingSince ? el('span', { class: 'meta', 'data-testid': 'conv-waiting', 'data-waiting': waitingSince,
        text: waited(waitingSince) }) : el('span'));
    return item;
  });
  arrange(list, items);
}

function statusLine(message) {
  if (message.direction !== 'outbound') {
    return null;
  }
  const times = message.statusTimes || {};
  const parts = [];
  if (message.status === 'failed' || message.status === 'undelivered') {
    const when = times[message.status] || message.updatedAt;
    const code = message.errorCode ? ` ${message.errorCode}` : '';
    parts.push(el('span', { class: `status ${message.status}`, title: message.errorMessage || message.status,
      'data-prefix': `${message.status}${code} · `, 'data-instant': when,
      text: `${message.status}${code} · ${ago(when)}` }));
  } else {
    for (const step of ['sent', 'delivered']) {
      if (times[step]) {
        parts.push(el('span', { class: 'status', 'data-prefix': `${step} `, 'data-instant': times[step],
          text: `${step} ${ago(times[step])}` }));
      }
    }
    if (parts.length === 0) {
      parts.push(el('span', { class: 'status', text: message.status || 'sending' }));
    }
  }
  const line = el('span', { class: 'delivery', 'data-testid': 'message-status', 'data-status': message.status });
  parts.forEach((part, i) => {
    if (i > 0) {
      line.append(' · ');
    }
    line.append(part);
  });
  return line;
}

function mediaView(message) {
  const stored = (message.media || []).filter((m) => m.url);
  if (stored.length === 0) {
    return null;
  }
  return el('div', { class: 'media' }, ...stored.map((m, i) => (String(m.contentType || '').startsWith('image/')
    ? el('a', { href: m.url, target: '_blank', rel: 'noopener' },
      el('img', { src: m.url, alt: `attachment ${i + 1}`, 'data-testid': 'message-media', loading: 'lazy' }))
    : el('a', { href: m.url, target: '_blank', rel: 'noopener', 'data-testid': 'message-media',
      text: `attachment ${i + 1} (${m.contentType || 'file'})` }))));
}

function renderTimeline(conv) {
  const timeline = $('timeline');
  const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  const existing = timeline.dataset.conversation === conv.id
    ? new Map([...timeline.children].map((li) => [li.dataset.messageId, li])) : new Map();
  const items = conv.messages.map((message) => {
    const line = el('div', { class: 'line' },
      el('time', { datetime: message.createdAt, 'data-testid': 'message-time', 'data-instant': message.createdAt,
        title: message.relative || new Date(message.createdAt).toLocaleString(), text: ago(message.createdAt) }),
      sentimentIcon(message.sentiment),
      statusLine(message));
    let item = existing.get(message.id);
    if (!item) {
      item = el('li', { class: `bubble ${message.direction}`, 'data-testid': 'message',
        'data-message-id': message.id, 'data-direction': message.direction });
    }
    // Media links are presigned and expire: a resent message brings fresh ones.
    item.replaceChildren(...[el('div', { class: 'body', 'data-testid': 'message-body', text: message.body || '' }),
      mediaView(message), line].filter(Boolean));
    return item;
  });
  arrange(timeline, items);
  if (atBottom || timeline.dataset.conversation !== conv.id) {
    timeline.scrollTop = timeline.scrollHeight;
  }
  timeline.dataset.conversation = conv.id;
}

function renderComposer(conv) {
  const blocked = $('composer-blocked');
  const reply = $('reply');
  if (conv.optedOut) {
    blocked.hidden = false;
    blocked.textContent = `${conv.customer} opted out (texted STOP): replies cannot be sent until they text START.`;
    reply.disabled = true;
    $('send').disabled = true;
    reply.setAttribute('aria-describedby', 'composer-blocked');
  } else {
    blocked.hidden = true;
    reply.disabled = false;
    $('send').disabled = false;
    reply.removeAttribute('aria-describedby');
  }
}

function renderHeader() {
  const me = state.me || {};
  $('agent-name').textContent = me.displayName || me.agent || '';
  const available = state.presence.presence === 'available';
  const toggle = $('availability');
  toggle.setAttribute('aria-pressed', String(available));
  toggle.textContent = available ? 'Available' : 'Away';
  toggle.setAttribute('aria-label', available ? 'Available: press to go away' : 'Away: press to go available');
  if (document.activeElement !== $('capacity') && state.presence.capacity) {
    $('capacity').value = state.presence.capacity;
  }
  $('load').textContent = `${state.conversations.size}/${state.presence.capacity} conversations`;
}

function render() {
  renderHeader();
  renderList();
  const conv = state.selected && conversation(state.selected);
  $('no-selection').hidden = !!conv;
  $('conversation').hidden = !conv;
  if (conv) {
    $('conversation-title').textContent = conv.customer;
    renderTimeline(conv);
    renderComposer(conv);
  } else if (document.body.dataset.view === 'conversation') {
    document.body.dataset.view = 'list';
  }
}

function select(id) {
  if (state.selected !== id) {
    $('reply').value = '';
    updateCounter();
  }
  state.selected = id;
  const conv = conversation(id);
  if (conv) {
    conv.unread = 0;
  }
  document.body.dataset.view = 'conversation';
  render();
  if (!$('reply').disabled) {
    $('reply').focus();
  }
}

// ---- composer --------------------------------------------------------------------------------------------------

function updateCounter() {
  const m = measure($('reply').value);
  $('encoding').textContent = m.encoding;
  $('chars').textContent = m.segments <= 1 ? `${m.length}/${m.perSegment}` : `${m.length} (${m.perSegment} per part)`;
  $('segments').textContent = `${m.segments} segment${m.segments === 1 ? '' : 's'}`;
  const warning = $('segment-warning');
  warning.hidden = m.segments <= WARN_SEGMENTS;
  warning.textContent = m.segments > WARN_SEGMENTS
    ? `Long reply: ${m.segments} segments, each billed as one SMS.` : '';
}

function send(command) {
  if (!state.socket || state.socket.readyState !== WebSocket.OPEN) {
    notice('Not connected to the switchboard; try again in a moment.');
    return false;
  }
  state.socket.send(JSON.stringify(command));
  return true;
}

function sendReply() {
  const conv = state.selected && conversation(state.selected);
  const body = $('reply').value;
  if (!conv || conv.optedOut || body.trim() === '') {
    return;
  }
  // The switchboard stores one reply per clientId, whatever reaches it twice.
  const clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  if (send({ type: 'response', conversation: conv.id, body, clientId })) {
    state.lastSent = { conversation: conv.id, body, at: Date.now() };
    $('reply').value = '';
    updateCounter();
  }
}

// ---- socket ----------------------------------------------------------------------------------------------------

function connect() {
  clearTimeout(state.retryTimer);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/console/ws`);
  state.socket = socket;
  socket.addEventListener('message', (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    const handler = HANDLERS[frame.type];
    if (handler) {
      handler(frame);
    }
  });
  socket.addEventListener('close', () => {
    if (state.socket !== socket || !state.me) {
      return;
    }
    state.socket = null;
    // The console itself went away (a deploy, a network change), or refused us: ask who we are before retrying.
    fetch(`${API}/me`, { credentials: 'same-origin' }).then((response) => {
      if (response.status === 401) {
        signedOut('Your sign-in ended. Please sign in again.');
      } else {
        retrySoon();
      }
    }, retrySoon);
  });
}

function retrySoon() {
  const banner = $('banner');
  banner.hidden = false;
  banner.className = 'banner reconnecting';
  banner.textContent = 'Connection to the console lost; reconnecting…';
  state.retryTimer = setTimeout(() => {
    if (state.me) {
      connect();
    }
  }, 1000 + Math.random() * 2000);
}

// ---- sign-in ---------------------------------------------------------------------------------------------------

function showApp(me) {
  state.me = me;
  $('signin').hidden = true;
  $('app').hidden = false;
  render();
  connect();
}

function signedOut(reason) {
  state.me = null;
  const socket = state.socket;
  state.socket = null;
  if (socket) {
    socket.close();
  }
  state.conversations.clear();
  state.selected = null;
  $('app').hidden = true;
  $('signin').hidden = false;
  $('login-error').textContent = reason || '';
  $('login-agent').focus();
}

async function login(event) {
  event.preventDefault();
  const agent = $('login-agent').value.trim();
  const password = $('login-password').value;
  if (!agent || !password) {
    $('login-error').textContent = 'Enter your agent name and password.';
    return;
  }
  $('login-error').textContent = '';
  let response;
  try {
    response = await fetch(`${API}/login`, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ agent, password }) });
  } catch {
    $('login-error').textContent = 'The console is not reachable; check your connection.';
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('login-error').textContent = response.status === 401 ? 'Wrong agent name or password.'
      : answer.reason || `Sign-in failed (${response.status}).`;
    return;
  }
  $('login-password').value = '';
  showApp(answer);
}

async function logout() {
  await fetch(`${API}/logout`, { method: 'POST', credentials: 'same-origin' }).catch(() => null);
  signedOut('');
}

async function start() {
  $('login-form').addEventListener('submit', login);
  $('signout').addEventListener('click', logout);
  $('availability').addEventListener('click', () => {
    if (state.presence.presence === 'available') {
      send({ type: 'away' });
    } else {
      send({ type: 'available', capacity: Number($('capacity').value) || undefined });
    }
  });
  $('capacity').addEventListener('change', () => {
    if (state.presence.presence === 'available') {
      send({ type: 'available', capacity: Number($('capacity').value) || undefined });
    }
  });
  $('reply').addEventListener('input', updateCounter);
  $('reply').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendReply();
    }
  });
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    sendReply();
  });
  $('resolve').addEventListener('click', () => {
    if (state.selected) {
      send({ type: 'resolve', conversation: state.selected });
    }
  });
  $('transfer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const agent = $('transfer-agent').value.trim();
    if (!state.selected || !agent) {
      notice('Enter the name of the agent to transfer to.');
      return;
    }
    if (send({ type: 'transfer', conversation: state.selected, agent })) {
      $('transfer-agent').value = '';
    }
  });
  $('back').addEventListener('click', () => {
    document.body.dataset.view = 'list';
    render();
  });
  updateCounter();
  setInterval(tick, TICK_MS);

  const response = await fetch(`${API}/me`, { credentials: 'same-origin' }).catch(() => null);
  if (response && response.ok) {
    showApp(await response.json());
  } else {
    signedOut('');
  }
}

start();
