// /mod/outcomes: the k-anonymous aggregates as charts. Suppressed cells are left
// out of the bars (the tables say "fewer than N"); nothing per person is ever here.
import { gettext } from "./i18n.js";

const holder = document.getElementById("outcomes-data");

function draw() {
  if (!holder || typeof window.Chart === "undefined") return;
  const data = JSON.parse(holder.dataset.outcomes);
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue("--accent").trim() || "#8a4b2a";
  const ok = style.getPropertyValue("--ok").trim() || "#2d6a3e";
  const text = style.getPropertyValue("--text").trim() || "#2b2622";
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Chart.defaults.color = text;
  const base = { animation: reduce ? false : undefined, responsive: true, maintainAspectRatio: false };
  const shown = (cell) => (cell.suppressed ? null : cell.count);
  const scores = document.querySelector("canvas[data-outcomes-chart='scores']");
  if (scores) {
    new window.Chart(scores, {
      type: "bar",
      data: {
        labels: data.first_scores.map((c) => c.band),
        datasets: [
          { label: gettext("First check-in"), data: data.first_scores.map(shown), backgroundColor: accent },
          { label: gettext("Latest check-in"), data: data.latest_scores.map(shown), backgroundColor: ok },
        ],
      },
      options: { ...base, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  const feedback = document.querySelector("canvas[data-outcomes-chart='feedback']");
  if (feedback) {
    const weeks = data.feedback_by_week;
    new window.Chart(feedback, {
      type: "line",
      data: {
        labels: weeks.map((w) => w.week_start),
        datasets: [
          { label: gettext("Mean at ease (1 to 5)"), data: weeks.map((w) => w.mean_at_ease), borderColor: accent, backgroundColor: accent, yAxisID: "ease" },
          { label: gettext("Would meet again (%)"), data: weeks.map((w) => (w.share_meet_again === null ? null : Math.round(w.share_meet_again * 100))), borderColor: ok, backgroundColor: ok, yAxisID: "share" },
        ],
      },
      options: {
        ...base,
        scales: {
          ease: { position: "left", min: 1, max: 5 },
          share: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
}

draw();
