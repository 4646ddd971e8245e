// Pictures attached to a reply: from the attach button, dropped on the composer or pasted into it. Each is uploaded at
// once (POST /console/api/media, passed on to the switchboard), shown as a removable thumbnail, and sent by its mediaId
// with the reply. The switchboard checks type, bytes and size again; the checks here only spare a useless upload.

/** What the switchboard takes (switchboard.media.*): JPEG, PNG or GIF, at most 5 MiB each, 10 per message. */
export const TYPES = ['image/jpeg', 'image/png', 'image/gif'];
export const MAX_BYTES = 5 * 1024 * 1024;
export const MAX_COUNT = 10;

/**
 * @param api base path of the console's REST API
 * @param el the page's element helper
 * @param notice shows a refusal to the agent
 * @param changed called whenever the set of pictures changes
 */
export function attachments({ api, el, notice, changed, composer, input, button, list }) {
  let items = [];

  function render() {
    list.replaceChildren(...items.map((item, index) => {
      const remove = el('button', { type: 'button', class: 'remove', 'data-testid': 'attachment-remove',
        'aria-label': `Remove picture ${index + 1}`, title: 'Remove', text: '×' });
      remove.addEventListener('click', () => removeItem(item));
      return el('li', { class: `attachment ${item.state}`, 'data-testid': 'attachment',
        'data-state': item.state, 'data-media-id': item.mediaId || undefined },
      el('img', { src: item.preview, alt: `Picture ${index + 1} to send: ${item.name}`,
        'data-testid': 'attachment-preview' }),
      item.state === 'uploading' ? el('span', { class: 'progress', text: 'Uploading…' }) : null,
      remove);
    }));
    list.hidden = items.length === 0;
    changed();
  }

  function removeItem(item) {
    items = items.filter((other) => other !== item);
    URL.revokeObjectURL(item.preview);
    render();
  }

  async function upload(item) {
    let response = null;
    try {
      response = await fetch(`${api}/media`, { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': item.file.type }, body: item.file });
    } catch (e) {
      response = null;
    }
    if (!items.includes(item)) {
      return; // removed while uploading
    }
    const body = response ? await response.json().catch(() => ({})) : {};
    if (response && response.status === 201 && body.mediaId) {
      item.mediaId = body.mediaId;
      item.state = 'ready';
      render();
      return;
    }
    notice(`${item.name} was not attached: ${body.reason || 'the upload failed; try again'}`);
    removeItem(item);
  }

  function add(files) {
    for (const file of files) {
      if (items.length >= MAX_COUNT) {
        notice(`A message carries at most ${MAX_COUNT} pictures.`);
        break;
      }
      if (!TYPES.includes(file.type)) {
        notice(`${file.name || 'That file'} is not a JPEG, PNG or GIF picture.`);
        continue;
      }
      if (file.size > MAX_BYTES) {
        notice(`${file.name} is over 5 MB, the most a picture message carries.`);
        continue;
      }
      const item = { file, name: file.name || 'pasted picture', preview: URL.createObjectURL(file),
        state: 'uploading', mediaId: null };
      items.push(item);
      upload(item);
    }
    render();
  }

  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    add([...input.files]);
    input.value = '';
  });
  composer.addEventListener('dragover', (event) => {
    if ([...event.dataTransfer.types].includes('Files')) {
      event.preventDefault();
      composer.classList.add('dropping');
    }
  });
  composer.addEventListener('dragleave', () => composer.classList.remove('dropping'));
  composer.addEventListener('drop', (event) => {
    composer.classList.remove('dropping');
    if (event.dataTransfer.files.length) {
      event.preventDefault();
      add([...event.dataTransfer.files]);
    }
  });
  // A picture dropped anywhere else would make the browser leave the console to show it.
  window.addEventListener('dragover', (event) => {
    if ([...event.dataTransfer.types].includes('Files')) {
      event.preventDefault();
    }
  });
  window.addEventListener('drop', (event) => {
    if (!event.defaultPrevented && event.dataTransfer.files.length) {
      event.preventDefault();
      notice('Drop pictures on the reply box to attach them.', 'info');
    }
  });
  composer.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData ? event.clipboardData.files : [])];
    if (files.length) {
      event.preventDefault();
      add(files);
    }
  });

  return {
    count: () => items.length,
    uploading: () => items.some((item) => item.state === 'uploading'),
    mediaIds: () => items.filter((item) => item.mediaId).map((item) => item.mediaId),
    /** Takes the pictures off the composer (sent), handing them back in case the reply is refused. */
    take() {
      const taken = items;
      items = [];
      render();
      return taken;
    },
    /** Puts pictures back after a refusal. */
    restore(taken) {
      items = [...taken, ...items].slice(0, MAX_COUNT);
      render();
    },
    /** Drops every picture, e.g. when another conversation is opened. */
    clear() {
      items.forEach((item) => URL.revokeObjectURL(item.preview));
      items = [];
      render();
    },
  };
}
