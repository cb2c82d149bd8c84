// Session entry: a tap adds one to a count, the usual age bands first, a running total in a
// bar that stays on screen with Save, and a draft kept on this device.
// The form works without this script; it only makes entry faster.
(function () {
  "use strict";
  var form = document.querySelector("form.session-form");
  if (!form) { return; }
  function all(selector, root) {
    return Array.prototype.slice.call((root || form).querySelectorAll(selector));
  }
  var counts = all("input.count");
  var totalOutput = form.querySelector(".count-total");
  var onlyTotal = form.querySelector("#id_breakdown_unknown");
  var totalInput = form.querySelector("#id_total");
  var countArea = form.querySelector(".count-area");
  var undoButton = form.querySelector("button.undo");
  var status = document.getElementById("tally-status");
  var bar = form.querySelector(".save-bar");

  function number(input) { return parseInt(input.value, 10) || 0; }
  function nameOf(input) {
    return input.labels && input.labels[0] ? input.labels[0].textContent : "";
  }
  function changed(input) { input.dispatchEvent(new Event("input", { bubbles: true })); }

  function updateTotal() {
    var sum = 0;
    if (onlyTotal && onlyTotal.checked) {
      sum = totalInput ? number(totalInput) : 0;
    } else {
      counts.forEach(function (input) { sum += number(input); });
    }
    if (totalOutput) { totalOutput.textContent = String(sum); }
  }

  // Counting: a tap on the big + of a cell adds one; the last taps can be undone one by one;
  // the number itself can be typed (the phone shows its number pad).
  var taps = [];
  function setUndo() {
    if (!undoButton) { return; }
    if (taps.length) { undoButton.hidden = false; }
    undoButton.setAttribute("aria-disabled", taps.length ? "false" : "true");
  }
  counts.forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "tap";
    button.textContent = "+";
    button.setAttribute("aria-label", "+ " + nameOf(input));
    button.addEventListener("click", function () {
      input.value = String(number(input) + 1);
      taps.push(input);
      setUndo();
      changed(input);
    });
    input.parentNode.insertBefore(button, input);
    // Typing replaces the number rather than adding digits to it; a typed number is not
    // undone tap by tap (Undo takes back taps only, never part of what was typed).
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("input", function (event) {
      if (!event.isTrusted) { return; }
      taps = taps.filter(function (tapped) { return tapped !== input; });
      setUndo();
    });
  });
  if (undoButton) {
    undoButton.addEventListener("click", function () {
      var input = taps.pop();
      setUndo();
      if (!input) { return; }
      input.value = String(Math.max(0, number(input) - 1));
      changed(input);
      if (status) {
        status.textContent = undoButton.getAttribute("data-undone") + ": " + nameOf(input) +
          " " + input.value;
      }
    });
  }

  // The age bands this activity usually has come first; a band with a number is never hidden.
  var usual = {};
  var usualData = document.getElementById("usual-bands");
  try { usual = JSON.parse(usualData ? usualData.textContent : "{}") || {}; } catch (e) { usual = {}; }
  var activity = form.querySelector("#id_activity");
  var rows = all(".count-grid tbody tr[data-band]");
  var showLine = form.querySelector(".show-bands-line");
  var showAll = false;
  function filled(row) {
    return row.querySelector(".error") || all("input.count", row).some(function (input) {
      return input.value !== "" && input.value !== "0";
    });
  }
  function applyBands() {
    var first = activity ? usual[activity.value] : null;
    var hidden = 0;
    rows.forEach(function (row) {
      var hide = !showAll && !!first && first.indexOf(row.getAttribute("data-band")) === -1 &&
        !filled(row);
      row.hidden = hide;
      if (hide) { hidden += 1; }
    });
    if (showLine) { showLine.hidden = hidden === 0; }
  }
  if (showLine) {
    showLine.querySelector("button").addEventListener("click", function () {
      var before = rows.filter(function (row) { return row.hidden; });
      showAll = true;
      applyBands();
      if (before.length) { before[0].querySelector("button.tap, input").focus(); }
    });
  }
  if (activity) { activity.addEventListener("change", applyBands); }

  // "I only know the total": the grid gives way to the total, and back.
  var totalField = totalInput ? totalInput.closest(".field") : null;
  function applyTotalOnly() {
    var only = !!(onlyTotal && onlyTotal.checked);
    if (countArea) { countArea.hidden = only && !countArea.querySelector(".error"); }
    if (totalField) { totalField.hidden = !only && !totalField.querySelector(".error"); }
  }
  if (onlyTotal) {
    onlyTotal.addEventListener("change", function () {
      applyTotalOnly();
      updateTotal();
      if (onlyTotal.checked && totalInput) { totalInput.focus(); }
    });
  }

  // The sticky bar never covers the field being filled in (WCAG 2.4.11).
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target)) { return; }
    var barTop = bar.getBoundingClientRect().top;
    var bottom = event.target.getBoundingClientRect().bottom;
    if (bottom > barTop - 8) { window.scrollBy(0, bottom - barTop + 16); }
  });

  function refresh() { applyBands(); applyTotalOnly(); updateTotal(); }
  form.addEventListener("input", updateTotal);
  refresh();

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
    refresh();
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
