// The specialist console: the queue, claiming, and working one case (reply,
// note, status, escalate, release). The token is kept for this browser tab
// only. Everything from the API is inserted as text, never as HTML.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var table = $("queue"), status = $("status"), panel = $("case");
  var current = null; // the case on screen

  function token() { return sessionStorage.getItem("helpline-token"); }

  function api(method, path, body) {
    var headers = { Authorization: "Bearer " + token() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (current && method === "POST" && path.indexOf("/v1/cases/") === 0) headers["If-Match"] = '"' + current.version + '"';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        if (r.status === 204) return { ok: true, status: 204, body: null };
        return r.json().then(function (b) { return { ok: r.ok, status: r.status, body: b }; });
      });
  }

  function text(el, value) { el.textContent = value == null ? "" : String(value); return el; }
  function cell(row, value) { row.appendChild(text(document.createElement("td"), value)); }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
  function say(message) { text(status, message); }
  function fail(r) { say(r.body && r.body.error ? r.body.error.message : "Request failed (" + r.status + ")"); }

  function showQueue(queue) {
    var body = table.tBodies[0];
    body.textContent = "";
    queue.cases.forEach(function (c) {
      var row = document.createElement("tr");
      row.tabIndex = 0;
      row.dataset.id = c.id;
      [c.ref, c.priority, c.title, c.status.replace(/_/g, " "), c.assignee ? c.assignee.name : "",
       c.platform, c.reporter_name || c.reporter_id, c.next_due ? when(c.next_due) : "paused"].forEach(function (v) { cell(row, v); });
      row.addEventListener("click", function () { open(c.id); });
      row.addEventListener("keydown", function (e) { if (e.key === "Enter") open(c.id); });
      body.appendChild(row);
    });
    table.hidden = false;
    $("claim").hidden = false;
    say(queue.specialist.name + " (" + queue.specialist.role + "): " + queue.cases.length +
      " open case" + (queue.cases.length === 1 ? "" : "s"));
  }

  // The teams the escalation policy allows, as the team choices.
  function loadPolicy() {
    var select = $("esc-team");
    if (select.dataset.loaded) return;
    api("GET", "/v1/escalation/policy").then(function (r) {
      if (!r.ok) return;
      select.dataset.loaded = "yes";
      select.textContent = "";
      r.body.teams.forEach(function (team) {
        var option = text(document.createElement("option"), team.name);
        option.value = team.key;
        select.appendChild(option);
      });
    });
  }

  function loadQueue() {
    if (!token()) return;
    loadPolicy();
    api("GET", "/v1/queue").then(function (r) { if (r.ok) showQueue(r.body); else { table.hidden = true; fail(r); } })
      .catch(function (e) { say("Could not load the queue: " + e.message); });
  }

  function showCase(c) {
    current = c;
    panel.hidden = false;
    text($("case-title"), c.ref + " · " + c.title);
    text($("case-meta"), c.priority + " · " + c.status.replace(/_/g, " ") + " · " + c.platform +
      " · reported by " + (c.reporter.name || c.reporter.id) +
      (c.reporter.verified || !(c.reporter.name || c.reporter.email) ? "" : " (name and email unverified)") +
      (c.reporter.email ? " <" + c.reporter.email + ">" : "") + (c.assignee ? " · held by " + c.assignee.name : "") +
      (c.escalation ? " · escalated to " + (c.escalation.team_name || c.escalation.team) + " (level " +
        c.escalation.level + (c.escalation.holder ? ", " + c.escalation.holder : "") + ")" : ""));
    var sla = c.sla || {};
    text($("case-sla"), sla.paused ? "SLA clock paused (waiting on the user)" :
      "First response due " + (sla.first_response_at ? "met " + when(sla.first_response_at) : when(sla.first_response_due)) +
      " · resolution due " + when(sla.resolution_due) +
      (sla.first_response_breached || sla.resolution_breached ? " · BREACHED" : ""));
    text($("case-description"), c.description);
    text($("case-context"), JSON.stringify(c.context, null, 2));
    var list = $("case-events");
    list.textContent = "";
    c.events.forEach(function (e) {
      var item = document.createElement("li");
      item.className = "event event-" + e.kind;
      var who = e.actor.name || e.actor.kind;
      var change = e.to_status ? " → " + e.to_status.replace(/_/g, " ") : "";
      text(item, when(e.at) + " · " + e.kind.replace(/_/g, " ") + " · " + who + change + (e.body ? ": " + e.body : ""));
      list.appendChild(item);
    });
  }

  function open(id) {
    api("GET", "/v1/cases/" + id).then(function (r) { if (r.ok) showCase(r.body); else fail(r); });
  }

  function act(action) {
    if (!current) return;
    var message = $("message").value;
    var bodies = {
      reply: { body: message }, note: { body: message },
      status: { status: $("next-status").value }, release: {},
      escalate: { team: $("esc-team").value, level: Number($("esc-level").value), reason: message }
    };
    api("POST", "/v1/cases/" + current.id + "/" + action, bodies[action]).then(function (r) {
      if (!r.ok) return fail(r);
      if (action === "reply" || action === "note" || action === "escalate") $("message").value = "";
      showCase(r.body);
      say("Done: " + action.replace(/_/g, " ") + " on " + r.body.ref);
      loadQueue();
    });
  }

  $("signin").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("helpline-token", $("token").value.trim());
    $("token").value = "";
    loadQueue();
  });
  $("claim").addEventListener("click", function () {
    api("POST", "/v1/queue/claim").then(function (r) {
      if (r.status === 204) return say("The queue is empty: nothing to claim.");
      if (!r.ok) return fail(r);
      showCase(r.body);
      say("You hold " + r.body.ref + " now.");
      loadQueue();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#act [data-action]"), function (button) {
    button.addEventListener("click", function () { act(button.dataset.action); });
  });
  loadQueue();
  setInterval(loadQueue, 15000);
})();
