/* The check-in kiosk (templates kiosk/screen.html): check-ins go into a queue kept in this
   tablet's localStorage, each with the device's next number and a random idempotency key, and
   are sent in order to the JSON API. A network failure (or a 5xx) keeps the item and retries
   with backoff; 429 waits for Retry-After; another 4xx drops the item with a message; 401 shows
   that the kiosk is no longer paired. Nothing here reloads the page except choosing a language. */
(function () {
  "use strict";

  const LANGUAGE_COOKIE = "impactlog_kiosk_language";

  function chooseLanguages() {
    document.querySelectorAll("[data-language]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.cookie = LANGUAGE_COOKIE + "=" + button.dataset.language +
          "; path=/kiosk/; max-age=31536000; SameSite=Strict";
        window.location.reload();
      });
    });
  }

  function start(root) {
    const device = root.dataset.device;
    const QUEUE = "impactlog.kiosk." + device + ".queue";
    const NEXT = "impactlog.kiosk." + device + ".next";
    const message = document.getElementById("kiosk-message");
    const waiting = document.getElementById("kiosk-queue");
    let sending = false;
    let offline = false;
    let delay = 1000;
    let timer = null;

    function text(name, values) {
      let found = root.dataset["msg" + name] || "";
      Object.keys(values || {}).forEach(function (key) {
        found = found.replace("{" + key + "}", values[key]);
      });
      return found;
    }

    function say(words, kind) {
      message.textContent = words;
      message.className = "kiosk-message" + (kind ? " kiosk-message-" + kind : "");
    }

    function queue() {
      try {
        return JSON.parse(localStorage.getItem(QUEUE) || "[]");
      } catch (error) {
        return [];
      }
    }

    function keep(items) {
      localStorage.setItem(QUEUE, JSON.stringify(items));
      showWaiting(items);
    }

    function showWaiting(items) {
      const count = items.length ? text("Waiting", { count: items.length }) : text("Sent");
      waiting.textContent = offline && items.length ? count + " " + text("Offline") : count;
      waiting.dataset.waiting = String(items.length);
    }

    function nextNumber() {
      const number = parseInt(localStorage.getItem(NEXT) || "1", 10) || 1;
      localStorage.setItem(NEXT, String(number + 1));
      return number;
    }

    function randomKey() {
      if (window.crypto && crypto.randomUUID) {
        return crypto.randomUUID();
      }
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    }

    function add(body) {
      const item = Object.assign({}, body, {
        sequence: nextNumber(),
        key: randomKey(),
        device_time: new Date().toISOString(),
      });
      const items = queue();
      items.push(item);
      keep(items);
      send();
    }

    function later(ms) {
      clearTimeout(timer);
      timer = setTimeout(send, ms);
    }

    function dropFirst() {
      const items = queue();
      items.shift();
      keep(items);
    }

    function reasonOf(answer) {
      const errors = (answer && answer.errors) || {};
      return Object.keys(errors).map(function (name) { return errors[name].join(" "); }).join(" ");
    }

    function revoked() {
      document.querySelectorAll(".kiosk-path, .kiosk-paths").forEach(function (part) {
        part.hidden = true;
      });
      document.getElementById("kiosk-revoked").hidden = false;
    }

    async function send() {
      if (sending) {
        return;
      }
      const items = queue();
      if (!items.length) {
        showWaiting(items);
        return;
      }
      sending = true;
      let response = null;
      try {
        response = await fetch(root.dataset.checkInUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Kiosk": "1",
            "X-Kiosk-Language": document.documentElement.lang,
          },
          body: JSON.stringify(items[0]),
          credentials: "same-origin",
        });
      } catch (error) {
        response = null;
      }
      sending = false;
      if (response === null || response.status >= 500) {
        offline = true;
        showWaiting(items);
        delay = Math.min(delay * 2, 60000);
        later(delay);
        return;
      }
      delay = 1000;
      offline = false;
      if (response.status === 401) {
        revoked();
        return;
      }
      if (response.status === 429) {
        later((parseInt(response.headers.get("Retry-After"), 10) || 60) * 1000);
        return;
      }
      const answer = await response.json().catch(function () { return {}; });
      dropFirst();
      if (response.ok) {
        if (answer.ask_worker) {
          say(text("AskWorker"), "notice");
        } else if (items[0].kind === "card" && answer.alias) {
          welcome(answer.alias); // only the server knows whose card it was
        }
      } else {
        say(text("Dropped", { reason: reasonOf(answer) }), "error");
      }
      send();
    }

    function welcome(alias) {
      say(alias ? text("Welcome", { alias: alias }) : text("Counted"), "done");
      showPath(null);
    }

    // The four ways in.
    const paths = document.querySelectorAll("[data-path]");

    function showPath(name) {
      paths.forEach(function (button) {
        const open = button.dataset.path === name;
        button.setAttribute("aria-expanded", open ? "true" : "false");
        document.getElementById("path-" + button.dataset.path).hidden = !open;
      });
      document.querySelectorAll(".kiosk-path form").forEach(function (form) { form.reset(); });
      document.getElementById("alias-typed").value = "";
      document.getElementById("alias-list").replaceChildren();
      const first = name && document.querySelector("#path-" + name + " input");
      if (first) {
        first.focus();
      }
    }

    paths.forEach(function (button) {
      button.addEventListener("click", function () {
        const open = button.getAttribute("aria-expanded") === "true";
        say("");
        showPath(open ? null : button.dataset.path);
      });
    });

    // Returning: type two letters, tap the alias.
    const typed = document.getElementById("alias-typed");
    const list = document.getElementById("alias-list");
    let asked = 0;
    typed.addEventListener("input", async function () {
      const value = typed.value.trim();
      const mine = ++asked;
      if (value.length < 2) {
        list.replaceChildren();
        return;
      }
      let found = [];
      try {
        const response = await fetch(
          root.dataset.aliasesUrl + "?q=" + encodeURIComponent(value),
          { credentials: "same-origin" }
        );
        if (response.status === 401) {
          revoked();
          return;
        }
        found = (await response.json()).aliases || [];
      } catch (error) {
        say(text("Offline"), "warning");
        return;
      }
      if (mine !== asked) {
        return;
      }
      list.replaceChildren();
      if (!found.length) {
        const none = document.createElement("li");
        none.textContent = text("NoMatch");
        list.append(none);
      }
      found.forEach(function (row) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = row.alias;
        button.addEventListener("click", function () {
          add({ kind: "returning", participant: row.id });
          welcome(row.alias);
        });
        item.append(button);
        list.append(item);
      });
    });

    // First time here.
    document.getElementById("form-new").addEventListener("submit", function (event) {
      event.preventDefault();
      const form = new FormData(event.target);
      const alias = String(form.get("alias") || "").trim();
      add({
        kind: "new",
        alias: alias,
        birth_year: parseInt(form.get("birth_year"), 10),
        birth_month: parseInt(form.get("birth_month"), 10),
        gender: form.get("gender"),
      });
      welcome(alias);
    });

    // Just count me.
    document.getElementById("form-count").addEventListener("submit", function (event) {
      event.preventDefault();
      const form = new FormData(event.target);
      add({ kind: "anonymous", age_band: form.get("age_band"), gender: form.get("gender") });
      welcome("");
    });

    // A card: a scanner that types its text and Enter, or the camera where the browser reads QR.
    function card(value) {
      if (value) {
        add({ kind: "card", card: value });
        welcome("");
      }
    }
    document.getElementById("form-card").addEventListener("submit", function (event) {
      event.preventDefault();
      card(document.getElementById("card-text").value.trim());
    });
    const camera = document.getElementById("card-camera");
    if ("BarcodeDetector" in window && navigator.mediaDevices) {
      camera.hidden = false;
      camera.addEventListener("click", async function () {
        const video = document.getElementById("card-video");
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
        });
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        const stop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          video.hidden = true;
        };
        const look = async function () {
          if (video.hidden) {
            return;
          }
          const codes = await detector.detect(video).catch(function () { return []; });
          if (codes.length) {
            stop();
            card(codes[0].rawValue);
          } else {
            requestAnimationFrame(look);
          }
        };
        setTimeout(stop, 30000);
        look();
      });
    }

    window.addEventListener("online", function () {
      delay = 1000;
      send();
    });
    showWaiting(queue());
    send();
  }

  document.addEventListener("DOMContentLoaded", function () {
    chooseLanguages();
    const root = document.getElementById("kiosk");
    if (root) {
      start(root);
    }
  });
})();
