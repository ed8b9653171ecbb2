// The `mockd` CLI entry (contract §10). Exit codes: 0 success, 1 API error, 2 usage error.

import { cac } from 'cac';
import { AdminClient, CliError } from './client.ts';
import { printJson } from './output.ts';
import { WORD_ALIASES, commandName, UsageError, type CommandDef } from './registry.ts';
import { serveCommand, startCommand } from './commands/start.ts';
import { printVersion, versionCommand } from './commands/version.ts';
import { stopCommand } from './commands/stop.ts';
import { mockCommands } from './commands/mocks.ts';
import { addCommand } from './commands/add.ts';
import { statusCommands } from './commands/status.ts';
import { connectionCommands } from './commands/connections.ts';
import { faultCommands } from './commands/faults.ts';
import { chaosCommands } from './commands/chaos.ts';
import { benchCommand } from './commands/bench.ts';
import { mqttToolCommands } from './commands/mqtt-tools.ts';
import { logCommands } from './commands/logs.ts';
import { grpcToolCommands } from './commands/grpc-tools.ts';
import { userFacingHelp } from './help.ts';
import { importExportCommands } from './commands/import-export.ts';
import { tlsCommands } from './commands/tls.ts';
import { topCommands } from './commands/top.ts';
import { recordCommands } from './commands/record.ts';

const COMMANDS: CommandDef[] = [startCommand, serveCommand, stopCommand, versionCommand, addCommand, ...mockCommands, ...statusCommands, ...connectionCommands, ...faultCommands, ...chaosCommands, ...mqttToolCommands, ...grpcToolCommands, ...logCommands, ...importExportCommands, ...tlsCommands, ...recordCommands, benchCommand, ...topCommands];

/** Replaces the leading command words of argv with the registered single-token name. */
export function collapseArgv(argv: string[], commands: CommandDef[]): { argv: string[]; group?: string[] } {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-')) break;
    words.push(WORD_ALIASES[token] ?? token);
  }
  let best: CommandDef | undefined;
  for (const cmd of commands) {
    if (cmd.path.length <= words.length && cmd.path.every((w, i) => words[i] === w)) {
      if (!best || cmd.path.length > best.path.length) best = cmd;
    }
  }
  if (!best) {
    const prefix = [] as string[];
    for (const w of words) {
      const next = [...prefix, w];
      if (commands.some((c) => next.every((x, i) => c.path[i] === x))) prefix.push(w);
      else break;
    }
    return { argv, group: prefix.length > 0 ? prefix : undefined };
  }
  const rest = argv.slice(best.path.length);
  return { argv: [commandName(best.path), ...rest] };
}

function groupUsage(prefix: string[]): string {
  const subs = COMMANDS.filter((c) => prefix.every((w, i) => c.path[i] === w) && c.path.length > prefix.length);
  const lines = subs.map((c) => `  mockd ${c.path.join(' ')}${c.args ? ` ${c.args}` : ''}  ${c.description}`);
  return `Usage: mockd ${prefix.join(' ')} <command>\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(rawArgv: string[]): Promise<number> {
  if (rawArgv[0] === '--version' || rawArgv[0] === '-v') {
    printVersion(rawArgv.includes('--json'));
    return 0;
  }
  const { argv, group } = collapseArgv(rawArgv, COMMANDS);
  if (group) {
    process.stderr.write(groupUsage(group));
    return 2;
  }
  const cli = cac('mockd');
  cli.option('--admin-url <url>', 'Admin API URL (env MOCKD_ADMIN_URL)');
  cli.option('--api-key <key>', 'Admin API key (env MOCKD_API_KEY)');
  cli.option('--json', 'Print JSON');
  let pending: Promise<void> | undefined;
  let jsonMode = rawArgv.includes('--json');
  for (const def of COMMANDS) {
    const cmd = cli.command(`${commandName(def.path)}${def.args ? ` ${def.args}` : ''}`, def.description);
    for (const [flags, description, config] of def.options ?? []) cmd.option(flags, description, config);
    if (def.allowUnknownOptions) cmd.allowUnknownOptions();
    cmd.action((...params: unknown[]) => {
      const options = params.pop() as Record<string, any>;
      const args = params.flatMap((p) => (p === undefined ? [] : Array.isArray(p) ? p.map(String) : [String(p)]));
      jsonMode = Boolean(options.json);
      const global = { adminUrl: options.adminUrl as string | undefined, apiKey: options.apiKey as string | undefined, json: jsonMode };
      pending = def.action(args, options, { client: new AdminClient(global), global, json: jsonMode });
    });
  }
  cli.help((sections) => userFacingHelp(sections, COMMANDS));
  try {
    // With `--help`, cac's parse prints the help (the matched command's, or the global one) and unsets the command.
    cli.parse(['node', 'mockd', ...argv], { run: false });
    if (cli.options.help) return 0;
    if (!cli.matchedCommand) {
      if (argv.length === 0) {
        cli.outputHelp();
        return 2;
      }
      process.stderr.write(`Error: unknown command "${rawArgv.join(' ')}"\n\nRun \`mockd --help\` for usage.\n`);
      return 2;
    }
    await cli.runMatchedCommand();
    await pending;
    return 0;
  } catch (err) {
    const e = err as Error & { name?: string };
    if (e instanceof CliError) {
      if (e.reported) return e.exitCode;
      if (jsonMode) printJson({ error: e.code, message: e.message });
      else process.stderr.write(`Error: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof UsageError || e.name === 'CACError') {
      process.stderr.write(`Error: ${e.message}\n\nRun \`mockd --help\` for usage.\n`);
      return 2;
    }
    process.stderr.write(`Error: ${e.stack ?? e.message}\n`);
    return 1;
  }
}

// `mockd --help | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// `start` keeps running on its open servers until a signal; every other command ends here with its exit code.
process.exitCode = await main(process.argv.slice(2));
