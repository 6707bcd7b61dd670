// Interactive actor graphs (network explorer and dossier): every element with class "graph" and a
// data-src attribute is filled from that /api/network URL. Names arrive as JSON and are handed to
// cytoscape as data (drawn on a canvas), never as markup.
(function () {
  "use strict";

  window.newsintelGraphs = [];  // the cytoscape instances, for tests and the console

  function status(container, text) {
    var el = document.getElementById("graph-status");
    if (el) { el.textContent = text; }
    container.setAttribute("data-status", text);
  }

  function elements(data) {
    var out = [];
    var degrees = data.nodes.map(function (n) { return n.degree; });
    var most = Math.max.apply(null, degrees.concat([1]));
    data.nodes.forEach(function (n) {
      out.push({ group: "nodes", data: {
        id: n.id, label: n.name, type: n.type || "",
        colour: data.entity_colours[n.type] || "#999999",
        size: 14 + 26 * Math.sqrt(n.degree / most),
        focus: n.id === data.focus ? 1 : 0
      } });
    });
    data.links.forEach(function (l, i) {
      out.push({ group: "edges", data: {
        id: "e" + i, source: l.source, target: l.target, type: l.type,
        colour: data.colours[l.type] || "#999999"
      } });
    });
    return out;
  }

  var STYLE = [
    { selector: "node", style: {
      "background-color": "data(colour)", "label": "data(label)", "width": "data(size)", "height": "data(size)",
      "font-size": 10, "font-family": "system-ui, sans-serif", "color": "#1f2933",
      "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
      "border-width": 1, "border-color": "#ffffff" } },
    { selector: "node[focus = 1]", style: { "border-width": 4, "border-color": "#f1c40f", "font-weight": "bold" } },
    { selector: "edge", style: {
      "line-color": "data(colour)", "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
      "curve-style": "bezier", "width": 2, "arrow-scale": 0.8, "opacity": 0.85 } },
    { selector: "node:active, node:selected", style: { "overlay-opacity": 0.15 } }
  ];

  function draw(container, data) {
    if (!data.nodes.length) {
      status(container, "No facts match these filters.");
      container.setAttribute("data-ready", "1");
      return;
    }
    var cy = window.cytoscape({
      container: container, elements: elements(data), style: STYLE,
      layout: { name: "cose", animate: false, nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; },
                padding: 20, randomize: false },
      minZoom: 0.2, maxZoom: 3
    });
    cy.on("tap", "node", function (event) {
      window.location.href = "/entity/" + encodeURIComponent(event.target.id());
    });
    cy.on("mouseover", "node", function () { container.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { container.style.cursor = ""; });
    window.newsintelGraphs.push(cy);
    status(container, data.nodes.length + " actors, " + data.links.length + " links");
    container.setAttribute("data-ready", "1");
  }

  function load(container) {
    fetch(container.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.detail || response.statusText); }
          return body;
        });
      })
      .then(function (data) { draw(container, data); })
      .catch(function (error) {
        status(container, "Cannot draw the graph: " + error.message);
        container.setAttribute("data-ready", "1");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".graph[data-src]"), load);
  });
})();
