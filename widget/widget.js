/*
 * ShopAssist chat widget (minimal; the full widget comes with the channels issue).
 * Embed:  <script src="https://shop.example/widget/widget.js" data-rasa-url="https://bot.example" defer></script>
 * Talks to Rasa's socket.io channel; the session id lives in localStorage so a reload keeps the conversation.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var rasaUrl = script.getAttribute("data-rasa-url") || "http://localhost:5005";
  var title = script.getAttribute("data-title") || "Shop assistant";
  var storageKey = "shopassist.session";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text; // always text, never HTML: no injection from messages
    return node;
  }

  function loadScript(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    document.head.appendChild(s);
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "widget.css";
  document.head.appendChild(css);

  var root = el("div", "sa-widget");
  var toggle = el("button", "sa-toggle", "Chat with us");
  toggle.setAttribute("aria-expanded", "false");
  var panel = el("section", "sa-panel");
  panel.setAttribute("aria-label", title);
  panel.hidden = true;
  var header = el("header", "sa-header", title);
  var log = el("div", "sa-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  var form = el("form", "sa-form");
  var input = el("input", "sa-input");
  input.type = "text";
  input.maxLength = 2000;
  input.placeholder = "Type a message…";
  input.setAttribute("aria-label", "Message");
  var send = el("button", "sa-send", "Send");
  send.type = "submit";
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(toggle);

  function addMessage(who, text) {
    var bubble = el("div", "sa-msg sa-" + who, text);
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  function start() {
    document.body.appendChild(root);
    var sessionId = null;
    var socket = window.io(rasaUrl, { path: "/socket.io", transports: ["websocket", "polling"] });

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: localStorage.getItem(storageKey) });
    });
    socket.on("session_confirm", function (id) {
      sessionId = typeof id === "string" ? id : (id && id.session_id);
      localStorage.setItem(storageKey, sessionId);
      root.setAttribute("data-session", sessionId);
    });
    socket.on("bot_uttered", function (msg) {
      if (msg && msg.text) addMessage("bot", msg.text);
      var buttons = (msg && (msg.quick_replies || msg.buttons)) || [];
      if (buttons.length) {
        var row = el("div", "sa-buttons");
        buttons.forEach(function (b) {
          var btn = el("button", "sa-button", b.title);
          btn.type = "button";
          btn.addEventListener("click", function () { sendText(b.payload, b.title); row.remove(); });
          row.appendChild(btn);
        });
        log.appendChild(row);
      }
    });

    function sendText(payload, shown) {
      if (!payload || !sessionId) return;
      addMessage("user", shown || payload);
      socket.emit("user_uttered", { message: payload, session_id: sessionId });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      input.value = "";
      sendText(text);
    });
    toggle.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) input.focus();
    });
  }

  function ready() {
    if (window.io) start();
    else loadScript(base + "vendor/socket.io.min.js", start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
