/**
 * The printable poster of a resident survey (issue 17): what the Typst template sets. Pure data; the
 * service fills it from the survey's texts in every language residents can choose.
 */
export interface SurveyPoster {
  /** The PDF's title and the poster's main heading (German). */
  title: string;
  kommune: string;
  /** The intro in German. */
  intro: string;
  /** Until when one can answer (or from when), in German. */
  when: string;
  url: string;
  /** The QR code of `url` as SVG. */
  qrSvg: string;
  qrAlt: string;
  scan: string;
  /** The title in every other language residents can choose, with its direction. */
  languages: { lang: string; direction: 'ltr' | 'rtl'; name: string; title: string; scan: string }[];
  controller: string;
}

/** The poster's file name: ASCII only, from the Kommune's address part. */
export function posterFileName(kommuneSlug: string, roundNumber: number): string {
  return `weltoffen-umfrage-plakat-${kommuneSlug}-runde-${roundNumber}.pdf`;
}
