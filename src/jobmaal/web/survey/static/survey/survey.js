// The answer form: shows a conditional question only when the question it depends on has one
// of the given answers, and saves the form in the background a few seconds after a change
// (the «Gem og fortsæt senere» button does the same without JavaScript).
(function () {
  var form = document.getElementById("survey-form");
  if (!form) { return; }

  function answers(code) {
    var inputs = form.querySelectorAll('[name="q_' + code + '"]');
    var out = [];
    inputs.forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox")) { if (el.checked) { out.push(el.value); } }
      else if (el.value.trim() !== "") { out.push(el.value.trim()); }
    });
    return out;
  }

  function isShown(fs) {
    if (!fs) { return true; }
    var parent = fs.dataset.parent;
    if (!parent) { return true; }
    var parentFs = document.getElementById("sp-" + parent);
    if (parentFs && parentFs.hidden) { return false; }
    var wanted = fs.dataset.values.split(",");
    return answers(parent).some(function (v) { return wanted.indexOf(v) >= 0; });
  }

  function update() {
    form.querySelectorAll("fieldset.question[data-parent]").forEach(function (fs) {
      fs.hidden = !isShown(fs);
    });
    // A second pass settles chains (a question depending on a hidden question).
    form.querySelectorAll("fieldset.question[data-parent]").forEach(function (fs) {
      fs.hidden = !isShown(fs);
    });
  }

  var status = document.getElementById("autosave-status");
  var timer = null;
  var saving = false;

  function save() {
    if (saving) { timer = setTimeout(save, 1000); return; }
    saving = true;
    var data = new FormData(form);
    data.set("handling", "gem");
    status.textContent = "Gemmer …";
    fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) { return [response.status, body]; });
    }).then(function (result) {
      var body = result[1];
      if (body.saved) { form.querySelector('[name="version"]').value = body.version; }
      status.textContent = body.message || (body.saved ? "Gemt" : "Ikke gemt");
    }).catch(function () {
      status.textContent = "Kunne ikke gemme automatisk; brug knappen «Gem og fortsæt senere».";
    }).then(function () { saving = false; });
  }

  form.addEventListener("change", function () {
    update();
    if (form.dataset.autosave === "1") {
      clearTimeout(timer);
      timer = setTimeout(save, 2500);
    }
  });
  form.addEventListener("submit", function () { clearTimeout(timer); });
  update();
})();
