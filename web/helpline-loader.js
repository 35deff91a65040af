/*
 * Helpline loader: the only Helpline code on the host page's critical path.
 * It draws the launcher inside a Shadow DOM (so host CSS and widget CSS never
 * meet) and loads the wasm widget only when the user first opens it.
 *
 *   <script src="https://helpline.example.com/helpline-loader.js" defer></script>
 *   Helpline.init({ endpoint, platform, user: { id, name, email } });
 *   Helpline.open(); Helpline.close();
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = script ? new URL(".", script.src).href : location.origin + "/";
  var s = { config: null, root: null, launcher: null, panel: null, body: null, loading: null };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text) node.textContent = text;
    return node;
  }

  function init(options) {
    if (s.root) return;
    var config = Object.assign({}, options || {});
    config.endpoint = config.endpoint || new URL(assets).origin;
    s.config = config;
    var host = el("div", { id: "helpline-widget", "data-helpline": "" });
    var shadow = host.attachShadow({ mode: "open" });
    shadow.appendChild(el("link", { rel: "stylesheet", href: assets + "widget/helpline.css" }));
    s.launcher = el("button", {
      type: "button", class: "hl-launcher", "aria-haspopup": "dialog", "aria-expanded": "false"
    }, "Help");
    s.launcher.addEventListener("click", function () { s.panel.hidden ? open() : close(); });
    s.panel = el("div", { class: "hl-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "hl-title" });
    s.panel.hidden = true;
    var header = el("div", { class: "hl-header" });
    header.appendChild(el("h2", { id: "hl-title", class: "hl-title" }, "Helpline"));
    var closer = el("button", { type: "button", class: "hl-close", "aria-label": "Close" }, "\u00d7");
    closer.addEventListener("click", close);
    header.appendChild(closer);
    s.body = el("div", { class: "hl-body" }, "Loading\u2026");
    s.panel.appendChild(header);
    s.panel.appendChild(s.body);
    s.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    shadow.appendChild(s.panel);
    shadow.appendChild(s.launcher);
    document.body.appendChild(host);
    s.root = shadow;
  }

  function load() {
    if (!s.loading) {
      s.loading = import(assets + "widget/helpline_widget.js").then(function (mod) {
        return mod.default({ module_or_path: assets + "widget/helpline_widget_bg.wasm" }).then(function () {
          s.body.textContent = "";
          mod.mount(s.body, JSON.stringify(s.config));
        });
      }).catch(function (err) {
        s.loading = null;
        s.body.textContent = "Helpline could not load (" + err.message + "). Please try again.";
        throw err;
      });
    }
    return s.loading;
  }

  function open() {
    if (!s.root) throw new Error("Helpline.init must be called before Helpline.open");
    s.panel.hidden = false;
    s.launcher.setAttribute("aria-expanded", "true");
    load().then(function () {
      var first = s.panel.querySelector("textarea");
      if (first) first.focus();
    }, function () {});
  }

  function close() {
    if (!s.root) return;
    s.panel.hidden = true;
    s.launcher.setAttribute("aria-expanded", "false");
    s.launcher.focus();
  }

  window.Helpline = { init: init, open: open, close: close };
})();
