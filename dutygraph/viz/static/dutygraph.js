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

  // "{nodes}/{totalNodes}" with the values of `values` (the page's texts are gettext messages)
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] === undefined ? whole : String(values[name]);
    });
  }
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
      if (config.tidy) {
        // node boxes are known once drawn: bend edges around nodes, place labels, draw again
        tidy();
        network.once("afterDrawing", function () { markReady(how); });
        network.redraw();
      } else {
        markReady(how);
      }
    });
    network.redraw();
  }

  // -- tidy drawing (once laid out, up to render.TIDY_MAX_NODES nodes) -------------------------
  // An edge that runs through a node (other than its ends) is bent, clockwise or not, more and
  // more, until it clears every node; each edge label is put along its edge where it covers no
  // node, no caption and no label placed before it, away from the busier end (a hub's labels
  // would pile up around it). Labels of edges between the same two nodes were merged into one
  // in Python (render._merge_parallel_labels).
  var captions = config.captions || [];
  var CAPTION_FONT = "20px " + ((config.options.nodes && config.options.nodes.font &&
    config.options.nodes.font.face) || "sans-serif");
  var labelAt = {};
  // how far a bent edge's middle moves off the straight line, in canvas units, tried in turn
  var BENDS = [30, 60, 90, 130, 180, 240];
  // from the busier end: past the middle first, then further out, then nearer
  var SPOTS = [0.62, 0.7, 0.55, 0.78, 0.48, 0.85, 0.4, 0.9, 0.33, 0.25, 0.66, 0.74, 0.58, 0.52,
    0.82, 0.44, 0.36, 0.29, 0.2, 0.15];

  function overlapArea(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? w * h : 0;
  }

  function grown(box, by) {
    return { left: box.left - by, top: box.top - by, right: box.right + by, bottom: box.bottom + by };
  }

  function captionBoxes() {
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = CAPTION_FONT;
    return captions.map(function (c) {
      var width = ctx.measureText(c.text).width;
      return { left: c.x - width, top: c.y - 10, right: c.x, bottom: c.y + 10, text: c.text };
    });
  }

  // A node's box with its label (vis's bounding box can miss the last line of a label drawn
  // below the shape).
  function nodeBox(id) {
    var box = network.getBoundingBox(id);
    var body = network.body.nodes[id];
    var label = body && body.labelModule && body.labelModule.size;
    if (label && label.width > 0) {
      box = { left: Math.min(box.left, label.left), top: Math.min(box.top, label.top),
        right: Math.max(box.right, label.left + label.width),
        bottom: Math.max(box.bottom, label.top + label.height) };
    }
    return box;
  }

  function nodeBoxes() {
    var boxes = {};
    nodes.forEach(function (node) {
      if (!node.hidden) boxes[node.id] = nodeBox(node.id);
    });
    return boxes;
  }

  // How many sample points of the edge fall inside nodes other than its ends.
  // How many sample points of the edge fall inside the given node boxes (not its ends').
  function crossings(edge, near) {
    var hits = 0;
    for (var t = 0.02; t < 0.985; t += 0.01) {
      var p = edge.edgeType.getPoint(t);
      for (var j = 0; j < near.length; j++) {
        var b = near[j];
        if (p.x > b.left - 4 && p.x < b.right + 4 && p.y > b.top - 4 && p.y < b.bottom + 4) hits++;
      }
    }
    return hits;
  }

  // The boxes of the nodes an edge could meet, bent as far as BENDS goes (its ends left out).
  function nearBoxes(edge, boxes) {
    var reach = BENDS[BENDS.length - 1] + 20;
    var area = grown({ left: Math.min(edge.from.x, edge.to.x), top: Math.min(edge.from.y, edge.to.y),
      right: Math.max(edge.from.x, edge.to.x), bottom: Math.max(edge.from.y, edge.to.y) }, reach);
    var near = [];
    for (var id in boxes) {
      if (id !== edge.fromId && id !== edge.toId && overlapArea(area, boxes[id]) > 0) {
        near.push(boxes[id]);
      }
    }
    return near;
  }

  function route(boxes) {
    var changed = [];
    edges.forEach(function (item) {
      var edge = network.body.edges[item.id];
      if (!edge || item.hidden || edge.fromId === edge.toId) return;
      var near = nearBoxes(edge, boxes);
      if (!near.length || crossings(edge, near) === 0) return;
      var original = item.smooth || false;
      var length = Math.max(1, Math.hypot(edge.to.x - edge.from.x, edge.to.y - edge.from.y));
      var routes = [original];
      for (var k = 0; k < BENDS.length; k++) {
        // vis's curvedCW moves the middle by about roundness x length / 2
        var roundness = Math.min(1, (2 * BENDS[k]) / length);
        routes.push({ enabled: true, type: "curvedCW", roundness: roundness });
        routes.push({ enabled: true, type: "curvedCCW", roundness: roundness });
      }
      var best = original, bestHits = Infinity;
      for (var r = 0; r < routes.length && bestHits > 0; r++) {
        // tried on the drawn edge itself: the DataSet is told once, below
        edge.setOptions({ smooth: routes[r] });
        var hits = crossings(edge, near);
        if (hits < bestHits) { best = routes[r]; bestHits = hits; }
      }
      edge.setOptions({ smooth: best });
      changed.push({ id: item.id, smooth: best });
    });
    if (changed.length) edges.update(changed);
  }

  function degrees() {
    var degree = {};
    edges.forEach(function (e) {
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    return degree;
  }

  // Points along every visible edge, to keep labels off other edges where there is room.
  function edgePoints() {
    var points = [];
    edges.forEach(function (item) {
      var edge = network.body.edges[item.id];
      if (!edge || item.hidden) return;
      for (var t = 0.02; t < 0.99; t += 0.02) {
        var p = edge.edgeType.getPoint(t);
        points.push({ x: p.x, y: p.y, id: item.id });
      }
    });
    return points;
  }

  var CELL = 40;

  function pointGrid(points) {
    var grid = {};
    for (var i = 0; i < points.length; i++) {
      var key = Math.floor(points[i].x / CELL) + "," + Math.floor(points[i].y / CELL);
      (grid[key] = grid[key] || []).push(points[i]);
    }
    return grid;
  }

  // How many points of edges other than `id` lie inside the box.
  function pointsIn(grid, box, id) {
    var count = 0;
    for (var cx = Math.floor(box.left / CELL); cx <= Math.floor(box.right / CELL); cx++) {
      for (var cy = Math.floor(box.top / CELL); cy <= Math.floor(box.bottom / CELL); cy++) {
        var cell = grid[cx + "," + cy];
        if (!cell) continue;
        for (var i = 0; i < cell.length; i++) {
          var q = cell[i];
          if (q.id !== id && q.x > box.left && q.x < box.right && q.y > box.top && q.y < box.bottom) {
            count++;
          }
        }
      }
    }
    return count;
  }

  function placeLabels(boxes) {
    var ctx = document.createElement("canvas").getContext("2d");
    var taken = captionBoxes();
    for (var id in boxes) taken.push(boxes[id]);
    var degree = degrees();
    var grid = pointGrid(edgePoints());
    // a label crossed by another edge reads as that edge's: avoided where there is room, but
    // covering a label or a node (by any area) costs far more
    var CROSSED = 1, COVERED = 1000, AWAY = 25;
    edges.forEach(function (item) {
      var edge = network.body.edges[item.id];
      if (!edge || !item.label || item.hidden || edge.fromId === edge.toId) return;
      var size = edge.labelModule.getTextSize(ctx, false, false);
      var fromHub = (degree[item.from] || 0) >= (degree[item.to] || 0);
      // on the edge first; then just beside it (above, below, left, right), touching it; then
      // further out where the edge is crowded (a short edge between two neighbours)
      var shifts = [[0, 0, 0]];  // dx, dy, what moving off the edge costs
      for (var far = 1; far <= 3; far++) {
        var up = (size.height / 2 + 5) * (2 * far - 1), side = (size.width / 2 + 5) * far;
        var away = AWAY * far * far;
        shifts.push([0, -up, away], [0, up, away], [-side, 0, away], [side, 0, away]);
      }
      var best = { t: 0.5, dx: 0, dy: 0 }, bestCover = Infinity;
      for (var s = 0; s < shifts.length; s++) {
        for (var k = 0; k < SPOTS.length; k++) {
          var t = fromHub ? SPOTS[k] : 1 - SPOTS[k];
          var p = edge.edgeType.getPoint(t);
          var x = p.x + shifts[s][0], y = p.y + shifts[s][1];
          var box = grown({ left: x - size.width / 2, top: y - size.height / 2,
            right: x + size.width / 2, bottom: y + size.height / 2 }, 3);
          var cover = shifts[s][2] + k;  // on the edge and at the first spots, if it can
          for (var j = 0; j < taken.length; j++) cover += COVERED * overlapArea(box, taken[j]);
          cover += CROSSED * pointsIn(grid, box, item.id);
          if (cover < bestCover) {
            best = { t: t, dx: shifts[s][0], dy: shifts[s][1] };
            bestCover = cover;
          }
        }
      }
      labelAt[item.id] = best;
      var q = edge.edgeType.getPoint(best.t);
      var cx = q.x + best.dx, cy = q.y + best.dy;
      taken.push(grown({ left: cx - size.width / 2, top: cy - size.height / 2,
        right: cx + size.width / 2, bottom: cy + size.height / 2 }, 3));
      edge.drawLabel = drawLabelAt;
    });
  }

  // Edge.drawLabel of vis-network 9.1.2, with the label at labelAt[id] instead of the middle.
  function drawLabelAt(ctx, viaNode) {
    if (this.options.label === undefined) return;
    if (this.labelModule.differentState(this.selected, this.hover)) {
      this.labelModule.getTextSize(ctx, this.selected, this.hover);
    }
    this.labelModule.pointToSelf = false;
    var at = labelAt[this.id] || { t: 0.5, dx: 0, dy: 0 };
    var p = this.edgeType.getPoint(at.t, viaNode);
    this.labelModule.draw(ctx, p.x + at.dx, p.y + at.dy, this.selected, this.hover);
  }

  // The box of everything drawn: nodes, captions, edges (their curves) and edge labels.
  function drawnBox() {
    var box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    function add(b) {
      box.left = Math.min(box.left, b.left); box.top = Math.min(box.top, b.top);
      box.right = Math.max(box.right, b.right); box.bottom = Math.max(box.bottom, b.bottom);
    }
    var boxes = nodeBoxes();
    for (var id in boxes) add(boxes[id]);
    captionBoxes().forEach(add);
    edges.forEach(function (item) {
      var edge = network.body.edges[item.id];
      if (!edge || item.hidden) return;
      for (var t = 0; t <= 1; t += 0.1) {
        var p = edge.edgeType.getPoint(t);
        add({ left: p.x, top: p.y, right: p.x, bottom: p.y });
      }
    });
    return box;
  }

  // network.fit() knows nodes only: this also keeps the captions and bent edges in view.
  function fitAll() {
    var box = drawnBox();
    if (!isFinite(box.left)) { network.fit({ animation: false }); return; }
    var width = Math.max(1, box.right - box.left), height = Math.max(1, box.bottom - box.top);
    var scale = 0.96 * Math.min(container.clientWidth / width, container.clientHeight / height);
    network.moveTo({
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: Math.min(scale, 1.5),
      animation: false
    });
  }

  function tidy() {
    var start = performance.now();
    var boxes = nodeBoxes();
    route(boxes);
    placeLabels(boxes);
    fitAll();
    window.dutygraphTidyMs = performance.now() - start;
  }

  if (captions.length) {
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.font = CAPTION_FONT;
      ctx.fillStyle = "#7b8794";
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (var i = 0; i < captions.length; i++) ctx.fillText(captions[i].text, captions[i].x, captions[i].y);
      ctx.restore();
    });
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
    counts.textContent = fill(config.texts.counts, c);
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
    searchStatus.textContent = ids.length
      ? fill(config.texts.found, { count: ids.length })
      : fill(config.texts.notFound, { text: text.trim() });
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
    if (config.tidy) fitAll(); else network.fit({ animation: false });
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
    if (draw) ctx.fillText(config.texts.legend, x, y);
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
    imageCanvas: imageCanvas,
    captionBoxes: captionBoxes,
    nodeBox: nodeBox,
    labelAt: labelAt
  };
  window.dutygraphNetwork = network;
  window.dutygraphNodes = nodes;
  window.dutygraphEdges = edges;
})();
