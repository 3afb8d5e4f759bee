// npm run simulate: one call through the real daemon against the in-process fake Asterisk and
// fake OpenAI Realtime server. The caller hears a greeting, speaks, cuts the agent's reply short
// and hangs up; the call is printed as a timeline and the caller's side written to a WAV file.
// The daemon's JSON log is captured (--verbose prints it). Exit 1 if any stage did not happen.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DaemonHarness, type LogLine } from '../test/support/daemon-harness.ts';
import { nowMs } from '../test/support/fake-asterisk/asterisk-time.ts';
import { CallScenario } from './simulate/call-scenario.ts';
import { callerSideWav, wavDurationMs } from './simulate/caller-side-recording.ts';
import { ScenarioError } from './simulate/scenario-checks.ts';
import { AGENT_LINES, AGENT_TONE_HZ, agentAudio, CALLER_TONE_HZ } from './simulate/simulated-voices.ts';
import { seconds, Timeline } from './simulate/timeline.ts';

const USAGE = `usage: npm run simulate -- [--wav PATH] [--verbose]
  --wav PATH   where to write the caller's side of the call (default out/simulate-call.wav)
  --verbose    print the daemon's JSON log lines after the timeline
`;
const DEFAULT_WAV = path.resolve(import.meta.dirname, '../out/simulate-call.wav');
/** A safety net: the scenario takes about 8 s, and every wait in it has its own timeout. */
const DEADLINE_MS = 25_000;

/** The fake model's pace: first audio after 200 ms, then 100 ms of audio every 40 ms. */
const FAKE_MODEL = { firstAudioDelayMs: 200, deltaBytes: 800, deltaIntervalMs: 40 } as const;

interface Options {
  wavPath: string;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      wav: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    wavPath: values.wav === undefined ? DEFAULT_WAV : path.resolve(values.wav),
    verbose: values.verbose,
  };
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`simulate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const watchdog = setTimeout(() => {
    process.stderr.write(`simulate: FAILED: the simulation did not finish within ${DEADLINE_MS / 1000} s\n`);
    process.exit(1);
  }, DEADLINE_MS);
  watchdog.unref();

  const out = (text: string) => process.stdout.write(text);
  out('callbridge simulate — one call through the real daemon (fake Asterisk 22 + fake OpenAI Realtime)\n');
  let harness: DaemonHarness;
  try {
    harness = await DaemonHarness.start({
      realtime: { ...FAKE_MODEL, replyAudio: agentAudio, replyTranscript: AGENT_LINES.greeting.transcript },
    });
  } catch (error) {
    process.stderr.write(`simulate: FAILED: the daemon did not start against the fakes: ${error}\n`);
    // The fakes that did start are out of reach here and would keep the process alive.
    process.exit(1);
  }
  const { config } = harness;
  out(
    `  daemon: ${config.media.topology} topology, ${config.rtp.format}, server VAD with ` +
      `${config.openai.vad.silenceDurationMs} ms silence; fake model: first audio after ` +
      `${FAKE_MODEL.firstAudioDelayMs} ms, streamed ${(FAKE_MODEL.deltaBytes / 8 / FAKE_MODEL.deltaIntervalMs).toFixed(1)}x ` +
      `faster than real time\n`,
  );
  out(
    `  the agent speaks in ${AGENT_TONE_HZ} Hz beeps, the caller in a steady ${CALLER_TONE_HZ} Hz tone\n\n`,
  );

  const timeline = new Timeline(nowMs(), out);
  const scenario = new CallScenario(harness, timeline);
  let failure: unknown = null;
  let hungUpAt: number | null = null;
  try {
    hungUpAt = await scenario.run();
  } catch (error) {
    failure = error;
  } finally {
    timeline.flush();
    await harness.stop();
  }

  const call = scenario.call;
  if (call !== null && call.heard.length > 0) {
    const wav = callerSideWav({
      origin: timeline.origin,
      // A failed run ends with the last sound either side made.
      end:
        hungUpAt ??
        Math.max(
          ...call.heard.map((packet) => packet.at + 20),
          ...scenario.spoken.map((part) => part.at + part.audio.length / 8),
        ),
      format: call.format,
      heard: call.heard,
      spoken: scenario.spoken,
    });
    mkdirSync(path.dirname(options.wavPath), { recursive: true });
    writeFileSync(options.wavPath, wav);
    out(
      `\n  the caller's side (agent audio as heard, plus the caller's own voice) written to ` +
        `${displayPath(options.wavPath)} (${seconds(wavDurationMs(wav))}, 8 kHz 16-bit mono)\n`,
    );
  }

  if (options.verbose) {
    out(`\ndaemon log (${harness.logs.length} lines):\n`);
    for (const line of harness.logs) out(`${JSON.stringify(line)}\n`);
  }
  clearTimeout(watchdog);
  if (failure === null) return 0;

  const reason =
    failure instanceof ScenarioError ? failure.message : String((failure as Error).stack ?? failure);
  process.stderr.write(`\nsimulate: FAILED: ${reason}\n`);
  if (!options.verbose) printLogTail(harness.logs);
  return 1;
}

/** On failure, the daemon's warnings and its last lines, which usually say why. */
function printLogTail(logs: readonly LogLine[]): void {
  const tail = logs.slice(-15);
  const warnings = logs.filter(
    (line) => line.level !== 'info' && line.level !== 'debug' && !tail.includes(line),
  );
  process.stderr.write('daemon log (warnings, then the last lines; --verbose prints all of it):\n');
  for (const line of [...warnings, ...tail]) process.stderr.write(`  ${JSON.stringify(line)}\n`);
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

process.exitCode = await main();
