"use strict";
// zc report: renders the JSON in #zc-data. Every piece of data enters the page as text (textContent), never as
// markup, so command lines, paths and class names are shown exactly as they are.
(function () {
  const data = JSON.parse(document.getElementById("zc-data").textContent);
  const GIB = 1073741824;
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  function num(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "-";
    if (!Number.isFinite(v)) return "inf";
    if (digits !== undefined) return v.toFixed(digits);
    if (Number.isInteger(v)) return v.toLocaleString("en"); // counts stay whole: 30, not 30.00
    const a = Math.abs(v);
    if (a >= 100) return Math.round(v).toLocaleString("en");
    if (a >= 1) return v.toFixed(2);
    if (a === 0) return "0";
    return v.toPrecision(2);
  }

  // Byte counts with binary units: 4294967296 -> "4.0 GiB".
  function bytes(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "-";
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let x = Math.abs(v), u = 0;
    while (x >= 1024 && u < units.length - 1) { x /= 1024; u++; }
    return (v < 0 ? "-" : "") + (u === 0 ? String(x) : x.toFixed(1)) + " " + units[u];
  }

  // A table cell that shows text and sorts by a number: bytes shown with units sort by their count.
  function sorted(text, value) {
    return { text: text, sort: value };
  }

  function table(headers, rows, opts) {
    const t = el("table", opts && opts.id ? { id: opts.id } : {});
    const head = el("tr");
    headers.forEach((h, i) => head.appendChild(el("th", {
      class: (h.text ? "text" : "") + (opts && opts.sortable ? " sortable" : ""),
      text: typeof h === "object" ? h.label : h, "data-col": i
    })));
    const label = (h) => (typeof h === "object" ? h.label : h);
    if (headers.some((h) => label(h) !== "")) t.appendChild(el("thead", {}, head)); // a key/value table has none
    const body = el("tbody");
    for (const r of rows) {
      const tr = el("tr");
      r.forEach((c, i) => {
        const cell = c !== null && typeof c === "object"
          ? el("td", { class: headers[i].text ? "text" : "", text: String(c.text), "data-sort": String(c.sort) })
          : el("td", { class: headers[i].text ? "text" : "", text: String(c) });
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    }
    t.appendChild(body);
    if (opts && opts.sortable) makeSortable(t);
    return t;
  }

  function makeSortable(t) {
    let col = -1, asc = true;
    t.querySelectorAll("th").forEach((th, i) => th.addEventListener("click", () => {
      asc = col === i ? !asc : true;
      col = i;
      const body = t.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (r) => (r.cells[i].dataset.sort !== undefined ? r.cells[i].dataset.sort : r.cells[i].textContent);
      const numeric = rows.every((r) => key(r) === "" || !Number.isNaN(Number(key(r).replace(/,/g, ""))));
      rows.sort((x, y) => {
        const a = key(x), b = key(y);
        const c = numeric ? Number(a.replace(/,/g, "")) - Number(b.replace(/,/g, "")) : a.localeCompare(b);
        return asc ? c : -c;
      });
      rows.forEach((r) => body.appendChild(r));
      t.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    }));
  }

  // ---- tabs ----
  const tabs = document.getElementById("tabs");
  const panels = document.getElementById("panels");
  const after = [];
  function tab(id, label, render) {
    const button = el("button", { type: "button", id: "tab-" + id, role: "tab", "aria-selected": "false", text: label });
    const panel = el("section", { id: "panel-" + id, role: "tabpanel" });
    panel.hidden = true;
    tabs.appendChild(button);
    panels.appendChild(panel);
    let rendered = false;
    button.addEventListener("click", () => {
      tabs.querySelectorAll("button").forEach((b) => b.setAttribute("aria-selected", "false"));
      panels.querySelectorAll("section").forEach((p) => { p.hidden = true; });
      button.setAttribute("aria-selected", "true");
      panel.hidden = false;
      if (!rendered) { rendered = true; render(panel); }
    });
    after.push(button);
  }

  // ---- theme ----
  document.getElementById("theme").addEventListener("click", () => {
    const root = document.documentElement;
    const dark = root.dataset.theme ? root.dataset.theme === "dark"
      : window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "light" : "dark";
  });

  // ---- charts (uPlot) ----
  // Ticks for an axis whose values are whole numbers (pairs, ranks): never 1.2, 1.4, 1.6.
  const INTEGER_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

  function chart(container, title, xs, series, xLabel, integerX, yRange) {
    const box = el("div", { class: "chart" }, el("h3", { text: title }));
    container.appendChild(box);
    const xAxis = { stroke: css("--fg"), label: xLabel, grid: { stroke: css("--line") } };
    if (integerX) {
      xAxis.incrs = INTEGER_TICKS;
      xAxis.values = (u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : ""));
    }
    const opts = {
      width: 440, height: 220,
      scales: yRange ? { x: { time: false }, y: { range: yRange } } : { x: { time: false } },
      axes: [xAxis,
             { stroke: css("--fg"), grid: { stroke: css("--line") }, size: 72 }],
      series: [{ label: xLabel }].concat(series.map((s) => ({
        label: s.label, stroke: s.color, width: 2, points: { show: true, size: 6, fill: s.color }
      })))
    };
    new uPlot(opts, [xs].concat(series.map((s) => s.values)), box);
  }

  // ---- flame graphs ----
  function flameTree(rows, diff) {
    const root = { name: "all", value: 0, a: 0, b: 0, children: new Map() };
    for (const r of rows) {
      const a = diff ? r[1] : r[1], b = diff ? r[2] : r[1];
      const v = diff ? Math.max(a, b) : a;
      let node = root;
      node.value += v; node.a += a; node.b += b;
      for (const f of r[0].split(";")) {
        let c = node.children.get(f);
        if (!c) { c = { name: f, value: 0, a: 0, b: 0, children: new Map() }; node.children.set(f, c); }
        c.value += v; c.a += a; c.b += b;
        node = c;
      }
    }
    return root;
  }

  function frameColor(node, diff) {
    if (diff) {
      const d = (node.b - node.a) / Math.max(node.a, node.b, 1e-9);
      const k = Math.round(255 - Math.min(1, Math.abs(d)) * 150);
      return d >= 0 ? `rgb(255,${k},${k})` : `rgb(${k},${k},255)`;
    }
    const n = node.name;
    let h = 0;
    for (let i = 0; i < n.length; i++) h = (h * 31 + n.charCodeAt(i)) | 0;
    const j = Math.abs(h) % 40;
    if (n.endsWith("_[k]")) return `rgb(230,${140 + j},60)`;
    if (n.endsWith("_[j]") || n.endsWith("_[i]") || n.endsWith("_[0]") || n.endsWith("_[1]")) return `rgb(80,${170 + j},80)`;
    return `rgb(230,${90 + j},${70 + j})`;
  }

  function flame(panel, rows, diff, note) {
    if (!rows || rows.length === 0) {
      panel.appendChild(el("p", { class: "muted", text: "No profile in this session (run without --no-profile)." }));
      return;
    }
    const tools = el("div", { class: "flame-tools" });
    const search = el("input", { type: "search", placeholder: "search frames (text or /regex/)" });
    const reset = el("button", { type: "button", text: "reset zoom" });
    const found = el("span", { class: "muted" });
    tools.append(search, reset, found);
    panel.append(el("p", { class: "muted", text: note }), tools);
    const box = el("div", { class: "flame" });
    panel.appendChild(box);
    const full = flameTree(rows, diff);
    let zoom = full;
    function draw() {
      box.textContent = "";
      const width = box.clientWidth || 1100;
      let maxDepth = 0;
      const place = (node, x, depth) => {
        const w = node.value / zoom.value;
        if (w * width < 1.5) return;
        maxDepth = Math.max(maxDepth, depth);
        const f = el("div", { class: "frame", text: node.name });
        f.style.left = (x * 100) + "%";
        f.style.width = (w * 100) + "%";
        f.style.top = (depth * 17) + "px";
        f.style.background = frameColor(node, diff);
        f.title = node.name + "\n" + (diff ? `A ${num(node.a)} / B ${num(node.b)} samples per GiB`
          : `${num(node.value)} samples per GiB (${(100 * node.value / full.value).toFixed(1)}%)`);
        f.addEventListener("click", () => { zoom = node; draw(); });
        f._node = node;
        box.appendChild(f);
        let cx = x;
        for (const c of [...node.children.values()].sort((p, q) => q.value - p.value)) {
          place(c, cx, depth + 1);
          cx += c.value / zoom.value;
        }
      };
      place(zoom, 0, 0);
      box.style.height = ((maxDepth + 1) * 17 + 4) + "px";
      mark();
    }
    function mark() {
      const q = search.value.trim();
      let re = null;
      if (q.length > 1 && q.startsWith("/") && q.endsWith("/")) {
        try { re = new RegExp(q.slice(1, -1)); } catch (e) { re = null; }
      }
      let total = 0;
      const counted = new Set();
      box.querySelectorAll(".frame").forEach((f) => {
        const hit = q !== "" && (re ? re.test(f._node.name) : f._node.name.includes(q));
        f.classList.toggle("match", hit);
        if (hit) {
          let anc = false;
          for (const c of counted) if (isAncestor(c, f._node)) { anc = true; break; }
          if (!anc) { counted.add(f._node); total += f._node.value; }
        }
      });
      found.textContent = q === "" ? "" : `matched ${(100 * total / zoom.value).toFixed(1)}% of the view`;
    }
    function isAncestor(a, b) {
      const stack = [a];
      while (stack.length) { const n = stack.pop(); if (n === b) return true; stack.push(...n.children.values()); }
      return false;
    }
    search.addEventListener("input", mark);
    reset.addEventListener("click", () => { zoom = full; draw(); });
    draw();
  }

  // ---- per-GiB metrics of a run ----
  const metrics = [
    { name: "CPU per GiB", unit: "ms", f: (c, b) => (c.cpuUserNs + c.cpuSysNs) / 1e6 * GIB / b },
    { name: "write syscalls per GiB", unit: "", f: (c, b) => c.syscw * GIB / b },
    { name: "read syscalls per GiB", unit: "", f: (c, b) => c.syscr * GIB / b },
    { name: "context switches per GiB", unit: "", f: (c, b) => (c.voluntaryCtxSwitches + c.nonvoluntaryCtxSwitches) * GIB / b },
    { name: "minor faults per GiB", unit: "", f: (c, b) => c.minorFaults * GIB / b },
    { name: "throughput", unit: "MB/s", f: (c, b) => b * 1e3 / c.wallNs }
  ];

  function median(sorted) {
    const n = sorted.length;
    return n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  function modelRow(id) {
    return data.model.find((m) => m.id === id);
  }

  if (data.kind === "ab") renderSession(data.session);
  else if (data.kind === "survey") renderSurvey(data.survey);
  else renderDemo(data.demo);
  // A link can open a tab: report.html#flame-b
  const wanted = document.getElementById("tab-" + location.hash.slice(1));
  if (wanted) wanted.click(); else if (after.length) after[0].click();

  function renderSession(s) {
    const comps = s.comparisons || [];
    const runs = s.runs || [];
    const bStrategy = /strategy=mmap/.test(s.b) ? "mmap-write" : "sendfile";

    tab("overview", "Verdict", (p) => {
      p.append(el("h2", { text: "What changed, per GiB moved (B against A)" }));
      const byName = Object.fromEntries(comps.map((c) => [c.metric, c]));
      const phrase = [];
      const say = (m, text) => { const c = byName[m]; if (c && !c.warning) phrase.push(text(c)); };
      say("CPU per GiB", (c) => `${num(c.ratio)}x the CPU`);
      say("write syscalls per GiB", (c) => `${num(c.ratio)}x the write system calls`);
      say("context switches per GiB", (c) => `${num(c.ratio)}x the context switches`);
      say("throughput", (c) => `${num(c.ratio)}x the throughput`);
      p.append(el("p", { class: "sentence", text: phrase.length
        ? `With ${s.b} against ${s.a}, the application used ` + phrase.join(", ") + " per GiB moved."
        : "This session cannot say what changed: see the warnings." }));
      p.append(table([{ label: "metric", text: true }, "A median", "A min-max", "B median", "B min-max", "B/A",
        "95% interval", { label: "verdict", text: true }],
        comps.map((c) => [c.metric, num(c.a.median) + " " + c.unit, num(c.a.min) + " - " + num(c.a.max),
          num(c.b.median) + " " + c.unit, num(c.b.min) + " - " + num(c.b.max), num(c.ratio),
          "[" + num(c.low) + ", " + num(c.high) + "]", c.verdict + (c.warning ? "  (warning: " + c.warning + ")" : "")]),
        { id: "verdicts" }));
      for (const w of s.warnings || []) p.append(el("p", { class: "warning", text: "warning: " + w }));
      if (s.error) p.append(el("p", { class: "error", text: "incomplete: " + s.error }));

      p.append(el("h2", { text: "The zero-copy table, model beside this session" }));
      const med = (side, m) => {
        const v = runs.filter((r) => r.side === side && r.status === "ok" && !r.warmup && r.bytes > 0)
          .map((r) => m.f(r.counters, r.bytes)).sort((x, y) => x - y);
        return median(v);
      };
      const rows = [["A", "read-write"], ["B", bStrategy]].map(([side, id]) => {
        const m = modelRow(id);
        return [side + ": " + id, m.cpuCopies, m.dmaCopies, m.syscallsPerChunk, m.modeSwitchesPerChunk,
          ...metrics.map((x) => num(med(side, x)))];
      });
      p.append(table([{ label: "strategy", text: true }, "CPU copies", "DMA copies", "syscalls/chunk",
        "mode switches/chunk", ...metrics.map((m) => m.name + (m.unit ? " (" + m.unit + ")" : ""))], rows));
      p.append(el("p", { class: "muted", text: "Model: per chunk, as the zero-copy articles draw it. Measured: medians over this session's runs." }));

      p.append(el("h2", { text: "Runs" }));
      p.append(table(["#", { label: "side", text: true }, "pair", { label: "status", text: true }, "moved", "s",
        "write syscalls", "CPU ms", { label: "profiler", text: true }, "kernel copy samples", { label: "error", text: true }],
        runs.map((r) => [r.index, r.side, r.warmup ? "warm-up" : r.pair, r.status, bytes(r.bytes),
          r.counters ? num(r.counters.wallNs / 1e9) : "-", r.counters ? r.counters.syscw : "-",
          r.counters ? num((r.counters.cpuUserNs + r.counters.cpuSysNs) / 1e6) : "-",
          r.profile ? r.profile.engine : "none", r.profile ? r.profile.kernelCopyFrames + " of " + r.profile.samples : "-",
          r.error || ""])));
    });

    tab("charts", "Charts", (p) => {
      const pairs = [...new Set(runs.filter((r) => !r.warmup).map((r) => r.pair))].sort((x, y) => x - y);
      const grid = el("div", { class: "charts" });
      p.append(el("h2", { text: "Each metric, A and B, pair by pair" }), grid);
      for (const m of metrics) {
        const val = (side, pair) => {
          const r = runs.find((x) => x.pair === pair && x.side === side && x.status === "ok" && !x.warmup);
          return r && r.bytes > 0 ? m.f(r.counters, r.bytes) : null;
        };
        chart(grid, m.name + (m.unit ? " (" + m.unit + ")" : ""), pairs,
          [{ label: "A", color: css("--a"), values: pairs.map((q) => val("A", q)) },
           { label: "B", color: css("--b"), values: pairs.map((q) => val("B", q)) }], "pair", true);
      }
      const line = el("div", { class: "charts" });
      p.append(el("h2", { text: "Timeline of each run: CPU time since it started (ms)" }), line);
      const tl = data.timeline || [];
      if (tl.length) {
        const longest = tl.reduce((a, b) => (b.t.length > a.t.length ? b : a));
        const xs = longest.t;
        const at = (run, t) => { let v = null; for (let i = 0; i < run.t.length && run.t[i] <= t; i++) v = run.cpuMs[i]; return v; };
        chart(line, "CPU ms over time (ms)", xs, tl.map((run) => ({
          label: "run " + run.run + " " + run.side, color: run.side === "A" ? css("--a") : css("--b"),
          values: xs.map((t) => at(run, t)) })), "ms");
      }
    });

    tab("flame-a", "Flame graph A", (p) => flame(p, data.flame.A, false, "Side A, all runs, samples per GiB moved. Click a frame to zoom; search highlights."));
    tab("flame-b", "Flame graph B", (p) => flame(p, data.flame.B, false, "Side B, all runs, samples per GiB moved."));
    tab("flame-diff", "Differential", (p) => flame(p, data.flame.diff, true, "Both sides per GiB moved: width is the larger of the two, red frames take more samples in B, blue ones fewer."));

    tab("sites", "Call sites", (p) => {
      const filter = el("input", { type: "search", id: "site-filter", placeholder: "filter call sites" });
      p.append(el("h2", { text: "Every copy loop the agent saw" }), filter);
      const b = (v) => sorted(bytes(v || 0), v || 0);
      const rows = (data.sites || []).map((r) => [r.side, r.class, r.signature || r.method, r.line, r.status, r.reason,
        r.calls, b(r.sendfile), b(r.mmap), b(r.loop), b(r.direct), b(r.wouldMove),
        Object.entries(r.fallbacks).map(([k, v]) => k + ": " + v).join("; ")]);
      const t = table([{ label: "side", text: true }, { label: "class", text: true }, { label: "method", text: true },
        "line", { label: "status", text: true }, { label: "reason", text: true }, "calls", "sendfile",
        "mmap", "original code", "direct buffer", "a rewrite would move", { label: "fallbacks", text: true }], rows,
        { sortable: true, id: "sites" });
      p.append(el("p", { class: "muted", text: "Bytes per path. On the observe side (A) every byte goes through the "
        + "original code; \"a rewrite would move\" is what rewrite mode would have sent zero-copy of them." }));
      p.append(t);
      if (rows.length === 0) p.append(el("p", { class: "muted", text: "The agent saw no copy loop in this session." }));
      filter.addEventListener("input", () => {
        const q = filter.value.toLowerCase();
        Array.from(t.tBodies[0].rows).forEach((r) => { r.hidden = q !== "" && !r.textContent.toLowerCase().includes(q); });
      });
    });

    tab("env", "Environment", (p) => {
      const env = Object.entries(s.environment || {}).map(([k, v]) => [k, v]);
      env.push(["command", s.command.join(" ")], ["side A", s.a], ["side B", s.b], ["workload", s.workload],
        ["injection", s.injection], ["pairs", s.pairs], ["created", s.createdAt],
        ["profiler engines", [...new Set(runs.filter((r) => r.profile).map((r) => r.profile.engine))].join(", ") || "none"]);
      p.append(el("h2", { text: "Where and how this session ran" }),
        table([{ label: "", text: true }, { label: "", text: true }], env));
      p.append(el("h2", { text: "The command, argument by argument" }));
      p.append(el("ol", {}, ...s.command.map((a) => el("li", { class: "code", text: a }))));
    });
  }

  function renderSurvey(sv) {
    const t = sv.totals;
    const est = sv.estimate;
    const cpu = (ms) => (ms >= 1000 ? num(ms / 1000, 1) + " s" : num(ms) + " ms");
    const saveText = (x) => `${cpu(x.cpuMs)} of CPU, ${num(x.writeCalls)} write and ${num(x.readCalls)} read system calls`;
    tab("overview", "Survey", (p) => {
      p.append(el("h2", { text: "Where the bytes go through user space" }));
      p.append(el("p", { class: "sentence", text: `${t.files} JVM statistics file(s) (${t.observeFiles} in observe mode, `
        + `${t.rewriteFiles} in rewrite mode): ${bytes(t.originalBytes)} went through the applications' original copy code `
        + `at ${t.sites} call site(s); a rewrite would move ${bytes(t.wouldMoveBytes)} of it zero-copy; `
        + `${bytes(t.zeroCopyBytes)} already went zero-copy.` }));
      p.append(table([{ label: "", text: true }, ""], [
        ["JVMs (statistics files)", t.files], ["skipped (invalid) files", t.skipped], ["call sites", t.sites],
        ["calls", num(t.calls)], ["bytes through the original code", sorted(bytes(t.originalBytes), t.originalBytes)],
        ["bytes a rewrite would move zero-copy (observe mode)", sorted(bytes(t.wouldMoveBytes), t.wouldMoveBytes)],
        ["bytes already moved zero-copy (rewrite mode)", sorted(bytes(t.zeroCopyBytes), t.zeroCopyBytes)]], { id: "totals" }));
      const box = el("div", { class: "estimate", id: "estimate" });
      box.append(el("h2", { text: "Estimate: what a rewrite would save" }),
        el("p", { class: "sentence", text: `Estimate: moving ${bytes(est.rewriteWouldSave.bytes)} zero-copy instead of `
          + `through the original code would save about ${saveText(est.rewriteWouldSave)}.` }),
        el("p", { text: `Rewrites already running saved about ${saveText(est.savedByRewrites)} `
          + `(${bytes(est.savedByRewrites.bytes)} zero-copy).` }),
        el("p", { class: "muted", text: "From zc's own measured costs per GiB: " + est.source + ". "
          + `Per GiB: the loop ${num(est.costsPerGib.loopCpuMs)} ms CPU, ${num(est.costsPerGib.loopWrites)} writes, `
          + `${num(est.costsPerGib.loopReads)} reads; sendfile ${num(est.costsPerGib.zeroCopyCpuMs)} ms, `
          + `${num(est.costsPerGib.zeroCopyWrites)} write, ${num(est.costsPerGib.zeroCopyReads)} reads. Caveat: ` + est.caveat + "." }));
      p.append(box);
      const ranked = sv.sites.filter((s) => s.originalBytes > 0);
      if (ranked.length) {
        const grid = el("div", { class: "charts" });
        p.append(el("h2", { text: "How concentrated the bytes are" }), grid);
        let sum = 0;
        const cumulative = ranked.map((s) => { sum += s.originalBytes; return 100 * sum / t.originalBytes; });
        chart(grid, "Share of the original code's bytes (%) in the top sites", ranked.map((s) => s.rank),
          [{ label: "cumulative %", color: css("--b"), values: cumulative }], "sites, ranked", true, [0, 100]);
      }
    });

    tab("sites", "Call sites", (p) => {
      const filter = el("input", { type: "search", id: "site-filter", placeholder: "filter call sites" });
      p.append(el("h2", { text: "Every call site, ranked by the bytes through its original code" }), filter);
      const rows = sv.sites.map((s) => [s.rank, s.class, s.signature, s.line, s.status, s.blockedBy || "",
        s.files, s.measured ? s.calls : "not measured",
        sorted(s.measured ? bytes(s.originalBytes) : "not measured", s.originalBytes),
        sorted(bytes(s.wouldMoveBytes), s.wouldMoveBytes), sorted(bytes(s.zeroCopyBytes), s.zeroCopyBytes),
        sorted(num(s.rewriteWouldSave.cpuMs), s.rewriteWouldSave.cpuMs)]);
      const tbl = table(["rank", { label: "class", text: true }, { label: "method", text: true }, "line",
        { label: "status", text: true }, { label: "what blocks it", text: true }, "JVMs", "calls",
        "through the original code", "a rewrite would move", "already zero-copy", "CPU ms a rewrite would save (estimate)"],
        rows, { sortable: true, id: "survey-sites" });
      p.append(tbl);
      p.append(el("p", { class: "muted", text: "A loop declined as its class loaded runs as written and is not "
        + "instrumented: its calls and bytes are not measured. \"What blocks it\" is that loop's reason, or the "
        + "reason that kept the most bytes of its calls on the original code." }));
      filter.addEventListener("input", () => {
        const q = filter.value.toLowerCase();
        Array.from(tbl.tBodies[0].rows).forEach((r) => { r.hidden = q !== "" && !r.textContent.toLowerCase().includes(q); });
      });
    });

    tab("reasons", "Reasons", (p) => {
      p.append(el("h2", { text: "What keeps bytes on the original code, over all sites" }));
      p.append(table([{ label: "reason", text: true }, { label: "decided", text: true }, "sites", "calls", "bytes"],
        sv.reasons.map((r) => [r.reason, r.kind === "site" ? "as the class loaded (the loop's form)" : "per call (the real objects)",
          r.sites, r.kind === "site" ? "-" : r.calls, sorted(r.kind === "site" ? "-" : bytes(r.bytes), r.bytes)]),
        { sortable: true, id: "reasons" }));
    });

    tab("jvms", "JVMs", (p) => {
      p.append(el("h2", { text: "The statistics files read" }));
      p.append(table([{ label: "file", text: true }, "pid", { label: "JDK", text: true }, { label: "mode", text: true },
        "sites", "original code", "would move", "zero-copy", "calls still running"],
        sv.files.map((f) => [f.path, f.pid, f.jdk, f.mode, f.sites, sorted(bytes(f.originalBytes), f.originalBytes),
          sorted(bytes(f.wouldMoveBytes), f.wouldMoveBytes), sorted(bytes(f.zeroCopyBytes), f.zeroCopyBytes), f.running]),
        { sortable: true, id: "files" }));
      if (sv.skipped.length) {
        p.append(el("h2", { text: "Skipped: not valid statistics" }));
        p.append(el("ul", {}, ...sv.skipped.map((x) => el("li", { class: "code", text: x.error }))));
      }
    });
  }

  function renderDemo(d) {
    const ids = [...new Set(d.results.map((r) => r.strategy))];
    const med = (id, m, pick) => {
      return median(d.results.filter((r) => r.strategy === id && pick(r)).map((r) => m.f(pick(r), r.bytes))
        .sort((x, y) => x - y));
    };
    tab("overview", "Zero-copy table", (p) => {
      p.append(el("h2", { text: "Each strategy: the model beside the sender's medians per GiB" }));
      p.append(table([{ label: "strategy", text: true }, "CPU copies", "DMA copies", "syscalls/chunk", "mode switches/chunk",
        ...metrics.map((m) => m.name + (m.unit ? " (" + m.unit + ")" : ""))],
        ids.map((id) => { const m = modelRow(id); return [id, m.cpuCopies, m.dmaCopies, m.syscallsPerChunk,
          m.modeSwitchesPerChunk, ...metrics.map((x) => num(med(id, x, (r) => r.counters)))]; }), { id: "strategies" }));
      const bad = d.results.filter((r) => r.integrity !== "ok");
      p.append(el("p", { class: bad.length ? "error" : "better",
        text: bad.length ? bad.length + " run(s) failed the integrity check" : "Every run delivered every byte (length and CRC32C)." }));
      p.append(el("p", { class: "muted", text: `${d.results.length} runs, ${d.rounds} round(s), ${bytes(d.sizeBytes)} file.` }));
    });
    tab("charts", "Charts", (p) => {
      const grid = el("div", { class: "charts" });
      p.append(el("h2", { text: "Sender medians per strategy (1 = " + ids[0] + ")" }), grid);
      const xs = ids.map((_, i) => i + 1);
      for (const m of metrics) {
        chart(grid, m.name + (m.unit ? " (" + m.unit + ")" : ""), xs,
          [{ label: "sender", color: css("--b"), values: ids.map((id) => med(id, m, (r) => r.counters)) }], "strategy", true);
      }
      p.append(el("ol", {}, ...ids.map((id) => el("li", { text: id }))));
    });
    tab("env", "Environment", (p) => {
      const env = Object.entries(d.environment || {}).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : v]);
      p.append(table([{ label: "", text: true }, { label: "", text: true }], env));
    });
  }
})();
