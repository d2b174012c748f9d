/** The commands of `weltoffen`; main.ts knows them without loading their code. */
export const commandNames = ['serve', 'migrate', 'admin', 'demo', 'results', 'report', 'questionnaire', 'export', 'import', 'help'] as const;
export type CommandName = (typeof commandNames)[number];

/** The command a call names ('help' for none or --help); undefined when there is no such command. */
export function commandName(argv: readonly string[]): CommandName | undefined {
  const [name = 'help'] = argv;
  const resolved = name === '--help' || name === '-h' ? 'help' : name;
  return (commandNames as readonly string[]).includes(resolved) ? (resolved as CommandName) : undefined;
}

/**
 * The command's name for the server's log: `admin create` and `admin reset-password` are told apart;
 * never an argument (e-mail addresses, Kommunen, file names stay out of the log).
 */
export function commandLabel(argv: readonly string[]): string {
  const name = commandName(argv);
  if (!name) return 'unbekannt';
  if (name === 'admin' && (argv[1] === 'create' || argv[1] === 'reset-password')) return `admin ${argv[1]}`;
  return name;
}
