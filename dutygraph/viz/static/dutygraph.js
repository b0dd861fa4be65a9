/* dutygraph diagram page: builds the vis-network graph from the JSON blocks, then wires the
 * type filters, the search box, the fit and save buttons.
 *
 * Safety: every text that comes from a duty list (labels, tooltips, evidence) reaches the DOM
 * through textContent only; tooltips are elements we build, never HTML strings (pyvis's own
 * template assigns them with innerHTML, which runs <img onerror=...> in a duty's text).
 */
(function () {
  "use strict";

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  var config = readJson("dg-config");
  var nodeList = readJson("dg-nodes");
  var edgeList = readJson("dg-edges");

  function tooltipElement(text) {
    var div = document.createElement("div");
    div.className = "dg-tooltip";
    div.textContent = text;
    return div;
  }

  // Keep the plain text in `tooltip` (for reading and tests); vis shows `title`, an element.
  function withTooltips(items) {
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (typeof item.title === "string" && item.title !== "") {
        item.tooltip = item.title;
        item.title = tooltipElement(item.title);
      } else {
        delete item.title;
      }
    }
    return items;
  }

  var nodes = new vis.DataSet(withTooltips(nodeList));
  var edges = new vis.DataSet(withTooltips(edgeList));
  var container = document.getElementById("dg-network");
  var loading = document.getElementById("dg-loading");
  var loadingPct = document.getElementById("dg-loading-pct");
  if (config.physics && nodes.length > 100) {
    loading.hidden = false;
  }

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, config.options);

  window.dutygraphReady = false;
  window.dutygraphTimings = {};

  function markReady(how) {
    loading.hidden = true;
    window.dutygraphTimings = {
      ready: performance.now(),
      how: how,
      nodes: nodes.length,
      edges: edges.length
    };
    window.dutygraphReady = true;
    document.body.setAttribute("data-ready", how);
  }

  function afterNextDraw(how) {
    network.once("afterDrawing", function () {
      markReady(how);
    });
    network.redraw();
  }

  if (config.physics) {
    network.on("stabilizationProgress", function (params) {
      loadingPct.textContent = Math.round((100 * params.iterations) / params.total) + "%";
    });
    // Physics stabilises, then stops: a frozen layout stays where the reader drags it and
    // costs no CPU.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      afterNextDraw("stabilized");
    });
  } else {
    afterNextDraw("drawn");
  }

  // -- filters by node type and edge type ------------------------------------------------------
  var shownTypes = { node: {}, edge: {} };
  var boxes = document.querySelectorAll("input[data-kind]");
  for (var b = 0; b < boxes.length; b++) {
    shownTypes[boxes[b].dataset.kind][boxes[b].dataset.type] = boxes[b].checked;
    boxes[b].addEventListener("change", function (event) {
      shownTypes[event.target.dataset.kind][event.target.dataset.type] = event.target.checked;
      applyFilters();
    });
  }

  function applyFilters() {
    var hiddenNode = {};
    var nodeUpdates = [];
    nodes.forEach(function (node) {
      var hide = shownTypes.node[node.node_type] === false;
      hiddenNode[node.id] = hide;
      if (Boolean(node.hidden) !== hide) nodeUpdates.push({ id: node.id, hidden: hide });
    });
    var edgeUpdates = [];
    edges.forEach(function (edge) {
      var hide =
        shownTypes.edge[edge.edge_type] === false || hiddenNode[edge.from] || hiddenNode[edge.to];
      if (Boolean(edge.hidden) !== hide) edgeUpdates.push({ id: edge.id, hidden: hide });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    showCounts();
  }

  function visibleCounts() {
    return {
      nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).length,
      edges: edges.get({ filter: function (e) { return !e.hidden; } }).length,
      totalNodes: nodes.length,
      totalEdges: edges.length
    };
  }

  var counts = document.getElementById("dg-counts");
  function showCounts() {
    var c = visibleCounts();
    counts.textContent =
      "显示 " + c.nodes + "/" + c.totalNodes + " 个节点，" + c.edges + "/" + c.totalEdges + " 条连线";
  }
  showCounts();

  // -- search by name: matches are selected, the rest dimmed, the view fitted to them ----------
  var searchBox = document.getElementById("dg-search");
  var searchStatus = document.getElementById("dg-search-status");
  var dimmed = false;

  function search(text) {
    var query = String(text || "").trim().toLowerCase();
    if (!query) {
      network.unselectAll();
      if (dimmed) {
        nodes.update(nodes.getIds().map(function (id) { return { id: id, opacity: 1 }; }));
        dimmed = false;
      }
      searchStatus.textContent = "";
      return [];
    }
    var matches = {};
    var ids = nodes.getIds({
      filter: function (node) {
        var hit = !node.hidden && String(node.name || "").toLowerCase().indexOf(query) >= 0;
        if (hit) matches[node.id] = true;
        return hit;
      }
    });
    nodes.update(
      nodes.getIds().map(function (id) { return { id: id, opacity: matches[id] || !ids.length ? 1 : 0.25 }; })
    );
    dimmed = ids.length > 0;
    network.selectNodes(ids, true);
    if (ids.length === 1) {
      network.focus(ids[0], { scale: Math.max(network.getScale(), 1.1), animation: false });
    } else if (ids.length > 1) {
      network.fit({ nodes: ids, animation: false });
    }
    searchStatus.textContent = ids.length ? "找到 " + ids.length + " 个" : "没有找到 “" + text.trim() + "”";
    return ids;
  }

  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 200);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      search(searchBox.value);
    }
  });

  // -- buttons ----------------------------------------------------------------------------------
  document.getElementById("dg-fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });

  // The PNG goes through a data: URL: no server, no network request.
  document.getElementById("dg-save").addEventListener("click", function () {
    var source = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0);
    var link = document.createElement("a");
    link.href = copy.toDataURL("image/png");
    link.download = config.fileStem + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  window.dutygraph = {
    network: network,
    nodes: nodes,
    edges: edges,
    config: config,
    visibleCounts: visibleCounts,
    search: search,
    applyFilters: applyFilters
  };
  window.dutygraphNetwork = network;
  window.dutygraphNodes = nodes;
  window.dutygraphEdges = edges;
})();
