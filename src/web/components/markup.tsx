import type { ReactNode } from 'react';
import { parseMarkup, type Block, type Inline } from '../../domain/markdown.ts';

export function Runs({ runs }: { runs: Inline[] }) {
  return (
    <>
      {runs.map((run, index) =>
        run.kind === 'strong' ? <strong key={index}>{run.text}</strong> : run.kind === 'emphasis' ? <em key={index}>{run.text}</em> : <span key={index}>{run.text}</span>,
      )}
    </>
  );
}

function Lines({ lines }: { lines: Inline[][] }) {
  return (
    <>
      {lines.map((runs, index): ReactNode => (
        <span key={index}>
          <Runs runs={runs} />
          {index < lines.length - 1 ? <br /> : null}
        </span>
      ))}
    </>
  );
}

/** Text in the small markup (paragraphs, lists, quotes, emphasis) as elements; never as HTML. */
export function Markup({ text }: { text: string }) {
  return <MarkupBlocks blocks={parseMarkup(text)} />;
}

/** Blocks of the markup, already parsed (as the report model carries them). */
export function MarkupBlocks({ blocks }: { blocks: Block[] }) {
  return (
    <div className="kern-stack-sm markup">
      {blocks.map((block, index) => {
        switch (block.kind) {
          case 'paragraph':
            return (
              <p className="kern-body" key={index}>
                <Lines lines={block.lines} />
              </p>
            );
          case 'bullets':
            return (
              <ul className="kern-list kern-list--bullet" key={index}>
                {block.items.map((item, itemIndex) => (
                  <li key={itemIndex}>
                    <Runs runs={item} />
                  </li>
                ))}
              </ul>
            );
          case 'numbers':
            return (
              <ol className="kern-list kern-list--number" key={index}>
                {block.items.map((item, itemIndex) => (
                  <li key={itemIndex}>
                    <Runs runs={item} />
                  </li>
                ))}
              </ol>
            );
          case 'quote':
            return (
              <blockquote className="kern-body markup-quote" key={index}>
                <Lines lines={block.lines} />
              </blockquote>
            );
        }
      })}
    </div>
  );
}
