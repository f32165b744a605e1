// The main menu without inline script (CSP).
// 1. Marks <html class="js">: without JavaScript the navbar toggler cannot open the collapsed
//    menu, so the CSS then shows the menu unfolded and hides the toggler.
// 2. The user menu is a <details> element that opens and closes without JavaScript; with it,
//    Escape and a click elsewhere close it too, as in Bootstrap's drop-downs.
document.documentElement.classList.add("js");

document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  });
});

document.addEventListener("click", function (event) {
  document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
