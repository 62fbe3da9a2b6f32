// Renders every chart on the page from its spec (inlined with Django's json_script).
// The Vega libraries are served by the app itself; actions are off so nothing links outside.
(function () {
  function render(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    // Under the strict Content-Security-Policy: `ast` makes Vega interpret expressions instead
    // of compiling them with eval; no default styles, as vega-embed and its tooltip would
    // inject inline <style> elements (the tooltip's CSS is in jobmaal.css).
    var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false,
                    tooltip: { disableDefaultStyle: true } };
    vegaEmbed(el, spec, options).catch(function (err) {
      el.textContent = "Grafen kunne ikke vises: " + err + ". Tallene står i tabellen under grafen.";
    });
  }
  document.querySelectorAll(".chart[data-spec]").forEach(render);
})();

// Sortable tables: a button in each header cell sorts by that column (keyboard friendly).
(function () {
  function cellValue(row, i) {
    var cell = row.cells[i];
    var raw = cell.dataset.sort;
    if (raw === undefined) { return cell.textContent.trim().toLowerCase(); }
    return raw === "" ? null : parseFloat(raw);
  }
  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }  // missing and suppressed always last
      if (y === null) { return -1; }
      if (x < y) { return ascending ? -1 : 1; }
      if (x > y) { return ascending ? 1 : -1; }
      return 0;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.title = "Sortér efter " + th.textContent;
      button.addEventListener("click", function () { sortBy(table, i, th); });
      th.textContent = "";
      th.appendChild(button);
    });
  });
})();
