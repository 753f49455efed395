// The person's own check-in scores over time (/me/wellbeing), with the days they
// joined a group drawn as dashed lines. The table on the page has the same data.
import { gettext } from "./i18n.js";

const holder = document.getElementById("wellbeing-data");
const DAY = 24 * 60 * 60 * 1000;

function dateLabel(ms) {
  return new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

// Dashed vertical lines at the days the person joined a group.
const joinLines = {
  id: "joinLines",
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = options.color;
    ctx.lineWidth = 1.5;
    for (const at of options.joins) {
      const x = scales.x.getPixelForValue(at);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
  },
};

function draw() {
  if (!holder || typeof window.Chart === "undefined") return;
  const data = JSON.parse(holder.dataset.chart);
  const points = data.points.map((p) => ({ x: Date.parse(p.at), y: p.score }));
  const joins = data.joins.map((j) => Date.parse(j));
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue("--accent").trim() || "#8a4b2a";
  const muted = style.getPropertyValue("--muted").trim() || "#5f5750";
  const text = style.getPropertyValue("--text").trim() || "#2b2622";
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const xs = [...points.map((p) => p.x), ...joins];
  const min = Math.min(...xs) - DAY;
  const max = Math.max(...xs) + DAY;
  window.Chart.defaults.color = text;
  new window.Chart(document.querySelector("canvas[data-testid='wellbeing-chart']"), {
    type: "line",
    data: {
      datasets: [
        {
          label: gettext("Score (lower is less lonely)"),
          data: points,
          borderColor: accent,
          backgroundColor: accent,
          pointRadius: 4,
          tension: 0,
        },
      ],
    },
    options: {
      animation: reduce ? false : undefined,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: "linear", min, max, ticks: { callback: (value) => dateLabel(value), maxTicksLimit: 6 } },
        y: { min: 3, max: 9, ticks: { stepSize: 1 }, title: { display: true, text: gettext("Score") } },
      },
      plugins: {
        legend: { display: true },
        tooltip: { callbacks: { title: (items) => dateLabel(items[0].parsed.x) } },
        joinLines: { joins, color: muted },
      },
    },
    plugins: [joinLines],
  });
}

draw();
