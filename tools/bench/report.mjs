import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { latencyChart } from './chart.mjs';

export const REPORT_DIR = 'tmp/bench';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  };
}

export function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const percent = (ratio) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : '–');

function resultRows(report) {
  return Object.entries(report.scenarios).map(([name, r]) => [
    name,
    fixed(r.reqPerSec),
    fixed(r.p50),
    fixed(r.p99),
    String(r.non2xx),
    String(r.errors),
    fixed(r.cpuMsPerRequest, 3),
  ]);
}

function floorRows(report) {
  return Object.entries(report.vsFloor?.scenarios ?? {}).map(([name, c]) => [
    name,
    c.api.map((r) => fixed(r.reqPerSec, 0)).join(' / '),
    c.floor.map((r) => fixed(r.reqPerSec, 0)).join(' / '),
    fixed(c.apiMean.reqPerSec),
    fixed(c.floorMean.reqPerSec),
    percent(c.ratio),
    `>= ${percent(c.target)}`,
    c.pass ? 'PASS' : 'FAIL',
    `${fixed(c.apiMean.cpuMsPerRequest, 3)} / ${fixed(c.floorMean.cpuMsPerRequest, 3)} (${fixed(c.cpuRatio, 1)}×)`,
  ]);
}

const RESULT_HEAD = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'API CPU ms/req'];
const FLOOR_HEAD = [
  'scenario',
  'API req/s (A1/A2)',
  'floor req/s (B1/B2)',
  'API mean',
  'floor mean',
  'API/floor',
  'target',
  '',
  'CPU ms/req API / floor',
];

function textTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(head, rows) {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function mixedLines(report) {
  const mixed = report.scenarios.mixed;
  if (!mixed?.rounds) return [];
  const heap = ({ heapMiB: h }) => (h ? ` (JS heap ${fixed(h.heapUsed)} used of ${fixed(h.heapTotal)})` : '');
  return [
    `API RSS before the mixed rounds: ${fixed(report.apiRss.afterStart)} MiB after start, ${fixed(report.apiRss.afterSeed)} MiB after seeding`,
    ...mixed.rounds.map(
      (round, i) =>
        `mixed round ${i + 1}: ${fixed(round.reqPerSec)} req/s, p50 ${fixed(round.p50)} ms, p99 ${fixed(round.p99)} ms, API RSS ${fixed(round.rssMiB)} MiB${heap(round)}`,
    ),
    mixed.rssFlags.length === 0
      ? 'API RSS: OK (under 256 MiB, no round grew by more than 10%)'
      : `API RSS: FLAG ${mixed.rssFlags.join('; ')}`,
  ];
}

function checkoutLine(report) {
  const c = report.scenarios.checkout;
  if (!c) return [];
  return [
    `checkout: ${fixed(c.checkoutsPerSec)} checkouts/s (each after one add; the row above counts both requests), checkout p50 ${fixed(c.checkoutP50)} ms, p99 ${fixed(c.checkoutP99)} ms`,
  ];
}

function ackLine(report) {
  const a = report.acknowledgedAdds;
  if (!a) return [];
  const ok = a.presentAdds === a.acknowledgedAdds;
  return [
    `acknowledged adds present: ${a.presentAdds}/${a.acknowledgedAdds} (${a.presentPairs}/${a.pairs} customer×product pairs) ${ok ? 'OK' : 'LOST UPDATES'}`,
  ];
}

function floorVerdictLines(report) {
  const v = report.vsFloor;
  if (!v) return [];
  return [
    `zero errors: ${v.zeroErrors.pass ? 'PASS' : 'FAIL'} (API over the whole bench: ${v.zeroErrors.apiNon2xx} non-2xx, ${v.zeroErrors.apiErrors} errors; floor: ${v.zeroErrors.floorNon2xx} non-2xx, ${v.zeroErrors.floorErrors} errors)`,
  ];
}

/** Human-readable summary on stdout. */
export function printSummary(report) {
  const out = [
    '',
    textTable(RESULT_HEAD, resultRows(report)),
    '',
    ...mixedLines(report),
    ...checkoutLine(report),
    ...ackLine(report),
  ];
  if (report.vsFloor) {
    out.push('', 'API vs floor (A B A B, both rounds measured; mixed: the floor turns the 5% PUTs into adds)');
    out.push(textTable(FLOOR_HEAD, floorRows(report)), ...floorVerdictLines(report));
  }
  if (report.cpuProfile) out.push('', 'API CPU profile, top self time:', ...report.cpuProfile.lines);
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function writeReports(report) {
  await mkdir(REPORT_DIR, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const base = `bench-${stamp}`;
  const files = {
    json: join(REPORT_DIR, `${base}.json`),
    md: join(REPORT_DIR, `${base}.md`),
    svg: join(REPORT_DIR, `${base}.svg`),
  };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.svg, latencyChart(chartGroups(report)));
  await writeFile(files.md, markdown(report, `${base}.svg`));
  return files;
}

function chartGroups(report) {
  return Object.entries(report.scenarios).map(([name, r]) => {
    const floor = report.vsFloor?.scenarios[name]?.floorMean;
    return { name, apiP50: r.p50, apiP99: r.p99, floorP50: floor?.p50, floorP99: floor?.p99 };
  });
}

function markdown(report, svgName) {
  const m = report.machine;
  const s = report.settings;
  const lines = [
    `# Carthub API benchmark — ${report.date}`,
    '',
    `- commit \`${report.commit}\`; ${m.os}; ${m.cpuCount} × ${m.cpuModel}; ${m.totalMemoryGiB} GiB; Node ${m.node}`,
    `- ${s.connections} connections; ${s.warmup} s warm-up (not recorded) then ${s.duration} s measured per run; database: ${s.database}`,
    `- API: ${Object.entries(s.apiEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `- seeded ${report.seed.carts} carts × 5 lines through the API in ${fixed(report.seed.seconds)} s (${fixed(report.seed.addsPerSecond, 0)} adds/s at 32 concurrent requests)`,
    `- load generator (autocannon) runs on the same machine as the server and PostgreSQL, so all three share the CPUs`,
    '',
    '## Results',
    '',
    markdownTable(
      [...RESULT_HEAD, 'timeouts'],
      resultRows(report).map((row, i) => [...row, String(Object.values(report.scenarios)[i].timeouts)]),
    ),
    '',
    ...[...mixedLines(report), ...checkoutLine(report), ...ackLine(report)].map((line) => `- ${line}`),
    '',
    `![p50 and p99 latency per scenario](${svgName})`,
  ];
  if (report.vsFloor) {
    lines.push(
      '',
      '## API vs floor',
      '',
      'The floor (`tools/bench/floor-server.mjs`) is `node:http` + `pg` with no framework, running the same SQL against the same database. Runs alternate API, floor, API, floor; the ratio is of the means. In `mixed` the floor turns the 5 % PUTs into adds (it has no PUT).',
      '',
      markdownTable(FLOOR_HEAD, floorRows(report)),
      '',
      ...floorVerdictLines(report).map((line) => `- ${line}`),
    );
  }
  if (report.apiLog.lines > 0) {
    lines.push(
      '',
      `## API log (${report.apiLog.lines} lines at warn or above; last ones)`,
      '',
      '```',
      ...report.apiLog.tail,
      '```',
    );
  }
  if (report.cpuProfile) {
    lines.push('', '## API CPU profile (top self time)', '', '```', ...report.cpuProfile.lines, '```');
  }
  return `${lines.join('\n')}\n`;
}
