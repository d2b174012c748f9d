import type { Block as MarkupBlock, Inline } from '../domain/markdown.ts';
import type { Report, ReportBlock } from '../domain/report.ts';

/**
 * Renders the report model to one standalone, accessible HTML file (for `weltoffen report --format
 * html`): every text escaped, the chart as our own server-rendered SVG with its alt text, tables with
 * captions and header cells. The app's preview renders the same model with React.
 */

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const inline = (runs: readonly Inline[]) =>
  runs.map((run) => (run.kind === 'strong' ? `<strong>${escape(run.text)}</strong>` : run.kind === 'emphasis' ? `<em>${escape(run.text)}</em>` : escape(run.text))).join('');

const lines = (all: readonly Inline[][]) => all.map(inline).join('<br>');

/** One block of the user's markup; its sub-headings get `headingLevel` (one below the heading above the text). */
function markup(block: MarkupBlock, headingLevel: number): string {
  if (block.kind === 'heading') return `<h${headingLevel}>${escape(block.text)}</h${headingLevel}>`;
  if (block.kind === 'paragraph') return `<p>${lines(block.lines)}</p>`;
  if (block.kind === 'quote') return `<blockquote><p>${lines(block.lines)}</p></blockquote>`;
  const tag = block.kind === 'numbers' ? 'ol' : 'ul';
  return `<${tag}>${block.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${tag}>`;
}

/** A block as HTML; section titles are h2, a block heading of level n is h(n+1), `userHeading` is for the user's sub-headings. */
function render(block: ReportBlock, userHeading: number): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level + 1}>${escape(block.text)}</h${block.level + 1}>`;
    case 'paragraph':
      return `<p>${inline(block.inlines)}</p>`;
    case 'quote':
      return `<p class="result">${inline(block.inlines)}</p>`;
    case 'text':
      return block.blocks.map((part) => markup(part, userHeading)).join('\n');
    case 'list': {
      const tag = block.style === 'numbers' ? 'ol' : 'ul';
      const items = block.items.map((item) => `<li>${inline(item.inlines)}${item.children.length ? `<ul>${item.children.map((child) => `<li>${inline(child)}</li>`).join('')}</ul>` : ''}</li>`);
      return `<${tag}>${items.join('')}</${tag}>`;
    }
    case 'table': {
      const head = `<thead><tr>${block.columns.map((column) => `<th scope="col" style="width:${Math.round(column.width * 100)}%">${escape(column.label)}</th>`).join('')}</tr></thead>`;
      const rows = block.rows.map((row) =>
        row.kind === 'group'
          ? `<tr class="group"><th scope="colgroup" colspan="${block.columns.length}">${escape(row.text)}</th></tr>`
          : `<tr${row.isHighlighted ? ' class="highlight"' : ''}>${row.cells.map((value, index) => (index === 0 ? `<th scope="row">${escape(value).replace(/\n/g, '<br>')}</th>` : `<td>${escape(value).replace(/\n/g, '<br>')}</td>`)).join('')}</tr>`,
      );
      return `<table><caption>${escape(block.caption)}</caption>${head}<tbody>${rows.join('')}</tbody></table>`;
    }
    case 'chart':
      // The SVG is drawn by our own chart code from numbers, never from user text.
      return `<figure><div role="img" aria-label="${escape(block.alt)}">${block.svg.replace(/<svg /, '<svg aria-hidden="true" ')}</div><figcaption>${escape(block.caption)}</figcaption></figure>`;
    case 'legend':
      return `<dl class="legend"><dt class="legend-title">${escape(block.title)}</dt>${block.items.map((item) => `<dd><span class="symbol">${escape(item.symbol)}</span> ${escape(item.label)}</dd>`).join('')}</dl>`;
  }
}

const styles = `
body{font-family:"Source Sans 3","Fira Sans",Arial,sans-serif;color:#171a1f;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
h1,h2,h3,h4,h5,h6{color:#1a5c8b;line-height:1.25}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
caption{text-align:left;color:#55606e;font-size:.9rem;padding:.25rem 0}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #c5ccd4;padding:.35rem .5rem;font-weight:normal}
thead th{background:#1a5c8b;color:#fff;font-weight:600}
tr.group th{background:#eef2f6;font-weight:600}
tr.highlight th,tr.highlight td{background:#dce9f5;font-weight:600}
.result{background:#eef2f6;color:#1a5c8b;font-weight:600;padding:.5rem .9rem}
blockquote{border-left:3px solid #1a5c8b;margin:0;padding-left:1rem;font-style:italic}
figure{margin:1rem 0;text-align:center}svg{max-width:100%;height:auto}
.legend dd{margin:0}.legend-title{font-weight:600}.symbol{display:inline-block;min-width:2.2rem}
.title-page{border-top:4px solid #1a5c8b;padding-top:1rem;margin-bottom:3rem}`;

export function renderReportHtml(report: Report): string {
  const sections = report.sections
    .map((section) => {
      // The user's sub-headings sit one level below the heading above them: the section's h2 or a block heading.
      let above = 2;
      const blocks = section.blocks.map((block) => {
        if (block.kind === 'heading') above = block.level + 1;
        return render(block, Math.min(above + 1, 6));
      });
      return `<section>\n<h2>${escape(section.number === null ? section.title : `${section.number}. ${section.title}`)}</h2>\n${blocks.join('\n')}\n</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(report.title)}</title>
<style>${styles}</style>
</head>
<body>
<header class="title-page">
<p>${escape(report.titlePage.programme)}</p>
<h1>${escape(report.titlePage.title)}: ${escape(report.titlePage.kommune)}</h1>
<p>${escape(report.titlePage.subtitle)}</p>
<p>Stand: ${escape(report.titlePage.date)}</p>
</header>
<main>
${sections}
</main>
</body>
</html>
`;
}
