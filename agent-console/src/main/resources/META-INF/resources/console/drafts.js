// What survives a reload, in this browser: the agent's selected conversation and their unsent drafts, per
// conversation. Keys carry the agent's name, so two agents sharing a browser never see each other's drafts.

const MAX_DRAFTS = 50;

function prefix(agent) {
  return `switchboard:${agent}:`;
}

export function savedSelection(agent) {
  return localStorage.getItem(`${prefix(agent)}selected`);
}

export function saveSelection(agent, conversation) {
  if (conversation) {
    localStorage.setItem(`${prefix(agent)}selected`, conversation);
  } else {
    localStorage.removeItem(`${prefix(agent)}selected`);
  }
}

export function draft(agent, conversation) {
  try {
    return JSON.parse(localStorage.getItem(`${prefix(agent)}draft:${conversation}`) || 'null')?.text || '';
  } catch {
    return '';
  }
}

/** Keeps the draft (an empty one is removed); past MAX_DRAFTS the oldest go. */
export function saveDraft(agent, conversation, text) {
  const key = `${prefix(agent)}draft:${conversation}`;
  if (!text) {
    localStorage.removeItem(key);
    return;
  }
  localStorage.setItem(key, JSON.stringify({ text, at: Date.now() }));
  const drafts = [];
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    if (name.startsWith(`${prefix(agent)}draft:`)) {
      drafts.push([name, JSON.parse(localStorage.getItem(name) || '{}').at || 0]);
    }
  }
  drafts.sort((a, b) => a[1] - b[1]).slice(0, Math.max(0, drafts.length - MAX_DRAFTS))
    .forEach(([name]) => localStorage.removeItem(name));
}
