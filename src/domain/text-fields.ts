import { z } from 'zod';

/** A single line of text: trimmed, limited, no control characters. */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `höchstens ${max} Zeichen`)
    .refine((value) => !/\p{Cc}/u.test(value), 'keine Steuerzeichen');

/** A long text in the markup of markdown.ts: line breaks allowed, other control characters not. */
export const markup = (max: number) =>
  z
    .string()
    .max(max, `höchstens ${max.toLocaleString('de-DE')} Zeichen`)
    .refine((value) => !/\p{Cc}/u.test(value.replace(/[\n\r\t]/g, '')), 'keine Steuerzeichen');

// Names refuse control and format characters: \p{Cf} holds the bidi overrides (U+202E) and the
// zero-width characters (U+200B), which make a name read differently than it is stored.

/** A person's name, wherever it is entered: the setup, invitations, the CLI and the Kommune bundle. */
export const personName = () =>
  z
    .string()
    .trim()
    .min(2, 'mindestens 2 Zeichen')
    .max(120, 'höchstens 120 Zeichen')
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'keine Steuer- oder unsichtbaren Formatzeichen');

/**
 * A Kommune's name, wherever it comes from: the form, the API and the Kommune bundle. Angle
 * brackets are refused too: a name is printed in reports, file names and e-mails.
 */
export const kommuneName = () =>
  z
    .string()
    .trim()
    .min(2, 'mindestens 2 Zeichen')
    .max(120, 'höchstens 120 Zeichen')
    .regex(/^[^\p{Cc}\p{Cf}<>]+$/u, 'keine Steuer- oder unsichtbaren Formatzeichen und keine spitzen Klammern');
