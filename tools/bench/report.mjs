import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { latencyChart } from './chart.mjs';
import { FLOORS } from './args.mjs';
import { P99_RATIO_LIMIT, RSS_LIMIT_MIB } from './runs.mjs';

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
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
const verdict = (pass) => (pass === undefined ? '' : pass ? 'PASS' : 'FAIL');

const RUN_HEAD = [
  'scenario',
  'run',
  'req/s',
  'p50 ms',
  'p99 ms',
  'server CPU ms/req',
  'PG CPU ms/req',
  'wrk cores',
  'machine busy',
  'other cores',
  'load 1m',
  'non-2xx',
  'errors',
];

/** How a side is named in the tables: the API, or the floor by its --floor name. */
const sideLabel = (side) => (side === 'api' ? 'API' : side);

function runRows(report) {
  const rows = [];
  for (const [name, s] of Object.entries(report.scenarios)) {
    // In the order they ran: A1 B1 C1 A2 B2 C2 …
    for (let i = 0; i < report.settings.rounds; i++) {
      for (const [side, runs] of Object.entries(s.runs)) {
        const r = runs[i];
        rows.push([
          name,
          `${sideLabel(side)} ${i + 1}`,
          fixed(r.reqPerSec, 0),
          fixed(r.p50),
          fixed(r.p99),
          fixed(r.cpuMsPerRequest, 3),
          fixed(r.postgresMsPerRequest, 3),
          fixed(r.wrkCores, 2),
          `${fixed(r.machineBusyPercent, 0)}%`,
          fixed(r.otherCores, 2),
          `${fixed(r.loadBefore.one, 2)}→${fixed(r.loadAfter.one, 2)}`,
          String(r.non2xx),
          String(r.errors),
        ]);
      }
    }
  }
  return rows;
}

const COMPARE_HEAD = [
  'scenario',
  'A ÷ B',
  'req/s A / B',
  'ratio',
  'target',
  '',
  'CPU ms/req A / B',
  'ratio',
  'target',
  '',
  'p99 ms A / B',
  'ratio',
  `≤ ${P99_RATIO_LIMIT}×`,
  'PG ms/req A / B',
];

function compareRows(report) {
  return Object.entries(report.scenarios).flatMap(([name, s]) =>
    s.comparisons.map((v) => {
      const a = s.means[v.subject];
      const f = s.means[v.floor];
      return [
        name,
        `${sideLabel(v.subject)} ÷ ${v.floor}`,
        `${fixed(a.reqPerSec, 0)} / ${fixed(f.reqPerSec, 0)}`,
        fixed(v.reqRatio, 2),
        v.reqTarget === undefined ? '–' : `≥ ${v.reqTarget}`,
        verdict(v.reqPass),
        `${fixed(a.cpuMsPerRequest, 3)} / ${fixed(f.cpuMsPerRequest, 3)}`,
        times(v.cpuRatio),
        v.cpuTarget === undefined ? '–' : `≤ ${v.cpuTarget}×`,
        verdict(v.cpuPass),
        `${fixed(a.p99)} / ${fixed(f.p99)}`,
        times(v.p99Ratio),
        verdict(v.p99Pass),
        `${fixed(a.postgresMsPerRequest, 3)} / ${fixed(f.postgresMsPerRequest, 3)}`,
      ];
    }),
  );
}

function textTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(head, rows) {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function rssLines(report) {
  const mixed = report.scenarios.mixed;
  if (!mixed?.rss) return [];
  const heaps = mixed.runs.api
    .map((r, i) =>
      r.heapMiB ? `round ${i + 1} JS heap ${fixed(r.heapMiB.heapUsed)} used of ${fixed(r.heapMiB.heapTotal)} MiB` : '',
    )
    .filter(Boolean);
  return [
    `API RSS: ${fixed(report.apiRss.afterStart)} MiB after start, ${fixed(report.apiRss.afterSeed)} MiB after seeding; ` +
      `under mixed (after its warm-up, then after each measured round): ${mixed.rss.readings.map((r) => fixed(r, 0)).join(', ')} MiB` +
      (heaps.length ? ` (${heaps.join('; ')})` : ''),
    `RSS under mixed flat and < ${RSS_LIMIT_MIB} MiB: ${mixed.rss.pass ? 'PASS' : `FAIL (${mixed.rss.flags.join('; ')})`}`,
  ];
}

function checkoutLines(report) {
  const c = report.scenarios.checkout;
  if (!c) return [];
  const sides = Object.entries(c.means).map(
    ([side, mean]) => `${sideLabel(side)} ${fixed(mean.checkoutsPerSec ?? 0, 0)} orders placed/s (201s)`,
  );
  return [`checkout: ${sides.join('; ')}; each on a 2-line cart filled in SQL before the run`];
}

function ackLines(report) {
  const acks = report.acknowledgedAdds;
  if (!acks) return [];
  return Object.entries(acks).map(
    ([name, a]) =>
      `acknowledged adds, ${name}: ${a.pass ? 'PASS' : 'FAIL'}: ${a.acknowledged} acknowledged, ${a.stored} stored, ${a.sent} sent over ${a.pairs} customer×product pairs; ` +
      `${a.lost} lost (acknowledged but not stored), ${a.beyondSent} stored beyond what was sent; ` +
      `${a.exactPairs}/${a.pairs} pairs store exactly the acknowledged count, the other ${a.inFlightStored} stored unit(s) were in flight, unanswered, when a run stopped`,
  );
}

function errorLine(report) {
  const scenarios = Object.values(report.scenarios);
  // Every scenario ran the same sides.
  const sides = Object.keys(scenarios[0]?.runs ?? {});
  const total = (side, key) => scenarios.reduce((sum, s) => sum + s.runs[side].reduce((n, r) => n + r[key], 0), 0);
  const each = sides.map(
    (side) => `${sideLabel(side)} ${total(side, 'non2xx')} non-2xx, ${total(side, 'errors')} socket errors/timeouts`,
  );
  return `errors: ${each.join('; ')}`;
}

function verdictLines(report) {
  return [...rssLines(report), ...checkoutLines(report), ...ackLines(report), errorLine(report)];
}

/** Human-readable summary on stdout. */
export function printSummary(report) {
  const out = ['', textTable(RUN_HEAD, runRows(report))];
  const compared = compareRows(report);
  if (compared.length > 0) out.push('', 'A ÷ B (means over the measured rounds)', textTable(COMPARE_HEAD, compared));
  out.push('', ...verdictLines(report));
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

/** The chart shows the API beside the first floor that ran. */
function chartGroups(report) {
  return Object.entries(report.scenarios).map(([name, s]) => {
    const floor = s.means[report.settings.floors[0]];
    return { name, apiP50: s.means.api.p50, apiP99: s.means.api.p99, floorP50: floor?.p50, floorP99: floor?.p99 };
  });
}

function markdown(report, svgName) {
  const m = report.machine;
  const s = report.settings;
  const load = (l) => `${l.one} / ${l.five} / ${l.fifteen}`;
  const lines = [
    `# Carthub API benchmark — ${report.date}`,
    '',
    '## How these figures were obtained',
    '',
    `- commit \`${report.commit}\`; ${m.os}; ${m.cpuCount} × ${m.cpuModel}; ${m.totalMemoryGiB} GiB; Node ${m.node}`,
    `- load generator: ${s.wrk}, ${s.threads} threads, ${s.connections} connections, Lua scripts in \`tools/bench/wrk/\`; ` +
      `per scenario a ${s.warmup} s warm-up of each side (not recorded), then ${s.rounds} measured round(s) of ${s.duration} s per side, ` +
      (s.floors.length > 0 ? `alternating ${['API', ...s.floors].join(', ')}, then again …` : 'API only'),
    `- database: ${s.database}; API, floor, PostgreSQL and wrk all on this machine, sharing its ${m.cpuCount} cores`,
    `- API (\`dist/apps/api/main.js\`) as deployed: ${Object.entries(s.apiEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}, METRICS_PORT set (metrics on); request log to \`${report.apiLog.file}\` (${report.apiLog.lines} lines); events: on (every write also writes its outbox event); prices: ${s.prices}`,
    `- load average (1 / 5 / 15 min) at the start ${load(report.loadAtStart)}, at the end ${load(report.loadAtEnd)}; other engineers' jobs may have been running: see "other cores" per run`,
    `- seeded ${report.seed.carts} carts × 5 lines through the API in ${fixed(report.seed.seconds)} s`,
    "- **server CPU ms/req**: the server process's utime + stime (`/proc/<pid>/stat`) over the measured run ÷ responses; " +
      "**PG CPU ms/req**: the same summed over the PostgreSQL backends of the bench's database; **wrk cores**: wrk's own CPU ÷ run time; " +
      '**machine busy**: all cores, from `/proc/stat`; **other cores**: busy CPU not accounted to the server, its backends or wrk (other processes, kernel work not charged to them)',
    '- req/s = responses ÷ run time; p50/p99 from `wrk --latency` (all responses)',
    '',
    '## Runs',
    '',
    markdownTable(RUN_HEAD, runRows(report)),
    '',
  ];
  const compared = compareRows(report);
  if (compared.length > 0) {
    lines.push(
      '## A ÷ B',
      '',
      ...report.settings.floors.map((floor) => `- **${floor}**: ${FLOORS[floor].description}`),
      '',
      'Ratios are of the means over the measured rounds (CPU per request: total CPU ÷ total responses). ' +
        "The targets of issue 13 are set against the bare floor, and PASS or FAIL is given only for the API ÷ bare; a koa floor ÷ bare is what the stack costs before any of the API's own code.",
      '',
      markdownTable(COMPARE_HEAD, compared),
      '',
    );
  }
  lines.push(...verdictLines(report).map((line) => `- ${line}`), '', `![p50 and p99 latency per scenario](${svgName})`);
  if (report.apiLog.warnings.length > 0 || report.apiLog.stderr.length > 0) {
    lines.push(
      '',
      '## API warnings and stderr (last ones)',
      '',
      '```',
      ...report.apiLog.warnings,
      ...report.apiLog.stderr,
      '```',
    );
  }
  if (report.cpuProfile) {
    lines.push('', '## API CPU profile (top self time)', '', '```', ...report.cpuProfile.lines, '```');
  }
  return `${lines.join('\n')}\n`;
}
