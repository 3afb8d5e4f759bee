#!/usr/bin/env node
// `npm run calls -- <command>`: read the call store from a terminal (list, show, export).
// Exit codes: 0 done, 1 not found or store failure, 2 usage error.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { CallStore } from '../store/call-store.ts';
import { CallStoreMissingError, parseListCursor } from '../store/call-store.ts';
import { CallStoreOpenError, openCallStore } from '../store/open-call-store.ts';
import { formatCallReport, formatCallTable } from './call-report.ts';

export interface CallsCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export const EXPORT_FORMATS = ['jsonl'] as const;
const MAX_LIST_LIMIT = 10_000;

export const USAGE = `usage: calls <command> [--data-dir DIR]

commands:
  list [--limit N] [--before CURSOR] [--agent ID] [--caller NUMBER] [--json]
        recent calls, newest first (--limit: 1-${MAX_LIST_LIMIT}, default 20)
  show ID
        one call: transcript, tool calls, barge-ins, DTMF, latencies, usage and cost
  export [--format ${EXPORT_FORMATS.join('|')}] [--since ISO-TIME]
        calls oldest first, one JSON record per line

options:
  --data-dir DIR   where the call store is (default: $STORE_DATA_DIR, else ./data)
  -h, --help       this text
`;

const options = {
  'data-dir': { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  agent: { type: 'string' },
  caller: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  since: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof options;

const commands = {
  list: { positionals: 0, options: ['limit', 'before', 'agent', 'caller', 'json'] },
  show: { positionals: 1, options: [] },
  export: { positionals: 0, options: ['format', 'since'] },
} as const satisfies Record<string, { positionals: number; options: readonly OptionName[] }>;

type CommandName = keyof typeof commands;

class UsageError extends Error {}

export async function runCallsCli(argv: readonly string[], io: CallsCliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError || isParseArgsError(error))) throw error;
    io.stderr.write(`calls: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }

  const dataDir = parsed.values['data-dir'] ?? io.env['STORE_DATA_DIR'] ?? './data';
  let store: CallStore;
  try {
    store = openCallStore({ dataDir, mustExist: true });
  } catch (error) {
    const cause = error instanceof CallStoreOpenError ? error.cause : error;
    const hint = cause instanceof CallStoreMissingError ? ' (use --data-dir or STORE_DATA_DIR)' : '';
    io.stderr.write(`calls: ${messageOf(cause)}${hint}\n`);
    return 1;
  }
  try {
    return await runCommand(parsed, store, io);
  } catch (error) {
    io.stderr.write(`calls: ${messageOf(error)}\n`);
    return 1;
  } finally {
    store.close();
  }
}

interface ParsedCommand {
  command: CommandName;
  args: string[];
  values: { [K in OptionName]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string };
}

function parseCommandLine(argv: readonly string[]): ParsedCommand | 'help' {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  if (values.help) return 'help';
  const [name, ...args] = positionals;
  if (name === undefined) throw new UsageError('no command given');
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command "${name}"`);
  const command = name as CommandName;
  const spec = commands[command];
  const allowed = new Set<string>(['data-dir', ...spec.options]);
  for (const token of tokens)
    if (token.kind === 'option' && !allowed.has(token.name))
      throw new UsageError(`${command} does not take --${token.name}`);
  if (args.length !== spec.positionals)
    throw new UsageError(
      spec.positionals === 0 ? `${command} takes no arguments` : `${command} takes exactly one call id`,
    );
  if (values.before !== undefined) {
    try {
      parseListCursor(values.before);
    } catch {
      throw new UsageError(`--before must be an ISO 8601 time or a list cursor, got "${values.before}"`);
    }
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since)))
    throw new UsageError(`--since must be an ISO 8601 time, got "${values.since}"`);
  if (values.format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(values.format))
    throw new UsageError(`unknown export format "${values.format}"; supported: ${EXPORT_FORMATS.join(', ')}`);
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1 || limit > MAX_LIST_LIMIT)
      throw new UsageError(
        `--limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got "${values.limit}"`,
      );
  }
  return { command, args, values };
}

async function runCommand(parsed: ParsedCommand, store: CallStore, io: CallsCliIo): Promise<number> {
  const { values } = parsed;
  switch (parsed.command) {
    case 'list': {
      const calls = await store.listCalls({
        limit: values.limit === undefined ? 20 : Number(values.limit),
        ...(values.before === undefined ? {} : { before: values.before }),
        ...(values.agent === undefined ? {} : { agentId: values.agent }),
        ...(values.caller === undefined ? {} : { callerNumber: values.caller }),
      });
      io.stdout.write(values.json ? `${JSON.stringify(calls, null, 2)}\n` : formatCallTable(calls));
      return 0;
    }
    case 'show': {
      const id = parsed.args[0] ?? '';
      const call = await store.getCall(id);
      if (call === null) {
        io.stderr.write(`calls: no call with id ${JSON.stringify(id)}\n`);
        return 1;
      }
      io.stdout.write(formatCallReport(call));
      return 0;
    }
    case 'export': {
      const query = values.since === undefined ? {} : { since: values.since };
      for await (const call of store.exportCalls(query)) await write(io.stdout, `${JSON.stringify(call)}\n`);
      return 0;
    }
  }
}

/** Waits when the reader is slower than the store, so an export never piles up in memory. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) {
  // `calls export | head`: a closed pipe ends the export, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await runCallsCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
