/*
 * Helpline loader: the only Helpline code on the host page's critical path.
 * It draws the launcher inside a Shadow DOM (so host CSS and widget CSS never
 * meet), keeps the page's recent errors and failed requests from the moment
 * it runs, and loads the wasm widget only when the user first opens it (or
 * when the page is idle).
 *
 *   <script src="https://helpline.example.com/helpline-loader.js"></script>
 *   Helpline.init({ endpoint, platform, platformVersion, user: { id, name, email },
 *                   userToken (or userHash), attributes, locale, theme: { brand, position, mode } });
 *   Helpline.open(); Helpline.close(); Helpline.setContext({ plan: "pro" });
 *   Helpline.on("caseCreated", function (c) { ... });
 */
(function () {
  "use strict";
  if (window.Helpline) return;
  var script = document.currentScript;
  var assets = script ? new URL(".", script.src).href : location.origin + "/";
  var KEEP = 20;
  var s = { config: null, root: null, host: null, launcher: null, badge: null, panel: null, body: null,
            module: null, loading: null, returnFocus: null, listeners: {}, pending: {} };
  var errors = [], failures = [];

  function keep(list, item) { list.push(item); if (list.length > KEEP) list.shift(); }
  function now() { return new Date().toISOString(); }
  // Query strings and fragments often carry tokens: only origin and path are kept.
  function bare(url) {
    try { var u = new URL(String(url), location.href); return u.origin + u.pathname; }
    catch (e) { return String(url).split(/[?#]/)[0]; }
  }
  function ours(url) { return s.config && bare(url).indexOf(s.config.endpoint) === 0; }
  function failed(method, url, status) {
    if (!ours(url)) keep(failures, { method: String(method || "GET").toUpperCase(), url: bare(url), status: status });
  }

  // Recorded from the moment the loader runs, so they are there when the user opens Help.
  addEventListener("error", function (e) {
    if (e.message) keep(errors, { message: String(e.message), source: e.filename ? bare(e.filename) + ":" + e.lineno : undefined, at: now() });
  });
  addEventListener("unhandledrejection", function (e) {
    var r = e.reason;
    keep(errors, { message: "Unhandled rejection: " + (r && r.message ? r.message : String(r)), at: now() });
  });
  if (window.fetch) {
    var realFetch = window.fetch;
    window.fetch = function (input, init) {
      var method = (init && init.method) || (input && input.method) || "GET";
      var url = input && input.url ? input.url : input;
      return realFetch.apply(this, arguments).then(function (r) {
        if (!r.ok) failed(method, url, r.status);
        return r;
      }, function (err) { failed(method, url, 0); throw err; });
    };
  }
  var xhr = window.XMLHttpRequest && XMLHttpRequest.prototype;
  if (xhr) {
    var realOpen = xhr.open, realSend = xhr.send;
    xhr.open = function (method, url) { this._hl = [method, url]; return realOpen.apply(this, arguments); };
    xhr.send = function () {
      var req = this;
      req.addEventListener("loadend", function () {
        if (req._hl && (req.status === 0 || req.status >= 400)) failed(req._hl[0], req._hl[1], req.status);
      });
      return realSend.apply(this, arguments);
    };
  }

  var zh = { help: "帮助", close: "关闭", loading: "加载中…", failed: "帮助中心加载失败，请稍后重试。", title: "帮助中心", replies: "条新回复" };
  var en = { help: "Help", close: "Close", loading: "Loading…", failed: "Helpline could not load. Please try again.", title: "Helpline", replies: "new replies" };
  function locale(config) {
    return String(config.locale || navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh-CN" : "en";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text) node.textContent = text;
    return node;
  }

  function init(options) {
    if (s.root) return;
    var config = Object.assign({}, options || {});
    config.endpoint = String(config.endpoint || new URL(assets).origin).replace(/\/+$/, "");
    config.locale = locale(config);
    config.attributes = Object.assign({}, config.attributes, s.pending);
    s.config = config;
    var t = config.locale === "zh-CN" ? zh : en;
    var theme = config.theme || {};
    var host = s.host = el("div", { id: "helpline-widget", "data-position": theme.position === "left" ? "left" : "right",
                                    "data-mode": theme.mode === "dark" || theme.mode === "light" ? theme.mode : "auto" });
    // Set through the CSSOM, which a strict CSP allows (no inline style
    // attribute). Inline !important beats any host rule aimed at this element,
    // and resets what it would otherwise pass down into the shadow tree.
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("display", "block", "important");
    if (theme.brand) host.style.setProperty("--hl-brand", String(theme.brand));
    var shadow = host.attachShadow({ mode: "open" });
    shadow.appendChild(el("link", { rel: "stylesheet", href: assets + "widget/helpline.css" }));
    s.launcher = el("button", { type: "button", class: "hl-launcher", "aria-haspopup": "dialog", "aria-expanded": "false" }, t.help);
    s.badge = el("span", { class: "hl-badge", "aria-live": "polite" });
    s.badge.hidden = true;
    s.launcher.appendChild(s.badge);
    s.launcher.addEventListener("click", function () { s.panel.hidden ? open() : close(); });
    s.panel = el("div", { class: "hl-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "hl-title", lang: config.locale });
    s.panel.hidden = true;
    var header = el("div", { class: "hl-header" });
    header.appendChild(el("h2", { id: "hl-title", class: "hl-title" }, t.title));
    var closer = el("button", { type: "button", class: "hl-close", "aria-label": t.close }, "\u00d7");
    closer.addEventListener("click", close);
    header.appendChild(closer);
    s.body = el("div", { class: "hl-body" }, t.loading);
    s.panel.appendChild(header);
    s.panel.appendChild(s.body);
    s.panel.addEventListener("keydown", trap);
    shadow.appendChild(s.panel);
    shadow.appendChild(s.launcher);
    document.body.appendChild(host);
    s.root = shadow;
    s.text = t;
    // Fetch and compile the widget when the page has nothing better to do;
    // it mounts (and talks to the API) when first opened — or now, if a case
    // from an earlier visit still waits in the outbox to be sent.
    (window.requestIdleCallback || function (f) { setTimeout(f, 3000); })(function () {
      (waiting() ? load() : prepare()).catch(function () {});
    });
  }

  function waiting() {
    try {
      var kept = localStorage.getItem("helpline:outbox:" + s.config.platform + ":" + (s.config.user || {}).id);
      return !!kept && JSON.parse(kept).pending.length > 0;
    } catch (e) { return false; }
  }

  // Esc closes; Tab and Shift+Tab cycle inside the open panel.
  function trap(e) {
    if (e.key === "Escape") { e.stopPropagation(); close(); return; }
    if (e.key !== "Tab") return;
    var items = [].filter.call(s.panel.querySelectorAll("button,textarea,input,select,summary,a[href],[tabindex]"), function (n) {
      return !n.disabled && n.tabIndex >= 0 && n.getClientRects().length;
    });
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1], at = s.root.activeElement;
    if (e.shiftKey && (at === first || !s.panel.contains(at))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
  }

  function context() {
    var c = s.config;
    return JSON.stringify({
      url: bare(location.href), referrer: document.referrer ? bare(document.referrer) : undefined,
      platform_version: c.platformVersion ? String(c.platformVersion) : undefined,
      user_agent: navigator.userAgent, locale: navigator.language,
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      viewport: { width: innerWidth, height: innerHeight },
      recent_errors: errors.slice(), failed_requests: failures.slice(),
      attributes: stringify(c.attributes)
    });
  }
  function stringify(obj) {
    var out = {};
    for (var k in obj) if (obj[k] != null) out[k] = typeof obj[k] === "string" ? obj[k] : JSON.stringify(obj[k]);
    return out;
  }

  // What the widget may ask of the page it lives in.
  var bridge = {
    context: context,
    emit: function (name, detail) { emit(name, JSON.parse(detail)); },
    badge: function (count) {
      s.badge.hidden = !count;
      s.badge.textContent = count ? String(count) : "";
      s.badge.setAttribute("aria-label", count ? count + " " + s.text.replies : "");
    },
    isOpen: function () { return !s.panel.hidden; }
  };

  function prepare() {
    if (!s.module) {
      s.module = import(assets + "widget/helpline_widget.js").then(function (mod) {
        return mod.default({ module_or_path: assets + "widget/helpline_widget_bg.wasm" }).then(function () { return mod; });
      });
      s.module.catch(function () { s.module = null; });
    }
    return s.module;
  }

  function load() {
    if (!s.loading) {
      s.loading = prepare().then(function (mod) {
        s.body.textContent = "";
        mod.mount(s.body, s.config, bridge);
      }).catch(function (err) {
        s.loading = null;
        s.body.textContent = s.text.failed;
        throw err;
      });
    }
    return s.loading;
  }

  function open() {
    if (!s.root) throw new Error("Helpline.init must be called before Helpline.open");
    if (!s.panel.hidden) return;
    s.returnFocus = document.activeElement;
    s.panel.hidden = false;
    s.launcher.setAttribute("aria-expanded", "true");
    emit("open");
    load().then(function () {
      var first = s.panel.querySelector("textarea:not([hidden] *)") || s.panel.querySelector(".hl-close");
      if (first) first.focus();
    }, function () {});
  }

  function close() {
    if (!s.root || s.panel.hidden) return;
    s.panel.hidden = true;
    s.launcher.setAttribute("aria-expanded", "false");
    emit("close");
    var back = s.returnFocus && s.returnFocus !== document.body && s.returnFocus !== s.host ? s.returnFocus : s.launcher;
    back.focus();
  }

  function emit(name, detail) {
    (s.listeners[name] || []).forEach(function (fn) { try { fn(detail); } catch (e) { setTimeout(function () { throw e; }); } });
  }

  window.Helpline = {
    init: init, open: open, close: close,
    setContext: function (attrs) { Object.assign(s.config ? s.config.attributes : s.pending, attrs); },
    on: function (name, fn) { (s.listeners[name] = s.listeners[name] || []).push(fn); },
    off: function (name, fn) { s.listeners[name] = (s.listeners[name] || []).filter(function (f) { return f !== fn; }); }
  };
})();
