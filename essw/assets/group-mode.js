/* ESSW facilitator mode: run a case study with a room, on a projector.
 *
 * "Run this case with a group" opens a full-window dialog with large text: the situation and the choices,
 * numbered, with no ratings. The facilitator records the room's choice, reveals the rating and feedback when
 * the room is ready, with questions to discuss, then goes on. The group's path can be downloaded as session
 * notes (Markdown, made in the browser). Nothing is sent anywhere; the learner's own saved progress
 * (localStorage) is never read or written: the session lives in this tab only (sessionStorage, under its
 * own key, checked when it is read back). Conditions and once-only choices follow the case engine's rules
 * (window.esswCaseEngine, from case-engine.js). Without JavaScript nothing here exists.
 */
(function () {
  "use strict";

  var STORE = "essw-group:";
  var RATING = { strong: "Strong practice", acceptable: "Acceptable", risky: "Risky" };
  var STAGES = ["choose", "chosen", "revealed"];
  var MAX_SAVED = 2e5; // characters: far more than any real session
  var MAX_STEPS = 1000;
  var TIMER_DEFAULT = 3; // minutes
  var GENERAL_PROMPTS = ["What else would you want to know?", "Who else should be involved?",
    "What might the child and the family be feeling?"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  // Shared with the learner's player (case-engine.js loads first): the same rules, the same safe text.
  var engine = window.esswCaseEngine;
  if (!engine || typeof engine.md !== "function") return;
  var has = engine.has, isObj = engine.isObj, only = engine.only, el = engine.el, button = engine.button, md = engine.md;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function longDate(d) { return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear(); }
  function clock(ms) { var d = new Date(ms); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function words(text) { return String(text).replace(/\s+/g, " ").trim(); }

  function line(text) { return md(words(text)); }

  /* -- the session: the room's steps, replayed from the start to know where the room is ------------------ */

  function Session(root, engine) {
    this.root = root;
    this.engine = engine;
    this.data = JSON.parse(root.getAttribute("data-case"));
    this.key = STORE + this.data.id;
    this.sections = Object.create(null);
    engine.scenes(root).forEach(function (s) { this.sections[s.getAttribute("data-node")] = s; }, this);
    this.steps = [];
    this.stage = "choose";
    this.started = Date.now();
    this.notice = "";
    this.load();
  }

  /* Choices on offer at a node in a state: the engine's conditions, and a once-only choice only once. */
  Session.prototype.offered = function (name, state) {
    var holds = this.engine.holds;
    return this.data.nodes[name].choices.map(function (c, i) { return { c: c, i: i }; }).filter(function (x) {
      if (x.c.once && state.used.indexOf(name + "/" + x.i) >= 0) return false;
      return holds(x.c.when, state);
    });
  };

  /* Where a list of steps leads: {node, flags, visited, used, pending}, or null if the steps are not a walk
   * from the start along choices that were on offer (so a stored session cannot lead anywhere else). */
  Session.prototype.walk = function (steps, stage) {
    var d = this.data, s = { node: d.start, flags: {}, visited: [d.start], used: [], pending: null };
    for (var i = 0; i < steps.length; i++) {
      var step = steps[i], node = d.nodes[s.node];
      if (step.node !== s.node || !this.offered(s.node, s).some(function (x) { return x.i === step.choice; })) return null;
      var c = node.choices[step.choice];
      if (c.once) s.used.push(s.node + "/" + step.choice);
      Object.keys(c.set || {}).forEach(function (k) { s.flags[k] = c.set[k]; });
      if (i === steps.length - 1 && stage !== "choose") { s.pending = step; break; }
      s.node = c.goto;
      if (s.visited.indexOf(s.node) < 0) s.visited.push(s.node);
    }
    if (stage !== "choose" && !s.pending) return null;
    return s;
  };

  Session.prototype.now = function () { return this.walk(this.steps, this.stage); };

  /* A stored session is untrusted text: used only if it is exactly the shape saved here, for this version
   * of the case, and a walk the room could have taken; otherwise it is thrown away. */
  Session.prototype.load = function () {
    var raw, s, self = this;
    try { raw = window.sessionStorage.getItem(this.key); } catch (e) { return; }
    if (raw === null) return;
    try {
      s = raw.length <= MAX_SAVED ? JSON.parse(raw) : null;
      var ok = only(s, ["hash", "steps", "stage", "started"]) && s.hash === this.data.hash &&
        STAGES.indexOf(s.stage) >= 0 && typeof s.started === "number" && isFinite(s.started) && s.started > 0 &&
        Array.isArray(s.steps) && s.steps.length <= MAX_STEPS && s.steps.every(function (st) {
          return only(st, ["node", "choice", "at"]) && typeof st.node === "string" && has(self.data.nodes, st.node) &&
            typeof st.choice === "number" && st.choice % 1 === 0 && typeof st.at === "number" && isFinite(st.at) && st.at > 0;
        }) && this.walk(s.steps, s.stage) !== null;
      if (ok) {
        this.steps = s.steps;
        this.stage = s.stage;
        this.started = s.started;
        if (s.steps.length) this.notice = "Carrying on with the session started at " + clock(s.started) + ".";
        return;
      }
    } catch (e) { /* fall through */ }
    this.notice = "The group session kept in this tab could not be used, so it starts from the beginning.";
    this.forget();
  };

  Session.prototype.forget = function () {
    try { window.sessionStorage.removeItem(this.key); } catch (e) { /* ignore */ }
  };

  Session.prototype.save = function () {
    if (!this.steps.length) return this.forget();
    try {
      window.sessionStorage.setItem(this.key, JSON.stringify({ hash: this.data.hash, steps: this.steps,
        stage: this.stage, started: this.started }));
    } catch (e) { /* private mode or full: the session goes on in memory */ }
  };

  Session.prototype.choose = function (index) {
    var s = this.now();
    if (this.stage !== "choose" || !this.offered(s.node, s).some(function (x) { return x.i === index; })) return false;
    this.steps.push({ node: s.node, choice: index, at: Date.now() });
    this.stage = "chosen";
    this.save();
    return true;
  };

  Session.prototype.reveal = function () {
    if (this.stage !== "chosen") return false;
    this.stage = "revealed";
    this.save();
    return true;
  };

  Session.prototype.next = function () {
    if (this.stage !== "revealed") return false;
    this.stage = "choose";
    this.save();
    return true;
  };

  /* Back undoes the last step: after a choice (shown or not), the choice; at a new scene, the move to it. */
  Session.prototype.back = function () {
    if (this.stage !== "choose") { this.steps.pop(); this.stage = "choose"; }
    else if (this.steps.length) this.stage = "revealed";
    else return false;
    this.save();
    return true;
  };

  Session.prototype.restart = function () {
    this.steps = [];
    this.stage = "choose";
    this.started = Date.now();
    this.save();
  };

  /* -- what the page holds: the author's text, already rendered and made safe by the generator ---------- */

  Session.prototype.situation = function (state) {
    var holds = this.engine.holds, box = el("div", { className: "essw-group-situation" });
    var section = this.sections[state.node];
    if (!section) return box;
    Array.prototype.forEach.call(section.children, function (child) {
      var cls = child.classList;
      if (/^H[1-6]$/.test(child.tagName) || cls.contains("essw-choices") || cls.contains("essw-choices-title") ||
          cls.contains("essw-discuss") || cls.contains("essw-debrief")) return;
      if (cls.contains("essw-variant")) {
        var when = null;
        try { when = JSON.parse(child.getAttribute("data-when")); } catch (e) { return; }
        if (!holds(when, state)) return;
        var v = child.cloneNode(true), label = v.querySelector(".essw-variant-label");
        if (label) label.remove();
        box.appendChild(v);
        return;
      }
      box.appendChild(child.cloneNode(true));
    });
    return clean(box);
  };

  function clean(box) {
    Array.prototype.forEach.call(box.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
    Array.prototype.forEach.call(box.querySelectorAll("a.headerlink"), function (n) { n.remove(); });
    return box;
  }

  Session.prototype.part = function (name, selector) {
    var section = this.sections[name], found = section && section.querySelector(selector);
    return found ? clean(found.cloneNode(true)) : null;
  };

  /* The questions for the room at a node: the author's, or general ones. */
  Session.prototype.prompts = function (name) {
    var section = this.sections[name], list = section ? section.querySelectorAll(".essw-discuss li") : [];
    var own = Array.prototype.map.call(list, function (li) { return words(li.textContent); }).filter(Boolean);
    return own.length ? own : GENERAL_PROMPTS.slice();
  };

  Session.prototype.debrief = function (name) {
    var box = this.sections[name] && this.sections[name].querySelector(".essw-debrief");
    var out = { good: "", protocols: [], questions: [] };
    if (!box) return out;
    Array.prototype.forEach.call(box.querySelectorAll("p"), function (p) {
      var label = p.querySelector("strong"), text = words(p.textContent);
      if (!label) return;
      var name = label.textContent.trim(), rest = text.slice(name.length).trim();
      if (/^What good practice/.test(name)) out.good = rest;
      else if (/^Protocols/.test(name)) out.protocols = Array.prototype.map.call(p.querySelectorAll("a"), function (a) { return words(a.textContent); });
    });
    out.questions = Array.prototype.map.call(box.querySelectorAll("li"), function (li) { return words(li.textContent); });
    return out;
  };

  Session.prototype.endingText = function (name) {
    var section = this.sections[name];
    if (!section) return [];
    return Array.prototype.filter.call(section.children, function (c) { return c.tagName === "P"; })
      .map(function (p) { return words(p.textContent); }).filter(Boolean);
  };

  Session.prototype.path = function () {
    var d = this.data, stage = this.stage, last = this.steps.length - 1;
    return this.steps.map(function (st, i) {
      var c = d.nodes[st.node].choices[st.choice];
      return { step: d.nodes[st.node].title, choice: c.label, rating: c.rating || "", at: st.at,
        shown: i < last || stage !== "chosen" };
    });
  };

  Session.prototype.counts = function () {
    var counts = { strong: 0, acceptable: 0, risky: 0 };
    this.path().forEach(function (p) { if (has(counts, p.rating)) counts[p.rating] += 1; });
    return "Practice ratings: " + counts.strong + " strong, " + counts.acceptable + " acceptable, " + counts.risky + " risky.";
  };

  /* The session notes: Markdown in which nothing from the case can become structure or HTML. */
  Session.prototype.notes = function () {
    var d = this.data, state = this.now(), now = new Date(), lines = [];
    var ended = this.stage === "choose" && d.nodes[state.node].kind === "end";
    lines.push("# Session notes: " + line(d.title), "");
    lines.push("Case study: " + line(d.title), "");
    lines.push("Date: " + isoDate(now), "");
    lines.push("Session started at " + clock(this.started) + "; notes made at " + clock(now.getTime()) + ".", "");
    lines.push("## Learning outcomes", "");
    d.outcomes.forEach(function (o) { lines.push("- " + line(o)); });
    lines.push("", "## The group's path", "");
    var path = this.path();
    if (!path.length) lines.push("The room made no choices.");
    path.forEach(function (p, i) {
      lines.push((i + 1) + ". " + clock(p.at) + ", " + line(p.step) + ": the room chose '" + line(p.choice) + "'" +
        (p.rating ? " [" + RATING[p.rating] + "]" : "") + (p.shown ? "" : " (feedback not yet shown)"));
    });
    lines.push("", this.counts(), "");
    if (ended) {
      var debrief = this.debrief(state.node);
      lines.push("## Ending reached: " + line(d.nodes[state.node].title), "");
      this.endingText(state.node).forEach(function (t) { lines.push(line(t), ""); });
      lines.push("What good practice looked like: " + line(debrief.good), "");
      if (debrief.protocols.length) lines.push("Protocols that applied: " + debrief.protocols.map(line).join("; "), "");
      lines.push("Questions for discussion:", "");
      debrief.questions.forEach(function (q) { lines.push("- " + line(q)); });
      lines.push("");
    } else {
      lines.push("## Ending not reached", "", "The session stopped at '" + line(d.nodes[state.node].title) + "'.", "");
    }
    lines.push("## Notes", "", "What the group said and agreed, and what to follow up:", "");
    for (var i = 0; i < 10; i++) lines.push("");
    lines.push("Made in the browser; nothing was sent anywhere.");
    return lines.join("\n") + "\n";
  };

  /* -- the projector view ------------------------------------------------------------------------------- */

  function View(root, engine, opener) {
    this.session = new Session(root, engine);
    this.opener = opener;
    this.timer = { minutes: TIMER_DEFAULT, left: TIMER_DEFAULT * 60000, endAt: 0, tick: null, up: false };
    this.build();
  }

  View.prototype.build = function () {
    var self = this, d = this.session.data, id = "essw-group-" + d.id;
    var canFull = !!(document.fullscreenEnabled && document.documentElement.requestFullscreen);
    this.dialog = el("dialog", { className: "essw-group md-typeset", "aria-labelledby": id + "-title" });
    this.titleEl = el("h2", { id: id + "-title", className: "essw-group-title" }, [
      el("span", { className: "essw-group-kicker", text: "Group session: " }), d.title]);
    this.fullBtn = canFull ? button("Full screen (F)", "essw-group-full", function () { self.fullscreen(); }) : null;
    this.notesBtn = button("Download session notes", "essw-group-notes", function () { self.download(); });
    this.restartBtn = button("Start again", "essw-group-restart", function () { self.askRestart(); });
    this.closeBtn = button("Close (Esc)", "essw-group-close", function () { self.dialog.close(); });
    this.confirmBox = el("div", { className: "essw-group-confirm", hidden: "" });
    this.noticeEl = el("p", { className: "essw-group-notice" });
    this.stage = el("div", { className: "essw-group-stage" });
    this.main = el("div", { className: "essw-group-main", tabindex: "0", role: "region", "aria-label": "The case" },
      [this.noticeEl, this.confirmBox, this.stage]);
    this.live = el("div", { className: "essw-group-live", role: "status", "aria-live": "polite" });
    this.timerLive = el("div", { className: "essw-group-live essw-group-timer-live", role: "status", "aria-live": "polite" });
    this.clock = el("p", { className: "essw-group-clock", text: "" });
    this.startBtn = button("Start timer (T)", "essw-group-timer-start", function () { self.toggleTimer(); });
    this.timerBox = el("div", { className: "essw-group-timer", role: "group", "aria-label": "Discussion timer" }, [
      this.clock, el("div", { className: "essw-group-timer-buttons" }, [
        this.startBtn,
        button("Reset", "essw-group-timer-reset", function () { self.resetTimer(true); }),
        button("\u2212 1 min", "essw-group-timer-less", function () { self.changeMinutes(-1); }),
        button("+ 1 min", "essw-group-timer-more", function () { self.changeMinutes(1); })])]);
    this.backBtn = button("\u2190 Back", "essw-group-back", function () { self.act("back"); });
    this.nextBtn = button("Next \u2192", "essw-group-next", function () { self.act("next"); });
    var keys = el("p", { className: "essw-group-keys" }, ["Keys: ", kbd("1"), " \u2013 ", kbd("9"), " choose, ", kbd("R"),
      " reveal, ", kbd("\u2192"), " next, ", kbd("\u2190"), " back, ", kbd("T"), " timer, ",
      canFull ? kbd("F") : null, canFull ? " full screen, " : null, kbd("Esc"), " close"]);
    this.dialog.appendChild(el("div", { className: "essw-group-frame" }, [
      el("div", { className: "essw-group-top" }, [this.titleEl,
        el("div", { className: "essw-group-tools" }, [this.fullBtn, this.notesBtn, this.restartBtn, this.closeBtn])]),
      this.main,
      el("div", { className: "essw-group-bottom" }, [
        el("div", { className: "essw-group-moves" }, [this.backBtn, this.nextBtn]), this.timerBox, keys]),
      this.live, this.timerLive]));
    this.dialog.addEventListener("keydown", function (e) { self.key(e); });
    this.dialog.addEventListener("close", function () { self.closed(); });
    document.addEventListener("fullscreenchange", function () { self.fullLabel(); });
    this.dialog.esswRoot = this.session.root;
    document.body.appendChild(this.dialog);
    this.showClock();
  };

  function kbd(text) { return el("kbd", { text: text }); }

  View.prototype.open = function () {
    if (this.dialog.open) return;
    document.documentElement.classList.add("essw-group-open");
    this.dialog.showModal();
    this.render("heading");
    if (this.session.notice) { this.say(this.session.notice); this.session.notice = ""; }
  };

  View.prototype.closed = function () {
    this.pauseTimer(false);
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    document.documentElement.classList.remove("essw-group-open");
    if (this.opener && this.opener.isConnected) this.opener.focus();
  };

  View.prototype.say = function (text) {
    var live = this.live;
    live.textContent = "";
    // A fresh text each time, so the same words said twice are heard twice.
    setTimeout(function () { live.textContent = text; }, 50);
  };

  /* One action at a time from a button or a key; the view is drawn again after it. */
  View.prototype.act = function (what, arg) {
    var s = this.session, before = s.stage;
    if (!s[what](arg)) return false;
    this.closeRestart();
    var state = s.now(), d = s.data;
    if (what === "choose") {
      this.say("The room chose: " + words(d.nodes[state.node].choices[arg].label) + ". Reveal the feedback when the room is ready.");
      this.render("reveal");
    } else if (what === "reveal") {
      var c = d.nodes[state.node].choices[state.pending.choice];
      this.say(c.rating ? "Practice rating: " + RATING[c.rating] + "." : "The feedback is shown.");
      this.render("feedback");
    } else if (what === "back") {
      this.say(before === "choose" ? "Back to the feedback on the room's last choice." : "The room's choice was undone.");
      this.render(before === "choose" ? "feedback" : "heading");
    } else {
      this.render("heading");
    }
    return true;
  };

  View.prototype.render = function (focus) {
    var self = this, s = this.session, d = s.data, state = s.now(), node = d.nodes[state.node];
    var ending = s.stage === "choose" && node.kind === "end";
    this.stage.innerHTML = "";
    this.noticeEl.textContent = s.notice || "";
    this.dialog.setAttribute("data-stage", ending ? "end" : s.stage);
    var heading = el("h3", { className: "essw-group-scene", tabindex: "-1" }, [
      ending ? "Ending: " : "", node.title]);
    this.stage.appendChild(el("p", { className: "essw-group-step", text: ending ? "After " + s.steps.length +
      " decision" + (s.steps.length === 1 ? "" : "s") : "Decision " + (s.stage === "choose" ? s.steps.length + 1 : s.steps.length) }));
    this.stage.appendChild(heading);
    this.stage.appendChild(s.situation(state));
    var target = heading, scrollTo = null;

    if (ending) {
      var debrief = s.part(state.node, ".essw-debrief");
      if (debrief) { debrief.classList.add("essw-group-debrief"); this.stage.appendChild(debrief); }
      if (s.sections[state.node] && s.sections[state.node].querySelector(".essw-discuss li")) this.stage.appendChild(this.promptList(state.node));
      this.stage.appendChild(this.pathList());
      this.stage.appendChild(el("p", { className: "essw-group-actions" }, [
        button("Download session notes", "md-button--primary essw-group-notes-end", function () { self.download(); })]));
    } else if (s.stage === "choose") {
      var list = el("ol", { className: "essw-group-choices", "aria-label": "What does the room do?" });
      s.offered(state.node, state).forEach(function (x, n) {
        var b = el("button", { type: "button", className: "md-button essw-btn essw-group-choice", "data-key": String(n + 1) }, [
          el("span", { className: "essw-group-num", text: String(n + 1) }), el("span", { text: x.c.label })]);
        b.addEventListener("click", function () { self.act("choose", x.i); });
        list.appendChild(el("li", {}, [b]));
      });
      this.stage.appendChild(el("p", { className: "essw-group-ask", text: "What does the room do? Press its number, or choose:" }));
      this.stage.appendChild(list);
    } else {
      var c = node.choices[state.pending.choice];
      var box = el("div", { className: "essw-group-chosen essw-rating-" + (s.stage === "revealed" ? c.rating || "none" : "none") }, [
        el("p", { className: "essw-group-room-chose" }, [el("strong", { text: "The room chose: " }), c.label])]);
      this.stage.appendChild(box);
      if (s.stage === "chosen") {
        var reveal = button("Reveal the rating and feedback (R)", "md-button--primary essw-group-reveal", function () { self.act("reveal"); });
        box.appendChild(el("p", { className: "essw-group-actions" }, [reveal]));
        target = focus === "reveal" ? reveal : heading;
      } else {
        var fbHeading = el("h4", { className: "essw-group-rating", tabindex: "-1",
          text: c.rating ? "Practice rating: " + RATING[c.rating] : "Feedback" });
        box.appendChild(fbHeading);
        var fb = s.part(state.node, '[data-choice="' + state.pending.choice + '"] .essw-feedback');
        if (fb) box.appendChild(fb);
        this.stage.appendChild(this.promptList(state.node));
        target = focus === "feedback" ? fbHeading : heading;
        scrollTo = box;
      }
    }
    this.backBtn.disabled = !s.steps.length;
    this.nextBtn.disabled = s.stage !== "revealed";
    this.nextBtn.classList.toggle("md-button--primary", s.stage === "revealed");
    if (focus) {
      target.focus({ preventScroll: true });
      if (target === heading) { this.main.scrollTop = 0; this.dialog.scrollTop = 0; }
      else (scrollTo || target).scrollIntoView({ block: scrollTo ? "start" : "center" });
    }
  };

  View.prototype.promptList = function (name) {
    var list = el("ul", {});
    this.session.prompts(name).forEach(function (q) { list.appendChild(el("li", { text: q })); });
    return el("div", { className: "essw-group-prompts" }, [el("h4", { text: "For the room to discuss" }), list]);
  };

  View.prototype.pathList = function () {
    var list = el("ol", { className: "essw-group-path" });
    this.session.path().forEach(function (p) {
      list.appendChild(el("li", {}, [p.step + ": " + p.choice + " ",
        p.rating ? el("span", { className: "essw-badge essw-rating-" + p.rating, text: "(" + RATING[p.rating] + ")" }) : null]));
    });
    return el("div", { className: "essw-group-summary" }, [el("h4", { text: "The group's path" }), list,
      el("p", { text: this.session.counts() })]);
  };

  View.prototype.key = function (e) {
    // The page's own shortcuts (the theme's, the search's) stay out while the view is open.
    e.stopPropagation();
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var k = e.key, s = this.session, t = e.target, onControl = t && t.closest && t.closest("button, a, input, select, textarea, summary");
    var done = false;
    if (/^[1-9]$/.test(k)) {
      var state = s.now(), node = s.data.nodes[state.node];
      if (s.stage === "choose" && node.kind !== "end") {
        var x = s.offered(state.node, state)[+k - 1];
        if (x) done = this.act("choose", x.i);
      }
      done = true; // a number never does anything else here
    } else if (k === "r" || k === "R" || (k === "Enter" && !onControl)) {
      done = this.act("reveal") || k !== "Enter";
    } else if (k === "ArrowRight") {
      done = this.act("next") || true;
    } else if (k === "ArrowLeft") {
      done = this.act("back") || true;
    } else if (k === "t" || k === "T") {
      this.toggleTimer();
      done = true;
    } else if ((k === "f" || k === "F") && this.fullBtn) {
      this.fullscreen();
      done = true;
    }
    if (done) e.preventDefault();
  };

  /* -- start again, asked first ----------------------------------------------------------------------- */

  View.prototype.askRestart = function () {
    var self = this, box = this.confirmBox, q = el("p", { tabindex: "-1", className: "essw-group-confirm-q" }, [
      el("strong", { text: "Start the group session again?" }), " The room's path so far will be cleared."]);
    box.innerHTML = "";
    box.appendChild(q);
    box.appendChild(el("p", { className: "essw-group-actions" }, [
      button("Yes, start again", "md-button--primary essw-group-restart-yes", function () {
        self.closeRestart();
        self.session.restart();
        self.say("The group session has started again.");
        self.render("heading");
      }),
      button("No, carry on", "essw-group-restart-no", function () { self.closeRestart(); self.restartBtn.focus(); })]));
    box.hidden = false;
    this.main.scrollTop = 0;
    q.focus();
  };

  View.prototype.closeRestart = function () {
    this.confirmBox.hidden = true;
    this.confirmBox.innerHTML = "";
  };

  /* -- the discussion timer: shown large, its state said once to screen readers, no sound ------------------ */

  function mmss(ms) {
    var secs = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(secs / 60) + ":" + pad(secs % 60);
  }

  function spoken(ms) {
    var secs = Math.max(0, Math.ceil(ms / 1000)), m = Math.floor(secs / 60), r = secs % 60;
    return (m ? m + " minute" + (m === 1 ? "" : "s") : "") + (m && r ? " " : "") + (r || !m ? r + " second" + (r === 1 ? "" : "s") : "");
  }

  View.prototype.remaining = function () {
    var t = this.timer;
    return t.tick ? Math.max(0, t.endAt - Date.now()) : t.left;
  };

  View.prototype.showClock = function () {
    var t = this.timer, left = this.remaining();
    this.clock.textContent = t.up ? "0:00 \u2013 time is up" : mmss(left);
    this.timerBox.classList.toggle("essw-group-time-up", t.up);
    this.timerBox.classList.toggle("essw-group-running", !!t.tick);
    this.startBtn.textContent = t.tick ? "Pause timer (T)" : "Start timer (T)";
  };

  View.prototype.timerSay = function (text) { this.timerLive.textContent = text; };

  View.prototype.toggleTimer = function () {
    var self = this, t = this.timer;
    if (t.tick) { this.pauseTimer(true); return; }
    if (t.up || t.left <= 0) { t.left = t.minutes * 60000; t.up = false; }
    t.endAt = Date.now() + t.left;
    t.tick = setInterval(function () {
      if (self.remaining() <= 0) {
        clearInterval(t.tick);
        t.tick = null;
        t.left = 0;
        t.up = true;
        self.timerSay("Time is up.");
      }
      self.showClock();
    }, 250);
    this.timerSay("Timer started: " + spoken(t.left) + ".");
    this.showClock();
  };

  View.prototype.pauseTimer = function (tell) {
    var t = this.timer;
    if (!t.tick) return;
    t.left = this.remaining();
    clearInterval(t.tick);
    t.tick = null;
    if (tell) this.timerSay("Timer paused: " + spoken(t.left) + " left.");
    this.showClock();
  };

  View.prototype.resetTimer = function (tell) {
    var t = this.timer;
    this.pauseTimer(false);
    t.left = t.minutes * 60000;
    t.up = false;
    if (tell) this.timerSay("Timer reset to " + spoken(t.left) + ".");
    this.showClock();
  };

  View.prototype.changeMinutes = function (by) {
    var t = this.timer, m = Math.min(30, Math.max(1, t.minutes + by));
    if (m === t.minutes) { this.timerSay("The timer is set to " + spoken(m * 60000) + "."); return; }
    t.minutes = m;
    if (t.tick) { t.endAt += by * 60000; if (this.remaining() <= 0) t.endAt = Date.now() + 1000; }
    else { t.left = m * 60000; t.up = false; }
    this.timerSay("The timer is set to " + spoken(m * 60000) + ".");
    this.showClock();
  };

  /* -- full screen, where the browser offers it ---------------------------------------------------------- */

  View.prototype.fullscreen = function () {
    var self = this;
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    else document.documentElement.requestFullscreen().catch(function () { self.say("Full screen is not available here."); });
  };

  View.prototype.fullLabel = function () {
    if (this.fullBtn) this.fullBtn.textContent = document.fullscreenElement ? "Leave full screen (F)" : "Full screen (F)";
  };

  /* -- the notes, made here and saved by the browser ---------------------------------------------------------- */

  View.prototype.download = function () {
    var blob = new Blob([this.session.notes()], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "session-notes-" + this.session.data.id + "-" + isoDate(new Date()) + ".md" });
    this.dialog.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    this.say("The session notes have been downloaded.");
  };

  /* -- the button on each case page --------------------------------------------------------------------- */

  function launcher(root, engine) {
    var view = null, box, b;
    b = button("Run this case with a group", "essw-group-open-btn", function () {
      try {
        if (!view || !view.dialog.isConnected) view = new View(root, engine, b);
        view.open();
      } catch (e) {
        hint.textContent = "The group view could not start on this page.";
      }
    });
    b.setAttribute("aria-haspopup", "dialog");
    var hint = el("span", { className: "essw-group-hint", text: "For trainers: a projector view, with large text, " +
      "that lets the room choose before the feedback is shown. Your own progress is not changed." });
    box = el("div", { className: "essw-group-launch" }, [b, hint]);
    root.parentNode.insertBefore(box, root);
    root.esswGroup = box;
  }

  function init() {
    var engine = window.esswCaseEngine;
    // After the theme swaps a page without a reload, views of cases no longer on the page go.
    Array.prototype.forEach.call(document.querySelectorAll("dialog.essw-group"), function (dlg) {
      if (!dlg.esswRoot || !dlg.esswRoot.isConnected) { if (dlg.open) dlg.close(); dlg.remove(); }
    });
    if (!engine || typeof engine.holds !== "function" || typeof engine.scenes !== "function") return;
    Array.prototype.forEach.call(document.querySelectorAll(".essw-case[data-case]"), function (root) {
      if (root.esswGroup && root.esswGroup.isConnected) return;
      try { JSON.parse(root.getAttribute("data-case")); } catch (e) { return; }
      launcher(root, engine);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
