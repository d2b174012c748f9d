import { Fragment } from 'react';

/** Where a line may break: after the colon of a gender form („Entscheidungsträger:|innen“, „Mitarbeiter:|in“). */
const afterGenderColon = /(?<=\p{L}:)(?=in(?:nen)?(?![\p{L}]))/u;

/**
 * Text with a break opportunity (`<wbr>`) after the colon of each gender form. A line breaks there
 * rather than inside the word where a browser has no German hyphenation patterns; the text itself
 * (what is read aloud, copied or searched) stays unchanged.
 */
export function GenderBreaks({ text }: { text: string }) {
  const parts = text.split(afterGenderColon);
  return <>{parts.map((part, index) => (index === 0 ? part : <Fragment key={index}><wbr />{part}</Fragment>))}</>;
}
