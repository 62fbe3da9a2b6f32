// Renders every chart on the page from its spec (inlined with Django's json_script).
// The Vega libraries are served by the app itself; actions are off so nothing links outside.
// A chart is drawn at the size its spec gives; where that is wider than its box (a phone), it is
// drawn again at the box's width (Vega-Lite's width "container"), never shrunk as a picture,
// so its text keeps the spec's pixel sizes. PDF reports render the same specs at a fixed width.
(function () {
  // Under the strict Content-Security-Policy: `ast` makes Vega interpret expressions instead
  // of compiling them with eval; no default styles, as vega-embed and its tooltip would
  // inject inline <style> elements (the tooltip's CSS is in jobmaal.css).
  var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false,
                  tooltip: { disableDefaultStyle: true } };

  function fail(el, err) {
    el.textContent = "Grafen kunne ikke vises: " + err + ". Tallene står i tabellen under grafen.";
  }

  function drawnWidth(el) {
    var svg = el.querySelector("svg");
    return svg ? parseFloat(svg.getAttribute("width")) : 0;
  }

  // The spec at the width of its box: the whole chart (axes, legend, padding) fits the box.
  // Titles wrap, legends stack their entries and each other, and a map keeps its proportions.
  function fittedSpec(spec, box, natural) {
    var config = spec.config || {}, padding = typeof config.padding === "number" ? config.padding : 5;
    var columns = Math.max(1, Math.floor(box / 200));
    var legend = Object.assign({}, config.legend, { columns: columns,
      layout: { expr: "{bottom: {direction: 'vertical', anchor: 'start'}}" } });
    var fitted = Object.assign({}, spec, {
      width: "container", autosize: { type: "fit-x", contains: "padding" },
      config: Object.assign({}, config, { legend: legend }) });
    if (spec.title) { fitted.title = wrappedTitle(spec.title, config, box - 2 * padding); }
    if (spec.layer) {
      fitted.layer = spec.layer.map(function (layer) { return withLegendColumns(layer, columns); });
    }
    if (spec.projection && typeof spec.height === "number") {
      fitted.height = Math.max(120, Math.round(spec.height * box / natural));
    }
    return fitted;
  }

  // A layer whose legends set their own number of columns, with `columns` instead.
  function withLegendColumns(layer, columns) {
    var encoding = {};
    Object.keys(layer.encoding || {}).forEach(function (channel) {
      var def = layer.encoding[channel];
      encoding[channel] = def && def.legend && def.legend.columns !== undefined
        ? Object.assign({}, def, { legend: Object.assign({}, def.legend, { columns: columns }) }) : def;
    });
    return layer.encoding ? Object.assign({}, layer, { encoding: encoding }) : layer;
  }

  function wrappedTitle(title, config, room) {
    var params = typeof title === "string" || Array.isArray(title) ? { text: title } : title;
    var look = config.title || {}, family = config.font || "sans-serif";
    var wrapped = Object.assign({}, params, {
      text: wrap(params.text, (look.fontWeight || "bold") + " " + (look.fontSize || 13) + "px " + family, room) });
    if (params.subtitle) {
      wrapped.subtitle = wrap(params.subtitle, (look.subtitleFontSize || 10) + "px " + family, room);
    }
    return wrapped;
  }

  var ruler = document.createElement("canvas").getContext("2d");

  // Lines of `text` (a string or lines) no wider than `room` pixels in `font`.
  function wrap(text, font, room) {
    ruler.font = font;
    var lines = [];
    [].concat(text).forEach(function (given) {
      var line = "";
      String(given).split(" ").forEach(function (word) {
        var longer = line ? line + " " + word : word;
        if (line && ruler.measureText(longer).width > room) { lines.push(line); line = word; }
        else { line = longer; }
      });
      lines.push(line);
    });
    return lines;
  }

  // `data-drawn` on a chart says it is drawn at its final size (the browser tests wait for it).
  function fit(chart) {
    var box = chart.el.clientWidth, natural = drawnWidth(chart.el);
    if (chart.fitted || typeof chart.spec.width !== "number" || !box || natural <= box) { return; }
    chart.fitted = true;
    delete chart.el.dataset.drawn;
    chart.el.style.maxWidth = natural + "px";  // never wider than drawn, should the box grow
    chart.result.finalize();
    vegaEmbed(chart.el, fittedSpec(chart.spec, box, natural), options).then(function (result) {
      chart.result = result;
      // Once more: fit-x sizes the plot by where the marks reached in the pass before, and
      // value labels beside bars reach further than the bars.
      return result.view.resize().runAsync();
    }).then(function () {
      chart.el.dataset.drawn = "fitted";
    }).catch(function (err) { fail(chart.el, err); });
  }

  function render(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    vegaEmbed(el, spec, options).then(function (result) {
      var chart = { el: el, spec: spec, result: result, fitted: false };
      fit(chart);
      if (!chart.fitted) { el.dataset.drawn = "as-designed"; }
      el.chart = chart;
      watcher.observe(el);
    }).catch(function (err) { fail(el, err); });
  }

  // A box that changes width (a phone turned, closed <details> opened) may need a fitted chart.
  var watcher = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { fit(entry.target.chart); });
  });
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
