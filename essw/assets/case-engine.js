/* ESSW case engine: turns a complete, static case-study page into a one-step-at-a-time player.
 *
 * Without this script the page already works: every node is a section, every choice a link,
 * feedback sits next to each choice and the debrief is at the end. This script only enhances.
 * Nothing is sent anywhere: progress lives in localStorage, the CPD record is made in the browser.
 */
(function () {
  "use strict";

  var STORE = "essw-case:";
  var RATING = { strong: "Strong practice", acceptable: "Acceptable", risky: "Risky" };
  var MAX_SAVED = 1e6; // characters: far more than any real progress and reflection
  var STATE_KEYS = ["hash", "node", "flags", "visited", "used", "history", "pending", "reflection"];
  var STEP_KEYS = ["node", "choice", "flags", "visited", "used"];
  var START_AGAIN = ", so it starts again from the beginning.";

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isObj(x) { return !!x && typeof x === "object" && !Array.isArray(x); }
  function only(o, keys) { return isObj(o) && Object.keys(o).every(function (k) { return keys.indexOf(k) >= 0; }); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function button(label, cls, onClick) {
    var b = el("button", { type: "button", className: "md-button essw-btn " + (cls || ""), text: label });
    b.addEventListener("click", onClick);
    return b;
  }

  /* Conditions are data: {flag, op, value}, {visited}, {not_visited}; a list means all of them. */
  function holds(cond, state) {
    if (!cond) return true;
    if (Array.isArray(cond)) return cond.every(function (c) { return holds(c, state); });
    if (cond.visited) return state.visited.indexOf(cond.visited) >= 0;
    if (cond.not_visited) return state.visited.indexOf(cond.not_visited) < 0;
    var have = Object.prototype.hasOwnProperty.call(state.flags, cond.flag) ? state.flags[cond.flag] : null;
    var want = cond.value === undefined ? true : cond.value;
    // Ordered comparisons are between numbers only; an unset flag counts as lowest (same rule as the checker).
    var numbers = typeof have === "number" && typeof want === "number";
    switch (cond.op || "==") {
      case "==": return have === want;
      case "!=": return have !== want;
      case ">": return numbers && have > want;
      case ">=": return numbers && have >= want;
      case "<": return have === null || (numbers && have < want);
      case "<=": return have === null || (numbers && have <= want);
    }
    return false;
  }

  function Player(root) {
    this.root = root;
    this.data = JSON.parse(root.getAttribute("data-case"));
    this.key = STORE + this.data.id;
    this.sections = Object.create(null);
    var self = this, nodes = this.data.nodes, values = this.flagValues = Object.create(null);
    (root.esswScenes ? root.esswScenes.nodes : Array.prototype.slice.call(root.querySelectorAll("section.essw-node")))
      .forEach(function (s) { if (s.matches("section.essw-node")) self.sections[s.getAttribute("data-node")] = s; });
    // Every value a choice can give each flag: saved flags must be among them.
    Object.keys(nodes).forEach(function (n) {
      nodes[n].choices.forEach(function (c) {
        Object.keys(c.set || {}).forEach(function (k) { (values[k] = values[k] || []).push(c.set[k]); });
      });
    });
    this.build();
    this.state = this.load() || this.fresh();
    try { this.render(false); } catch (e) {
      // Never a dead player: whatever went wrong, start again from the beginning.
      this.discard("Your saved progress for this case could not be used" + START_AGAIN);
      this.state = this.fresh();
      this.render(false);
    }
  }

  Player.prototype.fresh = function () {
    return { hash: this.data.hash, node: this.data.start, flags: {}, visited: [this.data.start], used: [], history: [], pending: null };
  };

  Player.prototype.discard = function (notice) {
    try { window.localStorage.removeItem(this.key); } catch (e) { /* ignore */ }
    this.notice = notice;
    return null;
  };

  /* Saved progress is untrusted text: it is used only if it is exactly the shape this engine writes, and
   * every node, choice and flag in it exists in this case; anything else is thrown away. */
  Player.prototype.load = function () {
    var raw, saved = null, ok = false;
    try { raw = window.localStorage.getItem(this.key); } catch (e) { return null; }
    if (raw === null) return null;
    try {
      saved = raw.length <= MAX_SAVED ? JSON.parse(raw) : null;
      if (isObj(saved) && saved.hash !== this.data.hash && typeof saved.hash === "string") {
        return this.discard("This case has changed since you last played it" + START_AGAIN);
      }
      ok = this.valid(saved);
    } catch (e) { ok = false; }
    if (!ok) return this.discard("Your saved progress for this case could not be read" + START_AGAIN);
    saved.pending = saved.pending || null;
    this.notice = saved.history.length ? "Welcome back: you are where you left off." : "";
    return saved;
  };

  Player.prototype.valid = function (s) {
    var nodes = this.data.nodes, values = this.flagValues, names = Object.keys(nodes), choices = 0;
    names.forEach(function (n) { choices += nodes[n].choices.length; });
    function node(n) { return typeof n === "string" && has(nodes, n); }
    function choice(n, i) {
      return node(n) && typeof i === "number" && i % 1 === 0 && i >= 0 && i < nodes[n].choices.length;
    }
    function set(a, max, ok) { // an array of distinct valid entries
      return Array.isArray(a) && a.length <= max && a.every(function (x, i) { return ok(x) && a.indexOf(x) === i; });
    }
    function visited(a) { return set(a, names.length, node); }
    function used(a) {
      return set(a, choices, function (u) {
        var m = typeof u === "string" && /^([a-z0-9-]+)\/(\d+)$/.exec(u);
        return !!m && choice(m[1], +m[2]) && nodes[m[1]].choices[+m[2]].once === true;
      });
    }
    function flags(f) {
      return isObj(f) && Object.keys(f).every(function (k) { return has(values, k) && values[k].indexOf(f[k]) >= 0; });
    }
    // The history must be a walk from the start: each step where the one before it led.
    var history = s && s.history, p = s && s.pending, at = this.data.start, last;
    return only(s, STATE_KEYS) && s.hash === this.data.hash && node(s.node) &&
      visited(s.visited) && s.visited.indexOf(s.node) >= 0 && used(s.used) && flags(s.flags) &&
      (s.reflection === undefined || typeof s.reflection === "string") &&
      Array.isArray(history) && history.every(function (h) {
        var ok = only(h, STEP_KEYS) && h.node === at && choice(h.node, h.choice) && flags(h.flags) &&
          (h.visited === undefined || visited(h.visited)) && (h.used === undefined || used(h.used));
        if (ok) { last = h; at = nodes[h.node].choices[h.choice].goto; }
        return ok;
      }) &&
      (p === null || p === undefined ? at === s.node : only(p, ["from", "index"]) && !!last &&
        last.node === s.node && p.from === s.node && p.index === last.choice);
  };

  Player.prototype.save = function () {
    try { window.localStorage.setItem(this.key, JSON.stringify(this.state)); } catch (e) { /* private mode: play on */ }
  };

  Player.prototype.build = function () {
    var self = this;
    this.root.classList.add("essw-js");
    this.progress = el("progress", { className: "essw-progress", max: "100", value: "0", "aria-label": "Progress through the case" });
    this.progressText = el("p", { className: "essw-progress-text" });
    this.stage = el("div", { className: "essw-stage" });
    this.live = el("div", { className: "essw-live md-visually-hidden", "aria-live": "polite", role: "status" });
    this.noticeBox = el("p", { className: "essw-notice" });
    this.controls = el("div", { className: "essw-controls" }, [
      this.backBtn = button("Go back one step", "essw-back", function () { self.back(); }),
      button("Restart the case", "essw-restart", function () { self.restart(); })
    ]);
    this.player = el("div", { className: "essw-player" }, [this.progressText, this.progress, this.noticeBox, this.live, this.stage, this.controls]);
    this.root.insertBefore(this.player, this.root.firstChild);
  };

  Player.prototype.visibleChoices = function (name) {
    var state = this.state;
    return this.data.nodes[name].choices.map(function (c, i) { return { c: c, i: i }; }).filter(function (x) {
      if (x.c.once && state.used.indexOf(name + "/" + x.i) >= 0) return false;
      return holds(x.c.when, state);
    });
  };

  Player.prototype.nodeContent = function (name) {
    var section = this.sections[name];
    var copy = el("div", { className: "essw-step" });
    var state = this.state;
    Array.prototype.forEach.call(section.children, function (child) {
      if (child.classList.contains("essw-choices") || child.classList.contains("essw-choices-title")) return;
      if (child.classList.contains("essw-variant")) {
        if (!holds(JSON.parse(child.getAttribute("data-when")), state)) return;
        var v = child.cloneNode(true);
        var label = v.querySelector(".essw-variant-label");
        if (label) label.remove();
        copy.appendChild(v);
        return;
      }
      copy.appendChild(child.cloneNode(true));
    });
    copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    copy.querySelectorAll("a.headerlink").forEach(function (n) { n.remove(); });
    var heading = copy.querySelector("h2, h3, h4");
    if (heading) heading.setAttribute("tabindex", "-1");
    return copy;
  };

  Player.prototype.feedbackHtml = function (name, index) {
    var fb = this.sections[name].querySelector('[data-choice="' + index + '"] .essw-feedback');
    return fb ? fb.cloneNode(true) : el("p", { text: "" });
  };

  Player.prototype.render = function (moveFocus) {
    var self = this, state = this.state, node = this.data.nodes[state.node];
    var turn = this.turn = this.turns = (this.turns || 0) + 1;
    // A choice or Continue acts once, and only while its step is showing: a double click, a script's
    // repeated click() or a button left over from an earlier step does nothing.
    function act(fn) {
      return function () {
        if (self.turn !== turn) return;
        self.stage.querySelectorAll(".essw-choice-btn, .essw-continue").forEach(function (b) { b.disabled = true; });
        self.turn = 0;
        fn();
        if (!self.turn) self.render(false); // nothing happened: show the step again
      };
    }
    this.stage.innerHTML = "";
    var steps = state.history.length;
    var left = has(this.data.distance, state.node) ? this.data.distance[state.node] : 0;
    this.progress.value = Math.round(100 * steps / Math.max(1, steps + left));
    this.progressText.textContent = node.kind === "end" ? "Case complete: " + steps + " decisions made."
      : "Decision " + (steps + 1) + " (about " + left + " more to an ending)";
    this.backBtn.disabled = steps === 0 && !state.pending;
    this.noticeBox.textContent = this.notice || "";
    if (this.notice) { this.live.textContent = this.notice; this.notice = ""; }

    if (state.pending) {
      var p = state.pending, choice = this.data.nodes[p.from].choices[p.index];
      var box = el("div", { className: "essw-feedback-box essw-rating-" + (choice.rating || "none") }, [
        el("h3", { tabindex: "-1", text: "You chose: " + choice.label }),
        choice.rating ? el("p", { className: "essw-rating-label", text: "Practice rating: " + RATING[choice.rating] }) : null,
        this.feedbackHtml(p.from, p.index),
        button("Continue", "md-button--primary essw-continue", act(function () { self.proceed(); }))
      ]);
      this.stage.appendChild(box);
      this.live.textContent = "You chose: " + choice.label.replace(/[.!?]+$/, "") + ". " + (choice.rating ? "Practice rating: " + RATING[choice.rating] + ". " : "") + box.querySelector(".essw-feedback").textContent;
      if (moveFocus) box.querySelector("h3").focus();
      return;
    }
    var content = this.nodeContent(state.node);
    this.stage.appendChild(content);
    if (node.kind === "end") {
      this.stage.appendChild(this.summary());
    } else {
      var list = el("div", { className: "essw-choice-buttons", role: "group", "aria-label": "What do you do?" });
      this.visibleChoices(state.node).forEach(function (x) {
        list.appendChild(button(x.c.label, "essw-choice-btn", act(function () { self.choose(x.i); })));
      });
      this.stage.appendChild(el("p", { className: "essw-ask", text: "What do you do?" }));
      this.stage.appendChild(list);
    }
    if (moveFocus) {
      var h = content.querySelector("[tabindex='-1']");
      if (h) h.focus();
    }
  };

  Player.prototype.choose = function (index) {
    var state = this.state, choice = this.data.nodes[state.node].choices[index];
    // One decision per step: nothing while feedback is pending, nor for a choice that is not on offer.
    if (state.pending || !this.visibleChoices(state.node).some(function (x) { return x.i === index; })) return;
    state.pending = { from: state.node, index: index };
    state.history.push({ node: state.node, choice: index, flags: JSON.parse(JSON.stringify(state.flags)),
      visited: state.visited.slice(), used: state.used.slice() });
    if (choice.once) state.used.push(state.node + "/" + index);
    Object.keys(choice.set || {}).forEach(function (k) { state.flags[k] = choice.set[k]; });
    this.save();
    this.render(true);
  };

  Player.prototype.proceed = function () {
    var state = this.state, p = state.pending;
    if (!p) return;
    state.node = this.data.nodes[p.from].choices[p.index].goto;
    if (state.visited.indexOf(state.node) < 0) state.visited.push(state.node);
    state.pending = null;
    this.save();
    this.render(true);
  };

  Player.prototype.back = function () {
    var state = this.state, last = state.history.pop();
    if (!last) return;
    // Restore exactly the state from before that choice.
    state.visited = last.visited || state.visited;
    state.used = last.used || state.used;
    state.flags = last.flags;
    state.node = last.node;
    state.pending = null;
    this.save();
    this.live.textContent = "Went back one step.";
    this.render(true);
  };

  Player.prototype.restart = function () {
    this.state = this.fresh();
    try { window.localStorage.removeItem(this.key); } catch (e) { /* ignore */ }
    this.live.textContent = "The case has started again.";
    this.render(true);
  };

  Player.prototype.path = function () {
    var data = this.data;
    return this.state.history.map(function (h) {
      var c = data.nodes[h.node].choices[h.choice];
      return { step: data.nodes[h.node].title, choice: c.label, rating: c.rating || "" };
    });
  };

  Player.prototype.summary = function () {
    var self = this, path = this.path(), counts = { strong: 0, acceptable: 0, risky: 0 };
    path.forEach(function (p) { if (counts[p.rating] !== undefined) counts[p.rating] += 1; });
    var list = el("ol", { className: "essw-path" });
    path.forEach(function (p) {
      list.appendChild(el("li", {}, [el("span", { text: p.step + ": " + p.choice }),
        p.rating ? el("span", { className: "essw-badge essw-rating-" + p.rating, text: " " + RATING[p.rating] }) : null]));
    });
    var reflection = el("textarea", { id: "essw-reflection-" + this.data.id, rows: "4", className: "essw-reflection" });
    reflection.value = this.state.reflection || "";
    reflection.addEventListener("input", function () { self.state.reflection = reflection.value; self.save(); });
    return el("div", { className: "essw-summary" }, [
      el("h3", { text: "Your path through the case" }),
      list,
      el("p", { className: "essw-counts", text: "Practice ratings: " + counts.strong + " strong, " + counts.acceptable + " acceptable, " + counts.risky + " risky." }),
      el("label", { "for": reflection.id, text: "Your reflection (optional; it stays on this device)" }),
      reflection,
      el("p", {}, [button("Download CPD record", "essw-cpd", function () { self.download(); })])
    ]);
  };

  /* Text for the CPD record that can make no Markdown structure: Markdown's punctuation is escaped, '<' and
   * '&' cannot start HTML or an entity, and a line cannot begin a list, heading underline or fence. */
  function md(text) {
    return String(text).trim().replace(/[\\`*_#>\[\]()!|]|&(?=[#\w])|</g, function (c) {
      return c === "<" ? "&lt;" : c === "&" ? "&amp;" : "\\" + c;
    }).replace(/^[-+=~]/, "\\$&").replace(/^(\d+)\./, "$1\\.");
  }

  function line(text) { return md(String(text).replace(/\s+/g, " ")); }

  Player.prototype.record = function () {
    var d = this.data, lines = [], reflection = (this.state.reflection || "").trim();
    lines.push("# CPD record: " + line(d.title), "");
    lines.push("Date: " + new Date().toISOString().slice(0, 10));
    lines.push("Case: " + line(d.title) + " (" + d.id + ")");
    lines.push("Ending reached: " + line(d.nodes[this.state.node].title), "");
    lines.push("## Learning outcomes", "");
    d.outcomes.forEach(function (o) { lines.push("- " + line(o)); });
    lines.push("", "## Path taken and practice ratings", "");
    this.path().forEach(function (p, i) {
      lines.push((i + 1) + ". " + line(p.step) + ": " + line(p.choice) + (p.rating ? " [" + RATING[p.rating] + "]" : ""));
    });
    // The reflection is a quote: every line starts '> ', so none can be a heading, a list or a 'Date:' line.
    lines.push("", "## Reflection", "", reflection ? reflection.split(/\r\n?|\n/).map(function (l) {
      l = md(l);
      return l ? "> " + l : ">";
    }).join("\n") : "(none written)", "");
    lines.push("Made in the browser from the School Social Work Knowledge Base; nothing was sent anywhere.");
    return lines.join("\n") + "\n";
  };

  Player.prototype.download = function () {
    var blob = new Blob([this.record()], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "cpd-record-" + this.data.id + "-" + new Date().toISOString().slice(0, 10) + ".md" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    this.live.textContent = "Your CPD record has been downloaded.";
  };

  /* The page holds every scene, for readers without JavaScript and for print. Where the player runs,
   * they are taken out of the page as soon as this script runs, before the theme starts, so neither
   * the browser nor the theme styles, lays out or watches hundreds of hidden elements (issue 13:
   * Lighthouse's blocking time on the Abdi page, about 540 ms with them, about 70 ms without). They
   * come back for print, and for good if the player cannot start. */
  function detachScenes(root) {
    if (root.esswScenes || root.esswPlayer) return;
    var scenes = Array.prototype.filter.call(root.children, function (c) {
      return c.matches("section.essw-node, .essw-static");
    });
    if (!scenes.length) return;
    var marker = document.createComment(" every scene of the case: shown for print ");
    root.insertBefore(marker, scenes[0]);
    scenes.forEach(function (s) { s.remove(); });
    root.esswScenes = { marker: marker, nodes: scenes, shown: false };
  }

  function showScenes(root, show) {
    var held = root.esswScenes;
    if (!held || held.shown === show) return;
    held.shown = show;
    if (show) {
      var after = held.marker.nextSibling;
      held.nodes.forEach(function (s) { root.insertBefore(s, after); });
    } else {
      held.nodes.forEach(function (s) { s.remove(); });
    }
  }

  function eachCase(fn) { Array.prototype.forEach.call(document.querySelectorAll(".essw-case"), fn); }

  function init() {
    eachCase(function (root) {
      if (root.esswPlayer) return;
      detachScenes(root);
      try { root.esswPlayer = new Player(root); } catch (e) {
        root.classList.remove("essw-js");
        showScenes(root, true);
        root.esswScenes = null;
      }
    });
  }

  function forPrint(printing) { eachCase(function (root) { if (root.esswPlayer) showScenes(root, printing); }); }
  window.addEventListener("beforeprint", function () { forPrint(true); });
  window.addEventListener("afterprint", function () { forPrint(false); });
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  if (printMedia && printMedia.addEventListener) printMedia.addEventListener("change", function (e) { forPrint(e.matches); });

  eachCase(detachScenes);

  // Material's instant navigation swaps pages without a reload and announces each via document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
