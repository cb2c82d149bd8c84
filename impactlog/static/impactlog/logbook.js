// Session entry: steppers beside each count, a running total, and a draft kept on this device.
// The form works without this script; it only makes entry faster.
(function () {
  "use strict";
  var form = document.querySelector("form.session-form");
  if (!form) { return; }
  var counts = Array.prototype.slice.call(form.querySelectorAll("input.count"));
  var totalOutput = form.querySelector(".count-total");

  function updateTotal() {
    var sum = 0;
    counts.forEach(function (input) { sum += parseInt(input.value, 10) || 0; });
    if (totalOutput) { totalOutput.textContent = String(sum); }
  }

  function stepButton(input, delta, text, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "step";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      var value = (parseInt(input.value, 10) || 0) + delta;
      input.value = String(Math.max(0, value));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return button;
  }

  counts.forEach(function (input) {
    var name = input.labels && input.labels[0] ? input.labels[0].textContent : "";
    input.parentNode.insertBefore(stepButton(input, -1, "−", "− " + name), input);
    input.parentNode.appendChild(stepButton(input, 1, "+", "+ " + name));
  });
  form.addEventListener("input", updateTotal);
  updateTotal();

  // Drafts: only for new sessions, kept in this browser until saved, discarded or signed out
  // of, and only for the person who typed them (the page names its signed-in person by an
  // opaque value). Another person's leftover draft on a shared device is removed unread.
  var owner = document.body.getAttribute("data-draft-owner");
  var formKey = form.getAttribute("data-draft-key");
  if (!owner || !formKey || !window.localStorage) { return; }
  var prefix = "impactlog.draft.";
  var mine = prefix + owner + ".";
  var key = mine + formKey;
  (function removeOthersDrafts() {
    var storage = window.localStorage;
    for (var i = storage.length - 1; i >= 0; i -= 1) {
      var name = storage.key(i);
      var foreign = name && name.indexOf(prefix) === 0 && name.indexOf(mine) !== 0;
      // drafts kept before they had an owner
      var unowned = name && name.indexOf("session-draft-") === 0;
      if (foreign || unowned) { storage.removeItem(name); }
    }
  }());
  var hasErrors = document.getElementById("form-errors") || form.querySelector(".error");
  var skip = { csrfmiddlewaretoken: true, version: true };

  function fields() {
    return Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name && !skip[el.name] && el.type !== "submit" && el.type !== "button";
    });
  }
  function save() {
    var data = {};
    fields().forEach(function (el) {
      data[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    window.localStorage.setItem(key, JSON.stringify(data));
  }
  function restore(data) {
    fields().forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "checkbox") { el.checked = !!data[el.name]; } else { el.value = data[el.name]; }
    });
    updateTotal();
  }
  var stored = window.localStorage.getItem(key);
  var note = form.querySelector(".draft-note");
  if (stored && !hasErrors && window.location.search.indexOf("copy=last") === -1) {
    try { restore(JSON.parse(stored)); if (note) { note.hidden = false; } } catch (e) { window.localStorage.removeItem(key); }
  }
  var discard = form.querySelector("[data-discard-draft]");
  if (discard) {
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(key);
      window.location.reload();
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function () { window.localStorage.removeItem(key); });
}());
