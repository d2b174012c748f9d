import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on small screens; the region is focusable so that keyboard
 * users can scroll it too (WCAG 2.1.1), and named by the table's caption.
 */
export function TableRegion({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="kern-table-responsive" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
