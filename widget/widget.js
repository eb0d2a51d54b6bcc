/*
 * ShopAssist chat widget: one <script> tag on any shop page.
 *
 *   <script src="https://shop.example/widget/widget.js" defer
 *           data-rasa-url="https://bot.example"        Rasa server with the socket.io channel (required)
 *           data-title="Shop assistant"                 panel heading
 *           data-color="#2f6f62"                        brand colour
 *           data-greeting="Hi! How can I help?"         first bot line of a new conversation
 *           data-lang="en"                              en | de (the widget's own labels)
 *           data-customer-token="…"                     signed known-shopper token, when the page has one
 *           data-api-url="https://shop.example/"></script> the ShopAssist backend (default: where widget.js is served
 *                                                       from); clicks on recommended products are reported there
 *
 * Speaks Rasa's socket.io channel with session persistence: the session id and the transcript live in
 * localStorage, so a reload shows the conversation and continues it. Everything from the bot, the catalog or
 * the knowledge base is inserted as text nodes or checked attributes, never as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var opt = function (name, fallback) { return script.getAttribute("data-" + name) || fallback; };
  var rasaUrl = opt("rasa-url", "http://localhost:5005");
  var customerToken = opt("customer-token", null);
  var apiUrl = opt("api-url", base.replace(/widget\/$/, ""));
  var STRINGS = {
    en: { open: "Chat with us", close: "Close chat", title: "Shop assistant", placeholder: "Type a message…",
          send: "Send", message: "Message", typing: "The assistant is typing", offline: "Reconnecting…",
          helpful: "Helpful", unhelpful: "Not helpful", thanks: "Thanks for your feedback", outOfStock: "Out of stock",
          view: "View", code: "Code", until: "valid until", copy: "Copy code", copied: "Copied" },
    de: { open: "Chatten Sie mit uns", close: "Chat schließen", title: "Shop-Assistent", placeholder: "Nachricht eingeben…",
          send: "Senden", message: "Nachricht", typing: "Der Assistent schreibt", offline: "Verbindung wird wiederhergestellt…",
          helpful: "Hilfreich", unhelpful: "Nicht hilfreich", thanks: "Danke für Ihr Feedback", outOfStock: "Nicht vorrätig",
          view: "Ansehen", code: "Code", until: "gültig bis", copy: "Code kopieren", copied: "Kopiert" }
  };
  var lang = STRINGS[opt("lang", "en")] ? opt("lang", "en") : "en";
  var t = STRINGS[lang];
  var title = opt("title", t.title);
  var greeting = opt("greeting", null);
  var SESSION_KEY = "shopassist.session";
  var STARTED_KEY = "shopassist.started";
  var TRANSCRIPT_KEY = "shopassist.transcript.";
  var MAX_KEPT = 200;
  var RATING = { "/rate_answer_helpful": "helpful", "/rate_answer_unhelpful": "unhelpful" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Only http(s) and same-site links survive; "javascript:" and friends become plain text.
  function safeUrl(url) {
    try {
      var parsed = new URL(String(url), window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  // Bot text may carry Markdown from knowledge-base answers: [links](url) and **bold**. Everything else is text.
  function richText(node, text) {
    var pattern = /\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)|\*\*([^*\n]{1,200})\*\*/g, last = 0, match;
    text = String(text);
    while ((match = pattern.exec(text)) !== null) {
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[3] !== undefined) {
        node.appendChild(el("strong", null, match[3]));
      } else {
        var href = safeUrl(match[2]);
        if (href) {
          var a = el("a", null, match[1]);
          a.href = href;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
          node.appendChild(a);
        } else {
          node.appendChild(document.createTextNode(match[0]));
        }
      }
      last = pattern.lastIndex;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "widget.css";
  document.head.appendChild(css);

  var root = el("div", "sa-widget");
  root.lang = lang;
  root.style.setProperty("--sa-brand", opt("color", "#1f6feb"));
  var toggle = el("button", "sa-toggle", t.open);
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "sa-panel");
  var panel = el("section", "sa-panel");
  panel.id = "sa-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  panel.hidden = true;
  var header = el("header", "sa-header");
  header.appendChild(el("span", "sa-title", title));
  var closer = el("button", "sa-close", "×");
  closer.type = "button";
  closer.setAttribute("aria-label", t.close);
  header.appendChild(closer);
  var status = el("div", "sa-status", t.offline);
  status.setAttribute("role", "status");
  status.hidden = true;
  var log = el("div", "sa-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.tabIndex = 0;
  var typing = el("div", "sa-typing");
  typing.setAttribute("aria-label", t.typing);
  typing.setAttribute("role", "status");
  for (var i = 0; i < 3; i++) typing.appendChild(el("span"));
  typing.hidden = true;
  var form = el("form", "sa-form");
  var input = el("input", "sa-input");
  input.type = "text";
  input.maxLength = 2000;
  input.placeholder = t.placeholder;
  input.setAttribute("aria-label", t.message);
  input.autocomplete = "off";
  var send = el("button", "sa-send", t.send);
  send.type = "submit";
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(toggle);

  var sessionId = null;
  var socket = null;
  var transcript = [];
  var typingTimer = null;

  function store() {
    if (!sessionId) return;
    try {
      localStorage.setItem(TRANSCRIPT_KEY + sessionId, JSON.stringify(transcript.slice(-MAX_KEPT)));
    } catch (e) { /* storage full or blocked: the conversation still works, it just won't survive a reload */ }
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 15000);
  }

  function browserName() {
    var ua = navigator.userAgent;
    return /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome"
      : /Safari\//.test(ua) ? "Safari" : "Other";
  }

  // A click on a recommended product goes to the behaviour log as a view tagged with its list position and model,
  // so click-through can be measured per model. keepalive lets it finish while the product page opens.
  function reportClick(custom, sku, position) {
    if (custom.source !== "recommendation" || !sessionId || !window.fetch) return;
    var started = localStorage.getItem(STARTED_KEY) || new Date().toISOString();
    var body = {
      visit: { session_key: sessionId, visitor_type: customerToken ? "returning" : "new", traffic_source: "direct",
               device: window.matchMedia("(max-width: 480px)").matches ? "mobile" : "desktop",
               operating_system: String(navigator.platform || "unknown").slice(0, 40) || "unknown",
               browser: browserName(), region: "unknown", started_at: started },
      sku: String(sku), position: position, model_version: custom.model_version || null,
      occurred_at: new Date().toISOString()
    };
    fetch(apiUrl + "v1/recommendations/clicks", { method: "POST", keepalive: true, body: JSON.stringify(body),
                                                  headers: { "Content-Type": "application/json" } })
      .catch(function () { /* a lost click only loses a statistic */ });
  }

  function productCards(products, custom) {
    var list = el("ul", "sa-cards");
    (products || []).slice(0, 10).forEach(function (p, index) {
      var item = el("li", "sa-card");
      var href = safeUrl(p.url);
      var img = safeUrl(p.image_url);
      if (img) {
        var picture = el("img");
        picture.src = img;
        picture.alt = "";
        picture.loading = "lazy";
        item.appendChild(picture);
      }
      var name = el(href ? "a" : "span", "sa-card-title", p.title);
      if (href) {
        name.href = href;
        name.addEventListener("click", function () { reportClick(custom || {}, p.sku, index + 1); });
      }
      item.appendChild(name);
      if (p.brand) item.appendChild(el("span", "sa-card-brand", p.brand));
      item.appendChild(el("span", "sa-card-price", p.price + " " + (p.currency || "")));
      if (p.in_stock === false) item.appendChild(el("span", "sa-card-stock", t.outOfStock));
      list.appendChild(item);
    });
    return list;
  }

  function offerBanner(offer) {
    var box = el("div", "sa-offer");
    box.setAttribute("role", "note");
    box.appendChild(el("strong", "sa-offer-headline", offer.headline || offer.title || ""));
    if (offer.code) {
      var line = el("div", "sa-offer-code");
      line.appendChild(el("span", null, t.code + ": "));
      line.appendChild(el("code", null, offer.code));
      var copy = el("button", "sa-offer-copy", t.copy);
      copy.type = "button";
      copy.addEventListener("click", function () {
        if (navigator.clipboard) navigator.clipboard.writeText(String(offer.code)).catch(function () {});
        copy.textContent = t.copied;
      });
      line.appendChild(copy);
      box.appendChild(line);
    }
    if (offer.expires_at) box.appendChild(el("span", "sa-offer-expiry", t.until + " " + String(offer.expires_at).slice(0, 16).replace("T", " ")));
    return box;
  }

  function ratingButtons(buttons, entry) {
    var row = el("div", "sa-rating");
    row.setAttribute("role", "group");
    buttons.forEach(function (b) {
      var kind = RATING[b.payload];
      var btn = el("button", "sa-thumb sa-thumb-" + kind, kind === "helpful" ? "👍" : "👎");
      btn.type = "button";
      btn.setAttribute("aria-label", kind === "helpful" ? t.helpful : t.unhelpful);
      btn.setAttribute("aria-pressed", String(entry.rated === kind));
      btn.disabled = !!entry.rated;
      btn.addEventListener("click", function () {
        entry.rated = kind;
        store();
        sendText(b.payload, b.title, true);
        row.replaceWith(ratingButtons(buttons, entry));
      });
      row.appendChild(btn);
    });
    if (entry.rated) row.appendChild(el("span", "sa-rating-done", t.thanks));
    return row;
  }

  function quickReplies(buttons, entry) {
    var row = el("div", "sa-buttons");
    buttons.forEach(function (b) {
      var btn = el("button", "sa-button", b.title);
      btn.type = "button";
      btn.addEventListener("click", function () {
        entry.answered = true;
        store();
        row.remove();
        sendText(b.payload, b.title);
      });
      row.appendChild(btn);
    });
    return row;
  }

  // Draws one transcript entry: {who: "user"|"bot", text, custom, buttons}.
  function render(entry) {
    var wrap = el("div", "sa-entry sa-entry-" + entry.who);
    var custom = entry.custom || {};
    var text = entry.text || "";
    // Product cards replace the plain-text list other channels get: keep only its first line.
    if (custom.type === "product_cards") text = text.split("\n")[0];
    if (text) wrap.appendChild(richText(el("div", "sa-msg sa-" + entry.who), text));
    if (custom.type === "product_cards") wrap.appendChild(productCards(custom.products, custom));
    if (custom.type === "offer") wrap.appendChild(offerBanner(custom));
    var buttons = entry.buttons || [];
    if (buttons.length && buttons.every(function (b) { return RATING[b.payload]; })) {
      wrap.appendChild(ratingButtons(buttons, entry));
    } else if (buttons.length && !entry.answered) {
      wrap.appendChild(quickReplies(buttons, entry));
    }
    log.appendChild(wrap);
    scrollDown();
  }

  function add(entry) {
    transcript.push(entry);
    store();
    render(entry);
  }

  function sendText(payload, shown, silent) {
    if (!payload || !sessionId || !socket) return;
    if (!silent) add({ who: "user", text: shown || payload });
    var metadata = customerToken ? { customer_token: customerToken } : {};
    socket.emit("user_uttered", { message: payload, session_id: sessionId, metadata: metadata });
    showTyping(true);
  }

  function onBotMessage(msg) {
    if (!msg || typeof msg !== "object") return;
    showTyping(false);
    var buttons = (msg.quick_replies || msg.buttons || []).filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    });
    if (!msg.text && !msg.custom && !buttons.length) return;
    add({ who: "bot", text: typeof msg.text === "string" ? msg.text : "", custom: msg.custom || null, buttons: buttons });
  }

  function restore(id) {
    var kept = [];
    try { kept = JSON.parse(localStorage.getItem(TRANSCRIPT_KEY + id) || "[]"); } catch (e) { kept = []; }
    if (!Array.isArray(kept)) kept = [];
    log.textContent = "";
    transcript = kept;
    transcript.forEach(render);
    if (!transcript.length && greeting) add({ who: "bot", text: greeting });
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t.close : t.open;
    try { sessionStorage.setItem("shopassist.open", open ? "1" : ""); } catch (e) { /* private mode */ }
    if (open) { scrollDown(); input.focus(); } else { toggle.focus(); }
  }

  function start() {
    document.body.appendChild(root);
    socket = window.io(rasaUrl, { path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });

    socket.on("connect", function () {
      status.hidden = true;
      root.removeAttribute("data-offline");
      socket.emit("session_request", { session_id: sessionId || localStorage.getItem(SESSION_KEY) });
    });
    socket.on("disconnect", function () {
      status.hidden = false;
      root.setAttribute("data-offline", "true");
      showTyping(false);
    });
    socket.on("connect_error", function () { status.hidden = false; root.setAttribute("data-offline", "true"); });
    socket.on("session_confirm", function (id) {
      var confirmed = typeof id === "string" ? id : (id && id.session_id);
      if (!confirmed) return;
      if (confirmed !== sessionId) {
        if (localStorage.getItem(SESSION_KEY) !== confirmed) localStorage.setItem(STARTED_KEY, new Date().toISOString());
        sessionId = confirmed;
        localStorage.setItem(SESSION_KEY, sessionId);
        restore(sessionId);
      }
      root.setAttribute("data-session", sessionId);
    });
    socket.on("bot_uttered", onBotMessage);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      sendText(text);
    });
    toggle.addEventListener("click", function () { setOpen(panel.hidden); });
    closer.addEventListener("click", function () { setOpen(false); });
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem("shopassist.open") === "1"; } catch (e) { wasOpen = false; }
    if (wasOpen) setOpen(true);
  }

  function ready() {
    if (window.io) start();
    else {
      var s = document.createElement("script");
      s.src = base + "vendor/socket.io.min.js";
      s.onload = start;
      document.head.appendChild(s);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
