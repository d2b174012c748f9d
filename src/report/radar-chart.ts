import * as echarts from 'echarts';

import { displayPercent, isRadarChart } from '../domain/scoring.ts';

export interface RadarInput {
  title: string;
  /**
   * One entry per Handlungsfeld; score 0–100, or null for a field without a value, with the reason
   * shown for it („nicht bearbeitet“, „noch kein Wert“).
   */
  fields: { name: string; score: number | null; missingReason?: string }[];
}

/** Wraps long axis names onto two lines so the chart stays compact. */
function wrap(name: string, width = 24): string {
  if (name.length <= width) return name;
  const words = name.split(' ');
  const lines: string[] = [''];
  for (const word of words) {
    const last = lines.length - 1;
    if ((lines[last]! + ' ' + word).trim().length > width && lines[last]) lines.push(word);
    else lines[last] = (lines[last] + ' ' + word).trim();
  }
  return lines.join('\n');
}

/**
 * The chart of field scores, rendered on the server to SVG (ECharts SSR); the same function serves
 * the app, the PDF (SVG) and the DOCX (PNG). Only fields with a value are drawn: a field without one is
 * never drawn as 0 but named below the chart with its reason. With three or more values it is a radar
 * chart, with fewer (a radar of one or two axes shows nothing) a bar chart. Labels are the shown
 * percentages (`displayPercent`, half up), the same as in every table.
 */
export function renderRadarSvg(input: RadarInput, size = { width: 640, height: 520 }): string {
  const scored = input.fields.filter((field): field is { name: string; score: number } => field.score !== null);
  const missing = input.fields.filter((field) => field.score === null);
  const noteLines = missing.length
    ? ['Ohne Wert und daher nicht im Diagramm:', ...missing.map((field) => `– ${field.name} (${field.missingReason ?? 'kein Wert'})`)]
    : [];
  const noteHeight = noteLines.length ? noteLines.length * 17 + 16 : 0;
  const isRadar = isRadarChart(scored.length);
  const chartHeight = isRadar ? size.height : 90 + Math.max(1, scored.length) * 70;
  const height = chartHeight + noteHeight;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height });
  const label = (field: { name: string; score: number }) => `${field.name}: ${displayPercent(field.score)} %`;
  const note = noteLines.length
    ? [{ type: 'text', left: 24, top: chartHeight - (isRadar ? 24 : 0), style: { text: noteLines.join('\n'), fill: '#171a1f', fontSize: 12, lineHeight: 17 } }]
    : [];
  const grid = { color: '#9aa3ae' };
  const common = { animation: false, textStyle: { fontFamily: 'Fira Sans, Noto Sans, Arial, sans-serif', fontSize: 13, color: '#171a1f' }, graphic: note };
  try {
    chart.setOption(
      isRadar
        ? {
            ...common,
            radar: {
              center: [size.width / 2, size.height * 0.52],
              radius: size.height * 0.31,
              startAngle: 90,
              splitNumber: 4,
              shape: 'polygon',
              axisName: { color: '#171a1f', fontSize: 12, lineHeight: 15 },
              splitLine: { lineStyle: grid },
              splitArea: { areaStyle: { color: ['#f7f8fa', '#eef1f4'] } },
              axisLine: { lineStyle: grid },
              indicator: scored.map((field) => ({ name: wrap(label(field)), max: 100, min: 0 })),
            },
            series: [
              {
                type: 'radar',
                symbol: 'circle',
                symbolSize: 7,
                lineStyle: { color: '#1a5c8b', width: 2.5 },
                itemStyle: { color: '#1a5c8b' },
                areaStyle: { color: 'rgba(26, 92, 139, 0.22)' },
                data: [{ value: scored.map((field) => field.score), name: input.title }],
              },
            ],
          }
        : {
            ...common,
            grid: { left: 24, right: 56, top: 24, bottom: 24 + noteHeight, containLabel: true },
            xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { formatter: '{value} %', color: '#171a1f' }, splitLine: { lineStyle: grid } },
            yAxis: { type: 'category', inverse: true, data: scored.map((field) => wrap(field.name)), axisLabel: { color: '#171a1f', fontSize: 12, lineHeight: 15 }, axisLine: { lineStyle: grid } },
            series: [
              {
                type: 'bar',
                barWidth: 28,
                itemStyle: { color: '#1a5c8b' },
                label: { show: true, position: 'right', color: '#171a1f', formatter: (entry: { value: number }) => `${displayPercent(entry.value)} %` },
                data: scored.map((field) => field.score),
              },
            ],
          },
    );
    const svg = chart.renderToSVGString();
    // An accessible name for the image itself; the page gives the full text alternative beside it.
    return svg.replace('<svg ', `<svg role="img" aria-label="${escapeXml(input.title)}" `);
  } finally {
    chart.dispose();
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
