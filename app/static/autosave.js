// Autosave of an application draft: posts the form a few seconds after a change and when the
// page is hidden. What could not be saved (session ended, network down) is kept in
// localStorage under the application's id and offered back on the next visit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var key = "stimulansmedel-draft-" + form.getAttribute("data-application");
  var status = document.getElementById("autosave-status");
  var restoreBox = document.getElementById("autosave-restore");
  var timer = null;
  var dirty = false;
  var changes = 0;  // changes made on the page, and how many of them the server has
  var savedChanges = 0;
  var DELAY = 3000;

  function say(text) { if (status) { status.textContent = text; } }

  // Whether the server has every change yet, on the form for styles and tests to read.
  function mark() { form.setAttribute("data-unsaved", changes === savedChanges ? "false" : "true"); }

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "file") { return; }
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function keep() {
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields() })); } catch (e) { /* storage full or off */ }
  }

  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  // The message of a field that could not be read, under the field: a budget row's one
  // slot is "budget-<i>-error", any other field's "<id>-error".
  function slotId(name) {
    var row = /^budget-(\d+)-/.exec(name);
    return row ? "budget-" + row[1] + "-error" : name.replace("answers.", "answer-") + "-error";
  }

  function showErrors(errors) {
    errors = errors || {};
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true]"), function (el) {
      if (!errors[el.name] && !errors[el.name.replace("answer-", "answers.")]) {
        el.removeAttribute("aria-invalid");
        var slot = document.getElementById(slotId(el.name));
        if (slot) { slot.parentNode.removeChild(slot); }
        var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== slotId(el.name);
        });
        if (described.length) { el.setAttribute("aria-describedby", described.join(" ")); }
        else { el.removeAttribute("aria-describedby"); }
      }
    });
    Object.keys(errors).forEach(function (name) {
      var el = document.getElementById(name.replace("answers.", "answer-"));
      if (!el) { return; }
      el.setAttribute("aria-invalid", "true");
      var id = slotId(name);
      var slot = document.getElementById(id);
      if (!slot) {
        slot = document.createElement("p");
        slot.className = "ds-validation-message";
        slot.id = id;
        el.parentNode.appendChild(slot);
      }
      slot.textContent = errors[name];
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) === -1) { described.push(id); }
      el.setAttribute("aria-describedby", described.join(" "));
    });
  }

  function save(useBeacon) {
    if (!dirty) { return; }
    dirty = false;
    var sending = changes;
    var body = new FormData(form);
    keep();
    if (useBeacon && navigator.sendBeacon) {
      // The page is going away: the beacon is the only request the browser still lets out.
      navigator.sendBeacon(url, body);
      return;
    }
    say(form.getAttribute("data-saving") || "Sparar …");
    fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual",
                 headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (json) {
        if (!json.ok) { throw new Error("refused"); }
        savedChanges = Math.max(savedChanges, sending);
        if (savedChanges === changes) { forget(); }
        mark();
        var saved = (form.getAttribute("data-saved") || "Sparat") + " " + json.saved_at;
        var count = Object.keys(json.errors || {}).length;
        say(count ? saved + ". " + (form.getAttribute("data-marked") || "") : saved);
        var total = document.getElementById("budget-total");
        if (total && json.total) { total.textContent = json.total + " kr"; }
        showErrors(json.errors);
      })
      .catch(function () {
        dirty = true;
        keep();
        say(form.getAttribute("data-failed") || "Kunde inte spara just nu.");
      });
  }

  function changed() {
    dirty = true;
    changes += 1;
    mark();
    keep();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { save(false); }, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { forget(); dirty = false; leaving = true; });
  // Leaving with changes the server has not got yet: the browser asks first. The text is the
  // browser's own; what was typed is also kept in localStorage.
  var leaving = false;
  window.addEventListener("beforeunload", function (event) {
    if (changes === savedChanges || leaving) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });

  // Offer what a previous visit could not save.
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && stored.fields && restoreBox) {
    restoreBox.hidden = false;
    document.getElementById("autosave-restore-button").addEventListener("click", function () {
      Object.keys(stored.fields).forEach(function (name) {
        var value = stored.fields[name];
        var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
        Array.prototype.forEach.call(els, function (el) {
          if (el.type === "checkbox") { el.checked = value.indexOf(el.value) !== -1; }
          else { el.value = value; }
        });
      });
      restoreBox.hidden = true;
      changed();
    });
    document.getElementById("autosave-discard-button").addEventListener("click", function () {
      forget();
      restoreBox.hidden = true;
    });
  }
}());
