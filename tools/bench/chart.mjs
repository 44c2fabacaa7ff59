// A dependency-free SVG bar chart: p50 and p99 latency per scenario, with the
// floor's bars beside the API's when it was measured.

const SERIES = [
  { key: 'apiP50', label: 'API p50', color: '#4e79a7' },
  { key: 'apiP99', label: 'API p99', color: '#a0cbe8' },
  { key: 'floorP50', label: 'floor p50', color: '#f28e2b' },
  { key: 'floorP99', label: 'floor p99', color: '#ffbe7d' },
];

const escape = (text) => String(text).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** `groups`: [{ name, apiP50, apiP99, floorP50?, floorP99? }] in milliseconds. */
export function latencyChart(groups) {
  const series = SERIES.filter((s) => groups.some((g) => Number.isFinite(g[s.key])));
  const bar = 26;
  const gap = 30;
  const left = 56;
  const top = 40;
  const plot = 220;
  const groupWidth = series.length * bar + gap;
  const width = left + groups.length * groupWidth + 20;
  const height = top + plot + 70;
  const max = niceMax(Math.max(1, ...groups.flatMap((g) => series.map((s) => g[s.key] ?? 0))));
  const y = (value) => +(top + plot - (value / max) * plot).toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">Latency per scenario (ms, lower is better)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    out.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${+value.toFixed(1)}</text>`,
    );
  }
  groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + gap / 2;
    series.forEach((s, i) => {
      const value = group[s.key];
      if (!Number.isFinite(value)) return;
      const x = x0 + i * bar;
      out.push(
        `<rect x="${x}" y="${y(value)}" width="${bar - 4}" height="${+(top + plot - y(value)).toFixed(1)}" fill="${s.color}"><title>${escape(`${group.name} ${s.label}: ${value} ms`)}</title></rect>`,
        `<text x="${x + (bar - 4) / 2}" y="${y(value) - 3}" text-anchor="middle" font-size="9">${+value.toFixed(1)}</text>`,
      );
    });
    out.push(
      `<text x="${x0 + (series.length * bar) / 2}" y="${top + plot + 16}" text-anchor="middle">${escape(group.name)}</text>`,
    );
  });
  series.forEach((s, i) => {
    const x = left + i * 100;
    out.push(
      `<rect x="${x}" y="${height - 26}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${x + 16}" y="${height - 16}">${s.label}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceMax(value) {
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * step).find((candidate) => candidate >= value);
}
