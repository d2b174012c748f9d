/** The commands of `weltoffen`; main.ts knows them without loading their code. */
export const commandNames = ['serve', 'migrate', 'admin', 'demo', 'results', 'report', 'questionnaire', 'export', 'import', 'help'] as const;
export type CommandName = (typeof commandNames)[number];

/** The command a call names ('help' for none or --help); undefined when there is no such command. */
export function commandName(argv: readonly string[]): CommandName | undefined {
  const [name = 'help'] = argv;
  const resolved = name === '--help' || name === '-h' ? 'help' : name;
  return (commandNames as readonly string[]).includes(resolved) ? (resolved as CommandName) : undefined;
}
