// The agent console: signs in through /console/api, then lives on /console/ws. Every frame from the switchboard
// replaces what it describes, so a reconnect (which resends every conversation) never duplicates anything.
import { measure } from './segments.js';
import { readHistory, searchPanel } from './search.js';
import { picker } from './canned.js';
import * as alerts from './alerts.js';
import * as drafts from './drafts.js';
import { attachments } from './attachments.js';

const API = '/console/api';
const WARN_SEGMENTS = 10;
/** Twilio's limit for one message body, in characters (code points), as the switchboard counts. */
const MAX_REPLY_CHARACTERS = 1600;
const CANNED_MAX_AGE_MS = 60000;
const RESTORE_WINDOW_MS = 15000;
const RESOLVE_UNDO_MS = 5000;
const SENTIMENTS = ['very negative', 'negative', 'neutral', 'positive', 'very positive'];
const COMMAND_ERRORS = new Set(['opted_out', 'empty_body', 'body_too_long', 'not_assigned', 'rate_limited',
  'unavailable', 'bad_request', 'bad_media']);

const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  socket: null,
  conversations: new Map(),
  selected: null,
  presence: { presence: 'away', capacity: 3, load: 0 },
  resyncing: false,
  lastSent: null,
  retryTimer: null,
  contacts: new Map(),
  canned: [],
  cannedAt: 0,
  pinned: true,
  picker: null,
  attachments: null,
};

// ---- time ------------------------------------------------------------------------------------------------------
// Relative times ("5 minutes ago") come from the console service, in the frames and in its "relative" frames as they
// change; the page computes none. Absolute times go in tooltips.

function absolute(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
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
  placeNotices();
  setTimeout(() => item.remove(), kind === 'error' ? 12000 : 6000);
}

/** Notices sit above the composer (and its canned-reply picker) when on screen, so they never cover Send. */
function placeNotices() {
  const tops = [$('composer'), $('canned-picker')].filter((node) => node.getClientRects().length)
    .map((node) => node.getBoundingClientRect()).filter((rect) => rect.height > 0).map((rect) => rect.top);
  const bottom = tops.length ? Math.max(16, window.innerHeight - Math.min(...tops) + 8) : 16;
  $('notices').style.setProperty('--notices-bottom', `${bottom}px`);
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

/** The customer's contact as last read ({name, notes}); fetched once per page unless edited here. */
function contact(customer) {
  if (!state.contacts.has(customer)) {
    state.contacts.set(customer, { name: null, notes: null, loading: true });
    fetch(`${API}/contacts/${encodeURIComponent(customer)}`, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : null)).catch(() => null).then((answer) => {
        state.contacts.set(customer, { name: answer?.name || null, notes: answer?.notes || null,
          loading: answer === null });
        render();
      });
  }
  return state.contacts.get(customer);
}

/** How agents see the customer: their contact name if anyone gave one, else the number. */
function label(customer) {
  return (state.contacts.get(customer) || {}).name || customer;
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
  // The socket sends a bounded history (switchboard.socket.resync-history); the rest waits behind "earlier messages".
  conv.earlier = Math.max(0, Number(summary.messageCount || 0) - countedMessages(conv));
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
  contact(conv.customer);
  if (state.starting && state.starting.customer === conv.customer) {
    // The conversation this agent just started: open it; the form starts empty next time.
    state.starting = null;
    $('start-form').hidden = true;
    $('start-customer').value = '';
    $('start-body').value = '';
    select(conv.id, false);
    return;
  }
  if (!old && !state.resyncing) {
    alerts.announce('New conversation', `${label(conv.customer)}: ${previewOf(lastMessage(conv), conv)}`, conv.id);
  }
  if (!state.selected && state.me && drafts.savedSelection(state.me.agent) === conv.id) {
    // The conversation this agent had open before the page was reloaded.
    select(conv.id, false);
    return;
  }
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
  } else if (added && frame.message.direction === 'inbound') {
    // Read as it arrives: the switchboard's count follows, and so do the agent's other tabs.
    markRead(conv);
  }
  if (added && frame.message.direction === 'inbound') {
    alerts.announce(`Message from ${label(conv.customer)}`, previewOf(frame.message, conv), conv.id);
  }
  const ours = frame.message.direction === 'outbound' || frame.message.direction === 'note';
  if (ours && state.lastSent && state.lastSent.conversation === conv.id) {
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
  message.reason = frame.reason ?? message.reason;
  message.statusTimes = { ...(message.statusTimes || {}) };
  if (!message.statusTimes[frame.status] && frame.at) {
    message.statusTimes[frame.status] = frame.at;
  }
  message.statusRelative = frame.statusRelative ?? message.statusRelative;
  render();
}

/** Labels the console service re-sent because time moved on. */
/** The agent read a conversation, here or in another tab or console: the badge follows the server. */
function onRead(frame) {
  const conv = conversation(frame.conversation);
  if (conv) {
    conv.unread = Number(frame.unread || 0);
    conv.summary = { ...conv.summary, unread: conv.unread };
    render();
  }
}

function markRead(conv) {
  conv.unread = 0;
  send({ type: 'read', conversation: conv.id });
}

function onRelative(frame) {
  for (const changed of frame.messages || []) {
    const conv = conversation(changed.conversation);
    const message = conv && conv.messages.find((m) => m.id === changed.messageId);
    if (message) {
      message.relative = changed.relative;
      message.statusRelative = changed.statusRelative ?? message.statusRelative;
    }
  }
  render();
}

function onUnassigned(frame) {
  const conv = conversation(frame.conversation);
  state.conversations.delete(frame.conversation);
  if (state.me) {
    drafts.saveDraft(state.me.agent, frame.conversation, '');
  }
  if (state.selected === frame.conversation) {
    state.selected = null;
    $('transfer-agent').value = '';
    document.body.dataset.view = 'list';
    if (state.me) {
      drafts.saveSelection(state.me.agent, null);
    }
  }
  if (conv) {
    const name = label(conv.customer);
    const who = name === conv.customer ? name : `${name} (${conv.customer})`;
    notice(`Conversation with ${who} ${frame.reason || 'closed'}.`, 'info');
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
  if (state.starting && Date.now() - state.starting.at < RESTORE_WINDOW_MS) {
    // The new conversation was refused: the form stays open with what was typed, and says why.
    $('start-error').textContent = frame.code === 'opted_out'
      ? `${state.starting.customer} opted out (texted STOP); they must text START first.`
      : frame.reason || frame.code;
    $('start-form').dataset.refused = frame.code;
    state.starting = null;
    return;
  }
  notice(frame.reason ? `${frame.reason} (${frame.code})` : frame.code);
  const last = state.lastSent;
  if (last && COMMAND_ERRORS.has(frame.code) && Date.now() - last.at < RESTORE_WINDOW_MS) {
    state.lastSent = null;
    if (state.selected === last.conversation && $('reply').value === '') {
      // The reply was not sent: give it back rather than lose it.
      $('reply').value = last.body;
      draftChanged();
    }
    if (state.selected === last.conversation && last.pictures && last.pictures.length) {
      state.attachments.restore(last.pictures);
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
  relative: onRelative,
  read: onRead,
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

/** The newest message; resolve and reopen markers are history, not messages. */
function lastMessage(conv) {
  for (let i = conv.messages.length - 1; i >= 0; i -= 1) {
    if (conv.messages[i].direction !== 'event') {
      return conv.messages[i];
    }
  }
  return undefined;
}

function previewOf(message, conv) {
  return message ? (message.body || (message.media && message.media.length ? '[media]' : ''))
    : (conv.summary.lastMessagePreview || '');
}

/** Keeps the newest message in view while the agent has not scrolled up, also as pictures load and grow. */
function pinToBottom() {
  if (state.pinned) {
    const timeline = $('timeline');
    timeline.scrollTop = timeline.scrollHeight;
  }
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
    const preview = previewOf(last, conv);
    const waiting = last && last.direction === 'inbound' ? last : null;
    const meta = el('span', { class: 'meta' },
      conv.optedOut ? el('span', { class: 'badge', 'data-testid': 'conv-optout', text: 'opted out' }) : null,
      // Why it was routed ahead of older conversations: its customer's stored scores were negative.
      conv.summary && conv.summary.priority === 'negative' ? el('span', { class: 'badge priority',
        'data-testid': 'conv-priority', title: 'Routed first: the customer sounds upset', text: 'upset · first' })
        : null,
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
    const name = label(conv.customer);
    item.firstElementChild.replaceChildren(
      el('span', { class: 'customer', 'data-testid': 'conv-customer', text: name },
        name !== conv.customer ? el('span', { class: 'number', 'data-testid': 'conv-number', text: conv.customer })
          : null),
      meta,
      el('span', { class: 'preview', 'data-testid': 'conv-preview', text: preview }),
      waiting ? el('span', { class: 'meta', 'data-testid': 'conv-waiting', title: `since ${absolute(waiting.createdAt)}`,
        text: waiting.relative ? `waiting · ${waiting.relative}` : 'waiting' }) : el('span'));
    return item;
  });
  arrange(list, items);
}

function statusLine(message) {
  if (message.direction !== 'outbound') {
    return null;
  }
  const times = message.statusTimes || {};
  const failed = message.status === 'failed' || message.status === 'undelivered';
  const when = Object.entries(times).map(([step, at]) => `${step} ${absolute(at)}`);
  const title = [...when, failed ? message.errorMessage : null].filter(Boolean).join(' · ');
  return el('span', { class: `delivery status${failed ? ` ${message.status}` : ''}`, 'data-testid': 'message-status',
    'data-status': message.status, title: title || null,
    text: message.statusRelative || message.status || 'sending' });
}

/** Why a reply failed where Twilio gave no code, e.g. an instance that died while handing it over. */
const REASONS = { unknown_outcome: 'may or may not have reached the customer (sending was interrupted)' };

/** A failed reply gets a Retry button, until an attempt that retries it is in the timeline. */
function retryView(conv, message) {
  const failed = message.direction === 'outbound' && (message.status === 'failed' || message.status === 'undelivered');
  if (!failed) {
    return null;
  }
  const retried = conv.messages.some((m) => m.details && m.details.retryOf === message.id);
  const reason = message.reason
    ? el('span', { class: 'reason', 'data-testid': 'message-reason', 'data-reason': message.reason,
      text: REASONS[message.reason] || message.reason }) : null;
  const button = retried ? el('span', { class: 'meta', 'data-testid': 'message-retried', text: 'sent again below' })
    : el('button', { type: 'button', class: 'retry', 'data-testid': 'message-retry', text: 'Retry' });
  if (!retried) {
    button.addEventListener('click', () => {
      if (send({ type: 'retry', conversation: conv.id, messageId: message.id })) {
        button.disabled = true;
      }
    });
  }
  return el('div', { class: 'line' }, reason, button);
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

/** What a resolve or reopen marker says: who did it, and when as the console's stream labels it. */
function eventText(message) {
  const who = (message.details && message.details.agentName) || message.agent;
  const what = message.status === 'resolved' ? `Resolved by ${who || 'an agent'}`
    : `Reopened by ${who || 'the customer'}`;
  return message.relative ? `${what} · ${message.relative}` : what;
}

/** A resolve or reopen marker: a centred divider across the timeline, the absolute time in its tooltip. */
function eventView(message, item) {
  const divider = item || el('li', { class: 'divider', 'data-testid': 'timeline-event', 'data-message-id': message.id,
    role: 'separator' });
  divider.dataset.event = message.status;
  divider.replaceChildren(el('span', { class: 'divider-label', title: absolute(message.createdAt),
    'data-testid': 'timeline-event-label', text: eventText(message) }));
  return divider;
}

/** Texts and replies, as the summary's messageCount counts them (notes and markers do not count). */
function countedMessages(conv) {
  return conv.messages.filter((m) => m.direction === 'inbound' || m.direction === 'outbound').length;
}

/** The button above a timeline whose older messages the socket did not send. */
function earlierView(conv, item) {
  const button = el('button', { type: 'button', class: 'earlier-button', 'data-testid': 'earlier-messages',
    text: `Show ${conv.earlier} earlier message${conv.earlier === 1 ? '' : 's'}` });
  button.addEventListener('click', () => loadEarlier(conv, button));
  const li = item || el('li', { class: 'earlier', 'data-message-id': 'earlier' });
  li.replaceChildren(button);
  return li;
}

async function loadEarlier(conv, button) {
  button.disabled = true;
  const answer = await readHistory(API, conv.customer);
  if (!answer) {
    button.disabled = false;
    notice('The earlier messages could not be read just now; try again.');
    return;
  }
  for (const message of answer.messages || []) {
    // Loaded, not streamed: the console's relative labels follow on its next tick; until then the absolute time.
    upsertMessage(conv, { ...message, relative: message.relative || absolute(message.createdAt) });
  }
  conv.earlier = Math.max(0, Number(conv.summary.messageCount || 0) - countedMessages(conv));
  state.pinned = false;
  render();
}

function renderTimeline(conv) {
  const timeline = $('timeline');
  const existing = timeline.dataset.conversation === conv.id
    ? new Map([...timeline.children].map((li) => [li.dataset.messageId, li])) : new Map();
  const earlier = conv.earlier > 0 ? [earlierView(conv, existing.get('earlier'))] : [];
  const items = earlier.concat(conv.messages.map((message) => {
    if (message.direction === 'event') {
      return eventView(message, existing.get(message.id));
    }
    const line = el('div', { class: 'line' },
      el('time', { datetime: message.createdAt, 'data-testid': 'message-time', title: absolute(message.createdAt),
        text: message.relative || '' }),
      sentimentIcon(message.sentiment),
      statusLine(message));
    let item = existing.get(message.id);
    if (!item) {
      item = el('li', { class: `bubble ${message.direction}`, 'data-testid': 'message',
        'data-message-id': message.id, 'data-direction': message.direction });
    }
    // Media links are presigned and expire: a resent message brings fresh ones.
    const noteLabel = message.direction === 'note'
      ? el('span', { class: 'note-label', 'data-testid': 'note-label',
        text: `Private note${message.agent ? ` · ${message.agent}` : ''} · not sent to the customer` }) : null;
    item.replaceChildren(...[noteLabel,
      el('div', { class: 'body', 'data-testid': 'message-body', text: message.body || '' }),
      mediaView(message), line, retryView(conv, message)].filter(Boolean));
    return item;
  }));
  arrange(timeline, items);
  if (timeline.dataset.conversation !== conv.id) {
    state.pinned = true;
  }
  timeline.dataset.conversation = conv.id;
  pinToBottom();
}

function renderComposer(conv) {
  const blocked = $('composer-blocked');
  const reply = $('reply');
  if (conv.optedOut && !$('note-mode').checked) {
    blocked.hidden = false;
    blocked.textContent = `${conv.customer} opted out (texted STOP): replies cannot be sent until they text START.`;
    reply.disabled = true;
    $('send').disabled = true;
    reply.setAttribute('aria-describedby', 'composer-blocked');
  } else {
    blocked.hidden = true;
    reply.disabled = false;
    $('send').disabled = tooLong();
    reply.removeAttribute('aria-describedby');
  }
}

function characters(text) {
  return Array.from(text).length;
}

function tooLong() {
  return characters($('reply').value) > MAX_REPLY_CHARACTERS;
}

function renderContact(conv) {
  const known = state.contacts.get(conv.customer) || {};
  const name = known.name || null;
  $('conversation-title').textContent = name || conv.customer;
  $('conversation-number').textContent = name ? conv.customer : '';
  $('conversation-number').hidden = !name;
  $('contact-notes-view').textContent = known.notes || '';
  $('contact-notes-view').hidden = !known.notes;
  const form = $('contact-form');
  if (form.dataset.customer !== conv.customer) {
    form.hidden = true;
    form.dataset.customer = conv.customer;
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
    renderContact(conv);
    renderTimeline(conv);
    renderComposer(conv);
  } else if (document.body.dataset.view === 'conversation') {
    document.body.dataset.view = 'list';
  }
  placeNotices();
}

function select(id, focus = true) {
  if (state.selected !== id) {
    // Each conversation keeps its own draft, here and across reloads.
    $('reply').value = state.me ? drafts.draft(state.me.agent, id) : '';
    if (state.picker) {
      state.picker.close();
    }
    // Pictures belong to the reply being written, not to the next conversation.
    if (state.attachments) {
      state.attachments.clear();
    }
    updateCounter();
  }
  state.selected = id;
  if (state.me) {
    drafts.saveSelection(state.me.agent, id);
  }
  const conv = conversation(id);
  if (conv && (conv.unread > 0 || Number(conv.summary.unread || 0) > 0)) {
    conv.summary = { ...conv.summary, unread: 0 };
    markRead(conv);
  }
  document.body.dataset.view = 'conversation';
  render();
  if (focus && !$('reply').disabled) {
    $('reply').focus();
  }
}

/** The next (+1) or previous (-1) conversation in the list's order. */
function step(direction) {
  const all = sortedConversations();
  if (all.length === 0) {
    return;
  }
  const at = all.findIndex((c) => c.id === state.selected);
  const next = at < 0 ? (direction > 0 ? 0 : all.length - 1) : (at + direction + all.length) % all.length;
  // The focus stays, so that j and k can be pressed again; r goes to the reply.
  select(all[next].id, false);
}

// ---- composer --------------------------------------------------------------------------------------------------

function updateCounter() {
  const m = measure($('reply').value);
  $('encoding').textContent = m.encoding;
  $('chars').textContent = m.segments <= 1 ? `${m.length}/${m.perSegment}` : `${m.length} (${m.perSegment} per part)`;
  $('segments').textContent = `${m.segments} segment${m.segments === 1 ? '' : 's'}`;
  // With a picture it goes as one MMS: billed per message, not per segment of its text.
  const pictures = state.attachments ? state.attachments.count() : 0;
  const mms = $('mms');
  mms.hidden = pictures === 0;
  mms.textContent = pictures === 0 ? ''
    : `MMS · billed as a picture message (${pictures} picture${pictures === 1 ? '' : 's'}), not per segment`;
  $('segments').hidden = pictures > 0;
  const warning = $('segment-warning');
  warning.hidden = pictures > 0 || m.segments <= WARN_SEGMENTS;
  warning.textContent = m.segments > WARN_SEGMENTS
    ? `Long reply: ${m.segments} segments, each billed as one SMS.` : '';
  // The limit is shown all along, so that nobody learns of it from a refusal.
  const count = characters($('reply').value);
  const limit = $('limit');
  const over = count > MAX_REPLY_CHARACTERS;
  limit.textContent = over ? `${count}/${MAX_REPLY_CHARACTERS} characters: too long to send`
    : `${count}/${MAX_REPLY_CHARACTERS} characters`;
  limit.classList.toggle('over', over);
  limit.dataset.over = String(over);
  const conv = state.selected && conversation(state.selected);
  $('send').disabled = over || !!(conv && conv.optedOut && !$('note-mode').checked);
}

/** A note is written in the same composer, which then looks unmistakably different and says so. */
function noteModeChanged() {
  const on = $('note-mode').checked;
  $('composer').classList.toggle('note-mode', on);
  $('composer').dataset.mode = on ? 'note' : 'reply';
  $('send').textContent = on ? 'Add note' : 'Send';
  $('reply').placeholder = on ? 'Private note for agents (never sent to the customer)'
    : 'Reply (Enter sends, Shift+Enter for a new line, / for canned replies)';
  render();
  updateCounter();
}

/** The composer changed: counts, and the draft kept for this conversation. */
function draftChanged() {
  updateCounter();
  if (state.me && state.selected) {
    drafts.saveDraft(state.me.agent, state.selected, $('reply').value);
  }
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
  const asNote = $('note-mode').checked;
  const pictures = state.attachments.count();
  if (!conv || (conv.optedOut && !asNote) || (body.trim() === '' && (pictures === 0 || asNote))) {
    return;
  }
  if (pictures > 0 && asNote) {
    notice('A private note cannot carry pictures: remove them, or send them as a reply.');
    return;
  }
  if (state.attachments.uploading()) {
    notice('A picture is still uploading; send when its thumbnail is ready.', 'info');
    return;
  }
  if (tooLong()) {
    notice(`A reply has at most ${MAX_REPLY_CHARACTERS} characters; this one has ${characters(body)}.`);
    return;
  }
  if (asNote) {
    if (send({ type: 'note', conversation: conv.id, body })) {
      state.lastSent = { conversation: conv.id, body, at: Date.now() };
      $('reply').value = '';
      draftChanged();
    }
    return;
  }
  // The switchboard stores one reply per clientId, whatever reaches it twice.
  const clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  const media = state.attachments.mediaIds();
  if (send({ type: 'response', conversation: conv.id, body, clientId, media: media.length ? media : undefined })) {
    state.lastSent = { conversation: conv.id, body, at: Date.now(), pictures: state.attachments.take() };
    $('reply').value = '';
    draftChanged();
  }
}

/** "New conversation": text a customer first. The switchboard opens it as ours and sends the text. */
function startConversation(event) {
  event.preventDefault();
  const customer = $('start-customer').value.replace(/[\s().-]/g, '');
  const body = $('start-body').value;
  $('start-error').textContent = '';
  delete $('start-form').dataset.refused;
  if (!/^\+[1-9][0-9]{1,14}$/.test(customer)) {
    $('start-error').textContent = 'Enter the number in international form, like +15551234567.';
    return;
  }
  if (body.trim() === '') {
    $('start-error').textContent = 'Write the first text.';
    return;
  }
  const open = [...state.conversations.values()].find((c) => c.customer === customer);
  const clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  if (send({ type: 'start', customer, body, clientId })) {
    state.starting = { customer, at: Date.now() };
    if (open) {
      // Already ours: the text goes into it, no new assignment comes.
      state.starting = null;
      $('start-form').hidden = true;
      $('start-customer').value = '';
      $('start-body').value = '';
      select(open.id, false);
    }
  }
}

function toggleStartForm(show) {
  const form = $('start-form');
  form.hidden = !show;
  if (show) {
    $('start-error').textContent = '';
    $('start-customer').focus();
  }
}

/** Agents with room now, offered in the transfer field (typing a name still works). */
function loadTransferOptions() {
  fetch(`${API}/agents/available`, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : null)).catch(() => null).then((answer) => {
      if (!answer || !Array.isArray(answer.agents)) {
        return;
      }
      const mine = state.me ? state.me.agent : null;
      $('transfer-options').replaceChildren(...answer.agents.filter((a) => a.agent !== mine).map((a) => el('option', {
        value: a.agent, label: `${a.displayName || a.agent} · ${a.free} free`, 'data-testid': 'transfer-option',
        text: `${a.displayName || a.agent} · ${a.free} free` })));
    });
}

/**
 * Resolve asks for no confirmation: it goes to the switchboard after a few seconds, and Undo in the notice keeps the
 * conversation as it was. Another Resolve, or leaving the page, sends a pending one at once.
 */
function resolveWithUndo(id) {
  flushResolve();
  const conv = conversation(id);
  const who = conv ? label(conv.customer) : id;
  const undo = el('button', { type: 'button', class: 'link', 'data-testid': 'resolve-undo', text: 'Undo' });
  const item = el('div', { class: 'notice info', role: 'status', 'data-testid': 'resolve-pending' },
    el('span', { text: `Resolving the conversation with ${who}…` }), undo);
  const pending = { id, item, timer: setTimeout(() => flushResolve(), RESOLVE_UNDO_MS) };
  undo.addEventListener('click', () => {
    clearTimeout(pending.timer);
    if (state.pendingResolve === pending) {
      state.pendingResolve = null;
    }
    item.remove();
    notice(`Kept the conversation with ${who}.`, 'info');
  });
  state.pendingResolve = pending;
  $('notices').append(item);
  placeNotices();
}

function flushResolve() {
  const pending = state.pendingResolve;
  if (!pending) {
    return;
  }
  state.pendingResolve = null;
  clearTimeout(pending.timer);
  pending.item.remove();
  send({ type: 'resolve', conversation: pending.id });
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
  loadCanned();
}

/** The canned replies, read at sign-in and again when the picker opens on a list older than a minute. */
function loadCanned() {
  state.cannedAt = Date.now();
  fetch(`${API}/canned-replies`, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : null)).catch(() => null).then((answer) => {
      if (answer && Array.isArray(answer.replies)) {
        state.canned = answer.replies;
        if (state.picker && state.picker.isOpen()) {
          state.picker.open();
        }
      }
    });
}

async function saveContact(event) {
  event.preventDefault();
  const form = $('contact-form');
  const customer = form.dataset.customer;
  const body = { name: $('contact-name').value, notes: $('contact-notes').value };
  let response;
  try {
    response = await fetch(`${API}/contacts/${encodeURIComponent(customer)}`, { method: 'PUT',
      credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    notice('The console is not reachable; the contact was not saved.');
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    // The form stays open with what the agent typed.
    notice(answer.reason || `The contact was not saved (${response.status}).`);
    return;
  }
  state.contacts.set(customer, { name: answer.name || null, notes: answer.notes || null, loading: false });
  form.hidden = true;
  notice(`Saved ${answer.name || customer}.`, 'info');
  render();
}

function editContact() {
  const conv = state.selected && conversation(state.selected);
  if (!conv) {
    return;
  }
  const form = $('contact-form');
  const known = state.contacts.get(conv.customer) || {};
  form.dataset.customer = conv.customer;
  $('contact-name').value = known.name || '';
  $('contact-notes').value = known.notes || '';
  form.hidden = false;
  $('contact-name').focus();
}

function typing(target) {
  return target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}

/** Shortcuts outside text fields (Alt+↑/↓ work everywhere); "?" lists them. */
function shortcut(event) {
  if (!state.me || event.ctrlKey || event.metaKey) {
    return;
  }
  if (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
    event.preventDefault();
    step(event.key === 'ArrowDown' ? 1 : -1);
    return;
  }
  if (event.altKey || typing(event.target) || $('shortcuts').open) {
    return;
  }
  const reply = $('reply');
  if (event.key === 'j' || event.key === 'k') {
    event.preventDefault();
    step(event.key === 'j' ? 1 : -1);
  } else if (event.key === 'r' && state.selected && !reply.disabled) {
    event.preventDefault();
    reply.focus();
  } else if (event.key === '/' && state.selected && !reply.disabled) {
    event.preventDefault();
    reply.focus();
    const at = reply.value.length;
    reply.value += at === 0 || /\s$/.test(reply.value) ? '/' : ' /';
    reply.setSelectionRange(reply.value.length, reply.value.length);
    draftChanged();
    state.picker.open();
  } else if (event.key === '?') {
    event.preventDefault();
    $('shortcuts').showModal();
  }
}

function signedOut(reason) {
  state.me = null;
  const socket = state.socket;
  state.socket = null;
  if (socket) {
    socket.close();
  }
  state.conversations.clear();
  state.contacts.clear();
  state.canned = [];
  state.selected = null;
  $('reply').value = '';
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
  state.picker = picker($('reply'), $('canned-picker'), () => {
    if (Date.now() - state.cannedAt > CANNED_MAX_AGE_MS) {
      loadCanned();
    }
    return state.canned;
  }, () => {
    const conv = state.selected && conversation(state.selected);
    return { customer: conv ? (state.contacts.get(conv.customer) || {}).name : null,
      agent: state.me ? state.me.displayName || state.me.agent : '' };
  }, draftChanged);
  $('reply').addEventListener('input', draftChanged);
  state.attachments = attachments({ api: API, el, notice, changed: updateCounter, composer: $('composer'),
    input: $('attach-input'), button: $('attach'), list: $('attachments') });
  $('note-mode').addEventListener('change', noteModeChanged);
  $('reply').addEventListener('keydown', (event) => {
    if (state.picker.keydown(event)) {
      event.preventDefault();
      return;
    }
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
      resolveWithUndo(state.selected);
    }
  });
  // Leaving the page inside the Undo window still resolves.
  window.addEventListener('pagehide', flushResolve);
  $('transfer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const agent = $('transfer-agent').value.trim();
    if (!state.selected || !agent) {
      notice('Enter the name of the agent to transfer to.');
      return;
    }
    // The choice stays until the conversation leaves us: a refusal (no such agent, offline, full) keeps it.
    send({ type: 'transfer', conversation: state.selected, agent });
  });
  $('transfer-agent').addEventListener('focus', loadTransferOptions);
  $('new-conversation').addEventListener('click', () => toggleStartForm($('start-form').hidden));
  searchPanel({ api: API, el, notice, startAgain: (customer) => {
    toggleStartForm(true);
    $('start-customer').value = customer;
    $('start-body').focus();
  } });
  $('start-cancel').addEventListener('click', () => {
    // Cancel means not this one: the form starts empty next time.
    $('start-customer').value = '';
    $('start-body').value = '';
    $('start-error').textContent = '';
    toggleStartForm(false);
  });
  $('start-form').addEventListener('submit', startConversation);
  $('back').addEventListener('click', () => {
    document.body.dataset.view = 'list';
    render();
  });
  const timeline = $('timeline');
  timeline.addEventListener('scroll', () => {
    state.pinned = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  });
  // load does not bubble: caught on the way down, for every picture in the timeline.
  timeline.addEventListener('load', pinToBottom, true);
  $('contact-edit').addEventListener('click', editContact);
  $('contact-form').addEventListener('submit', saveContact);
  $('contact-cancel').addEventListener('click', () => {
    $('contact-form').hidden = true;
  });
  $('shortcuts-button').addEventListener('click', () => $('shortcuts').showModal());
  $('shortcuts-close').addEventListener('click', () => $('shortcuts').close());
  document.addEventListener('keydown', shortcut);
  window.addEventListener('resize', placeNotices);
  new MutationObserver(placeNotices).observe($('canned-picker'), { attributes: true, childList: true });
  $('sound-toggle').checked = alerts.soundOn();
  $('sound-toggle').addEventListener('change', () => alerts.setSound($('sound-toggle').checked));
  const desktop = $('desktop-toggle');
  desktop.checked = alerts.desktopOn();
  desktop.disabled = !('Notification' in window);
  desktop.addEventListener('change', async () => {
    if (desktop.checked) {
      desktop.checked = await alerts.enableDesktop();
      if (!desktop.checked) {
        notice('Desktop notifications are blocked for this site in the browser\'s settings.', 'info');
      }
    } else {
      alerts.disableDesktop();
    }
  });
  updateCounter();

  const response = await fetch(`${API}/me`, { credentials: 'same-origin' }).catch(() => null);
  if (response && response.ok) {
    showApp(await response.json());
  } else {
    signedOut('');
  }
}

start();
