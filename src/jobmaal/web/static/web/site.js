// Starts Det Fælles Designsystem's components (the menu that collapses on a phone, alerts,
// tables); loaded as a file, since the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
