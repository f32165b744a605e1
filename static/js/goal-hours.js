// The goal form (CSP: no inline script): adds up the hours of the tasks ticked, so the user
// sees what the goal binds against the package's budget while choosing. Without this file the
// form works as well and shows the sum as the page was loaded.
(function () {
  "use strict";
  var box = document.getElementById("goal-hours");
  if (!box) return;
  var hoursOut = box.querySelector("[data-goal-hours]");
  var percentageOut = box.querySelector("[data-goal-percentage]");
  var budget = parseFloat(box.getAttribute("data-budget")) || 0;
  var inputs = document.querySelectorAll("input[type=checkbox][data-hours]");
  var decimal = (1.5).toLocaleString(document.documentElement.lang || undefined).charAt(1);

  function update() {
    var tenths = 0;
    inputs.forEach(function (input) {
      if (input.checked) tenths += Math.round(parseFloat(input.getAttribute("data-hours")) * 10);
    });
    var hours = tenths / 10;
    var text = String(hours).replace(".", decimal);
    if (hoursOut && hoursOut.textContent !== text) hoursOut.textContent = text;
    if (percentageOut) {
      var percentage = budget ? String(Math.round((hours * 100) / budget)) : "0";
      if (percentageOut.textContent !== percentage) percentageOut.textContent = percentage;
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("change", update);
  });
})();
