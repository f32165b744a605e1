// The package sheet (CSP: no inline script). Without this file the sheet works as well: every
// button saves the typed values first. With it:
// - a changed row is marked "not saved" (a visible badge that screen readers read too) and the
//   action bar counts such rows (a status region);
// - leaving the page with unsaved changes asks first (beforeunload);
// - "Submit" and the other actions ask first what to do with unsaved changes: save first,
//   discard them, or cancel;
// - "Remove" asks for a confirmation (it cannot be undone);
// - Enter in the catalogue search or a catalogue row's hours presses that field's button.
(function () {
  "use strict";
  var form = document.getElementById("sheet");
  if (!form) return;
  var counter = form.querySelector(".sheet-unsaved");
  var unsavedDialog = document.getElementById("sheet-unsaved-dialog");
  var removeDialog = document.getElementById("sheet-remove-dialog");
  var pending = null; // the button whose action waits for the user's answer
  var leaving = false;

  function changed(input) {
    return input.value !== input.getAttribute("data-saved");
  }

  function update() {
    var count = 0;
    form.querySelectorAll("tr[data-sheet-row]").forEach(function (row) {
      var dirty = Array.prototype.some.call(row.querySelectorAll("[data-saved]"), changed);
      row.classList.toggle("is-unsaved", dirty);
      var badge = row.querySelector(".unsaved-badge");
      if (badge) badge.hidden = !dirty;
      if (dirty) count += 1;
    });
    if (counter) {
      var text = "";
      if (count === 1) text = counter.getAttribute("data-unsaved-one");
      if (count > 1) text = counter.getAttribute("data-unsaved-many").replace("{count}", count);
      if (counter.textContent !== text) counter.textContent = text;
    }
    form.setAttribute("data-unsaved", String(count));
    return count;
  }

  function discard() {
    form.querySelectorAll("[data-saved]").forEach(function (input) {
      input.value = input.getAttribute("data-saved");
    });
    update();
  }

  function go(button, extra) {
    if (extra) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = extra;
      hidden.value = "1";
      form.appendChild(hidden);
    }
    leaving = true;
    form.requestSubmit(button);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function () {
    leaving = true;
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit]");
    if (!button || button.form !== form) return;
    if (button.hasAttribute("data-remove")) {
      event.preventDefault();
      pending = button;
      removeDialog.querySelector("[data-remove-title]").textContent =
        button.getAttribute("data-remove");
      removeDialog.showModal();
    } else if (button.hasAttribute("data-sheet-action") && update() > 0) {
      event.preventDefault();
      pending = button;
      unsavedDialog.showModal();
    }
  });
  // The "Back to draft" button sits above the form (form="sheet"): the same question.
  document.querySelectorAll("button[form=sheet]").forEach(function (button) {
    button.setAttribute("data-sheet-action", "");
    button.addEventListener("click", function (event) {
      if (update() > 0) {
        event.preventDefault();
        pending = button;
        unsavedDialog.showModal();
      }
    });
  });

  unsavedDialog.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-choice]");
    if (!choice) return;
    var button = pending;
    unsavedDialog.close();
    if (!button) return;
    if (choice.getAttribute("data-choice") === "discard") discard();
    if (choice.getAttribute("data-choice") !== "cancel") go(button);
  });
  removeDialog.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-choice]");
    if (!choice) return;
    removeDialog.close();
    if (pending && choice.getAttribute("data-choice") === "remove") go(pending, "confirm");
  });
  [unsavedDialog, removeDialog].forEach(function (dialog) {
    dialog.addEventListener("close", function () {
      if (!leaving && pending) pending.focus();
    });
  });

  // Enter in a field with data-enter-clicks presses its own button, not the sheet's "Save".
  form.addEventListener("keydown", function (event) {
    var field = event.target.closest("[data-enter-clicks]");
    if (!field || event.key !== "Enter") return;
    var button = document.getElementById(field.getAttribute("data-enter-clicks"));
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && update() > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // A page shown again from the browser's back/forward cache may keep typed values.
  window.addEventListener("pageshow", function () {
    leaving = false;
    update();
  });
  update();
  var confirmBox = document.getElementById("over-budget-confirm");
  if (confirmBox) confirmBox.focus();
})();
