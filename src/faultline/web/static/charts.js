/* Faultline charts: small, dependency-free SVG drawings.
   Data comes from <script type="application/json" id="chart-data"> (parsed, never evaluated);
   every label is set with textContent, every link built from encodeURIComponent. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var C = { conf: "#c0392b", coop: "#1e8e5a", stories: "#7b8794", alert: "#e67e22", ev: "#d4b800", fr: "#5b9bd5",
            grid: "#d9dee7", neutral: "#98a2b3" };

  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, String(attrs[k])); }
    if (parent) parent.appendChild(n);
    return n;
  }
  function text(parent, x, y, s, anchor) {
    var t = el("text", { x: x, y: y, "text-anchor": anchor || "start" }, parent);
    t.textContent = s;
    return t;
  }
  function tip(node, s) { var t = el("title", {}, node); t.textContent = s; }
  function svg(container, w, h) {
    var s = el("svg", { viewBox: "0 0 " + w + " " + h, width: w, height: h, preserveAspectRatio: "xMidYMid meet" });
    container.appendChild(s);
    return s;
  }
  function ticks(points, n) {
    var out = [], step = Math.max(1, Math.ceil(points.length / n));
    for (var i = 0; i < points.length; i += step) out.push(i);
    return out;
  }

  /* Bars of conflict (up, red) and cooperation (down, green) per period, with a line for a
     third series and markers for alerts. */
  function bars(container, points, opts) {
    var W = 1100, H = 260, L = 40, R = 40, T = 18, B = 30;
    var s = svg(container, W, H);
    var n = Math.max(points.length, 1), bw = (W - L - R) / n;
    var maxUp = 1, maxDown = 1, maxLine = 1;
    points.forEach(function (p) {
      maxUp = Math.max(maxUp, p.conflict || 0); maxDown = Math.max(maxDown, p.cooperation || 0);
      maxLine = Math.max(maxLine, p[opts.line] || 0);
    });
    var mid = T + (H - T - B) * maxUp / (maxUp + maxDown);
    var scale = (H - T - B) / (maxUp + maxDown);
    el("line", { x1: L, x2: W - R, y1: mid, y2: mid, class: "axis", stroke: C.grid }, s);
    text(s, L - 4, T + 8, String(maxUp), "end");
    text(s, L - 4, H - B, String(maxDown), "end");
    var path = [];
    points.forEach(function (p, i) {
      var x = L + i * bw, w = Math.max(bw - 1, 1);
      var g = el("g", { class: "pt" }, s);
      if (p.conflict) el("rect", { x: x, y: mid - p.conflict * scale, width: w, height: p.conflict * scale, fill: C.conf }, g);
      if (p.cooperation) el("rect", { x: x, y: mid, width: w, height: p.cooperation * scale, fill: C.coop }, g);
      var hit = el("rect", { x: x, y: T, width: w, height: H - T - B, fill: "transparent" }, g);
      tip(hit, p.date + ": " + (p.conflict || 0) + " conflict, " + (p.cooperation || 0) + " cooperation" +
          (opts.line ? ", " + opts.lineLabel + " " + (p[opts.line] || 0) : "") +
          (p.escalation !== undefined ? ", escalation " + p.escalation : ""));
      var ly = T + (H - T - B) * (1 - (p[opts.line] || 0) / maxLine);
      if (opts.line) path.push((i ? "L" : "M") + (x + w / 2).toFixed(1) + " " + ly.toFixed(1));
      if (p.alert) {
        var mx = x + w / 2;
        var m = el("path", { d: "M" + (mx - 6) + " " + (T - 2) + " L" + (mx + 6) + " " + (T - 2) + " L" + mx + " " + (T + 9) + " Z",
                             fill: C.alert, class: "alert-marker" }, s);
        tip(m, "Escalation alert " + p.date + ": score " + p.escalation + ", " + p.conflict + " conflict vs " + p.expected + " expected");
      }
    });
    if (opts.line && path.length) {
      el("path", { d: path.join(" "), fill: "none", stroke: C.stories, "stroke-width": 1.5, class: "line" }, s);
      text(s, W - R + 4, T + 8, String(maxLine), "start");
    }
    ticks(points, 8).forEach(function (i) { text(s, L + i * bw, H - 8, points[i].date, "start"); });
    if (!points.length) text(s, W / 2, H / 2, "no data", "middle");
    return s;
  }

  function textmap(container, data) {
    var W = 1100, H = 56, L = 4, R = 4;
    var s = svg(container, W, H);
    var len = Math.max(data.length || 1, 1), span = W - L - R;
    el("rect", { x: L, y: 20, width: span, height: 16, fill: "#f1f3f6", stroke: C.grid }, s);
    (data.spans || []).forEach(function (sp) {
      var x = L + span * sp.start / len, w = Math.max(span * (sp.end - sp.start) / len, 2);
      var a = el("a", { href: "#" + encodeURIComponent(sp.anchor) }, s);
      var r = el("rect", { x: x, y: sp.kind === "event" ? 20 : 28, width: w, height: 8,
                           fill: sp.kind === "event" ? C.ev : C.fr, class: "span " + sp.kind }, a);
      tip(r, sp.label);
    });
    text(s, L, 14, "start of text"); text(s, W - R, 14, (data.length || 0) + " characters", "end");
    text(s, L, 52, (data.spans || []).length + " highlighted spans");
    return s;
  }

  function network(container, data) {
    var W = 900, H = 560, cx = W / 2, cy = H / 2, rad = Math.min(W, H) / 2 - 70;
    var s = svg(container, W, H);
    var nodes = data.nodes || [], edges = data.edges || [], pos = {};
    var others = nodes.filter(function (n) { return !n.ego; });
    nodes.forEach(function (n) {
      if (n.ego) { pos[n.id] = [cx, cy]; return; }
      var i = others.indexOf(n), ang = -Math.PI / 2 + 2 * Math.PI * i / Math.max(others.length, 1);
      pos[n.id] = [cx + rad * Math.cos(ang), cy + rad * Math.sin(ang)];
    });
    var maxW = 1;
    edges.forEach(function (e) { maxW = Math.max(maxW, e.weight || 0); });
    edges.forEach(function (e) {
      var p = pos[e.source], q = pos[e.target];
      if (!p || !q) return;
      var col = e.sign > 0 ? C.coop : (e.sign < 0 ? C.conf : C.neutral);
      var ln = el("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1], stroke: col,
                            "stroke-width": (1 + 7 * (e.weight || 0) / maxW).toFixed(2), "stroke-opacity": 0.55, class: "edge" }, s);
      tip(ln, e.source + " – " + e.target + ": " + e.weight + " interactions (" + e.conflict + " conflict, " +
          e.cooperation + " cooperation, balance " + e.balance + ")");
    });
    var maxN = 1;
    nodes.forEach(function (n) { maxN = Math.max(maxN, n.events || 0); });
    nodes.forEach(function (n) {
      var p = pos[n.id];
      var a = el("a", { href: "/actors/" + encodeURIComponent(n.id) }, s);
      var c = el("circle", { cx: p[0], cy: p[1], r: (n.ego ? 16 : 6 + 10 * Math.sqrt((n.events || 0) / maxN)).toFixed(1),
                             fill: n.ego ? "#1d2330" : "#ffffff", stroke: "#1d2330", "stroke-width": 1.5, class: "node" }, a);
      tip(c, n.id + ": " + (n.events || 0) + " interactions in this network");
      var t = text(a, p[0], p[1] + (n.ego ? 32 : -14), n.label, "middle");
      t.setAttribute("font-weight", n.ego ? "700" : "400");
    });
    if (!nodes.length) text(s, cx, cy, "no data", "middle");
    return s;
  }

  function highlightTarget() {
    var id = decodeURIComponent((location.hash || "").slice(1));
    if (!id) return;
    var marks = document.querySelectorAll("mark");
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getAttribute("data-anchor") === id) marks[i].classList.add("flash");
      else marks[i].classList.remove("flash");
    }
  }

  function draw() {
    var holder = document.getElementById("chart");
    var src = document.getElementById("chart-data");
    if (!holder || !src) return;
    var data;
    try { data = JSON.parse(src.textContent); } catch (e) { return; }
    var kind = holder.getAttribute("data-chart");
    if (kind === "volume") bars(holder, (data.points || []).map(function (p) {
      return { date: p.date, conflict: p.conflict, cooperation: p.cooperation, stories: p.stories };
    }), { line: "stories", lineLabel: "stories" });
    else if (kind === "timeline") bars(holder, data.points || [], { line: "escalation", lineLabel: "escalation" });
    else if (kind === "textmap") textmap(holder, data);
    else if (kind === "network") network(holder, data);
    holder.setAttribute("data-drawn", "1");
    highlightTarget();
  }

  window.addEventListener("hashchange", highlightTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
