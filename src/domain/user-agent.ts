/** A short German description of a browser's User-Agent, e.g. „Firefox 128 unter Windows“; null when there is none. */
export function describeUserAgent(userAgent: string | null | undefined): string | null {
  if (!userAgent?.trim()) return null;
  const browsers: [RegExp, string][] = [
    [/Edg\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/(?:Chrome|Chromium|CriOS)\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  ];
  const systems: [RegExp, string][] = [
    [/Android/, 'Android'],
    [/iPhone|iPad|iPod/, 'iOS'],
    [/Windows/, 'Windows'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ];
  const browser = browsers.map(([pattern, name]) => ({ match: pattern.exec(userAgent), name })).find(({ match }) => match);
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  const browserText = browser ? `${browser.name} ${browser.match![1]}` : null;
  if (browserText && system) return `${browserText} unter ${system}`;
  if (browserText) return browserText;
  if (system) return `Unbekannter Browser unter ${system}`;
  // Something else (a script, a tool): its first word, never the whole string.
  return userAgent.trim().split(/[\s/]/)[0]!.slice(0, 40);
}
