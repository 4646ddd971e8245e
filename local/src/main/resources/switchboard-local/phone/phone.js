// The dev phone: plays a customer texting the business number. Talks only to the Twilio stand-in's own API
// (/_standin/phone/...), which signs and posts each text to the switchboard as Twilio would.
"use strict";

(function () {
  const STORAGE_KEY = "switchboard.devPhone.number";
  const POLL_MS = 1000;
  const E164 = /^\+[1-9][0-9]{1,14}$/;

  const numberInput = document.getElementById("number");
  const bodyInput = document.getElementById("body");
  const mediaInput = document.getElementById("media");
  const sendButton = document.getElementById("send");
  const form = document.getElementById("composer");
  const statusLine = document.getElementById("status");
  const thread = document.getElementById("thread");
  const threadArea = thread.parentElement;
  const empty = document.getElementById("empty");
  const businessNumber = document.getElementById("business-number");

  let settings = { maxUploadBytes: 5 * 1024 * 1024, defaultNumber: "+15551234567" };
  let shownNumber = null;
  let shown = [];            // sids in the order they are on screen
  const items = new Map();   // sid -> <li>
  let pollTimer = null;
  let generation = 0;        // bumps when the number changes, so a late answer for the old number is ignored

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function storedNumber() {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return null;
    }
  }

  function storeNumber(number) {
    try {
      localStorage.setItem(STORAGE_KEY, number);
    } catch (e) {
      // private windows may refuse storage; the number then lasts as long as the page
    }
  }

  function currentNumber() {
    return numberInput.value.trim();
  }

  function time(iso) {
    const date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function describe(message) {
    const who = message.direction === "inbound" ? "You" : "Business";
    let text = who + " · " + time(message.at) + " · " + message.status;
    if (message.errorCode) {
      text += " (" + message.errorCode + ")";
    }
    if (message.errorMessage) {
      text += ": " + message.errorMessage;
    }
    return text;
  }

  function render(message) {
    const li = document.createElement("li");
    li.className = "message";
    li.setAttribute("data-testid", "phone-message");
    li.dataset.direction = message.direction;
    li.dataset.sid = message.sid;
    if (message.body) {
      const body = document.createElement("span");
      body.className = "body";
      body.setAttribute("data-testid", "phone-message-body");
      body.textContent = message.body;
      li.appendChild(body);
    }
    (message.media || []).forEach(function (file, index) {
      const isImage = !file.contentType || file.contentType.indexOf("image/") === 0;
      if (isImage) {
        const img = document.createElement("img");
        img.src = file.url;
        img.alt = "Picture " + (index + 1) + (message.direction === "inbound" ? " you sent" : " from the business");
        img.setAttribute("data-testid", "phone-message-media");
        img.loading = "lazy";
        li.appendChild(img);
      } else {
        const link = document.createElement("a");
        link.href = file.url;
        link.textContent = "Attachment " + (index + 1) + " (" + file.contentType + ")";
        link.rel = "noopener";
        link.target = "_blank";
        link.setAttribute("data-testid", "phone-message-media");
        li.appendChild(link);
      }
    });
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.setAttribute("data-testid", "phone-message-status");
    li.appendChild(meta);
    update(li, message);
    return li;
  }

  function update(li, message) {
    li.dataset.status = message.status;
    const meta = li.querySelector(".meta");
    const text = describe(message);
    if (meta.textContent !== text) {
      meta.textContent = text;
    }
  }

  function nearBottom() {
    return threadArea.scrollHeight - threadArea.scrollTop - threadArea.clientHeight < 80;
  }

  function show(messages, forceScroll) {
    const sids = messages.map(function (m) { return m.sid; });
    const isPrefix = shown.every(function (sid, i) { return sids[i] === sid; });
    const stick = forceScroll || nearBottom();
    if (!isPrefix) {
      thread.replaceChildren();
      items.clear();
      shown = [];
    }
    let added = false;
    messages.forEach(function (message) {
      const existing = items.get(message.sid);
      if (existing) {
        update(existing, message);
      } else {
        const li = render(message);
        items.set(message.sid, li);
        thread.appendChild(li);
        shown.push(message.sid);
        added = true;
      }
    });
    empty.hidden = messages.length > 0;
    if (added && stick) {
      threadArea.scrollTop = threadArea.scrollHeight;
    }
  }

  async function poll(forceScroll) {
    clearTimeout(pollTimer);
    const number = currentNumber();
    const mine = generation;
    if (E164.test(number)) {
      try {
        const response = await fetch("/_standin/phone/thread?number=" + encodeURIComponent(number),
          { cache: "no-store" });
        if (response.ok && mine === generation) {
          const json = await response.json();
          show(json.messages, forceScroll);
        }
      } catch (e) {
        if (mine === generation) {
          say("The stand-in does not answer; retrying…", true);
        }
      }
    }
    if (mine === generation) {
      pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  function switchNumber() {
    const number = currentNumber();
    if (number === shownNumber) {
      return;
    }
    if (!E164.test(number)) {
      say("Your number must be E.164: a +, the country code, then the number (e.g. +15551234567).", true);
      return;
    }
    storeNumber(number);
    shownNumber = number;
    generation++;
    thread.replaceChildren();
    items.clear();
    shown = [];
    empty.hidden = false;
    say("");
    poll(true);
  }

  async function send(event) {
    event.preventDefault();
    const number = currentNumber();
    if (!E164.test(number)) {
      say("Your number must be E.164, like +15551234567.", true);
      numberInput.focus();
      return;
    }
    switchNumber();
    const file = mediaInput.files && mediaInput.files[0];
    const body = bodyInput.value;
    if (!body.trim() && !file) {
      say("Type a message or attach a picture.", true);
      bodyInput.focus();
      return;
    }
    if (file && file.size > settings.maxUploadBytes) {
      say("That picture is " + file.size + " bytes; a text takes at most " + settings.maxUploadBytes + ".", true);
      return;
    }
    const data = new FormData();
    data.append("from", number);
    data.append("body", body);
    if (file) {
      data.append("media", file, file.name);
    }
    sendButton.disabled = true;
    say("Sending…");
    try {
      const response = await fetch("/_standin/phone/send", { method: "POST", body: data });
      let json = {};
      try {
        json = await response.json();
      } catch (e) {
        // answered without JSON: the status code says enough
      }
      if (response.ok && json.switchboardStatus >= 200 && json.switchboardStatus < 300) {
        say("Sent " + json.messageSid + "; the switchboard answered " + json.switchboardStatus + ".");
        bodyInput.value = "";
        mediaInput.value = "";
      } else if (response.ok) {
        say("The switchboard refused it (" + json.switchboardStatus + "): " + json.switchboardBody, true);
      } else {
        say("Not sent (" + response.status + "): " + (json.reason || response.statusText), true);
      }
    } catch (e) {
      say("Not sent: the stand-in does not answer.", true);
    } finally {
      sendButton.disabled = false;
      bodyInput.focus();
      poll(true);
    }
  }

  async function start() {
    try {
      const response = await fetch("/_standin/phone", { cache: "no-store" });
      if (response.ok) {
        settings = await response.json();
        businessNumber.textContent = settings.businessNumber;
      }
    } catch (e) {
      say("The stand-in does not answer.", true);
    }
    numberInput.value = storedNumber() || settings.defaultNumber;
    switchNumber();
  }

  numberInput.addEventListener("change", switchNumber);
  numberInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      switchNumber();
    }
  });
  bodyInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", send);
  start();
})();
