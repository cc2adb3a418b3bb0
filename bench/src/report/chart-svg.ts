// A small grouped horizontal bar chart as standalone SVG: one group per system, one bar per
// series (concurrency level), the bar at the median and a whisker from min to max.
import type { Spread } from "../stats.ts";

export interface ChartGroup {
  label: string;
  /** One value per series, in series order; NaN draws nothing. */
  values: Spread[];
}

export interface ChartSpec {
  title: string;
  subtitle: string;
  unit: string;
  series: string[];
  groups: ChartGroup[];
}

const colors = ["#9ecae1", "#4292c6", "#08519c", "#6baed6", "#2171b5"];
const labelWidth = 300;
const plotWidth = 480;
const barHeight = 11;
const groupGap = 12;
const top = 64;

/** Escapes text for SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders the chart; the x axis starts at zero and ends at the largest max. */
export function barChartSvg(spec: ChartSpec): string {
  const maxValue = Math.max(
    1,
    ...spec.groups.flatMap((g) => g.values.map((v) => (Number.isFinite(v.max) ? v.max : 0))),
  );
  const x = (value: number) => labelWidth + (value / maxValue) * plotWidth;
  const groupHeight = spec.series.length * barHeight + groupGap;
  const height = top + spec.groups.length * groupHeight + 40;
  const width = labelWidth + plotWidth + 90;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
    `<text x="10" y="38" fill="#555">${escapeXml(spec.subtitle)}</text>`,
  ];
  spec.series.forEach((name, i) => {
    const lx = labelWidth + i * 110;
    parts.push(
      `<rect x="${lx}" y="46" width="10" height="10" fill="${colors[i % colors.length]}"/>`,
      `<text x="${lx + 14}" y="55">${escapeXml(name)}</text>`,
    );
  });
  spec.groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    const labelY = y0 + (spec.series.length * barHeight) / 2 + 4;
    parts.push(
      `<text x="${labelWidth - 8}" y="${labelY}" text-anchor="end">${escapeXml(group.label)}</text>`,
    );
    group.values.forEach((v, i) => {
      if (!Number.isFinite(v.median)) return;
      const y = y0 + i * barHeight;
      const mid = y + barHeight / 2;
      parts.push(
        `<rect x="${labelWidth}" y="${y + 1}" width="${(x(v.median) - labelWidth).toFixed(1)}" height="${barHeight - 2}" fill="${colors[i % colors.length]}"/>`,
        `<line x1="${x(v.min).toFixed(1)}" x2="${x(v.max).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#000"/>`,
        `<text x="${(x(v.max) + 4).toFixed(1)}" y="${mid + 4}" fill="#333">${Math.round(v.median).toLocaleString("en-US")}</text>`,
      );
    });
  });
  const axisY = top + spec.groups.length * groupHeight + 4;
  parts.push(
    `<line x1="${labelWidth}" x2="${labelWidth + plotWidth}" y1="${axisY}" y2="${axisY}" stroke="#999"/>`,
    `<text x="${labelWidth}" y="${axisY + 14}" fill="#555">0</text>`,
    `<text x="${labelWidth + plotWidth}" y="${axisY + 14}" text-anchor="end" fill="#555">${Math.round(maxValue).toLocaleString("en-US")} ${escapeXml(spec.unit)}</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
