import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The report's fonts, shipped as npm packages so that every machine renders the same: Source Sans 3
 * for text and DejaVu Sans for the symbols ✓ and ✗, which Source Sans lacks. Never system fonts.
 */
const require = createRequire(import.meta.url);
const sourceSans = path.join(path.dirname(require.resolve('source-sans/package.json')), 'OTF');
const dejaVu = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const reportFontFamily = 'Source Sans 3';
export const symbolFontFamily = 'DejaVu Sans';

export const reportFontFiles = [
  path.join(sourceSans, 'SourceSans3-Regular.otf'),
  path.join(sourceSans, 'SourceSans3-It.otf'),
  path.join(sourceSans, 'SourceSans3-Semibold.otf'),
  path.join(sourceSans, 'SourceSans3-SemiboldIt.otf'),
  path.join(sourceSans, 'SourceSans3-Bold.otf'),
  path.join(sourceSans, 'SourceSans3-BoldIt.otf'),
  path.join(dejaVu, 'DejaVuSans.ttf'),
  path.join(dejaVu, 'DejaVuSans-Bold.ttf'),
];

let loaded: Buffer[] | undefined;

/** The font files' bytes, read once per process. */
export function reportFontBlobs(): Buffer[] {
  loaded ??= reportFontFiles.map((file) => readFileSync(file));
  return loaded;
}
