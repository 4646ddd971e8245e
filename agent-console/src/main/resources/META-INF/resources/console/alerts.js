// What tells an agent about new work while the console's tab is hidden: a count in the title, an optional sound, and a
// desktop notification if they allowed it. Both choices are kept in this browser.

const SOUND_KEY = 'switchboard:sound';
const NOTIFY_KEY = 'switchboard:notify';
const BASE_TITLE = document.title;

let unseen = 0;
let audio = null;

export function soundOn() {
  return localStorage.getItem(SOUND_KEY) === 'on';
}

export function setSound(on) {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

export function desktopOn() {
  return localStorage.getItem(NOTIFY_KEY) === 'on' && 'Notification' in window
    && Notification.permission === 'granted';
}

/** Asks for the browser's permission if need be; resolves to whether desktop notifications are now on. */
export async function enableDesktop() {
  if (!('Notification' in window)) {
    return false;
  }
  const permission = Notification.permission === 'default' ? await Notification.requestPermission()
    : Notification.permission;
  localStorage.setItem(NOTIFY_KEY, permission === 'granted' ? 'on' : 'off');
  return permission === 'granted';
}

export function disableDesktop() {
  localStorage.setItem(NOTIFY_KEY, 'off');
}

export function unseenCount() {
  return unseen;
}

function beep() {
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    // No audio here (or not allowed yet): the title still counts.
  }
}

/** Something new for the agent: counted and announced only while the tab is hidden. */
export function announce(title, body, tag) {
  if (!document.hidden) {
    return;
  }
  unseen += 1;
  document.title = `(${unseen}) ${BASE_TITLE}`;
  if (soundOn()) {
    beep();
  }
  if (desktopOn()) {
    const note = new Notification(title, { body, tag });
    note.addEventListener('click', () => {
      window.focus();
      note.close();
    });
  }
}

function seen() {
  if (!document.hidden) {
    unseen = 0;
    document.title = BASE_TITLE;
  }
}

document.addEventListener('visibilitychange', seen);
window.addEventListener('focus', seen);
