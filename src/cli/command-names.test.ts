import { describe, expect, it } from 'vitest';
import { commandLabel } from './command-names.ts';

describe('commandLabel (the server log line of a forwarded command)', () => {
  it.each([
    [['admin', 'create', '--email', 'person@example.org', '--password-stdin'], 'admin create'],
    [['admin', 'reset-password', '--email', 'person@example.org'], 'admin reset-password'],
    [['admin', 'delete', 'person@example.org'], 'admin'],
    [['export', 'musterstadt', '-o', '/tmp/geheim.json'], 'export'],
    [['frobnicate', 'x'], 'unbekannt'],
  ])('%j → %s, without any argument', (argv, label) => {
    expect(commandLabel(argv)).toBe(label);
    for (const argument of argv.slice(1)) if (!['create', 'reset-password'].includes(argument)) expect(commandLabel(argv)).not.toContain(argument);
  });
});
