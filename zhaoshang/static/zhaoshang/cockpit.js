/* Leaders' cockpit: draws the charts from the server's JSON (#cockpit-data) with the locally served
   ECharts. Every element carries the ledger link of the projects behind it; a click goes there. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("cockpit-data").textContent);
  // The words come translated from the page (#cockpit-labels); `{name}` marks are filled in here.
  const labelsEl = document.getElementById("cockpit-labels");
  const L = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  const fill = (text, values) => String(text || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const charts = {};
  window.zsCockpit = { data: data, charts: charts };

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    const c = window.echarts.init(el);
    c.setOption(Object.assign({ animation: false, tooltip: { trigger: "item" } }, option));
    c.on("click", function (p) {
      const link = p.data && p.data.link;
      if (link) window.location.href = link;
    });
    charts[id] = c;
    return c;
  }
  const num = (v) => (v === null || v === undefined ? null : Number(v));

  // Completion: rate of the annual target per indicator, with the time schedule as a line. A rate far above
  // 100 % would flatten every other bar, so the axis stops at RATE_CAP and a capped bar says so (↑ and
  // its real rate in the label); the exact figures stay in the table below the chart.
  const RATE_CAP = 150;
  const capped = (rate) => rate !== null && num(rate) > RATE_CAP;
  const anyCapped = data.completion.some((c) => capped(c.rate));
  chart("chart-completion", {
    grid: { left: 10, right: 20, top: 40, bottom: 30, containLabel: true },
    legend: { data: [L.rate, L.schedule] },
    xAxis: { type: "category", data: data.completion.map((c) => c.label), axisLabel: { interval: 0, width: 90, overflow: "break" } },
    yAxis: { type: "value", name: "%", min: 0, max: anyCapped ? RATE_CAP : null, axisLabel: { formatter: "{value}%" } },
    tooltip: { trigger: "item", formatter: (p) => p.data.tip || "" },
    series: [
      { name: L.rate, type: "bar", barMaxWidth: 60, label: { show: true, position: "top", formatter: (p) => p.data.text },
        data: data.completion.map((c) => ({
          value: c.rate === null ? 0 : Math.min(num(c.rate), RATE_CAP), link: c.link, key: c.key, exact: c.value,
          text: c.rate === null ? c.value_text : (capped(c.rate) ? "↑ " : "") + c.rate + "%",
          decal: capped(c.rate) ? { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [4, 3], rotation: -Math.PI / 4 } : null,
          tip: fill(L.completionTip, { label: c.label, value: c.value_text })
            + (c.target ? fill(L.targetTip, { target: c.target_text }) : L.noTarget),
          itemStyle: { color: c.behind ? "#dc3545" : "#0d6efd" },
        })) },
      { name: L.schedule, type: "line", symbol: "none", data: data.completion.map(() => num(data.schedule)),
        lineStyle: { type: "dashed", color: "#fd7e14" } },
    ],
  });

  // Monthly trend: this year against last year.
  const years = Object.keys(data.trend).sort();
  chart("chart-trend", {
    grid: { left: 10, right: 20, top: 40, bottom: 30, containLabel: true },
    legend: { data: years.map((y) => fill(L.year, { year: y })) },
    xAxis: { type: "category", data: L.months },
    yAxis: { type: "value", name: L.wan },
    tooltip: { trigger: "item", formatter: (p) => fill(L.trendTip, { series: p.seriesName, month: p.name, value: p.data ? p.data.exact : "—" }) },
    series: years.map((y) => ({
      name: fill(L.year, { year: y }), type: "bar",
      data: data.trend[y].map((m) => (m ? { value: num(m.value), exact: m.value, link: m.link } : null)),
    })),
  });

  // Ranking by group: completion rate of the signed-amount target (amount where there is no target).
  const units = [];
  data.ranking.forEach((g) => g.units.forEach((u) => units.push(Object.assign({ group: g.group }, u))));
  units.reverse();
  // Unit names wrap inside a label column wide enough for them (containLabel), never cut off; the axis is a
  // rate in % when every unit has a target, an amount in 万元 otherwise.
  const allRates = units.length > 0 && units.every((u) => u.rate !== null);
  chart("chart-ranking", {
    grid: { left: 10, right: 40, top: 30, bottom: 20, containLabel: true },
    dataZoom: units.length > 15 ? [{ type: "slider", yAxisIndex: 0, start: 100 - (15 / units.length) * 100, end: 100, right: 0 }] : [],
    xAxis: allRates ? { type: "value", name: "%", axisLabel: { formatter: "{value}%" } } : { type: "value", name: L.wan },
    yAxis: { type: "category", data: units.map((u) => u.group + " · " + u.unit), axisLabel: { width: 200, overflow: "break" } },
    tooltip: { trigger: "item", formatter: (p) => fill(L.rankingTip, { name: p.name, value: p.data.exact }) + (p.data.rate ? fill(L.rankingRate, { rate: p.data.rate }) : "") },
    series: [{ type: "bar", data: units.map((u) => ({
      value: u.rate !== null ? num(u.rate) : num(u.value), exact: u.value, rate: u.rate, link: u.link,
      itemStyle: { color: u.behind ? "#dc3545" : "#198754" },
    })) }],
  });

  function breakdown(id, rows) {
    chart(id, {
      grid: { left: 10, right: 50, top: 30, bottom: 20, containLabel: true },
      xAxis: { type: "value", name: L.wan },
      yAxis: { type: "category", data: rows.map((r) => r.name).reverse(), axisLabel: { width: 140, overflow: "break" } },
      tooltip: { trigger: "item", formatter: (p) => fill(L.breakdownTip, { name: p.name, value: p.data.exact }) + (p.data.count ? fill(L.breakdownCount, { count: p.data.count }) : "") },
      series: [{ type: "bar", data: rows.map((r) => ({ value: num(r.value), exact: r.value, count: r.count, link: r.link })).reverse() }],
    });
  }
  breakdown("chart-industry", data.industry);
  breakdown("chart-origin", data.origin);

  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
})();
