/*
 * The site's search box (overrides/partials/search.html; indexes written by essw/search.py).
 *
 * Served over http(s), it asks Pagefind, which fetches only the few index chunks a query needs.
 * Opened from a folder (file://), browsers block those requests, so it loads the folder-copy index
 * (a plain script) and searches it with MiniSearch. Both give the same kind of result: the page's
 * title, who it is for, the best matching section and an excerpt with the words marked.
 * When a word of the query is not on the site, the nearest word that is ("smaking" -> "smacking")
 * is tried as well, and the reader is told.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-essw-search]");
  var script = document.currentScript;
  if (!box || !script || !window.HTMLDialogElement || !window.Promise) return;

  var ROOT = new URL("../../", script.src);          // this file is assets/javascripts/search.js
  var PAGE = 5;                                      // results shown at a time ("Show more results")
  var FEW = 5;                                       // fewer pages than this: try correcting near misses
  var openButton = box.querySelector(".essw-search__open");
  var dialog = box.querySelector("dialog");
  var form = box.querySelector("[data-essw-search-form]");
  var input = box.querySelector("input[type=search]");
  var status = box.querySelector("[data-essw-search-status]");
  var list = box.querySelector("[data-essw-search-results]");
  var more = box.querySelector("[data-essw-search-more]");
  var backend = null;
  var words = null;
  var latest = 0;

  // -- small helpers -------------------------------------------------------------------------------
  function loadScript(rel) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = new URL(rel, ROOT).href;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + rel)); };
      document.head.appendChild(s);
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Excerpts come back as text with <mark> around the matched words: keep only those tags.
  function markedHtml(excerpt) {
    var tmp = document.createElement("div");
    return String(excerpt || "").split(/(<\/?mark>)/).map(function (part) {
      if (part === "<mark>" || part === "</mark>") return part;
      tmp.innerHTML = part;                          // Pagefind escapes the text; decode, then escape once
      return escapeHtml(tmp.textContent);
    }).join("");
  }

  function siteWords(text) {
    return (text.toLowerCase().replace(/[’]/g, "'").match(/[a-z0-9][a-z0-9'-]*/g) || []);
  }

  // -- the folder copy: MiniSearch over essw-offline-index.js ------------------------------------------
  var STOP = {};
  ("a an and are as at be been but by can do does for from had has have how i if in into is it its me my " +
   "of on or our so that the their them then there they this to us was we what when where which who why " +
   "will with would you your").split(" ").forEach(function (w) { STOP[w] = true; });

  // A light English stemmer, so "consents", "consented" and "consent" meet (Pagefind stems too).
  function stem(word) {
    var w = word.replace(/['’]s$/, "").replace(/['’]/g, "");
    if (w.length > 4 && /ies$/.test(w)) w = w.slice(0, -3) + "y";
    else if (w.length > 4 && /(sses|shes|ches|xes)$/.test(w)) w = w.slice(0, -2);
    else if (w.length > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    if (w.length > 5 && /ing$/.test(w)) w = w.slice(0, -3);
    else if (w.length > 4 && /ed$/.test(w)) w = w.slice(0, -2);
    if (w.length > 3 && /e$/.test(w)) w = w.slice(0, -1);
    return w;
  }

  // "what does a school social worker do": a short common word at the end matches nearly every
  // long page, so it is dropped (words elsewhere in the question still count).
  function withoutTrailingStopWords(query) {
    var words = query.trim().split(/\s+/);
    while (words.length > 1 && STOP[words[words.length - 1].toLowerCase().replace(/[^a-z']/g, "")]) words.pop();
    return words.join(" ");
  }

  function processTerm(term) {
    var t = term.toLowerCase();
    return STOP[t] ? null : stem(t);
  }

  function offlineBackend() {
    return loadScript("assets/vendor/minisearch/minisearch.min.js")
      .then(function () { return loadScript("search/essw-offline-index.js"); })
      .then(function () {
        var docs = window.esswOfflineIndex || [];
        var engine = new window.MiniSearch({
          fields: ["title", "address", "questions", "headings", "text"],
          extractField: function (doc, field) {
            // the page's address is its id, chosen by the author: "t1-overcrowding", "responding-to-a-disclosure"
            if (field === "address") return doc.url.replace(/(index)?\.html$/, "").replace(/[\/_-]+/g, " ");
            if (field === "headings") return doc.sections.map(function (s) { return s[1]; }).join(" | ");
            if (field === "text") return doc.sections.map(function (s) { return s[2]; }).join(" ");
            return doc[field];
          },
          processTerm: processTerm,
          tokenize: function (text) { return text.split(/[\s\-–—,.:;!?()"“”/[\]]+/); },
          searchOptions: {
            boost: { title: 6, address: 3, questions: 4, headings: 2, text: 1 },
            prefix: function (term) { return term.length > 3; },
            fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
            weights: { fuzzy: 0.3, prefix: 0.5 },
            boostDocument: function (id) { return docs[id].weight; }
          }
        });
        engine.addAll(docs);
        return {
          name: "offline",
          search: function (query) {
            var stems = siteWords(query).map(processTerm).filter(Boolean);
            var hits = engine.search(query);
            return Promise.resolve({
              total: hits.length,
              slice: function (from, to) {
                return Promise.resolve(hits.slice(from, to).map(function (hit) { return offlineResult(docs[hit.id], stems); }));
              }
            });
          }
        };
      });
  }

  function matches(word, stems) {
    var s = stem(word.toLowerCase());
    return stems.some(function (q) { return s === q || (q.length > 3 && s.indexOf(q) === 0); });
  }

  function excerpt(text, stems) {
    var tokens = text.split(/(\s+)/);
    var first = -1;
    for (var i = 0; i < tokens.length; i++) {
      if (matches(tokens[i].replace(/^[^a-z0-9]+|[^a-z0-9]+$/gi, ""), stems)) { first = i; break; }
    }
    var start = Math.max(0, first - 16), end = Math.min(tokens.length, Math.max(first, 0) + 40);
    return (start > 0 ? "… " : "") + tokens.slice(start, end).map(function (token) {
      var bare = token.replace(/^[^a-z0-9]+|[^a-z0-9]+$/gi, "");
      if (!bare || !matches(bare, stems)) return escapeHtml(token);
      var at = token.indexOf(bare);
      return escapeHtml(token.slice(0, at)) + "<mark>" + escapeHtml(bare) + "</mark>" +
        escapeHtml(token.slice(at + bare.length));
    }).join("") + (end < tokens.length ? " …" : "");
  }

  function offlineResult(doc, stems) {
    var best = null, bestScore = 0;
    doc.sections.forEach(function (section) {
      if (!pointsAtContent(section[0])) return;
      var score = 0;
      siteWords(section[1] + " " + section[2]).forEach(function (w) { if (matches(w, stems)) score++; });
      score += 3 * siteWords(section[1]).filter(function (w) { return matches(w, stems); }).length;
      if (score > bestScore) { best = section; bestScore = score; }
    });
    var page = new URL(doc.url, ROOT).href;
    return {
      url: page, title: doc.title, audience: doc.audience, kind: doc.kind,
      section: best && best[0] && best[1] ? { title: best[1], url: page + "#" + best[0] } : null,
      excerpt: excerpt(best ? best[2] || best[1] : (doc.sections[0] || ["", "", ""])[2], stems)
    };
  }

  // -- a served site: Pagefind -----------------------------------------------------------------------
  var WEIGHT = "weight";

  function pagefindBackend() {
    return import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pagefind) {
      var values = null;
      function weightValues() {
        if (!values) {
          values = pagefind.filters().then(function (filters) { return Object.keys(filters[WEIGHT] || {}); });
        }
        return values;
      }
      return pagefind.options({ baseUrl: ROOT.pathname, excerptLength: 30 })
        .then(function () { return pagefind.init(); })
        .then(function () {
          return {
            name: "pagefind",
            search: function (query) {
              var words = withoutTrailingStopWords(query);
              return weightValues().then(function (values) {
                if (!values.length) {
                  return pagefind.search(words).then(function (found) {
                    return found.results.map(function (r) { return { result: r, score: r.score }; });
                  });
                }
                // Pagefind has no per-page weight, so each weight (essw.generate.SEARCH_BOOST, a filter on
                // every page) is searched on its own and the scores multiplied: a parents' guide comes
                // before a long case study that uses the same words. The scores are the same as in one
                // search; only the small filter index is fetched, no page until it is shown.
                return Promise.all(values.map(function (value) {
                  var filters = {};
                  filters[WEIGHT] = value;
                  return pagefind.search(words, { filters: filters }).then(function (found) {
                    return found.results.map(function (r) { return { result: r, score: r.score * (parseFloat(value) || 1) }; });
                  });
                })).then(function (lists) { return [].concat.apply([], lists); });
              }).then(function (scored) {
                scored.sort(function (a, b) { return b.score - a.score; });
                return {
                  total: scored.length,
                  slice: function (from, to) {
                    return Promise.all(scored.slice(from, to).map(function (s) { return s.result.data(); }))
                      .then(function (pages) { return pages.map(pagefindResult); });
                  }
                };
              });
            }
          };
        });
    });
  }

  function marks(text) { return (String(text).match(/<mark>/g) || []).length; }

  // A page's list of sources or related pages names many topics; it is never the section to point to.
  function pointsAtContent(anchor) { return !/^(sources|related|see-also)(_\d+)?$/.test(anchor); }

  function pagefindResult(data) {
    var best = null;
    (data.sub_results || []).forEach(function (sub) {
      var hash = sub.url.indexOf("#");
      if (hash < 0 || !pointsAtContent(sub.url.slice(hash + 1))) return;  // above the first heading, or a list
      if (!best || marks(sub.excerpt) > marks(best.excerpt)) best = sub;
    });
    return {
      url: new URL(data.url, location.href).href, title: data.meta.title, audience: data.meta.audience,
      kind: data.meta.kind, section: best ? { title: best.title, url: new URL(best.url, location.href).href } : null,
      excerpt: best && marks(best.excerpt) >= marks(data.excerpt) ? best.excerpt : data.excerpt
    };
  }

  function getBackend() {
    if (!backend) {
      backend = (location.protocol === "file:" ? offlineBackend() : pagefindBackend().catch(function () {
        return offlineBackend();                     // a host that blocks WebAssembly: the folder-copy index
      }));
    }
    return backend;
  }

  // -- near misses -----------------------------------------------------------------------------------
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) return limit + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  // The query with each word the site never uses replaced by the nearest one it does, or null.
  function corrected(query) {
    var load = words ? Promise.resolve(words) : loadScript("search/essw-words.js").then(function () {
      words = { list: window.esswSearchWords || [], known: {} };
      words.list.forEach(function (w) { words.known[w] = true; });
      return words;
    });
    return load.then(function (w) {
      var changed = false;
      var fixed = query.split(/\s+/).map(function (raw) {
        var word = raw.toLowerCase().replace(/[^a-z0-9'-]/g, "");
        if (word.length < 4 || w.known[word] || /\d/.test(word)) return raw;
        var limit = word.length > 6 ? 2 : 1, best = null, bestDistance = limit + 1;
        // The most used word within the limit, preferring one with the same first letter (people
        // rarely mistype the first letter): "smaking" is "smacking", not "making".
        for (var pass = 0; pass < 2 && !best; pass++) {
          for (var i = 0; i < w.list.length && bestDistance > 1; i++) {
            if (pass === 0 && w.list[i][0] !== word[0]) continue;
            var d = editDistance(word, w.list[i], Math.min(limit, bestDistance - 1));
            if (d < bestDistance) { best = w.list[i]; bestDistance = d; }
          }
        }
        if (!best) return raw;
        changed = true;
        return best;
      }).join(" ");
      return changed ? fixed : null;
    }).catch(function () { return null; });
  }

  // -- showing results -------------------------------------------------------------------------------
  var current = null;                                // what "Show more results" continues

  function resultHtml(r) {
    var who = r.audience === "Parents and carers" ? "For parents and carers"
      : r.audience === "Professionals" ? "For professionals" : "For everyone";
    return '<li class="essw-search__result">' +
      '<a class="essw-search__link" href="' + escapeHtml(r.url) + '">' + escapeHtml(r.title || r.url) + "</a>" +
      '<p class="essw-search__meta"><span class="essw-search__audience essw-search__audience--' +
      escapeHtml((r.audience || "everyone").toLowerCase().replace(/\W+/g, "-")) + '">' + escapeHtml(who) +
      "</span>" + (r.kind ? " · " + escapeHtml(r.kind) : "") + "</p>" +
      (r.section ? '<p class="essw-search__section">Section: <a href="' + escapeHtml(r.section.url) + '">' +
        escapeHtml(r.section.title) + "</a></p>" : "") +
      '<p class="essw-search__excerpt">' + markedHtml(r.excerpt) + "</p></li>";
  }

  function show(results, append) {
    var before = list.children.length;
    list.insertAdjacentHTML("beforeend", results.map(resultHtml).join(""));
    current.shown += results.length;
    more.hidden = current.shown >= current.found.total;
    more.textContent = "Show more results (" + current.shown + " of " + current.found.total + " shown)";
    if (append && list.children[before]) list.children[before].querySelector("a").focus();
  }

  function statusText(query, total, shownFor) {
    var count = total === 1 ? "1 page" : total + " pages";
    if (!total) return "No pages found for “" + query + "”. Try fewer words, or other words for the same thing.";
    if (shownFor) return "No pages use “" + query + "”. " + count + " found for “" + shownFor + "”, best first:";
    return count + " found for “" + query + "”, best first:";
  }

  function run(query) {
    var ticket = ++latest;
    query = query.trim();
    list.innerHTML = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Searching…";
    box.setAttribute("data-essw-search-state", "busy");
    var engine;
    return getBackend().then(function (e) {
      engine = e;
      box.setAttribute("data-essw-search-engine", engine.name);
      return engine.search(query);
    }).then(function (found) {
      if (found.total >= FEW) return [found, null];
      return corrected(query).then(function (better) {
        if (!better) return [found, null];
        return engine.search(better).then(function (other) {
          return other.total ? [other, better] : [found, null];
        });
      });
    }).then(function (outcome) {
      return outcome[0].slice(0, PAGE).then(function (first) { return [outcome, first]; });
    }).then(function (shown) {
      if (ticket !== latest) return;
      var found = shown[0][0];
      current = { found: found, shown: 0 };
      status.textContent = statusText(query, found.total, shown[0][1]);
      show(shown[1], false);
      box.setAttribute("data-essw-search-state", "done");
    }).catch(function () {
      if (ticket !== latest) return;
      list.innerHTML = "";
      status.textContent = "Search is not working on this copy of the site. Use the menu to find pages.";
      box.setAttribute("data-essw-search-state", "failed");
    });
  }

  function showMore() {
    if (!current) return;
    var ticket = latest;
    box.setAttribute("data-essw-search-state", "busy");
    current.found.slice(current.shown, current.shown + PAGE).then(function (next) {
      if (ticket !== latest) return;
      show(next, true);
      box.setAttribute("data-essw-search-state", "done");
    });
  }

  // -- opening and closing -----------------------------------------------------------------------------
  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    getBackend();                                    // start loading while the reader types
  }

  openButton.hidden = false;
  openButton.addEventListener("click", open);
  more.addEventListener("click", showMore);
  box.querySelector("[data-essw-search-close]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", function () { openButton.focus(); });
  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(input.value); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
    if (event.key === "/" && !typing && !dialog.open && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
  // The theme's own search toggle (a magnifier on small screens) opens this search too.
  var toggle = document.getElementById("__search");
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) { toggle.checked = false; open(); }
    });
  }
})();
