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

/** A heading level of HTML; a user's sub-heading gets the level below the heading it stands under. */
export type HeadingLevel = 2 | 3 | 4 | 5 | 6;

/** The level below `level`, at most h6. */
export function headingBelow(level: number): HeadingLevel {
  return Math.min(Math.max(level + 1, 2), 6) as HeadingLevel;
}

/**
 * Text in the small markup (paragraphs, lists, quotes, sub-headings, emphasis) as elements; never as
 * HTML. `headingLevel` is the level its sub-headings get: one below the heading the text stands under.
 */
export function Markup({ text, headingLevel }: { text: string; headingLevel: HeadingLevel }) {
  return <MarkupBlocks blocks={parseMarkup(text)} headingLevel={headingLevel} />;
}

/**
 * Blocks of the markup, already parsed (as the report model carries them). A sub-heading looks like
 * the page's other headings of its level; `headingClassName` overrides that where a page styles its
 * levels differently (the report preview).
 */
export function MarkupBlocks({ blocks, headingLevel, headingClassName }: { blocks: Block[]; headingLevel: HeadingLevel; headingClassName?: string }) {
  const Heading = `h${headingLevel}` as const;
  const headingClass = headingClassName ?? `kern-heading kern-title${headingLevel > 2 ? ' kern-title--small' : ''}`;
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
          case 'heading':
            return (
              <Heading className={`${headingClass} markup-heading`} key={index}>
                {block.text}
              </Heading>
            );
        }
      })}
    </div>
  );
}
