// The specialist console: reads the queue with a bearer token kept for this
// browser tab only. Everything from the API is inserted as text, never HTML.
(function () {
  "use strict";
  var form = document.getElementById("signin");
  var input = document.getElementById("token");
  var status = document.getElementById("status");
  var table = document.getElementById("queue");

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    row.appendChild(td);
  }

  function show(queue) {
    var body = table.tBodies[0];
    body.textContent = "";
    queue.cases.forEach(function (c) {
      var row = document.createElement("tr");
      cell(row, c.ref);
      cell(row, c.priority);
      cell(row, c.title);
      cell(row, c.status.replace(/_/g, " "));
      cell(row, c.assignee ? c.assignee.name : "");
      cell(row, c.platform);
      cell(row, c.reporter_name || c.reporter_id);
      cell(row, c.next_due ? new Date(c.next_due).toLocaleString() : "paused");
      body.appendChild(row);
    });
    table.hidden = false;
    status.textContent = queue.specialist.name + " (" + queue.specialist.role + "): " +
      queue.cases.length + " open case" + (queue.cases.length === 1 ? "" : "s");
  }

  function load() {
    var token = sessionStorage.getItem("helpline-token");
    if (!token) return;
    fetch("/v1/queue", { headers: { Authorization: "Bearer " + token } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        if (r.ok) return show(r.body);
        table.hidden = true;
        status.textContent = r.body.error.message;
      })
      .catch(function (e) { status.textContent = "Could not load the queue: " + e.message; });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("helpline-token", input.value.trim());
    input.value = "";
    load();
  });
  load();
  setInterval(load, 15000);
})();
