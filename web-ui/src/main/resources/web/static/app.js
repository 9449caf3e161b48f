// The admin UI's only script (no inline script anywhere: the CSP forbids it). Without it every
// page still works; with it, pages follow the gateway's events live and destructive forms ask first.
(function () {
  "use strict";

  // Forms with data-confirm ask before they post (delete, log out, disable, remove). Forms with
  // data-async post in the background: the page then changes through the live events, not a
  // reload. A refused one is posted again the ordinary way, so the server's page shows the error
  // next to its field (a refused action changed nothing, so posting it twice is harmless).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute && form.hasAttribute("data-async") && !form.hasAttribute("data-sync-now")) {
      event.preventDefault();
      var label = (event.submitter && event.submitter.textContent.trim()) || "Action";
      say(label + "…");
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        redirect: "follow"
      }).then(function (response) {
        if (response.ok) {
          say(label + ": done.");
          form.querySelectorAll("input[type=text], input[type=tel]").forEach(function (input) {
            input.removeAttribute("aria-invalid");
          });
        } else {
          form.setAttribute("data-sync-now", "");
          form.submit();
        }
      }, function () {
        say(label + ": the gateway did not answer.");
      });
    }
  });

  function say(text) {
    var region = document.getElementById("action-status");
    if (region) region.textContent = text;
  }

  var body = document.body;
  var url = body.getAttribute("data-live");
  if (!url) {
    return;
  }
  var sessionId = body.getAttribute("data-session");
  var indicator = document.getElementById("live");
  var RANK = { PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3, FAILED: 4 };
  var TICKS = { PENDING: "\u23F1", SENT: "\u2713", DELIVERED: "\u2713\u2713", READ: "\u2713\u2713", FAILED: "\u2717" };
  var MONITOR_MAX = 50;

  function show(state, text) {
    if (!indicator) return;
    indicator.hidden = false;
    indicator.setAttribute("data-state", state);
    indicator.textContent = text;
  }

  function setText(root, field, value) {
    var el = root.querySelector('[data-field="' + field + '"]');
    if (el) el.textContent = value;
    return el;
  }

  function rowsOf(id) {
    return Array.prototype.filter.call(document.querySelectorAll("[data-session-id]"), function (el) {
      return el.getAttribute("data-session-id") === id;
    });
  }

  function onStatus(data) {
    rowsOf(data.sessionId).forEach(function (row) {
      var status = setText(row, "status", data.status);
      if (status) status.setAttribute("data-status", data.status);
      setText(row, "reason", data.reason || "");
      if (data.phone || data.status === "CONNECTED") setText(row, "phone", data.phone || "");
      if (data.displayName || data.status === "CONNECTED") setText(row, "displayName", data.displayName || "");
      var updated = setText(row, "updated", data.time);
      if (updated) updated.removeAttribute("datetime");
    });
    if (sessionId === data.sessionId && data.status !== "QR_REQUIRED") {
      var section = document.getElementById("qr-section");
      if (section) section.hidden = true;
    }
  }

  function onQr(data) {
    if (sessionId !== data.sessionId) {
      onStatus({ sessionId: data.sessionId, status: "QR_REQUIRED", reason: "", time: data.time });
      return;
    }
    var section = document.getElementById("qr-section");
    var box = document.getElementById("qr");
    if (!section || !box) return;
    // Server-drawn SVG markup (never user text), parsed as SVG rather than as HTML.
    var svg = new DOMParser().parseFromString(data.qr.svg, "image/svg+xml").documentElement;
    box.replaceChildren(document.importNode(svg, true));
    box.setAttribute("data-attempt", String(data.qr.attempt));
    document.getElementById("qr-attempt").textContent = String(data.qr.attempt);
    var countdown = document.getElementById("qr-countdown");
    countdown.setAttribute("data-expires-at", data.qr.expiresAt);
    var expires = document.getElementById("qr-expires");
    expires.setAttribute("datetime", data.qr.expiresAt);
    expires.textContent = data.qr.expires;
    section.hidden = false;
    tick();
    onStatus({ sessionId: data.sessionId, status: "QR_REQUIRED", reason: "", time: data.time });
  }

  function onMessageStatus(data) {
    var item = document.querySelector('[data-message-id="' + CSS.escape(data.messageId) + '"]');
    if (!item) return;
    var status = item.querySelector('[data-field="status"]');
    var current = status.getAttribute("data-status");
    // Statuses only move forward; a late snapshot or a repeated event never moves one back.
    if (RANK[data.status] !== undefined && RANK[data.status] <= RANK[current]) return;
    status.textContent = data.status;
    status.setAttribute("data-status", data.status);
    var ticks = item.querySelector('[data-field="ticks"]');
    ticks.textContent = TICKS[data.status] || "";
    ticks.setAttribute("data-status", data.status);
    if (data.error) {
      var error = item.querySelector('[data-field="error"]');
      error.textContent = data.error;
      error.hidden = false;
    }
    var history = item.querySelector("ol.history");
    var steps = data.history || [{ status: data.status, at: data.time }];
    steps.forEach(function (step) {
      if (history.querySelector('[data-status="' + step.status + '"]')) return;
      var li = document.createElement("li");
      li.setAttribute("data-status", step.status);
      var name = document.createElement("span");
      name.textContent = step.status;
      var at = document.createElement("time");
      at.textContent = step.at;
      li.append(name, " ", at);
      history.appendChild(li);
    });
  }

  function monitor(type, data) {
    var list = document.getElementById("monitor");
    if (!list) return;
    var li = document.createElement("li");
    var head = document.createElement("div");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = type + (data.snapshot ? " (state)" : "");
    var time = document.createElement("time");
    time.textContent = " " + (data.time || "");
    head.append(kind, time);
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(data.payload || data, null, 2);
    li.append(head, pre);
    li.setAttribute("data-type", type);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MONITOR_MAX) list.removeChild(list.lastChild);
  }

  function tick() {
    var countdown = document.getElementById("qr-countdown");
    if (!countdown) return;
    var at = Date.parse(countdown.getAttribute("data-expires-at") || "");
    if (isNaN(at)) { countdown.textContent = "…"; return; }
    var left = Math.max(0, Math.round((at - Date.now()) / 1000));
    countdown.textContent = left + " s";
  }
  setInterval(tick, 1000);
  tick();

  // The dashboard's table is fetched again when a session is created or deleted (here, in another
  // browser or over REST); one fetch at a time, and one more if a change came in meanwhile.
  var refreshing = false;
  var refreshAgain = false;
  function onSessionsChanged() {
    var list = document.getElementById("session-list");
    if (!list) return;
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("session-list");
      if (fresh) list.replaceChildren.apply(list, Array.prototype.map.call(fresh.childNodes, function (node) {
        return document.importNode(node, true);
      }));
    }).catch(function () {}).then(function () {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; onSessionsChanged(); }
    });
  }

  var handlers = {
    sessions_changed: onSessionsChanged,
    session_status_changed: onStatus,
    qr_code_updated: onQr,
    message_status_updated: onMessageStatus,
    message_received: function () {}
  };

  var source = null;
  var connectedBefore = false;
  function connect() {
    show("connecting", "Connecting…");
    source = new EventSource(url);
    source.addEventListener("hello", function () {
      show("live", "Live");
      // Reconnected: sessions created or deleted while the stream was down were not announced.
      if (connectedBefore) onSessionsChanged();
      connectedBefore = true;
    });
    source.addEventListener("open", function () { show("live", "Live"); });
    source.addEventListener("error", function () {
      show("down", "Disconnected: reconnecting…");
      if (source.readyState === EventSource.CLOSED) {
        // Refused (signed out, or the gateway restarting answered before it was ready): try again.
        source.close();
        setTimeout(connect, 2000);
      }
    });
    source.addEventListener("signed_out", function () {
      source.close();
      show("down", "Signed out");
      window.location.assign("/login");
    });
    Object.keys(handlers).forEach(function (type) {
      source.addEventListener(type, function (event) {
        var data = JSON.parse(event.data);
        handlers[type](data);
        if (!data.history && type !== "sessions_changed") monitor(type, data);
      });
    });
  }
  connect();
})();
