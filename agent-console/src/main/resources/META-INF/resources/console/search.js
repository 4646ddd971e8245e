// Search and read-only history: any conversation, resolved ones included, by part of the number or of the name.
// Opening a result shows its whole history without a composer; "Start again" fills in the New conversation form.

/** A resolve or reopen marker in a read-only history (no stream here: the date is the label). */
function eventLabel(m) {
  const who = (m.details && m.details.agentName) || m.agent;
  const what = m.status === 'resolved' ? `Resolved by ${who || 'an agent'}` : `Reopened by ${who || 'the customer'}`;
  return `${what} · ${new Date(m.createdAt).toLocaleString()}`;
}

/** A conversation's newest 100 messages, newest first, as the history API answers; null when it cannot be read. */
export function readHistory(api, customer) {
  return fetch(`${api}/conversations/${encodeURIComponent(customer)}/messages?limit=100`,
    { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : null)).catch(() => null);
}

/**
 * @param {object} deps  api base, the DOM builder, a notice function and a callback to start again with a number
 */
export function searchPanel({ api, el, notice, startAgain }) {
  const $ = (id) => document.getElementById(id);
  const results = $('search-results');
  const view = $('history-view');

  async function search(event) {
    event.preventDefault();
    const q = $('search-q').value.trim();
    if (q.length < 2) {
      results.hidden = true;
      return;
    }
    const answer = await fetch(`${api}/conversations/search?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' })
      .then((r) => r.json().then((body) => ({ ok: r.ok, body }))).catch(() => null);
    if (!answer || !answer.ok) {
      notice((answer && answer.body && answer.body.reason) || 'Search is not available just now.');
      return;
    }
    const found = answer.body.conversations || [];
    results.replaceChildren(...(found.length === 0
      ? [el('li', { class: 'empty', 'data-testid': 'search-empty', text: `Nothing found for “${q}”.` })]
      : found.map((hit) => {
        const c = hit.conversation;
        const button = el('button', { type: 'button' },
          el('span', { class: 'customer', text: hit.name || c.customer },
            hit.name ? el('span', { class: 'number', text: c.customer }) : null),
          el('span', { class: 'meta', 'data-testid': 'search-state', text: c.state }),
          el('span', { class: 'preview', text: c.lastMessagePreview || '' }));
        button.addEventListener('click', () => open(c.customer, hit.name));
        return el('li', { 'data-testid': 'search-result', 'data-customer': c.customer, 'data-state': c.state },
          button);
      })));
    results.hidden = false;
  }

  async function open(customer, name) {
    const answer = await readHistory(api, customer);
    if (!answer) {
      notice('The history could not be read just now.');
      return;
    }
    const messages = [...(answer.messages || [])].reverse();
    $('history-title').textContent = name || customer;
    $('history-number').textContent = name ? customer : '';
    $('history-timeline').replaceChildren(...messages.map((m) => (m.direction === 'event' ? el('li', {
      class: 'divider', 'data-testid': 'history-event', 'data-event': m.status, role: 'separator' },
    el('span', { class: 'divider-label', title: new Date(m.createdAt).toLocaleString(), text: eventLabel(m) }))
      : el('li', {
      class: `bubble ${m.direction}`, 'data-testid': 'history-message', 'data-direction': m.direction },
    m.direction === 'note' ? el('span', { class: 'note-label', text: `Private note${m.agent ? ` · ${m.agent}` : ''}` })
      : null,
    el('div', { class: 'body', text: m.body || '' }),
    el('div', { class: 'line' }, el('time', { title: m.createdAt, text: new Date(m.createdAt).toLocaleString() }),
      m.direction === 'outbound' ? el('span', { class: 'delivery', text: m.status }) : null)))));
    $('history-start').onclick = () => {
      view.hidden = true;
      startAgain(customer);
    };
    view.hidden = false;
    view.dataset.customer = customer;
  }

  $('search-form').addEventListener('submit', search);
  $('history-close').addEventListener('click', () => {
    view.hidden = true;
  });
}
