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
  var STATE_KEYS = ["hash", "node", "flags", "visited", "used", "history", "pending", "reflection",
    "change", "peer", "started", "seconds"];
  var NOTES = ["reflection", "change", "peer"]; // what the learner writes: kept on restart unless they say
  var LEARNER = "essw-learner"; // name and role for CPD records, shared by every case on this device
  var IDLE = 5 * 60 * 1000; // a gap longer than this between actions counts as 5 minutes, not as study
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
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
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function today() {
    var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }

  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? +m[3] + " " + MONTHS[+m[2] - 1] + " " + m[1] : "";
  }

  /* The progress line's rule, shared with the checker (casegraph.progress_shown): made / (made + left),
   * rounded down, never below the best shown so far on this path. */
  function progressShown(made, left, best) {
    var total = made + left;
    return [Math.max(best, total === 0 ? 100 : Math.floor(100 * made / total)), total];
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

  Player.prototype.fresh = function (keep) {
    var state = { hash: this.data.hash, node: this.data.start, flags: {}, visited: [this.data.start], used: [],
      history: [], pending: null, started: today(), seconds: 0 };
    NOTES.forEach(function (k) { if (keep && typeof keep[k] === "string" && keep[k]) state[k] = keep[k]; });
    return state;
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
      NOTES.every(function (k) { return s[k] === undefined || typeof s[k] === "string"; }) &&
      (s.started === undefined || (typeof s.started === "string" && !!longDate(s.started))) &&
      (s.seconds === undefined || (typeof s.seconds === "number" && s.seconds % 1 === 0 && s.seconds >= 0 && s.seconds <= 1e7)) &&
      Array.isArray(history) && history.every(function (h) {
        var ok = only(h, STEP_KEYS) && h.node === at && choice(h.node, h.choice) && flags(h.flags) &&
          (h.visited === undefined || visited(h.visited)) && (h.used === undefined || used(h.used));
        if (ok) { last = h; at = nodes[h.node].choices[h.choice].goto; }
        return ok;
      }) &&
      (p === null || p === undefined ? at === s.node : only(p, ["from", "index"]) && !!last &&
        last.node === s.node && p.from === s.node && p.index === last.choice);
  };

  /* A fresh start with nothing written is not stored: the device keeps only what the learner made. */
  Player.prototype.save = function () {
    var state = this.state, worth = state.history.length || state.pending || NOTES.some(function (k) { return state[k]; });
    try {
      if (worth) window.localStorage.setItem(this.key, JSON.stringify(state));
      else window.localStorage.removeItem(this.key);
    } catch (e) { /* private mode: play on */ }
  };

  /* Time spent, for the CPD record: the time between the learner's actions while the page is in view,
   * a long pause counting as at most IDLE. Measured here, never sent anywhere. */
  Player.prototype.tick = function () {
    var now = Date.now();
    if (this.since !== null) this.state.seconds = (this.state.seconds || 0) + Math.round(Math.min(now - this.since, IDLE) / 1000);
    this.since = document.visibilityState === "hidden" ? null : now;
  };

  /* The learner's name and role, typed once for every CPD record on this device; untrusted when read back. */
  function loadLearner() {
    try {
      var raw = window.localStorage.getItem(LEARNER), v = raw && raw.length < 2000 ? JSON.parse(raw) : null;
      if (only(v, ["name", "role"]) && ["name", "role"].every(function (k) { return v[k] === undefined || (typeof v[k] === "string" && v[k].length <= 200); })) return v;
      if (raw !== null) window.localStorage.removeItem(LEARNER);
    } catch (e) { /* ignore */ }
    return {};
  }

  function saveLearner(v) {
    try { window.localStorage.setItem(LEARNER, JSON.stringify(v)); } catch (e) { /* private mode */ }
  }

  /* Screen readers hear each choice and each notice once: one polite region, set once per event. A notice
   * made while the page loads is set a moment later, once the region is known to assistive technology. */
  Player.prototype.announce = function (text, later) {
    var live = this.live;
    clearTimeout(this.announcing);
    if (later) this.announcing = setTimeout(function () { live.textContent = text; }, 700);
    else live.textContent = text;
  };

  Player.prototype.build = function () {
    var self = this;
    this.root.classList.add("essw-js");
    this.progress = el("progress", { className: "essw-progress", max: "100", value: "0", "aria-label": "Progress through the case" });
    this.since = Date.now();
    document.addEventListener("visibilitychange", function () { if (self.state) { self.tick(); self.save(); } });
    this.progressText = el("p", { className: "essw-progress-text" });
    this.stage = el("div", { className: "essw-stage" });
    this.live = el("div", { className: "essw-live md-visually-hidden", "aria-live": "polite", role: "status" });
    this.noticeBox = el("p", { className: "essw-notice" });
    this.confirmBox = el("div", { className: "essw-confirm", hidden: "" });
    this.controls = el("div", { className: "essw-controls" }, [
      this.backBtn = button("Go back one step", "essw-back", function () { self.back(); }),
      this.restartBtn = button("Restart the case", "essw-restart", function () { self.askRestart(); })
    ]);
    this.player = el("div", { className: "essw-player", id: "your-path" }, [this.progressText, this.progress, this.noticeBox, this.live, this.stage, this.controls, this.confirmBox]);
    this.root.insertBefore(this.player, this.root.firstChild);
    this.outline();
  };

  /* No spoilers: while the player runs, the page's contents lists the case's outline, not every scene and
   * ending (their links would lead nowhere: the scenes are out of the page). Print and no-JavaScript
   * readers keep the full list. */
  Player.prototype.outline = function () {
    var ids = Object.create(null);
    Object.keys(this.sections).forEach(function (n) {
      Array.prototype.forEach.call(this.sections[n].querySelectorAll("[id]"), function (h) { ids["#" + h.id] = true; });
      ids["#" + this.sections[n].id] = true;
    }, this);
    var links = Array.prototype.filter.call(document.querySelectorAll(".md-nav--secondary a.md-nav__link"),
      function (a) { return ids[a.getAttribute("href")] === true; });
    links.forEach(function (a) {
      var li = a.closest("li");
      if (li) li.hidden = true;
      var nav = li && li.parentElement && li.parentElement.closest("nav.md-nav");
      if (nav && !nav.querySelector("li:not([hidden])")) nav.hidden = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll('.md-nav--secondary a.md-nav__link[href="#the-case"]'), function (a) {
      var li = a.closest("li");
      if (!li || li.parentElement.querySelector('a[href="#your-path"]')) return;
      var mine = li.cloneNode(false);
      mine.hidden = false;
      mine.appendChild(el("a", { href: "#your-path", className: "md-nav__link" }, [el("span", { className: "md-ellipsis", text: "Your path" })]));
      li.parentElement.insertBefore(mine, li.nextSibling);
    });
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
      if (child.classList.contains("essw-choices") || child.classList.contains("essw-choices-title") ||
          child.classList.contains("essw-discuss")) return; // group questions are for facilitator mode
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

  /* Focus the step's heading and keep it whole below the sticky header (the browser's own scroll on focus
   * leaves it partly under the header). */
  function stickyBottom() { // the header, and the quick exit bar that sticks below it on some pages
    var bottom = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".md-header, [data-essw-exit]"), function (bar) {
      var box = bar.getBoundingClientRect();
      if (box.height && box.top <= bottom + 1) bottom = Math.max(bottom, box.bottom);
    });
    return bottom;
  }

  function focusBelowHeader(target) {
    target.focus({ preventScroll: true });
    var top = stickyBottom() + 16;
    var box = target.getBoundingClientRect();
    if (box.top < top || box.bottom > window.innerHeight) window.scrollBy({ top: box.top - top, left: 0, behavior: "instant" });
  }

  Player.prototype.leftAt = function (name) {
    var left = has(this.data.left, name) ? this.data.left[name] : 0;
    return this.data.nodes[name].kind === "end" ? 0 : Math.max(1, left);
  };

  /* Progress on the screen showing now, replayed along the path so it never moves back as the learner goes
   * on: [decision number, estimated total, percentage]. */
  Player.prototype.progressNow = function () {
    var self = this, d = this.data, h = this.state.history, best = 0, shown;
    h.forEach(function (step, i) {
      best = progressShown(i, self.leftAt(step.node), best)[0];
      best = progressShown(i + 1, self.leftAt(d.nodes[step.node].choices[step.choice].goto), best)[0];
    });
    if (this.state.pending) {
      var last = h[h.length - 1];
      shown = progressShown(h.length, this.leftAt(d.nodes[last.node].choices[last.choice].goto), best);
      return [h.length, shown[1], shown[0]];
    }
    shown = progressShown(h.length, this.leftAt(this.state.node), best);
    return [h.length + 1, shown[1], shown[0]];
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
    this.recordShown = false;
    var steps = state.history.length, now = this.progressNow();
    this.progress.value = now[2];
    this.progressText.textContent = node.kind === "end" && !state.pending ? "Case complete: " + steps + " decisions made."
      : state.pending ? (now[1] === now[0] ? "Decision " + now[0] + ", the last one: feedback" : "Decision " + now[0] + " of about " + now[1] + ": feedback")
      : "Decision " + now[0] + " of about " + now[1];
    this.backBtn.disabled = steps === 0 && !state.pending;
    this.noticeBox.textContent = this.notice || "";
    if (this.notice) { this.announce(this.notice, !moveFocus); this.notice = ""; }

    if (state.pending) {
      var p = state.pending, choice = this.data.nodes[p.from].choices[p.index];
      var box = el("div", { className: "essw-feedback-box essw-rating-" + (choice.rating || "none") }, [
        // A short heading takes the focus, so it fits below the header even at 400% zoom.
        el("h3", { tabindex: "-1", text: "Feedback on your choice" }),
        el("p", { className: "essw-you-chose", text: "You chose: " + choice.label }),
        choice.rating ? el("p", { className: "essw-rating-label", text: "Practice rating: " + RATING[choice.rating] }) : null,
        this.feedbackHtml(p.from, p.index),
        button("Continue", "md-button--primary essw-continue", act(function () { self.proceed(); }))
      ]);
      this.stage.appendChild(box);
      // The region says what was chosen and its rating, once; the focused heading does not repeat it.
      if (moveFocus) {
        this.announce("You chose: " + choice.label.replace(/[.!?]+$/, "") + "." + (choice.rating ? " Practice rating: " + RATING[choice.rating] + "." : ""));
        focusBelowHeader(box.querySelector("h3"));
      }
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
      if (h) focusBelowHeader(h);
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
    this.tick();
    this.save();
    this.render(true);
  };

  Player.prototype.proceed = function () {
    var state = this.state, p = state.pending;
    if (!p) return;
    state.node = this.data.nodes[p.from].choices[p.index].goto;
    if (state.visited.indexOf(state.node) < 0) state.visited.push(state.node);
    state.pending = null;
    this.tick();
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
    this.tick();
    this.save();
    this.announce("Went back one step.");
    this.render(true);
  };

  /* Nothing lost by one tap: Restart asks first, and keeps what the learner wrote unless they say otherwise. */
  Player.prototype.askRestart = function () {
    var self = this, box = this.confirmBox, id = "essw-restart-q-" + this.data.id;
    var wrote = NOTES.some(function (k) { return (self.state[k] || "").trim(); });
    var drop = el("input", { type: "checkbox", id: id + "-drop", className: "essw-drop-notes" });
    var question = el("p", { id: id, tabindex: "-1", className: "essw-confirm-q" }, [
      el("strong", { text: "Start this case again from the beginning?" }),
      document.createTextNode(" Your choices so far will be cleared.")]);
    box.innerHTML = "";
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", id);
    box.appendChild(question);
    if (wrote) box.appendChild(el("p", { className: "essw-confirm-notes" }, [drop,
      el("label", { "for": drop.id, text: " Also delete what I wrote (my reflection and notes)" })]));
    box.appendChild(el("p", { className: "essw-confirm-buttons" }, [
      button("Yes, start again", "md-button--primary essw-restart-yes", function () { self.restart(drop.checked); }),
      button("No, keep my place", "essw-restart-no", function () { self.closeRestart(true); })]));
    box.hidden = false;
    this.restartBtn.setAttribute("aria-expanded", "true");
    focusBelowHeader(question);
  };

  Player.prototype.closeRestart = function (refocus) {
    this.confirmBox.hidden = true;
    this.confirmBox.innerHTML = "";
    this.restartBtn.setAttribute("aria-expanded", "false");
    if (refocus) this.restartBtn.focus();
  };

  Player.prototype.restart = function (dropNotes) {
    this.closeRestart(false);
    this.state = this.fresh(dropNotes ? null : this.state);
    this.since = Date.now();
    this.save();
    this.announce(dropNotes ? "The case has started again. What you wrote was deleted." : "The case has started again.");
    this.render(true);
  };

  Player.prototype.path = function () {
    var data = this.data;
    return this.state.history.map(function (h) {
      var c = data.nodes[h.node].choices[h.choice];
      return { step: data.nodes[h.node].title, choice: c.label, rating: c.rating || "" };
    });
  };

  Player.prototype.counts = function () {
    var counts = { strong: 0, acceptable: 0, risky: 0 };
    this.path().forEach(function (p) { if (counts[p.rating] !== undefined) counts[p.rating] += 1; });
    return "Practice ratings: " + counts.strong + " strong, " + counts.acceptable + " acceptable, " + counts.risky + " risky.";
  };

  /* A text box for what the learner writes, saved on this device as they type. */
  Player.prototype.note = function (key, label, hint) {
    var self = this, id = "essw-" + key + "-" + this.data.id;
    var box = el("textarea", { id: id, rows: "4", className: "essw-" + key + " essw-note" });
    box.value = this.state[key] || "";
    box.addEventListener("input", function () { self.state[key] = box.value; self.save(); });
    return el("div", { className: "essw-field" }, [el("label", { "for": id, text: label }),
      hint ? el("p", { className: "essw-hint", id: id + "-hint", text: hint }) : null, box]);
  };

  Player.prototype.learnerField = function (key, label) {
    var id = "essw-learner-" + key + "-" + this.data.id, input = el("input", { id: id, type: "text", className: "essw-learner-" + key, autocomplete: key === "name" ? "name" : "organization-title" });
    input.value = loadLearner()[key] || "";
    input.addEventListener("input", function () { var v = loadLearner(); v[key] = input.value.slice(0, 200); saveLearner(v); });
    return el("div", { className: "essw-field" }, [el("label", { "for": id, text: label }), input]);
  };

  Player.prototype.guide = function () {
    try { var g = JSON.parse(this.root.getAttribute("data-cpd-guidance") || "{}"); return isObj(g) ? g : {}; } catch (e) { return {}; }
  };

  Player.prototype.summary = function () {
    var self = this, path = this.path(), guide = this.guide();
    var list = el("ol", { className: "essw-path" });
    path.forEach(function (p) {
      list.appendChild(el("li", {}, [el("span", { text: p.step + ": " + p.choice }),
        p.rating ? el("span", { className: "essw-badge essw-rating-" + p.rating, text: " " + RATING[p.rating] }) : null]));
    });
    return el("div", { className: "essw-summary" }, [
      el("h3", { text: "Your path through the case" }),
      list,
      el("p", { className: "essw-counts", text: this.counts() }),
      el("h3", { text: "Your CPD record" }),
      el("p", {}, [document.createTextNode("Social Work England asks you to record what you did, what you learnt and how it will change your practice, and, for at least one piece of CPD, what you learnt from talking it over with a colleague"),
        guide.url ? document.createTextNode(" (") : null,
        guide.url ? el("a", { href: guide.url, text: guide.title }) : null,
        document.createTextNode((guide.url ? ")" : "") + ". Write as much as you like here: it stays on this device, and nothing is sent anywhere.")]),
      this.learnerField("name", "Your name (optional)"),
      this.learnerField("role", "Your role (optional)"),
      this.note("reflection", "What did you learn? (your reflection)"),
      this.note("change", "What will you do differently in your practice?"),
      this.note("peer", "What did you learn from talking this case over with a colleague or in supervision?",
        "Use the questions in the debrief. You can come back and add this after supervision."),
      el("p", { className: "essw-record-buttons" }, [
        button("Show my CPD record", "md-button--primary essw-show-record", function () { self.showRecord(); }),
        button("Download CPD record (Markdown)", "essw-cpd", function () { self.download(); })])
    ]);
  };

  /* The ending's debrief, read from the page's own section (the text is the author's, already rendered). */
  Player.prototype.debrief = function () {
    var box = this.sections[this.state.node].querySelector(".essw-debrief");
    var out = { good: "", protocols: [], questions: [] };
    if (!box) return out;
    Array.prototype.forEach.call(box.querySelectorAll("p"), function (p) {
      var label = p.querySelector("strong"), text = p.textContent.replace(/\s+/g, " ").trim();
      if (!label) return;
      var name = label.textContent.trim(), rest = text.slice(name.length).trim();
      if (/^What good practice/.test(name)) out.good = rest;
      else if (/^Protocols/.test(name)) out.protocols = Array.prototype.map.call(p.querySelectorAll("a"), function (a) { return a.textContent.trim(); });
    });
    out.questions = Array.prototype.map.call(box.querySelectorAll("li"), function (li) { return li.textContent.replace(/\s+/g, " ").trim(); });
    return out;
  };

  /* Everything the CPD record holds, in the order of Social Work England's CPD form (the type and
   * description of the activity, its date, what was learnt, the impact on practice, peer reflection),
   * with the case's own learning outcomes, path and debrief. Plain text only: the page and the Markdown
   * file are both made from it. */
  Player.prototype.recordParts = function () {
    var d = this.data, learner = loadLearner(), site = (document.title.split(" - ").pop() || "").trim();
    var minutes = Math.max(1, Math.round((this.state.seconds || 0) / 60));
    var debrief = this.debrief();
    var guide = this.guide();
    return {
      title: d.title, id: d.id, name: (learner.name || "").trim(), role: (learner.role || "").trim(),
      type: "Self-directed learning: an interactive case study, played through with feedback and a debrief",
      activity: "Played through the case study '" + d.title + "'" + (site ? " (" + site + ")" : "") + ".",
      started: this.state.started || today(), finished: today(), minutes: minutes,
      ending: d.nodes[this.state.node].title, outcomes: d.outcomes, path: this.path(), counts: this.counts(),
      debrief: debrief, reflection: (this.state.reflection || "").trim(), change: (this.state.change || "").trim(),
      peer: (this.state.peer || "").trim(), guide: guide
    };
  };

  function guideWords(guide) {
    return "The record follows the parts asked for in " + (guide.publisher ? guide.publisher + "'s " : "") + "'" + guide.title + "'.";
  }

  Player.prototype.showRecord = function () {
    var self = this, r = this.recordParts(), stage = this.stage;
    function para(label, text) { return el("p", {}, [el("strong", { text: label + ": " }), document.createTextNode(text)]); }
    function said(text, none) {
      return text ? el("blockquote", {}, text.split(/\r\n?|\n/).map(function (l) { return el("p", { text: l }); }))
        : el("p", { className: "essw-hint", text: none });
    }
    function items(tag, list, fn) { var l = el(tag, {}); list.forEach(function (x) { l.appendChild(el("li", { text: fn ? fn(x) : x })); }); return l; }
    var heading = el("h2", { tabindex: "-1", text: "CPD record: " + r.title });
    var record = el("section", { className: "essw-record", "aria-labelledby": "essw-record-title-" + r.id }, [
      heading,
      para("Name", r.name || "(not given)"), para("Role", r.role || "(not given)"),
      para("Type of CPD", r.type), para("Activity", r.activity),
      para("Date", longDate(r.finished) + (r.started !== r.finished ? " (started " + longDate(r.started) + ")" : "")),
      para("Time spent", "about " + r.minutes + " minute" + (r.minutes === 1 ? "" : "s") + ", measured on this device while the case was in use"),
      para("Ending reached", r.ending),
      el("h3", { text: "Learning outcomes" }), items("ul", r.outcomes),
      el("h3", { text: "Path taken and practice ratings" }),
      items("ol", r.path, function (p) { return p.step + ": " + p.choice + (p.rating ? " [" + RATING[p.rating] + "]" : ""); }),
      el("p", { text: r.counts }),
      el("h3", { text: "Debrief" }),
      para("What good practice looked like", r.debrief.good),
      r.debrief.protocols.length ? para("Protocols that applied", r.debrief.protocols.join("; ")) : null,
      el("h4", { text: "Questions for supervision" }), items("ul", r.debrief.questions),
      el("h3", { text: "What I learnt" }), said(r.reflection, "(nothing written)"),
      el("h3", { text: "What I will do differently in my practice" }), said(r.change, "(nothing written)"),
      el("h3", { text: "Peer reflection" }), said(r.peer, "(to add after talking the case over with a colleague or in supervision)"),
      el("p", { className: "essw-hint", text: "Made on this device; nothing was sent anywhere." + (r.guide.title ? " " + guideWords(r.guide) : "") }),
      el("p", { className: "essw-record-buttons" }, [
        button("Print or save as PDF", "md-button--primary essw-print-record", function () { window.print(); }),
        button("Download as Markdown", "essw-cpd", function () { self.download(); }),
        button("Back to your path", "essw-record-back", function () { self.render(true); })])
    ]);
    heading.id = "essw-record-title-" + r.id;
    stage.innerHTML = "";
    stage.appendChild(record);
    this.recordShown = true;
    focusBelowHeader(heading);
  };

  /* Text for the CPD record that can make no Markdown structure: Markdown's punctuation is escaped, '<' and
   * '&' cannot start HTML or an entity, and a line cannot begin a list, heading underline or fence. */
  function md(text) {
    return String(text).trim().replace(/[\\`*_#>\[\]|]|&(?=[#\w])|</g, function (c) {
      return c === "<" ? "&lt;" : c === "&" ? "&amp;" : "\\" + c;
    }).replace(/^[-+=~]/, "\\$&").replace(/^(\d+)\./, "$1\\.");
  }

  function line(text) { return md(String(text).replace(/\s+/g, " ")); }

  // A quote: every line starts '> ', so none can be a heading, a list or a 'Date:' line.
  function quote(text, none) {
    return text ? text.split(/\r\n?|\n/).map(function (l) { l = md(l); return l ? "> " + l : ">"; }).join("\n") : none;
  }

  Player.prototype.record = function () {
    var r = this.recordParts(), lines = [];
    lines.push("# CPD record: " + line(r.title), "");
    lines.push("Name: " + (r.name ? line(r.name) : "(not given)"), "");
    lines.push("Role: " + (r.role ? line(r.role) : "(not given)"), "");
    lines.push("Type of CPD: " + line(r.type), "");
    lines.push("Activity: " + line(r.activity), "");
    lines.push("Date: " + r.finished, "");
    if (r.started !== r.finished) lines.push("Started on " + r.started, "");
    lines.push("Time spent: about " + r.minutes + " minute" + (r.minutes === 1 ? "" : "s") + ", measured on this device while the case was in use", "");
    lines.push("Ending reached: " + line(r.ending), "");
    lines.push("## Learning outcomes", "");
    r.outcomes.forEach(function (o) { lines.push("- " + line(o)); });
    lines.push("", "## Path taken and practice ratings", "");
    r.path.forEach(function (p, i) {
      lines.push((i + 1) + ". " + line(p.step) + ": " + line(p.choice) + (p.rating ? " [" + RATING[p.rating] + "]" : ""));
    });
    lines.push("", r.counts, "", "## Debrief", "", "What good practice looked like: " + line(r.debrief.good), "");
    if (r.debrief.protocols.length) lines.push("Protocols that applied: " + r.debrief.protocols.map(line).join("; "), "");
    lines.push("Questions for supervision:", "");
    r.debrief.questions.forEach(function (q) { lines.push("- " + line(q)); });
    lines.push("", "## What I learnt", "", quote(r.reflection, "(nothing written)"), "");
    lines.push("## What I will do differently in my practice", "", quote(r.change, "(nothing written)"), "");
    lines.push("## Peer reflection", "", quote(r.peer, "(to add after talking the case over with a colleague or in supervision)"), "");
    lines.push("Made in the browser; nothing was sent anywhere." + (r.guide.title ? " " + line(guideWords(r.guide)) : ""));
    return lines.join("\n") + "\n";
  };

  Player.prototype.download = function () {
    var blob = new Blob([this.record()], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "cpd-record-" + this.data.id + "-" + today() + ".md" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    this.announce("Your CPD record has been downloaded.");
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
    var playing = false;
    eachCase(function (root) {
      if (root.esswPlayer) return;
      detachScenes(root);
      try { root.esswPlayer = new Player(root); } catch (e) {
        root.classList.remove("essw-js");
        showScenes(root, true);
        root.esswScenes = null;
      }
    });
    eachCase(function (root) { playing = playing || !!root.esswPlayer; });
    // Material's "back to top" button would sit over the step the learner is reading.
    document.documentElement.classList.toggle("essw-playing", playing);
  }

  /* Print shows every scene, or only the CPD record while the learner has it open. */
  function forPrint(printing) {
    var record = false;
    eachCase(function (root) {
      var player = root.esswPlayer;
      if (!player) return;
      if (player.recordShown) record = printing;
      else showScenes(root, printing);
    });
    document.documentElement.classList.toggle("essw-print-record", record);
  }
  window.addEventListener("beforeprint", function () { forPrint(true); });
  window.addEventListener("afterprint", function () { forPrint(false); });
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  if (printMedia && printMedia.addEventListener) printMedia.addEventListener("change", function (e) { forPrint(e.matches); });

  eachCase(detachScenes);

  // Material's instant navigation swaps pages without a reload and announces each via document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  /* For facilitator mode (group-mode.js): the same condition rule, the same safe Markdown and element
   * helpers, and a case's scenes whether or not they are out of the page. */
  window.esswCaseEngine = {
    holds: holds, md: md, el: el, button: button, has: has, isObj: isObj, only: only,
    scenes: function (root) {
      var all = root.esswScenes ? root.esswScenes.nodes : Array.prototype.slice.call(root.children);
      return all.filter(function (s) { return s.matches("section.essw-node"); });
    }
  };
})();
