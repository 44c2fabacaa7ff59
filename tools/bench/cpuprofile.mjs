import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Self time per function, and per package, from the newest V8 .cpuprofile in
 * `dir`. Also usable alone: node tools/bench/cpuprofile.mjs <dir>
 */
export async function summariseNewestProfile(dir, top = 25) {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile')).sort();
  if (files.length === 0) return undefined;
  const file = join(dir, files.at(-1));
  const profile = JSON.parse(await readFile(file, 'utf8'));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const owner = packageOf(url, functionName);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + us);
  }
  const share = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const ranked = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = [
    `${file} — ${(total / 1e6).toFixed(1)} s sampled`,
    'by package:',
    ...ranked(byPackage, 12).map(([name, us]) => `  ${share(us)}  ${name}`),
    'by function:',
    ...ranked(byFunction, top).map(([name, us]) => `  ${share(us)}  ${name}`),
  ];
  return { file, totalSeconds: total / 1e6, lines };
}

function shorten(url) {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) return url.slice(inModules + 'node_modules/'.length);
  return url.replace(/^file:\/\/.*?\/(dist\/apps\/)/, '$1');
}

function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('dist/apps/')) return 'carthub code (dist/apps)';
  return url;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = await summariseNewestProfile(process.argv[2] ?? 'tmp/bench/cpu-prof', Number(process.argv[3] ?? 25));
  process.stdout.write(`${summary ? summary.lines.join('\n') : 'no .cpuprofile found'}\n`);
}
