/** Plain text with blank lines between paragraphs, shown as paragraphs; never as HTML. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <div className="kern-stack-sm prose">
      {text
        .split(/\n\s*\n/)
        .map((paragraph) => paragraph.trim())
        .filter(Boolean)
        .map((paragraph, index) => (
          <p className="kern-body" key={index}>
            {paragraph.split('\n').map((line, lineIndex, lines) => (
              <span key={lineIndex}>
                {line}
                {lineIndex < lines.length - 1 ? <br /> : null}
              </span>
            ))}
          </p>
        ))}
    </div>
  );
}
