/** One Handlungsfeld in the bar list: its name, its value as text, and the percentage drawn (null: no bar). */
export interface FieldScoreBar {
  label: string;
  percent: number | null;
  text: string;
}

/**
 * The field scores as a list of bars in HTML, for narrow screens where the radar chart's labels would
 * shrink to a few pixels: the text stays at the body size, wraps, and can be zoomed. The CSS shows it
 * instead of the chart image below 40rem (and hides it above), so a screen reader meets one of the two.
 */
export function FieldScoreBars({ bars, caption }: { bars: readonly FieldScoreBar[]; caption: string }) {
  return (
    <figure className="score-bars">
      <ul className="score-bars__list">
        {bars.map((bar) => (
          <li key={bar.label} className="score-bars__item">
            <span className="score-bars__label">{bar.label}</span>
            <span className="score-bars__value">{bar.text}</span>
            <span className="score-bars__track" aria-hidden="true">
              {bar.percent === null ? null : <span className="score-bars__bar" style={{ width: `${Math.max(0, Math.min(100, bar.percent))}%` }} />}
            </span>
          </li>
        ))}
      </ul>
      <figcaption className="kern-body kern-body--small">{caption}</figcaption>
    </figure>
  );
}
