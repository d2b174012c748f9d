import * as echarts from 'echarts';

export interface RadarInput {
  title: string;
  /** One axis per Handlungsfeld; score 0–100, or null for fields not worked / without score. */
  fields: { name: string; score: number | null }[];
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
 * The radar chart of field scores, rendered on the server to SVG (ECharts SSR). The same function
 * serves the app, and later the PDF (SVG) and DOCX (PNG). Fields without a score are drawn at 0
 * and named "nicht bewertet" on their axis, so the chart never suggests a value that is not there.
 */
export function renderRadarSvg(input: RadarInput, size = { width: 640, height: 520 }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'Fira Sans, Noto Sans, Arial, sans-serif', fontSize: 13, color: '#171a1f' },
      radar: {
        center: ['50%', '52%'],
        radius: '62%',
        startAngle: 90,
        splitNumber: 4,
        shape: 'polygon',
        axisName: { color: '#171a1f', fontSize: 12, lineHeight: 15 },
        splitLine: { lineStyle: { color: '#9aa3ae' } },
        splitArea: { areaStyle: { color: ['#f7f8fa', '#eef1f4'] } },
        axisLine: { lineStyle: { color: '#9aa3ae' } },
        indicator: input.fields.map((field) => ({
          name: wrap(field.score === null ? `${field.name} (nicht bewertet)` : `${field.name}: ${Math.floor(field.score)} %`),
          max: 100,
          min: 0,
        })),
      },
      series: [
        {
          type: 'radar',
          symbol: 'circle',
          symbolSize: 7,
          lineStyle: { color: '#1a5c8b', width: 2.5 },
          itemStyle: { color: '#1a5c8b' },
          areaStyle: { color: 'rgba(26, 92, 139, 0.22)' },
          data: [{ value: input.fields.map((field) => field.score ?? 0), name: input.title }],
        },
      ],
    });
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
