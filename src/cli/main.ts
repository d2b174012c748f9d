import { ConfigError, readConfig } from '../server/config.ts';
import { connectToServer, runThroughServer, ServerIsRunning } from './command-client.ts';
import { commandName } from './command-names.ts';
import { commandSocketPath } from './command-protocol.ts';
import { CliError, createProcessIo } from './io.ts';

/** Runs one CLI call; returns the exit code (0 ok, 1 failure, 2 wrong call). */
export async function main(argv: string[]): Promise<number> {
  // Output piped into a command that stops reading early ("| head") is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const io = createProcessIo();
  // A server on the embedded database holds it and runs the command (help needs no database); this
  // process then loads none of the commands' code, so the call answers as fast as the server does.
  const name = commandName(argv);
  if (name && name !== 'help') {
    let config;
    try {
      config = readConfig();
    } catch (error) {
      // Said by runCommand below, the same way as without a server.
      if (!(error instanceof ConfigError)) throw error;
    }
    if (config && !config.databaseUrl) {
      try {
        const socket = await connectToServer(commandSocketPath(config.dataDir), config.dataDir);
        if (socket) return await runThroughServer(socket, argv, io);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr(`${error.message}\n`);
        return 1;
      }
    }
  }
  const { runCommand } = await import('./commands.ts');
  const { ownRuntime } = await import('./runtime-provider.ts');
  try {
    return await runCommand(argv, io, () => {
      const config = readConfig();
      return { config, io, runtime: ownRuntime(config, io), isPublicUrlDefault: !process.env.PUBLIC_URL };
    });
  } catch (error) {
    // The server started while this process prepared the command: it runs it.
    if (!(error instanceof ServerIsRunning)) throw error;
    return runThroughServer(error.socket, argv, io);
  }
}
