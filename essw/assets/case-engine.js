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
    this.sections = {};
    var self = this;
    root.querySelectorAll("section.essw-node").forEach(function (s) { self.sections[s.getAttribute("data-node")] = s; });
    this.build();
    this.state = this.load() || this.fresh();
    this.render(false);
  }

  Player.prototype.fresh = function () {
    return { hash: this.data.hash, node: this.data.start, flags: {}, visited: [this.data.start], used: [], history: [], pending: null };
  };

  Player.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.key) || "null");
      if (!saved) return null;
      if (saved.hash !== this.data.hash || !this.data.nodes[saved.node]) {
        window.localStorage.removeItem(this.key);
        this.notice = "This case has changed since you last played it, so it starts again from the beginning.";
        return null;
      }
      this.notice = saved.history.length ? "Welcome back: you are where you left off." : "";
      return saved;
    } catch (e) { return null; }
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
    this.stage.innerHTML = "";
    var steps = state.history.length;
    var left = this.data.distance[state.node] || 0;
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
        button("Continue", "md-button--primary essw-continue", function () { self.proceed(); })
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
        list.appendChild(button(x.c.label, "essw-choice-btn", function () { self.choose(x.i); }));
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

  Player.prototype.record = function () {
    var d = this.data, lines = [];
    lines.push("# CPD record: " + d.title, "");
    lines.push("Date: " + new Date().toISOString().slice(0, 10));
    lines.push("Case: " + d.title + " (" + d.id + ")");
    lines.push("Ending reached: " + d.nodes[this.state.node].title, "");
    lines.push("## Learning outcomes", "");
    d.outcomes.forEach(function (o) { lines.push("- " + o); });
    lines.push("", "## Path taken and practice ratings", "");
    this.path().forEach(function (p, i) { lines.push((i + 1) + ". " + p.step + ": " + p.choice + (p.rating ? " [" + RATING[p.rating] + "]" : "")); });
    lines.push("", "## Reflection", "", (this.state.reflection || "").trim() || "(none written)", "");
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

  function init() {
    document.querySelectorAll(".essw-case").forEach(function (root) {
      if (root.esswPlayer) return;
      try { root.esswPlayer = new Player(root); } catch (e) { root.classList.remove("essw-js"); }
    });
  }

  // Material's instant navigation swaps pages without a reload and announces each via document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
