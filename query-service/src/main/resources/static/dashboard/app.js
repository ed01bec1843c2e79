/*
 * The steering committee's dashboard: the convergence view of the query service's own APIs, in French, Arabic or
 * English. Everything a page shows is in its URL (?view=matrix&lang=ar&axis=GENDER&knownAt=2025-03-01), so a view is a
 * link. Pages are tables — a chart's numbers are always there to read, colour is never the only signal — and every
 * table downloads as CSV. Live: the page reads again when the change stream says the view changed (EventSource
 * resumes by itself after a lost connection, with Last-Event-ID). Nothing comes from another site.
 */
(function () {
  "use strict";

  const VIEWS = ["overview", "matrix", "duplications", "coverage", "progress", "ledger"];
  const PAGES = VIEWS.concat(["agency", "activity"]);
  const FILTERS = ["from", "to", "axis", "region", "agency", "targetGroup", "state", "knownAt", "validAt"];
  const STATES = ["PROPOSED", "COMMITTED", "STARTED", "SUSPENDED", "COMPLETED", "CANCELLED"];
  const DIMENSIONS = { axis: "axis", region: "region", agency: "agency", targetGroup: "targetGroup" };
  const MATRICES = [["axis", "agency"], ["axis", "region"], ["region", "agency"]];

  const query = new URLSearchParams(location.search);
  const lang = pickLanguage();
  const L = window.LEDGER_LABELS[lang];
  const view = PAGES.includes(query.get("view")) ? query.get("view") : "overview";
  const reference = { axes: {}, agencies: {} };
  let refreshTimer = null;

  function pickLanguage() {
    const asked = query.get("lang") || (document.cookie.match(/(?:^|; )lang=(fr|ar|en)/) || [])[1];
    const chosen = ["fr", "ar", "en"].includes(asked) ? asked : "fr";
    document.cookie = "lang=" + chosen + "; path=/; max-age=31536000; SameSite=Lax";
    return chosen;
  }

  // ---- words, numbers, dates, money in the reader's language ----------------------------------------------------

  function t(key, values) {
    let text = L.ui[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => { text = text.split("{" + name + "}").join(value); });
    return text;
  }

  function label(kind, code) {
    if (code == null) return "";
    const labels = L[kind] || {};
    if (labels[code]) return labels[code];
    if (kind === "axis" && reference.axes[code]) return reference.axes[code];
    return code;
  }

  function number(value) {
    return new Intl.NumberFormat(L.locale).format(value || 0);
  }

  function percent(value) {
    return value == null ? "—" : new Intl.NumberFormat(L.locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
  }

  function money(byCurrency) {
    const entries = Object.entries(byCurrency || {}).filter(([, amount]) => amount != null).sort();
    if (!entries.length) return "—";
    // Never summed across currencies: one amount per currency.
    return entries.map(([currency, amount]) => new Intl.NumberFormat(L.locale,
      { style: "currency", currency: currency, maximumFractionDigits: 0 }).format(amount)).join(" · ");
  }

  function date(iso) {
    if (!iso) return "—";
    const value = iso.length === 10 ? new Date(iso + "T00:00:00Z") : new Date(iso);
    const options = iso.length === 10 ? { dateStyle: "medium", timeZone: "UTC" } : { dateStyle: "medium", timeStyle: "short" };
    return new Intl.DateTimeFormat(L.locale, options).format(value);
  }

  // ---- DOM, without ever parsing data as HTML -------------------------------------------------------------------

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value == null || value === false) return;
      if (name.startsWith("on")) element.addEventListener(name.substring(2), value);
      else if (name === "style") element.setAttribute("style", value);
      else element.setAttribute(name, value === true ? "" : value);
    });
    children.flat(Infinity).forEach(child => {
      if (child == null || child === false) return;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return element;
  }

  function link(params, text, attributes) {
    return h("a", Object.assign({ href: url(params) }, attributes || {}), text);
  }

  function url(changes) {
    const next = new URLSearchParams(location.search);
    Object.entries(changes).forEach(([name, value]) => {
      if (value == null || value === "") next.delete(name); else next.set(name, value);
    });
    return "?" + next.toString();
  }

  /** A table with its caption, and a CSV of exactly what it shows. */
  let tables = 0;

  function table(caption, headers, rows, options) {
    const id = "table-" + (++tables);
    const csv = h("button", { type: "button", class: "csv", onclick: () => download(caption, headers, rows) }, t("csv"));
    return h("section", { class: "table" },
      h("div", { class: "table-head" }, h("h2", { id: id }, caption), csv),
      h("div", { class: "scroll" },
        h("table", { "aria-labelledby": id, class: (options && options.className) || "" },
          h("thead", {}, h("tr", {}, headers.map((header, i) => h("th", { scope: "col", class: i ? "num" : "" }, header)))),
          h("tbody", {}, rows.length ? rows.map(row => h("tr", {}, row.map((cell, i) => i === 0
            ? h("th", { scope: "row" }, cell)
            : h("td", { class: cell && cell.numeric ? "num" : "" }, cell && cell.node ? cell.node : cell))))
            : h("tr", {}, h("td", { colspan: headers.length }, t("none")))))));
  }

  function numeric(value, node) {
    return { numeric: true, node: node || String(value), toString: () => String(value) };
  }

  function text(cell) {
    if (cell == null) return "";
    if (cell instanceof Node) return cell.textContent;
    if (cell.node instanceof Node) return cell.node.textContent;
    return String(cell.node != null ? cell.node : cell);
  }

  function download(caption, headers, rows) {
    const escape = value => {
      let cell = String(value);
      if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell; // never a formula in the reader's spreadsheet
      return /[",\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
    };
    const lines = [headers.map(escape).join(",")].concat(rows.map(row => row.map(cell => escape(text(cell))).join(",")));
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const anchor = h("a", { href: URL.createObjectURL(blob), download: caption.replace(/[^\p{L}\p{N}]+/gu, "-") + ".csv" });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  }

  // ---- reading the API -------------------------------------------------------------------------------------------

  function apiQuery(extra) {
    const params = new URLSearchParams();
    FILTERS.forEach(name => {
      if (query.get(name)) params.set(name, name.endsWith("At") ? endOfDay(query.get(name)) : query.get(name));
    });
    Object.entries(extra || {}).forEach(([name, value]) => params.set(name, value));
    const text = params.toString();
    return text ? "?" + text : "";
  }

  function endOfDay(day) {
    return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day + "T23:59:59Z" : day;
  }

  async function read(path, key) {
    const headers = { Accept: "application/json" };
    if (key) headers.Authorization = "Bearer " + key;
    const response = await fetch(path, { headers: headers });
    if (!response.ok) {
      let why = response.status + "";
      try { why = (await response.json()).detail || why; } catch (ignored) { /* not JSON */ }
      throw new Error(why);
    }
    return response.json();
  }

  // ---- the frame: titles, pages, languages, filters, freshness --------------------------------------------------

  function frame() {
    document.documentElement.lang = lang;
    document.documentElement.dir = L.dir;
    document.title = t(view) + " — " + t("title");
    document.getElementById("skip").textContent = t("skip");
    document.getElementById("title").textContent = t("title");
    document.getElementById("subtitle").textContent = t("subtitle");
    document.getElementById("nav").replaceChildren(...VIEWS.map(name => h("li", {},
      link({ view: name }, t(name), name === view ? { "aria-current": "page" } : {}))));
    document.getElementById("languages").setAttribute("aria-label", t("language"));
    document.getElementById("languages").replaceChildren(...[["fr", "Français"], ["ar", "العربية"], ["en", "English"]]
      .map(([code, name]) => link({ lang: code }, name, { lang: code, hreflang: code, "aria-current": code === lang ? "true" : null })));
    filters();
  }

  function filters() {
    const form = document.getElementById("filters");
    const select = (name, codes, kind) => h("label", {}, t(name),
      h("select", { name: name },
        h("option", { value: "" }, t("all")),
        codes.map(code => h("option", { value: code, selected: query.get(name) === code }, label(kind, code)))));
    const day = name => h("label", {}, t(name), h("input", { type: "date", name: name, value: query.get(name) || "" }));
    form.setAttribute("aria-label", t("filters"));
    // On a phone the filters fold away under their summary, unless some are set; on a laptop they stay open.
    const set = FILTERS.filter(name => query.get(name));
    const box = document.getElementById("filter-box");
    box.open = set.length > 0 || !window.matchMedia("(max-width: 700px)").matches;
    document.getElementById("filter-summary").textContent = t("filters") + (set.length ? " (" + set.length + ")" : "");
    // What the view is filtered on, in words: what a printed handout shows instead of the form.
    document.getElementById("applied").textContent = set.length ? t("filters") + " — " + set.map(name => t(name) + " : "
      + (name.endsWith("At") || name === "from" || name === "to" ? date(query.get(name)) : label(name, query.get(name))))
      .join(" · ") : "";
    form.replaceChildren(
      day("from"), day("to"),
      select("axis", Object.keys(reference.axes), "axis"),
      select("region", Object.keys(L.region), "region"),
      select("agency", Object.keys(reference.agencies), "agency"),
      select("targetGroup", Object.keys(L.targetGroup), "targetGroup"),
      select("state", STATES, "state"),
      day("knownAt"), day("validAt"),
      h("button", { type: "submit" }, t("apply")),
      link(Object.fromEntries(FILTERS.map(name => [name, null])), t("clear"), { class: "clear" }));
    form.onsubmit = event => {
      event.preventDefault();
      const changes = {};
      new FormData(form).forEach((value, name) => { changes[name] = value; });
      location.search = url(changes);
    };
  }

  function freshness(answer) {
    const fresh = answer.freshness || answer;
    const seq = number(fresh.asOfSequence);
    const past = [query.get("knownAt") ? t("freshPast", { time: date(endOfDay(query.get("knownAt"))), seq: seq }) : null,
      query.get("validAt") ? t("validPast", { time: date(endOfDay(query.get("validAt"))) }) : null].filter(Boolean);
    document.getElementById("freshness").textContent = past.length ? past.join(" ")
      : t("fresh", { seq: seq, time: date(fresh.lastEventAt) }) + " " + t("live") + ".";
    document.getElementById("page").dataset.asOfSequence = fresh.asOfSequence;
  }

  // ---- the pages ---------------------------------------------------------------------------------------------------

  async function overview() {
    const [axes, progress] = await Promise.all([read("/api/convergence/axes" + apiQuery()),
      read("/api/convergence/progress" + apiQuery())]);
    freshness(axes);
    const beneficiaries = {};
    (progress.axes || []).forEach(row => { beneficiaries[row.key] = row.beneficiariesReached; });
    const rows = axes.axes.map(axis => [
      link({ view: "matrix", axis: axis.code }, label("axis", axis.code)),
      ...STATES.map(state => numeric(axis.activitiesByState[state] || 0, number(axis.activitiesByState[state] || 0))),
      money(axis.plannedBudget), money(axis.committedBudget), money(axis.amountSpent),
      numeric(beneficiaries[axis.code] || 0, number(beneficiaries[axis.code] || 0))]);
    // The same selection as IATI 2.03 activities, for partners' and donors' portals.
    const iati = h("p", { class: "note" }, h("a", { href: "/api/iati/activities.xml" + apiQuery(), download: "activities.xml",
      class: "iati" }, t("iatiExport")));
    return [table(t("perAxisCaption"), [t("axis"), ...STATES.map(state => label("state", state)), t("planned"),
      t("committed"), t("spent"), t("beneficiaries")], rows, { className: "overview" }), iati];
  }

  async function matrix() {
    const [rowsDim, colsDim] = (query.get("dims") || "axis,agency").split(",");
    const colourBy = query.get("colour") === "budget" ? "budget" : "count";
    const answer = await read("/api/convergence/matrix" + apiQuery({ rows: rowsDim, cols: colsDim }));
    freshness(answer);
    const cells = {};
    answer.cells.forEach(cell => { cells[cell.row + "|" + cell.col] = cell; });
    const currencies = [...new Set(answer.cells.flatMap(cell => Object.keys(cell.budget.planned || {})))].sort();
    const currency = currencies.includes(query.get("currency")) ? query.get("currency") : currencies[0];
    const measure = cell => !cell ? 0 : colourBy === "budget" ? (cell.budget.planned[currency] || 0) : cell.activities;
    const highest = Math.max(1, ...answer.cells.map(measure));
    const controls = h("div", { class: "controls" },
      h("span", {}, t("rows") + " × " + t("cols") + " :"),
      MATRICES.map(([r, c]) => link({ dims: r + "," + c }, t(r) + " × " + t(c),
        { "aria-current": r === rowsDim && c === colsDim ? "true" : null })),
      h("span", {}, t("colourBy") + " :"),
      link({ colour: "count" }, t("count"), { "aria-current": colourBy === "count" ? "true" : null }),
      currencies.map(code => link({ colour: "budget", currency: code }, t("budget") + " " + code,
        { "aria-current": colourBy === "budget" && code === currency ? "true" : null })));
    const rows = answer.rowKeys.map(rowKey => [label(rowsDim, rowKey), ...answer.colKeys.map(colKey => {
      const cell = cells[rowKey + "|" + colKey];
      const value = measure(cell);
      if (!cell) return numeric(0, h("span", { class: "empty" }, "·"));
      const shown = colourBy === "budget" ? money({ [currency]: value }) : number(cell.activities);
      // Darker with more; dark text on the light half, white on the dark half, each with a contrast of at least
      // 4.5:1 (WCAG AA): the lightness jumps from 56 % to 41 % where the text changes colour.
      const strength = value / highest;
      const strong = strength >= 0.6;
      const lightness = strong ? 41 - (strength - 0.6) / 0.4 * 13 : 96 - strength / 0.6 * 40;
      return numeric(shown, h("a", {
        class: strong ? "heat strong" : "heat", href: url({ cellRow: rowKey, cellCol: colKey }) + "#cell",
        style: "--light:" + lightness.toFixed(1) + "%",
        "aria-label": label(rowsDim, rowKey) + " × " + label(colsDim, colKey) + " : " + shown
      }, shown));
    })]);
    const parts = [controls, table(t(rowsDim) + " × " + t(colsDim), [t(rowsDim) + " \\ " + t(colsDim),
      ...answer.colKeys.map(key => label(colsDim, key))], rows, { className: "matrix" })];
    if (query.get("cellRow") && query.get("cellCol")) {
      parts.push(await cellActivities(rowsDim, colsDim, query.get("cellRow"), query.get("cellCol")));
    }
    return parts;
  }

  async function cellActivities(rowsDim, colsDim, rowKey, colKey) {
    const filter = { limit: 200 };
    filter[DIMENSIONS[rowsDim]] = rowKey;
    filter[DIMENSIONS[colsDim]] = colKey;
    // The same versions and conditions as the cell's count, at the same moment: the list holds what was counted.
    const answer = await read("/api/convergence/activities" + apiQuery(filter));
    const section = activityTable(t("cellActivities", { row: label(rowsDim, rowKey), col: label(colsDim, colKey) }), answer);
    section.id = "cell";
    return section;
  }

  /** A list of activities (from /api/convergence/activities), saying so when it shows the first of more. */
  function activityTable(caption, answer) {
    const section = table(caption, [t("activities"), t("lead"), t("state"), t("period"), t("planned")],
      answer.items.map(activity => [activityLink(activity.id, activity.title), agencyLink(activity.leadAgency),
        label("state", activity.state), period(activity),
        activity.plannedCurrency ? money({ [activity.plannedCurrency]: activity.plannedAmount }) : "—"]));
    if (answer.truncated) {
      section.append(h("p", { class: "note" }, t("firstOf", { shown: number(answer.items.length), total: number(answer.total) })));
    }
    return section;
  }

  function activityLink(id, title) {
    return link({ view: "activity", id: id, code: null, cellRow: null, cellCol: null }, title ? title + " (" + id + ")" : id);
  }

  function agencyLink(code) {
    return link({ view: "agency", code: code, id: null, cellRow: null, cellCol: null }, code);
  }

  function period(value) {
    return value && value.start ? date(value.start) + " – " + date(value.end) : "—";
  }

  // Who named whom without the other agreeing: the claimant is the lead whose activity names the other's lead.
  function partnershipReason(pair) {
    const a = pair.first.leadAgency, b = pair.second.leadAgency;
    if (pair.partnership === "CLAIMED" || pair.partnership === "CONTESTED") {
      return t(pair.partnership === "CLAIMED" ? "reasonClaimed" : "reasonContested",
        { a: pair.claimedBy, b: pair.claimedBy === a ? b : a });
    }
    return t("reasonPartners", { a, b });
  }

  // "GIZ (Funding, confirmed)": each partner the lead named, with what it said of it.
  const partnerText = partners => (partners || []).map(partner => partner.agency + " (" + label("role", partner.role)
    + (partner.status ? ", " + label("partnership", partner.status) : "") + ")").join(", ");

  // The coordinators' decision on a pair: where it stands, the latest decision, and the earlier ones.
  function review(decided) {
    if (!decided) {
      return "—";
    }
    const one = decision => h("li", {}, label("review", decision.decision)
      + (decision.continuing ? " — " + t("continues", { id: decision.continuing }) : "")
      + (decision.reason ? " — " + decision.reason : "") + " (" + decision.decidedBy + ", " + date(decision.decidedAt) + ")");
    return h("div", { class: "review" }, h("strong", { class: "review-" + decided.status.toLowerCase() }, label("review", decided.status)),
      decided.history.length ? h("ul", {}, ...decided.history.slice().reverse().map(one)) : "");
  }

  async function duplications() {
    const answer = await read("/api/convergence/duplications" + apiQuery());
    freshness(answer);
    const list = (codes, kind) => codes.map(code => label(kind, code)).join(", ");
    const side = activity => h("div", { class: "side" },
      h("strong", {}, activity.title), h("br"), activityLink(activity.id), " — ", agencyLink(activity.leadAgency), h("br"),
      label("state", activity.state) + ", " + date(activity.start) + " – " + date(activity.end));
    const pairs = answer.pairs.map(pair => [
      numeric(pair.score, h("span", { class: "score", "aria-label": t("score") + " " + pair.score }, pair.score.toFixed(2))),
      h("div", { class: "pair" }, side(pair.first), side(pair.second)),
      h("ul", { class: "reasons" },
        h("li", {}, t("reasonShare", { axes: list(pair.sharedAxes, "axis"), regions: list(pair.sharedRegions, "region"),
          groups: list(pair.sharedTargetGroups, "targetGroup") })),
        h("li", {}, t("reasonOverlap", { days: number(pair.overlapDays), start: date(pair.overlapStart), end: date(pair.overlapEnd) })),
        h("li", {}, partnershipReason(pair))),
      review(pair.review)]);
    const clusters = (answer.clusters || []).map(cluster => [cluster.activities.join(" · "), cluster.agencies.join(", "),
      t("clusterOf", { n: number(cluster.activities.length), p: number(cluster.pairs) })]);
    return [table(t("duplications"), [t("score"), t("activities"), t("reasons"), t("review")], pairs, { className: "duplications" }),
      table(t("clusters"), [t("activities"), t("agency"), ""], clusters)];
  }

  async function coverage() {
    const year = new Date().getUTCFullYear();
    const gapsQuery = query.get("from") || query.get("to") ? apiQuery() : apiQuery({ from: year + "-01-01", to: year + "-12-31" });
    const [joint, gaps] = await Promise.all([read("/api/convergence/joint" + apiQuery()),
      read("/api/convergence/gaps" + gapsQuery)]);
    freshness(joint);
    const jointRows = joint.axes.flatMap(axis => axis.activities.map(activity => [label("axis", axis.axis),
      activityLink(activity.id, activity.title), agencyLink(activity.leadAgency),
      partnerText(activity.partners),
      label("state", activity.state)]));
    const gapRows = gaps.gaps.map(gap => [label("axis", gap.axis), label("region", gap.region),
      gap.nationalActivities.length ? gap.nationalActivities.join(", ") : "—"]);
    const examined = new URLSearchParams(gapsQuery.substring(1));
    return [table(t("joint"), [t("axis"), t("activities"), t("lead"), t("partners"), t("state")], jointRows),
      h("p", { class: "note" }, t("gapsPeriod") + " : " + date(examined.get("from")) + " – " + date(examined.get("to"))),
      table(t("gaps"), [t("axis"), t("region"), t("national")], gapRows, { className: "gaps" })];
  }

  async function progress() {
    // Who reports and who went silent is a live question: asked only when the page shows the present.
    const live = !query.get("knownAt") && !query.get("validAt");
    const [answer, reporting, closed] = await Promise.all([read("/api/convergence/progress" + apiQuery()),
      live ? read("/api/convergence/freshness") : Promise.resolve(null),
      live ? read("/api/convergence/closed-periods") : Promise.resolve(null)]);
    freshness(answer);
    const bar = rate => rate == null ? "—"
      : h("span", { class: "bar", style: "--rate:" + Math.round(rate * 100) }, h("span", {}, percent(rate)));
    const execution = byCurrency => {
      const entries = Object.entries(byCurrency || {}).sort();
      return entries.length ? h("span", {}, entries.map(([currency, figures]) => h("span", { class: "execution" },
        currency + " ", bar(figures.rate), " ")) ) : "—";
    };
    const rows = (list, kind) => list.map(row => [label(kind, row.key), numeric(row.activities, number(row.activities)),
      STATES.map(state => label("state", state) + " " + number(row.reached[state] || 0)).join(" · "),
      numeric(row.completionRate, bar(row.completionRate)), execution(row.budgetExecution),
      numeric(row.beneficiariesReached || 0, number(row.beneficiariesReached || 0))]);
    const headers = kind => [t(kind), t("activities"), t("reached"), t("completionRate"), t("execution"), t("beneficiaries")];
    const tables = [table(t("byAxis"), headers("axis"), rows(answer.axes || [], "axis"), { className: "progress" }),
      table(t("byAgency"), headers("agency"), rows(answer.agencies || [], "agency"), { className: "progress" })];
    if (reporting) {
      tables.push(table(t("reporting"), [t("agency"), t("reportingStatus"), t("lastRecorded"), t("daysSilent"),
        t("overdueToStart"), t("overdueToEnd")], reporting.agencies.map(agency => [agencyLink(agency.code),
        label("reporting", agency.status), agency.lastRecordedAt ? date(agency.lastRecordedAt) : "—",
        agency.daysSilent == null ? "—" : numeric(agency.daysSilent, number(agency.daysSilent)),
        numeric(agency.overdueToStart, number(agency.overdueToStart)),
        numeric(agency.overdueToEnd, number(agency.overdueToEnd))]), { className: "reporting" }));
    }
    if (closed) {
      // Each closed reporting period, and the facts corrected in it since, with why.
      tables.push(table(t("closedPeriods"), [t("period"), t("agency"), t("closedOn"), t("corrections")],
        closed.periods.map(period => [date(period.from) + " – " + date(period.to),
          period.agency ? agencyLink(period.agency) : t("allAgencies"),
          date(period.closedAt) + (period.reason ? " — " + period.reason : ""),
          period.corrections.length ? h("ul", {}, ...period.corrections.map(correction => h("li", {},
            activityLink(correction.activityId), " " + correction.eventType.replace(/^Activity/, "") + ", "
            + date(correction.datedOn) + " — " + correction.reason + " (" + correction.recordedBy + ", "
            + date(correction.recordedAt) + ")"))) : "—"]), { className: "closed-periods" }));
    }
    return tables;
  }

  async function agency() {
    const code = query.get("code") || "";
    const [report, activities] = await Promise.all([
      read("/api/agencies/" + encodeURIComponent(code) + apiQuery()),
      read("/api/convergence/activities" + apiQuery({ involving: code, limit: 200 }))]);
    const partners = {};
    // Those it works with: the leads of the activities it joins, and the partners of all of them.
    activities.items.forEach(activity => [{ agency: activity.leadAgency, lead: true }].concat(activity.partners)
      .filter(partner => partner.agency !== code)
      .forEach(partner => {
        const role = partner.lead ? t("lead") : partner.role ? label("role", partner.role) : "—";
        partners[partner.agency] = (partners[partner.agency] || []).concat(role);
      }));
    // When it last reported: its own newest event in the ledger, not the newest change to an activity it is in.
    document.getElementById("freshness").textContent = report.lastReportedAt
      ? t("lastReported", { time: date(report.lastReportedAt), count: number(report.eventsReported) }) : t("neverReported");
    document.getElementById("page").dataset.asOfSequence = activities.freshness.asOfSequence;
    return [h("p", { class: "lede" }, h("strong", {}, report.name), " — ", label("kind", report.kind)),
      activityTable(t("activities"), activities),
      table(activities.truncated ? t("partnersOfListed") : t("partners"), [t("agency"), t("role")], Object.entries(partners).sort()
        .map(([partner, roles]) => [agencyLink(partner), [...new Set(roles)].join(", ")]))];
  }

  async function activity() {
    const id = query.get("id") || "";
    // An auditor sees more: the senders' idempotency keys. The key stays in this tab only (sessionStorage).
    const auditorKey = sessionStorage.getItem("auditorKey");
    // An identifier the activity moved away from redirects (308, followed by the browser): the timeline is then
    // read for the identifier the activity has now, and runs across its moves.
    const current = await read("/api/activities/" + encodeURIComponent(id) + apiQuery());
    const timeline = await (auditorKey
      ? read("/api/audit/activities/" + encodeURIComponent(current.id) + "/history", auditorKey)
        .catch(refused => { sessionStorage.removeItem("auditorKey"); throw refused; }) // a wrong key is not kept
      : read("/api/activities/" + encodeURIComponent(current.id) + "/events"));
    freshness(current);
    const earlierIds = [...new Set(timeline.events.map(event => event.activityId).filter(other => other && other !== current.id))];
    const facts = [[t("lead"), agencyLink(current.leadAgency)], [t("state"), label("state", current.state)],
      ...(earlierIds.length ? [[t("earlierIds"), earlierIds.join(" → ")]] : []),
      [t("axis"), current.axes.map(code => label("axis", code)).join(", ")],
      [t("region"), current.regions.map(code => label("region", code)).join(", ")],
      [t("targetGroup"), current.targetGroups.map(code => label("targetGroup", code)).join(", ")],
      [t("period"), period(current.plannedPeriod)],
      [t("planned"), current.plannedBudget ? money({ [current.plannedBudget.currency]: current.plannedBudget.amount }) : "—"],
      // Each calendar year's part of the planned budget, in its currency; the parts add up to the budget.
      ...((current.plannedBudgetByYear || []).length ? [[t("plannedByYear"), h("ul", { class: "by-year" },
        ...current.plannedBudgetByYear.map(part => h("li", { "data-year": part.year },
          h("span", { class: "year" }, String(part.year)), " ",
          money({ [current.plannedBudget.currency]: part.amount }))))]]
        : []),
      [t("partners"), partnerText(current.partners) || "—"],
      ...((current.partners || []).filter(partner => partner.reason).map(partner =>
        [t("contestedBecause", { agency: partner.agency }), partner.reason])),
      ...((current.partnerRequests || []).length ? [[t("partnerRequests"), partnerText(current.partnerRequests)]] : [])];
    const rows = timeline.events.map(event => {
      const result = h("div", { class: "verification", "data-event": event.eventId, "aria-live": "polite" });
      const button = h("button", { type: "button", class: "verify", onclick: () => verify(event, result) }, t("verify"));
      return [date(event.recordedAt), date(event.occurredAt), event.recordedBy, event.type.replace(/^Activity/, ""),
        h("code", { class: "change" }, summary(event.payload)),
        ...(auditorKey ? [h("code", {}, event.idempotencyKey || "—")] : []), h("div", {}, button, result)];
    });
    const keyField = h("input", { type: "password", name: "auditorKey", autocomplete: "off" });
    const auditor = auditorKey
      ? h("p", { class: "auditor" }, t("asAuditor") + " ",
        h("button", { type: "button", onclick: () => { sessionStorage.removeItem("auditorKey"); render(); } }, t("leaveAuditor")))
      : h("form", { class: "auditor", onsubmit: event => {
        event.preventDefault();
        if (keyField.value) { sessionStorage.setItem("auditorKey", keyField.value.trim()); render(); }
      } }, h("label", {}, t("auditorKey") + " ", keyField), " ", h("button", { type: "submit" }, t("seeAsAuditor")));
    return [h("h3", {}, current.title + " (" + current.id + ")"),
      h("dl", { class: "facts" }, facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
      auditor,
      table(t("timeline"), [t("recordedAt"), t("occurredAt"), t("recordedBy"), t("what"), t("changed"),
        ...(auditorKey ? [t("idempotencyKey")] : []), t("verify")], rows, { className: "timeline" })];
  }

  /** What an event says, without the id it repeats. */
  function summary(payload) {
    return Object.entries(payload || {}).filter(([name]) => name !== "activityId")
      .map(([name, value]) => name + ": " + (typeof value === "object" ? JSON.stringify(value) : value)).join("; ");
  }

  async function ledger() {
    const [head, keys] = await Promise.all([read("/api/ledger/checkpoints/latest"), read("/api/ledger/public-key")]);
    document.getElementById("page").dataset.treeSize = head.treeSize;
    const arrivals = h("ol", { id: "arrivals", class: "arrivals", "aria-live": "polite" });
    window.LEDGER_ARRIVALS = arrivals;
    return [table(t("signedHead"), [t("field"), ""], [
        [t("treeSize"), numeric(head.treeSize, number(head.treeSize))], [t("rootHash"), h("code", {}, head.rootHash)],
        [t("signedAt"), date(head.timestamp)], [t("keyId"), h("code", {}, head.keyId)],
        [t("publicKey"), h("code", {}, (keys.keys || []).map(key => key.keyId).join(" → ") || keys.keyId)]]),
      table(t("cosignatures"), [t("witness"), t("witnessedAt")], (head.cosignatures || [])
        .map(cosignature => [h("code", {}, cosignature.witnessKeyId), date(cosignature.witnessedAt)])),
      h("section", { class: "table" }, h("h2", {}, t("arriving")), arrivals)];
  }

  // ---- "verify": an event's inclusion in the latest signed tree head, checked here with Web Crypto -------------

  const hex = bytes => Array.from(new Uint8Array(bytes), b => b.toString(16).padStart(2, "0")).join("");
  const unhex = text => new Uint8Array(text.match(/../g).map(pair => parseInt(pair, 16)));
  const utf8 = text => new TextEncoder().encode(text);
  const concat = (...parts) => {
    const all = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    parts.forEach(part => { all.set(part, at); at += part.length; });
    return all;
  };
  const sha256 = async bytes => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  /** Canonical JSON as the ledger signs it: keys in order, no spaces (our values are plain strings and integers). */
  const canonical = object => "{" + Object.keys(object).sort().filter(key => object[key] != null)
    .map(key => JSON.stringify(key) + ":" + JSON.stringify(object[key])).join(",") + "}";

  /** RFC 9162 §2.1.3.2. */
  async function rootFromPath(index, size, leafHash, path) {
    if (index >= size) return null;
    let fn = index, sn = size - 1, r = leafHash;
    for (const p of path) {
      if (sn === 0) return null;
      if ((fn & 1) === 1 || fn === sn) {
        r = await sha256(concat(new Uint8Array([1]), p, r));
        if ((fn & 1) === 0) { while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1; } }
      } else {
        r = await sha256(concat(new Uint8Array([1]), r, p));
      }
      fn >>= 1; sn >>= 1;
    }
    return sn === 0 ? r : null;
  }

  async function headSignatureHolds(head, keys) {
    const entry = (keys.keys || []).find(key => key.keyId === head.keyId)
      || (keys.keyId === head.keyId ? { publicKey: keys.publicKey } : null);
    if (!entry) return false;
    const key = await crypto.subtle.importKey("spki", Uint8Array.from(atob(entry.publicKey), c => c.charCodeAt(0)),
      { name: "Ed25519" }, false, ["verify"]);
    const signature = Uint8Array.from(atob(head.signature), c => c.charCodeAt(0));
    const message = canonical({ keyId: head.keyId, nextKey: head.nextKey, rootHash: head.rootHash,
      timestamp: head.timestamp, treeSize: head.treeSize });
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, signature, utf8(message))) return true;
    // Heads signed before keys were named.
    return !head.nextKey && crypto.subtle.verify({ name: "Ed25519" }, key, signature,
      utf8(canonical({ rootHash: head.rootHash, timestamp: head.timestamp, treeSize: head.treeSize })));
  }

  /** Checks one event, step by step, and says each step; a test may hand in a proof to check instead. */
  async function verify(event, out, givenProof) {
    const steps = h("ol", { class: "steps" });
    out.replaceChildren(steps);
    out.dataset.result = "running";
    const step = (ok, text) => { steps.append(h("li", { class: ok ? "ok" : "bad" }, (ok ? "✓ " : "✗ ") + text)); return ok; };
    try {
      if (!window.crypto || !crypto.subtle) throw new Error(t("noCrypto"));
      const [head, keys] = await Promise.all([read("/api/ledger/checkpoints/latest"), read("/api/ledger/public-key")]);
      const proof = givenProof || await read("/api/ledger/proofs/inclusion?eventId=" + encodeURIComponent(event.eventId)
        + "&treeSize=" + head.treeSize);
      const leafData = canonical({ eventHash: proof.eventHash, eventId: proof.eventId, globalSequence: proof.globalSequence });
      const leafHash = await sha256(concat(new Uint8Array([0]), utf8(leafData)));
      let ok = step(proof.eventId === event.eventId && proof.globalSequence === event.globalSequence,
        t("stepEvent", { seq: number(event.globalSequence) }));
      ok = step(hex(leafHash) === proof.leafHash, t("stepLeaf", { index: number(proof.leafIndex) })) && ok;
      const root = await rootFromPath(proof.leafIndex, head.treeSize, leafHash, proof.auditPath.map(unhex));
      ok = step(root !== null && hex(root) === head.rootHash,
        t("stepPath", { n: proof.auditPath.length, size: number(head.treeSize) })) && ok;
      ok = step(await headSignatureHolds(head, keys), t("stepSignature", { key: head.keyId, time: date(head.timestamp) })) && ok;
      out.dataset.result = ok ? "verified" : "failed";
      out.append(h("p", { class: ok ? "ok" : "bad" }, ok ? t("verified") : t("notVerified")));
    } catch (failure) {
      step(false, failure.message);
      out.dataset.result = "failed";
    }
  }
  window.LEDGER_VERIFY = verify;

  // ---- rendering, and again when the view changes ---------------------------------------------------------------

  async function render() {
    const page = document.getElementById("page");
    page.setAttribute("aria-busy", "true");
    try {
      const parts = await { overview, matrix, duplications, coverage, progress, ledger, agency, activity }[view]();
      page.replaceChildren(h("h2", { class: "page-title" }, t(view)), ...parts);
      // When the page first showed what it read (ms after navigation began): what a page-speed run reads.
      if (!performance.getEntriesByName("page-shown").length) performance.mark("page-shown");
    } catch (failure) {
      page.replaceChildren(h("p", { class: "error", role: "alert" }, t("failed", { why: failure.message })));
    } finally {
      page.removeAttribute("aria-busy");
    }
  }

  function live(reopened) {
    if (query.get("knownAt") || !window.EventSource) return; // a view of what was known then does not change
    const stream = new EventSource("/api/convergence/stream");
    const again = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(render, 150);
    };
    stream.addEventListener("convergence-changed", message => {
      if (view === "ledger" && window.LEDGER_ARRIVALS) {
        // New facts as they arrive: named here at once; the head that signs them follows within seconds.
        const change = JSON.parse(message.data);
        window.LEDGER_ARRIVALS.prepend(h("li", {}, date(new Date().toISOString()) + " — " + t("factNo") + " "
          + number(change.asOfSequence) + " : ", change.activities.map((id, i) => [i ? ", " : "", activityLink(id)])));
        return;
      }
      if (view !== "activity" || JSON.parse(message.data).activities.includes(query.get("id"))) again();
    });
    stream.addEventListener("reset", again);
    // A lost connection: the browser comes back by itself with the last message's id, and the stream resends what
    // changed meanwhile (or says "reset"); until then the freshness line carries a warning sign.
    stream.addEventListener("open", () => {
      document.body.classList.remove("offline");
      document.body.dataset.stream = "open";
      if (reopened) again(); // a new stream does not resend what changed while there was none: read the view again
    });
    stream.addEventListener("error", () => {
      document.body.classList.add("offline");
      document.body.dataset.stream = "lost";
      // Refused (429 when the stream has as many readers as it serves: places of readers gone are freed within
      // seconds) or otherwise closed for good: the browser will not retry that, so the page opens a new stream.
      if (stream.readyState === EventSource.CLOSED) setTimeout(() => live(true), 10000);
    });
  }

  async function start() {
    try {
      const [axes, agencies] = await Promise.all([read("/api/axes"), read("/api/agencies")]);
      axes.items.forEach(axis => { reference.axes[axis.code] = axis.title; });
      agencies.items.forEach(agency => { reference.agencies[agency.code] = agency.name; });
    } catch (ignored) {
      // The filters then offer what the labels know; the pages still read.
    }
    frame();
    document.getElementById("page").replaceChildren(h("p", {}, t("loading")));
    await render();
    live();
  }

  start();
})();
