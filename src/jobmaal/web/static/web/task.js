// Follows a background task: asks for its state every second until it is finished.
(function () {
  "use strict";
  var box = document.getElementById("task-progress");
  if (!box) { return; }
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function show(state) {
    field("status_da").textContent = state.status_da;
    field("done").textContent = state.done;
    field("total").textContent = state.total;
    var bar = box.querySelector("progress");
    bar.max = state.total || 1;
    bar.value = state.done;
    if (state.download) {
      var link = field("download");
      link.querySelector("a").href = state.download;
      link.hidden = false;
    }
    return state.finished;
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (state) { if (!show(state)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
