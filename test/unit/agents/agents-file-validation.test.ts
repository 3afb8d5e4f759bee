import { describe, expect, it } from 'vitest';
import { AgentsFileError, loadAgentsFile } from '../../../src/agents/agents-file.ts';
import { agent, agentsYaml, problemLines, tempDir, writeAgentsFile } from './agents-test-files.ts';

function linesFor(agents: Record<string, unknown>[], env: NodeJS.ProcessEnv = {}): string[] {
  const file = writeAgentsFile(agentsYaml(agents));
  return problemLines(() => loadAgentsFile(file, env));
}

const main = agent('main', { default: true });

describe('loadAgentsFile validation', () => {
  it('collects every problem of the file in one error, each with its path', () => {
    const lines = linesFor([
      agent('dental', {
        numbers: ['+15551230000', '_1555123XXXX', '_1X['],
        default: true,
        webhooks: [
          {
            name: 'book_appointment',
            description: 'Book.',
            url: 'https://api.example.com/book',
            auth: { header: 'Authorization', valueFromEnv: 'DENTAL_API_TOKEN', prefix: 'Bearer ' },
          },
        ],
      }),
      agent('spa', {
        numbers: ['+15551230000'],
        businessHours: { timezone: 'Europe/Paaris', weekly: { mon: ['09:00-17:00'] } },
      }),
      agent('Bad Id', { numbers: ['200'], voce: 'marin' }),
    ]);
    expect(lines).toEqual([
      'agents[0].numbers[2]: invalid pattern "_1X[": unclosed "["',
      'agents[0].webhooks[0].auth.valueFromEnv: environment variable DENTAL_API_TOKEN is not set',
      'agents[1].businessHours.timezone: unknown time zone "Europe/Paaris"',
      'agents[2].voce: unknown key',
      'agents[2].id: "Bad Id" must be 1-40 characters of a-z, 0-9, _ and -',
      'agents: two agents claim number "+15551230000" (dental, spa)',
    ]);
  });

  it('reports a missing default agent and more than one', () => {
    expect(linesFor([agent('a', { numbers: ['1'] })])).toEqual(['agents: no default agent']);
    expect(linesFor([agent('a', { default: true }), agent('b', { default: true })])).toEqual([
      'agents: more than one default agent (a, b)',
    ]);
  });

  it('reports duplicate ids and agents no number reaches', () => {
    expect(
      linesFor([main, agent('main', { numbers: ['1'] }), agent('c'), agent('d', { numbers: [] })]),
    ).toEqual([
      'agents[1].id: duplicate id "main" (also agents[0])',
      'agents[2].numbers: an agent that is not the default needs at least one number',
      'agents[3].numbers: an agent that is not the default needs at least one number',
    ]);
  });

  it('reports the same pattern, or patterns matching the same numbers, in two agents', () => {
    expect(
      linesFor([
        main,
        agent('a', { numbers: ['_1X', '_2[0-9]'] }),
        agent('b', { numbers: ['_1X'] }),
        agent('c', { numbers: ['_2X'] }),
      ]),
    ).toEqual([
      'agents: two agents claim pattern "_1X" (a, b)',
      'agents: two agents claim the same numbers with patterns "_2[0-9]" (a) and "_2X" (c)',
    ]);
  });

  it('reports numbers that are not strings, contain spaces or repeat', () => {
    expect(linesFor([main, agent('a', { numbers: [15551230000, '+1 555', '100', '100'] })])).toEqual([
      'agents[1].numbers[0]: must be a string (quote it: "15551230000")',
      'agents[1].numbers[1]: "+1 555" must not contain spaces',
      'agents[1].numbers[3]: duplicate of numbers[2]',
    ]);
  });

  it('reports missing required fields and wrong types', () => {
    expect(
      linesFor([
        { id: 'main', default: 'yes' },
        agent('a', { numbers: '100', instructions: '  ', language: 'en_US', memory: { enabled: 1 } }),
      ]),
    ).toEqual([
      'agents[0].name: is required',
      'agents[0].default: must be true or false',
      'agents[0].instructions: is required',
      'agents[1].numbers: must be a list',
      'agents[1].language: "en_US" is not a BCP 47 language tag (e.g. en-US)',
      'agents[1].instructions: must not be empty',
      'agents[1].memory.enabled: must be true or false',
      'agents: no default agent',
    ]);
  });

  it('reports business hours problems', () => {
    expect(
      linesFor([
        agent('main', {
          default: true,
          businessHours: {
            timezone: 'America/New_York',
            weekly: {
              mon: ['09:00-12:30', '12:00-13:00'],
              tue: ['9-5'],
              wed: ['17:00-09:00'],
              thu: ['09:00-24:00', '08:00-08:30'],
              fri: ['24:00-24:00', '10:00-25:00'],
              monday: [],
            },
            closedDates: ['2026-12-25', '2026-02-30', 'Christmas'],
          },
        }),
      ]),
    ).toEqual([
      'agents[0].businessHours.weekly.mon[1]: "12:00-13:00" overlaps "09:00-12:30"',
      'agents[0].businessHours.weekly.tue[0]: invalid range "9-5": expected HH:MM-HH:MM, 24-hour',
      'agents[0].businessHours.weekly.wed[0]: invalid range "17:00-09:00": the end must be after the start',
      'agents[0].businessHours.weekly.fri[0]: invalid range "24:00-24:00": expected HH:MM-HH:MM, 24-hour',
      'agents[0].businessHours.weekly.fri[1]: invalid range "10:00-25:00": expected HH:MM-HH:MM, 24-hour',
      'agents[0].businessHours.weekly.monday: unknown day (mon, tue, wed, thu, fri, sat, sun)',
      'agents[0].businessHours.closedDates[1]: invalid date "2026-02-30": expected YYYY-MM-DD',
      'agents[0].businessHours.closedDates[2]: invalid date "Christmas": expected YYYY-MM-DD',
    ]);
    expect(linesFor([agent('main', { default: true, businessHours: { timezone: 'UTC' } })])).toEqual([
      'agents[0].businessHours.weekly: is required (list the opening ranges of each open day)',
    ]);
  });

  it('reports tools that do not exist, repeat, or transfer without targets', () => {
    expect(
      linesFor([
        agent('main', {
          default: true,
          tools: ['end_call', 'book_apointment', 'end_call', 'transfer_call'],
          webhooks: [{ name: 'book_appointment', description: 'Book.', url: 'https://api.example.com/book' }],
        }),
      ]),
    ).toEqual([
      'agents[0].tools[1]: unknown tool "book_apointment" (built-in: end_call, transfer_call, forget_me; webhooks of this agent: book_appointment)',
      'agents[0].tools[2]: duplicate tool "end_call"',
      'agents[0].tools[3]: transfer_call needs at least one entry in transferTargets',
    ]);
  });

  it('reports webhook problems', () => {
    expect(
      linesFor(
        [
          agent('main', {
            default: true,
            webhooks: [
              { name: 'end_call', description: 'Nope.', url: 'https://x.example/' },
              { name: 'lookup', url: 'ftp://x.example/', timeoutMs: 60_000, retries: 2 },
              {
                name: 'lookup',
                description: 'Again.',
                url: 'https://x.example/',
                auth: { header: 'Bad Header', valueFromEnv: 'EMPTY_TOKEN' },
                parameters: { type: 'string' },
              },
              {
                name: 'bad name!',
                description: 'Params.',
                url: 'https://x.example/',
                parameters: { type: 'object', properties: { day: 'string' }, required: ['day', 'time'] },
              },
            ],
          }),
        ],
        { EMPTY_TOKEN: '' },
      ),
    ).toEqual([
      'agents[0].webhooks[0].name: "end_call" is a built-in tool (end_call, transfer_call, forget_me)',
      'agents[0].webhooks[1].retries: unknown key',
      'agents[0].webhooks[1].description: is required',
      'agents[0].webhooks[1].url: "ftp://x.example/" is not an http(s) URL',
      'agents[0].webhooks[1].timeoutMs: must be an integer from 1 to 30000',
      'agents[0].webhooks[2].auth.header: "Bad Header" is not an HTTP header name',
      'agents[0].webhooks[2].auth.valueFromEnv: environment variable EMPTY_TOKEN is empty',
      'agents[0].webhooks[2].parameters.type: must be "object"',
      'agents[0].webhooks[2].parameters.properties: must be a mapping of parameter names to schemas',
      'agents[0].webhooks[2].name: duplicate webhook name "lookup" (also agents[0].webhooks[1])',
      'agents[0].webhooks[3].name: "bad name!" must be 1-64 characters of a-z, A-Z, 0-9, _ and -',
      'agents[0].webhooks[3].parameters.properties.day: must be a schema (a mapping)',
      'agents[0].webhooks[3].parameters.required[1]: "time" is not one of the properties',
    ]);
  });

  it('reports transfer target, DTMF and duration problems', () => {
    expect(
      linesFor([
        agent('main', {
          default: true,
          transferTargets: {
            front_desk: { dialplan: { context: 'staff', extension: 200 } },
            both: { dialplan: { context: 'staff', extension: '201' }, endpoint: 'PJSIP/1' },
            phone: { endpoint: 'PJSIP101', timeoutSec: 0 },
          },
          dtmf: {
            interDigitTimeoutMs: 50,
            keys: {
              '0': { action: 'transfer', target: 'reception' },
              '9': { action: 'hangup' },
              x: { action: 'end_call' },
            },
          },
          maxCallDurationSec: 45,
          idleTimeoutSec: -1,
        }),
        agent('other', { numbers: ['1'], durationWarningSec: 30 }),
      ]),
    ).toEqual([
      'agents[0].transferTargets.front_desk.dialplan.extension: must be a string (quote it: "200")',
      'agents[0].transferTargets.both: needs exactly one of dialplan or endpoint',
      'agents[0].transferTargets.phone.endpoint: "PJSIP101" must look like TECH/resource, e.g. PJSIP/101',
      'agents[0].transferTargets.phone.timeoutSec: must be an integer from 1 to 600',
      'agents[0].idleTimeoutSec: must be an integer from 1 to 3600',
      'agents[0].maxCallDurationSec: must be more than durationWarningSec (60, the default)',
      'agents[0].dtmf.interDigitTimeoutMs: must be an integer from 100 to 10000',
      'agents[0].dtmf.keys["0"].target: unknown transfer target "reception" (transferTargets: front_desk, both, phone)',
      'agents[0].dtmf.keys["9"].action: must be transfer or end_call',
      'agents[0].dtmf.keys.x: "x" is not a DTMF key (0-9, *, #, A-D)',
      'agents[1].durationWarningSec: needs maxCallDurationSec',
    ]);
  });

  it('reports a file that is not a mapping with an agents list', () => {
    expect(problemLines(() => loadAgentsFile(writeAgentsFile('- a\n- b\n'), {}))).toEqual([
      'agents: is required (the file must be a mapping with an agents list)',
    ]);
    expect(problemLines(() => loadAgentsFile(writeAgentsFile('agents: []\nextra: 1\n'), {}))).toEqual([
      'extra: unknown key',
      'agents: must list at least one agent',
    ]);
    expect(problemLines(() => loadAgentsFile(writeAgentsFile(''), {}))).toEqual([
      'agents: is required (the file must be a mapping with an agents list)',
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const file = writeAgentsFile('agents:\n  - id: main\n   name: Main\n');
    expect(problemLines(() => loadAgentsFile(file, {}))).toEqual([
      'line 3, column 1: Sequence item without - indicator',
    ]);
    const duplicate = writeAgentsFile('agents:\n  - id: main\n    id: again\n');
    expect(problemLines(() => loadAgentsFile(duplicate, {}))).toEqual([
      'line 3, column 5: Map keys must be unique',
    ]);
  });

  it('reads JSON by extension and reports its syntax errors', () => {
    const valid = writeAgentsFile(JSON.stringify({ agents: [main] }), 'agents.json');
    expect(loadAgentsFile(valid, {}).defaultAgent.id).toBe('main');
    const invalid = writeAgentsFile('{\n  "agents": [\n    {"id": "main",}\n  ]\n}', 'agents.json');
    expect(problemLines(() => loadAgentsFile(invalid, {}))).toEqual([
      expect.stringMatching(/^line 3, column 19: .*JSON/),
    ]);
  });

  it('names a missing file and an unknown extension', () => {
    const missing = `${tempDir()}/agents.yaml`;
    expect(problemLines(() => loadAgentsFile(missing, {}))).toEqual([`file: ${missing} does not exist`]);
    expect(problemLines(() => loadAgentsFile(writeAgentsFile('agents: []', 'agents.toml'), {}))).toEqual([
      'file: unknown extension ".toml": use .yaml, .yml or .json',
    ]);
  });

  it('lists every problem in the error message', () => {
    const file = writeAgentsFile(agentsYaml([agent('a', { numbers: ['_1X['] })]));
    try {
      loadAgentsFile(file, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AgentsFileError);
      expect((error as Error).message).toBe(
        `invalid agents file ${file}:\n` +
          '  agents[0].numbers[0]: invalid pattern "_1X[": unclosed "["\n' +
          '  agents: no default agent',
      );
    }
  });
});
