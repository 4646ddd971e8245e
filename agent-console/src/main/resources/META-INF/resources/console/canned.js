// Canned replies in the composer: "/" (at the start or after a space) opens a picker filtered by what follows it; the
// chosen reply replaces the "/word", with its placeholders filled in, and stays editable.

const MAX_SHOWN = 8;
const TRIGGER = /(^|\s)\/([a-z0-9_-]*)$/i;

/** The text with {{customer.name}} and {{agent.name}} filled in; an unknown name leaves no stray space behind. */
export function fill(text, customerName, agentName) {
  let out = text.replace(/\{\{\s*agent\.name\s*}}/g, agentName || '');
  if (customerName) {
    return out.replace(/\{\{\s*customer\.name\s*}}/g, customerName);
  }
  out = out.replace(/[ \t]*\{\{\s*customer\.name\s*}}/g, '');
  return out.replace(/^[ \t]*([,.!?;:])/gm, '').replace(/[ \t]+([,.!?;:])/g, '$1');
}

/**
 * Wires the picker to a textarea.
 *
 * @param textarea the composer
 * @param list an empty <ul role=listbox>
 * @param replies () => the canned replies, [{id, shortcut, text}]
 * @param names () => {customer, agent}, the names to fill in
 * @param changed called after a reply was put in
 * @returns {{open: function(): boolean, close: function(), keydown: function(KeyboardEvent): boolean}}
 */
export function picker(textarea, list, replies, names, changed) {
  let shown = [];
  let active = 0;
  let query = null;

  function match() {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const found = TRIGGER.exec(before);
    return found ? found[2].toLowerCase() : null;
  }

  function render() {
    list.replaceChildren(...shown.map((reply, i) => {
      const item = document.createElement('li');
      item.id = `canned-${reply.id}`;
      item.setAttribute('role', 'option');
      item.dataset.testid = 'canned-option';
      item.dataset.shortcut = reply.shortcut;
      item.setAttribute('aria-selected', String(i === active));
      const key = document.createElement('span');
      key.className = 'shortcut';
      key.textContent = `/${reply.shortcut}`;
      const text = document.createElement('span');
      text.className = 'canned-text';
      text.textContent = reply.text;
      item.append(key, text);
      // mousedown, not click: the textarea keeps its focus and caret.
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(reply);
      });
      return item;
    }));
    if (shown.length === 0) {
      const none = document.createElement('li');
      none.className = 'none';
      none.dataset.testid = 'canned-none';
      none.textContent = replies().length === 0 ? 'No canned replies yet (an admin adds them).'
        : `No canned reply matches /${query}.`;
      list.append(none);
    }
    list.hidden = false;
    textarea.setAttribute('aria-expanded', 'true');
    if (shown[active]) {
      textarea.setAttribute('aria-activedescendant', `canned-${shown[active].id}`);
    }
  }

  function update() {
    query = match();
    if (query === null) {
      close();
      return false;
    }
    const all = replies();
    const starts = all.filter((r) => r.shortcut.startsWith(query));
    const contains = all.filter((r) => !r.shortcut.startsWith(query)
      && (r.shortcut.includes(query) || r.text.toLowerCase().includes(query)));
    shown = [...starts, ...contains].slice(0, MAX_SHOWN);
    active = Math.min(active, Math.max(0, shown.length - 1));
    render();
    return true;
  }

  function close() {
    query = null;
    shown = [];
    active = 0;
    list.hidden = true;
    list.replaceChildren();
    textarea.setAttribute('aria-expanded', 'false');
    textarea.removeAttribute('aria-activedescendant');
  }

  function choose(reply) {
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, caret);
    const found = TRIGGER.exec(before);
    const start = found ? caret - found[2].length - 1 : caret;
    const { customer, agent } = names();
    const text = fill(reply.text, customer, agent);
    textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(caret);
    const end = start + text.length;
    textarea.setSelectionRange(end, end);
    close();
    textarea.focus();
    changed();
  }

  textarea.addEventListener('input', update);
  textarea.addEventListener('blur', () => setTimeout(close, 150));

  return {
    open: update,
    close,
    isOpen: () => !list.hidden,
    /** @returns true when the picker used the key (the composer must not act on it) */
    keydown(event) {
      if (list.hidden) {
        return false;
      }
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (shown.length) {
          active = (active + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
          render();
        }
        return true;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && shown[active]) {
        choose(shown[active]);
        return true;
      }
      if (event.key === 'Escape') {
        close();
        return true;
      }
      return false;
    },
  };
}
