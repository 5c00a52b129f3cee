// A self-contained HTML page (no scripts, no network): the summary table and pass rate against cost.
import { createHash } from 'node:crypto';
import type { EvalResult, Fingerprint } from './results';
import { bestLine, pct, pFmt, sizeLine, solvedFmt, usd, type EvalSummary } from './summary';

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

/** Who and what produced a results file: the report's header and its sidecar JSON. */
export interface ReportMeta {
  suite: string;
  /** Hash over every task's hash (definition and workspace files). */
  suiteHash: string | null;
  createdAt: string;
  fuguVersion: string;
  gitCommit: string | null;
  /** Each arm's workers and models, policy and prompts version, as its fingerprint records them. */
  arms: ({ name: string } & Partial<Fingerprint>)[];
  /** The config's price overrides (USD per million tokens); the built-in table prices the rest. */
  prices: Record<string, { input: number; output: number }>;
  promptsVersion: string | null;
  /** True for `--demo`: the outcomes are scripted. */
  demo: boolean;
  budget: { capUsd: number; spentUsd: number } | null;
}

export function reportMeta(m: Partial<ReportMeta> & Pick<ReportMeta, 'suite' | 'createdAt' | 'fuguVersion' | 'gitCommit' | 'arms'>): ReportMeta {
  return { prices: {}, promptsVersion: null, demo: false, budget: null, ...m, suiteHash: m.suiteHash ? createHash('sha256').update(m.suiteHash).digest('hex').slice(0, 16) : null };
}

const DEMO_BANNER = 'scripted demo: the outcomes are written in eval/sample/demo.json, they measure nothing';

/** Arm × task: pass/fail (a fraction with repeats), cost, and a link to each attempt's trace. */
function perTaskTable(results: EvalResult[], arms: string[], link: (traceId: string) => string): string {
  const tasks = [...new Set(results.map((r) => r.task))].sort();
  const head = `<tr><th>task</th>${arms.map((a) => `<th>${esc(a)}</th>`).join('')}</tr>`;
  const rows = tasks.map((t) => {
    const cells = arms.map((a) => {
      const rs = results.filter((r) => r.task === t && r.arm === a).sort((x, y) => x.repeat - y.repeat);
      if (!rs.length) return '<td class="muted">-</td>';
      const passes = rs.filter((r) => r.pass).length;
      const mark = rs.length === 1 ? (passes ? 'pass' : 'fail') : `${passes}/${rs.length}`;
      const cost = usd(rs.reduce((x, r) => x + r.costUsd, 0) / rs.length);
      const links = rs.map((r, i) => (r.traceId ? `<a href="${esc(link(r.traceId))}" title="${esc(r.errorKind ?? (r.pass ? 'passed' : 'failed'))}">${rs.length > 1 ? `#${i + 1}` : 'trace'}</a>` : '')).join(' ');
      const kinds = [...new Set(rs.map((r) => r.errorKind).filter(Boolean))].join(', ');
      return `<td class="${passes === rs.length ? 'ok' : passes === 0 ? 'bad' : ''}">${mark}${kinds ? ` <span class="muted">(${esc(kinds)})</span>` : ''}<br><span class="muted">${esc(cost)}</span> ${links}</td>`;
    });
    return `<tr><th scope="row">${esc(t)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="tasks"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function metaBlock(m: ReportMeta): string {
  const armRows = m.arms
    .map((a) => `<tr><th scope="row">${esc(a.name)}</th><td class="l">${esc(a.workers ?? '?')}</td><td class="l">${esc(a.policy ?? '?')}</td><td class="l">${esc(a.prompts ?? '?')}</td></tr>`)
    .join('');
  const prices = Object.entries(m.prices).map(([k, p]) => `${k}: $${p.input} in / $${p.output} out per million tokens`).join('; ');
  return `<dl>
<dt>fugu</dt><dd>${esc(m.fuguVersion)}${m.gitCommit ? ` (commit ${esc(m.gitCommit.slice(0, 12))})` : ''}</dd>
<dt>suite</dt><dd>${esc(m.suite)}${m.suiteHash ? ` (hash ${esc(m.suiteHash)})` : ''}</dd>
<dt>written</dt><dd>${esc(m.createdAt)}</dd>
<dt>prices</dt><dd>${prices ? esc(prices) : 'the built-in price table'}</dd>
${m.budget ? `<dt>budget</dt><dd>spent ${esc(usd(m.budget.spentUsd))} of ${esc(usd(m.budget.capUsd))}</dd>` : ''}
</dl>
<table><thead><tr><th>arm</th><th>workers (id=provider/model)</th><th>policy</th><th>prompts</th></tr></thead><tbody>${armRows}</tbody></table>`;
}

export function renderReport(s: EvalSummary, meta: ReportMeta, results: EvalResult[], link: (traceId: string) => string): string {
  const armRows = s.arms
    .map(
      (a) =>
        `<tr><th scope="row">${esc(a.arm)}</th><td>${a.tasks}</td><td>${a.attempts}</td><td>${pct(a.passRate)}</td><td>${pct(a.interval.low)}–${pct(a.interval.high)}</td><td>${a.callsPerTask.toFixed(1)}</td><td>${Math.round(a.tokensPerTask)}</td><td>${esc(usd(a.costPerTask))}</td><td>${esc(solvedFmt(a.costPerSolved))}</td><td>${Number.isNaN(a.p50WallMs) ? '-' : (a.p50WallMs / 1000).toFixed(1) + ' s'}</td><td>${a.errors}</td><td>${a.notRun}</td></tr>`,
    )
    .join('');
  const refRows = [s.oracle, s.bestFixed]
    .filter((r) => r !== null)
    .map((r) => `<tr class="ref"><th scope="row">${r.name === 'oracle' ? '(oracle)' : `(best fixed: ${esc(r.arms.join(' = '))})`}</th><td>${s.tasks}</td><td>-</td><td>${pct(r.passRate)}</td><td>${pct(r.interval.low)}–${pct(r.interval.high)}</td><td>-</td><td>-</td><td>${esc(usd(r.costPerTask))}</td><td>${esc(solvedFmt(r.costPerSolved))}</td><td>-</td><td>-</td><td>-</td></tr>`)
    .join('');
  const pairRows = s.pairings
    .map(
      (p) =>
        `<tr><th scope="row">${esc(p.arm)}</th><td class="l">${esc(p.against)}</td><td>${p.wins}</td><td>${p.losses}</td><td>${p.ties}</td><td>${p.meanDiff >= 0 ? '+' : ''}${(p.meanDiff * 100).toFixed(1)} pt</td><td>${p.test}</td><td>${pFmt(p.pValue).replace('<', '&lt;')}</td><td>${pFmt(p.pHolm).replace('<', '&lt;')}</td></tr>`,
    )
    .join('');
  const pairing = s.pairings.length
    ? `<h2>Paired against each single model</h2>
<p>${esc(bestLine(s))}. Each comparison is over the tasks both arms ran; a task's score is its pass fraction. Wins: tasks where the arm scored higher. The test is the exact McNemar test when every task has one attempt per arm, otherwise the exact sign-flip permutation test on the per-task differences; Holm p corrects for comparing one arm with every single model.</p>
<table><thead><tr><th>arm</th><th>against</th><th>wins</th><th>losses</th><th>ties</th><th>mean diff</th><th>test</th><th>p</th><th>Holm p</th></tr></thead><tbody>${pairRows}</tbody></table>`
    : '';
  const banner = meta.demo ? `<p class="demo" role="alert"><strong>${esc(DEMO_BANNER)}</strong></p>\n` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${meta.demo ? 'Scripted demo · ' : ''}Fugu eval: ${esc(meta.suite)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .7rem;border-bottom:1px solid #d0d7de;text-align:right;vertical-align:top}
th[scope=row],thead th:first-child,td.l{text-align:left}thead th{border-bottom:2px solid #57606a}
tr.ref th,tr.ref td{font-style:italic;color:#57606a}table.tasks td{text-align:center}td.ok{background:#dafbe1}td.bad{background:#ffebe9}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#57606a}dd{margin:0}
.demo{background:#fff8c5;border:2px solid #bf8700;padding:.7rem 1rem;font-size:16px}
svg text{font-size:12px;fill:#57606a}svg .label{fill:#1f2328}svg .grid{stroke:#eaeef2}svg .ci{stroke:#8c959f;stroke-width:2}
svg .policy{fill:#0969da}svg .single{fill:#bf8700}.muted{color:#57606a}
</style></head><body>
${banner}<h1>Fugu eval</h1>
<p class="muted">${esc(sizeLine(s))} · suite ${esc(meta.suite)} · ${esc(meta.createdAt)}</p>
${metaBlock(meta)}
<h2>Arms</h2>
<p>A task is the unit: an arm's score on a task is the fraction of its attempts that passed, and its pass rate is the mean over tasks, with a 95% interval over tasks (Wilson at the cluster-robust effective size). Calls, tokens and cost are means per attempt; cost/solved is total cost over passing attempts; wall time is the median. (oracle): per task the best any single model did, the most routing among them could reach. Not run: attempts cut by the budget, the network or a cancel.</p>
<table><thead><tr><th>arm</th><th>tasks</th><th>attempts</th><th>pass</th><th>95% CI</th><th>calls/try</th><th>tokens/try</th><th>cost/try</th><th>cost/solved</th><th>p50 wall</th><th>errors</th><th>not run</th></tr></thead><tbody>${armRows}${refRows}</tbody></table>
${pairing}
<h2>Pass rate against cost</h2>
<p>Blue: policies (orchestrated workflows). Amber: one model alone. The bar is the 95% interval.</p>
${costChart(s)}
<h2>Per task</h2>
${perTaskTable(results, s.arms.map((a) => a.arm), link)}
</body></html>
`;
}
