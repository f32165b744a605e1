// The task division's matrix (CSP: no inline script). Without this file the page works as
// well: every other button of the page (add a role or a task, remove a role, print) belongs
// to the matrix form and saves the typed hours first. With it:
// - a cell whose hours differ from the saved ones is marked "not saved" (visible text that
//   screen readers read too) and a status region counts such cells;
// - leaving the page with unsaved hours asks first (beforeunload), except through the form's
//   own buttons, which save them;
// - Enter in the role or task fields presses that part's own button, not "Save" (without
//   this file Enter presses the form's hidden default button, "enter", and the server adds the
//   role or task that was typed: tasks/division_views.meant).
(function () {
  "use strict";
  var form = document.getElementById("division-form");
  if (!form) return;
  var counter = form.querySelector(".division-unsaved-count");
  var cellText = counter ? counter.getAttribute("data-unsaved-cell") : "";
  var leaving = false;

  function update() {
    var count = 0;
    form.querySelectorAll("input[data-saved]").forEach(function (input) {
      var dirty = input.value.trim() !== input.getAttribute("data-saved");
      var cell = input.closest("td");
      var mark = cell.querySelector(".division-unsaved");
      cell.classList.toggle("is-unsaved", dirty);
      if (dirty && !mark) {
        mark = document.createElement("span");
        mark.className = "division-unsaved";
        mark.textContent = cellText;
        cell.appendChild(mark);
      } else if (!dirty && mark) {
        mark.remove();
      }
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

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function () {
    leaving = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && update() > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pageshow", function () {
    leaving = false;
  });

  document.querySelectorAll("[data-enter-button]").forEach(function (part) {
    part.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
      var button = document.getElementById(part.getAttribute("data-enter-button"));
      if (!button) return;
      event.preventDefault();
      button.click();
    });
  });
  update();
})();
