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
