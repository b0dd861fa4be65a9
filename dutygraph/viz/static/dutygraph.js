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

  // -- the saved picture: the drawing with the page's title above and its legend beside it ---
  var FONT = (config.options.nodes && config.options.nodes.font && config.options.nodes.font.face) ||
    "sans-serif";
  var LEGEND_WIDTH = 260;
  var PAD = 16;

  // Break text into lines no wider than `width` (Chinese has no spaces: break anywhere).
  function wrapText(ctx, text, width) {
    var lines = [];
    var paragraphs = String(text).split("\n");
    for (var p = 0; p < paragraphs.length; p++) {
      var line = "";
      var chars = Array.from(paragraphs[p]);
      for (var c = 0; c < chars.length; c++) {
        // a line never starts with closing punctuation (it stays on the line before)
        var closing = "）)》」』】〕，,。.、；;：:！!？?”’·".indexOf(chars[c]) >= 0;
        if (line && !closing && ctx.measureText(line + chars[c]).width > width) {
          lines.push(line);
          line = chars[c].trim() ? chars[c] : "";
        } else {
          line += chars[c];
        }
      }
      lines.push(line);
    }
    return lines;
  }

  function drawNodeSwatch(ctx, item, x, y) {
    // a 24 x 18 box whose top left corner is (x, y), like the page's SVG swatches
    ctx.save();
    ctx.fillStyle = item.color;
    ctx.strokeStyle = "#555555";
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    var cx = x + 12, cy = y + 9;
    var points = null;
    switch (item.shape) {
      case "box": case "square": case "database": case "text":
        ctx.rect(x + 3, y + 3, 18, 12);
        break;
      case "ellipse":
        ctx.ellipse(cx, cy, 10, 6.5, 0, 0, 2 * Math.PI);
        break;
      case "diamond": points = [12, 1, 20, 9, 12, 17, 4, 9]; break;
      case "triangle": points = [12, 1, 20, 16, 4, 16]; break;
      case "triangleDown": points = [4, 2, 20, 2, 12, 17]; break;
      case "hexagon": points = [7, 2, 17, 2, 22, 9, 17, 16, 7, 16, 2, 9]; break;
      case "star":
        points = [12, 1, 14.4, 6.7, 20.5, 7.2, 15.8, 11.1, 17.3, 17, 12, 13.8, 6.7, 17, 8.2, 11.1,
          3.5, 7.2, 9.6, 6.7];
        break;
      default:
        ctx.arc(cx, cy, 6.5, 0, 2 * Math.PI);
    }
    if (points) {
      ctx.moveTo(x + points[0], y + points[1]);
      for (var i = 2; i < points.length; i += 2) ctx.lineTo(x + points[i], y + points[i + 1]);
      ctx.closePath();
    }
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  }

  function drawEdgeSwatch(ctx, item, x, y) {
    ctx.save();
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    ctx.lineWidth = 2.5;
    if (item.dashes) ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.moveTo(x + 2, y + 9);
    ctx.lineTo(x + (item.arrow ? 25 : 32), y + 9);
    ctx.stroke();
    if (item.arrow) {
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(x + 24, y + 4);
      ctx.lineTo(x + 33, y + 9);
      ctx.lineTo(x + 24, y + 14);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  }

  // Lay out (and, given a context, draw) the legend in a column `width` wide; returns its height.
  function legendBlock(ctx, x, y, width, draw) {
    var top = y;
    ctx.font = "600 15px " + FONT;
    ctx.fillStyle = "#1f2933";
    ctx.textBaseline = "top";
    if (draw) ctx.fillText("图例", x, y);
    y += 26;
    ctx.font = "13px " + FONT;
    var items = config.legend || [];
    for (var i = 0; i < items.length; i++) {
      var lines = wrapText(ctx, items[i].text, width - 44);
      if (draw) {
        if (items[i].kind === "edge") drawEdgeSwatch(ctx, items[i], x, y);
        else drawNodeSwatch(ctx, items[i], x, y);
        ctx.fillStyle = "#1f2933";
        for (var l = 0; l < lines.length; l++) ctx.fillText(lines[l], x + 42, y + 2 + 18 * l);
      }
      y += Math.max(24, 18 * lines.length + 6);
    }
    var notes = Array.prototype.map.call(
      document.querySelectorAll("#dg-legend .dg-notes p"), function (p) { return p.textContent; }
    );
    ctx.font = "12px " + FONT;
    for (var n = 0; n < notes.length; n++) {
      var noteLines = wrapText(ctx, notes[n], width);
      y += 6;
      for (var m = 0; m < noteLines.length; m++) {
        if (draw) {
          ctx.fillStyle = "#52606d";
          ctx.fillText(noteLines[m], x, y);
        }
        y += 17;
      }
    }
    return y - top;
  }

  // The picture 保存图片 saves: title and subtitle on top, the drawing as it is on screen, the
  // legend (and notes) on the right, on white. A printed or pasted picture explains itself.
  function imageCanvas() {
    var source = container.querySelector("canvas");
    var graphWidth = container.clientWidth;
    var graphHeight = container.clientHeight;
    var ratio = source.width / Math.max(1, graphWidth);
    var measure = document.createElement("canvas").getContext("2d");
    var width = graphWidth + LEGEND_WIDTH;
    measure.font = "600 20px " + FONT;
    var titleLines = wrapText(measure, config.title || "", width - 2 * PAD);
    measure.font = "14px " + FONT;
    var subtitleLines = config.subtitle ? wrapText(measure, config.subtitle, width - 2 * PAD) : [];
    var header = PAD + 28 * titleLines.length + 20 * subtitleLines.length + PAD / 2;
    var legendHeight = legendBlock(measure, 0, 0, LEGEND_WIDTH - 2 * PAD, false) + 2 * PAD;
    var height = header + Math.max(graphHeight, legendHeight);

    var copy = document.createElement("canvas");
    copy.width = Math.round(width * ratio);
    copy.height = Math.round(height * ratio);
    var ctx = copy.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.textBaseline = "top";
    var y = PAD;
    ctx.fillStyle = "#1f2933";
    ctx.font = "600 20px " + FONT;
    for (var t = 0; t < titleLines.length; t++, y += 28) ctx.fillText(titleLines[t], PAD, y);
    ctx.fillStyle = "#52606d";
    ctx.font = "14px " + FONT;
    for (var s = 0; s < subtitleLines.length; s++, y += 20) ctx.fillText(subtitleLines[s], PAD, y);
    ctx.strokeStyle = "#e4e7eb";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, header - 0.5);
    ctx.lineTo(width, header - 0.5);
    ctx.moveTo(graphWidth + 0.5, header);
    ctx.lineTo(graphWidth + 0.5, height);
    ctx.stroke();
    ctx.drawImage(source, 0, header, graphWidth, graphHeight);
    legendBlock(ctx, graphWidth + PAD, header + PAD, LEGEND_WIDTH - 2 * PAD, true);
    return copy;
  }

  // The PNG goes through a data: URL: no server, no network request.
  document.getElementById("dg-save").addEventListener("click", function () {
    var link = document.createElement("a");
    link.href = imageCanvas().toDataURL("image/png");
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
    applyFilters: applyFilters,
    imageCanvas: imageCanvas
  };
  window.dutygraphNetwork = network;
  window.dutygraphNodes = nodes;
  window.dutygraphEdges = edges;
})();
