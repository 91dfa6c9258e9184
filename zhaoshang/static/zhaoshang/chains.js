/* Chain page: draws the chain's segments (上游 → 中游 → 下游) from the server's JSON (#chain-data) with the
   locally served ECharts. A node's size follows its signed amount, a segment with a 断点 is red, and a click
   opens the ledger filtered to the segment's projects. */
(function () {
  "use strict";
  const dataEl = document.getElementById("chain-data");
  const el = document.getElementById("chain-chart");
  if (!dataEl || !el || !window.echarts) return;
  const data = JSON.parse(dataEl.textContent);
  const labelsEl = document.getElementById("chain-labels");
  const L = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  const amounts = data.nodes.map((n) => Number(n.amount) || 0);
  const max = Math.max(1, ...amounts);
  const size = (a) => 36 + 44 * Math.sqrt((Number(a) || 0) / max);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const chart = window.echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        if (p.dataType !== "node") return "";
        const n = p.data.raw;
        return [
          "<strong>" + esc(n.position) + " · " + esc(n.name) + "</strong>",
          esc(L.projects) + "：" + n.projects + esc(L.unit) + "　" + esc(L.amount) + "：" + esc(n.amount_text),
          esc(L.targets) + "：" + n.targets,
        ].concat(n.gaps.map(esc)).concat(["<span style='color:#6c757d'>" + esc(L.clickHint) + "</span>"]).join("<br>");
      },
    },
    series: [{
      type: "graph",
      layout: "none",
      roam: true,
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 8,
      lineStyle: { color: "#adb5bd", width: 1.5, curveness: 0.1 },
      label: { show: true, position: "bottom", formatter: (p) => p.data.raw.name + "\n" + p.data.raw.projects + L.unit + " · " + p.data.raw.amount_text },
      data: data.nodes.map((n) => ({
        id: n.id, name: n.name, x: n.x, y: n.y, symbolSize: size(n.amount), raw: n, link: n.link,
        itemStyle: n.has_break
          ? { color: "#dc3545", borderColor: "#842029", borderWidth: 3 }
          : { color: "#0d6efd" },
      })),
      links: data.edges,
    }],
  });
  chart.on("click", (p) => {
    if (p.dataType === "node" && p.data && p.data.link) window.location.href = p.data.link;
  });
  window.zsChain = { chart: chart, data: data };
  window.addEventListener("resize", () => chart.resize());
})();
