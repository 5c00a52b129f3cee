// A self-contained HTML page (no scripts, no network): the summary table and pass rate against cost.
import { pct, usd, type EvalSummary } from './summary';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const W = 640;
const H = 360;
const PAD = { left: 60, right: 20, top: 20, bottom: 50 };

/** Pass rate (with its 95% interval as a bar) against cost per task, one point per arm. */
export function costChart(s: EvalSummary): string {
  const maxCost = Math.max(...s.arms.map((a) => a.costPerTask), 0) || 1;
  const x = (c: number) => PAD.left + (c / (maxCost * 1.15)) * (W - PAD.left - PAD.right);
  const y = (r: number) => PAD.top + (1 - r) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 8}" y="${y(t) + 4}" text-anchor="end">${t * 100}%</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const c = (maxCost * 1.15 * i) / 4;
    parts.push(`<text x="${x(c)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${esc(usd(c))}</text>`);
  }
  parts.push(`<text x="${(W + PAD.left) / 2}" y="${H - 8}" text-anchor="middle">cost per task (USD)</text>`);
  parts.push(`<text transform="translate(14 ${(H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">pass rate</text>`);
  s.arms.forEach((a, i) => {
    const cx = x(a.costPerTask);
    const single = a.arm.startsWith('single:');
    parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(a.interval.low)}" y2="${y(a.interval.high)}" class="ci"/>`);
    parts.push(`<circle cx="${cx}" cy="${y(a.passRate)}" r="6" class="${single ? 'single' : 'policy'}"><title>${esc(a.arm)}: ${pct(a.passRate)} at ${esc(usd(a.costPerTask))} per task</title></circle>`);
    // Alternate label sides so arms at the same cost stay readable.
    const dx = i % 2 ? -10 : 10;
    parts.push(`<text x="${cx + dx}" y="${y(a.passRate) - 8}" text-anchor="${i % 2 ? 'end' : 'start'}" class="label">${esc(a.arm)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="pass rate against cost per task">${parts.join('')}</svg>`;
}

export function renderReport(s: EvalSummary, meta: { suite: string; createdAt: string }): string {
  const armRows = s.arms
    .map(
      (a) =>
        `<tr><th scope="row">${esc(a.arm)}</th><td>${a.attempts}</td><td>${pct(a.passRate)}</td><td>${pct(a.interval.low)}–${pct(a.interval.high)}</td><td>${a.callsPerTask.toFixed(1)}</td><td>${Math.round(a.tokensPerTask)}</td><td>${esc(usd(a.costPerTask))}</td><td>${Number.isNaN(a.p50WallMs) ? '-' : (a.p50WallMs / 1000).toFixed(1) + ' s'}</td><td>${a.errors}</td></tr>`,
    )
    .join('');
  const pairRows = s.pairings
    .map((p) => `<tr><th scope="row">${esc(p.arm)}</th><td>${p.wins}</td><td>${p.losses}</td><td>${p.ties}</td><td>${p.pValue < 0.001 ? '&lt;0.001' : p.pValue.toFixed(3)}</td></tr>`)
    .join('');
  const pairing = s.pairings.length
    ? `<h2>Against the best single model (${esc(s.bestSingle ?? '')})</h2>
<p>Each pair is one task and repeat run by both arms. A win: only the policy arm passed; a loss: only the single model did. The p-value is the exact two-sided McNemar test on wins and losses.</p>
<table><thead><tr><th>arm</th><th>wins</th><th>losses</th><th>ties</th><th>McNemar p</th></tr></thead><tbody>${pairRows}</tbody></table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fugu eval: ${esc(meta.suite)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:900px;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .7rem;border-bottom:1px solid #d0d7de;text-align:right}
th[scope=row],thead th:first-child{text-align:left}thead th{border-bottom:2px solid #57606a}
svg text{font-size:12px;fill:#57606a}svg .label{fill:#1f2328}svg .grid{stroke:#eaeef2}svg .ci{stroke:#8c959f;stroke-width:2}
svg .policy{fill:#0969da}svg .single{fill:#bf8700}.muted{color:#57606a}
</style></head><body>
<h1>Fugu eval</h1>
<p class="muted">Suite ${esc(meta.suite)} · ${esc(meta.createdAt)}</p>
<h2>Arms</h2>
<p>Pass rate with its 95% Wilson interval; calls, tokens and cost are means per task; wall time is the median.</p>
<table><thead><tr><th>arm</th><th>tasks</th><th>pass</th><th>95% CI</th><th>calls/task</th><th>tokens/task</th><th>cost/task</th><th>p50 wall</th><th>errors</th></tr></thead><tbody>${armRows}</tbody></table>
${pairing}
<h2>Pass rate against cost</h2>
<p>Blue: policies (orchestrated workflows). Amber: one model alone. The bar is the 95% interval.</p>
${costChart(s)}
</body></html>
`;
}
