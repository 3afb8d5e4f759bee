// Agents per dialled number: routing, an invalid agents file at start-up and at reload.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, writeAgentsFile } from '../../support/daemon-harness.ts';
import { runDaemonProcess } from '../../support/run-daemon-process.ts';
import { receptionistAgents } from './receptionist-agents.ts';

describe('agents per dialled number', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('routes exact numbers, patterns and the rest to the right agent', async () => {
    harness = await DaemonHarness.start({ env: { AGENTS_FILE: writeAgentsFile(receptionistAgents()) } });
    for (const [index, [did, agent, matchedBy]] of [
      ['1000', 'front', 'exact'],
      ['2345', 'spa', 'pattern'],
      ['9999', 'front', 'default'],
    ].entries()) {
      const call = await harness.placeCall({ did });
      const chosen = await harness.waitForLog('agent chosen', (line) => line['channelId'] === call.channelId);
      expect(chosen).toMatchObject({ agent, matchedBy });
      const session = await harness.realtime.waitForSession(index);
      await session.waitForReceived('response.create', () => true, 5000);
      call.hangup();
      await harness.waitForCallEnded(call.channelId);
    }
    const sessions = harness.realtime.sessions;
    expect(sessions[1]!.config.instructions).toContain('Seaside Spa');
    expect(sessions[1]!.receivedOfType('response.create')[0]?.response?.instructions).toContain(
      'Welcome the caller to Seaside Spa',
    );
    expect(sessions[0]!.config.tools?.map((tool) => (tool as { name?: string }).name)).toEqual([
      'end_call',
      'transfer_call',
      'forget_me',
      'lookup_order',
    ]);
  });

  it('keeps the previous agents when a reload finds the file invalid, and logs every problem', async () => {
    const file = writeAgentsFile(receptionistAgents());
    harness = await DaemonHarness.start({ env: { AGENTS_FILE: file } });
    writeFileSync(file, 'agents:\n  - id: Bad Id\n    numbers: ["_1X["]\n');
    harness.daemon.reloadAgents();
    const problem = harness.logged('agents file invalid; keeping the previous agents')[0];
    expect(JSON.stringify(problem?.['problems'])).toContain('agents[0].id');
    expect(JSON.stringify(problem?.['problems'])).toContain('agents[0].numbers[0]');
    const call = await harness.placeCall({ did: '2000' });
    expect(
      await harness.waitForLog('agent chosen', (line) => line['channelId'] === call.channelId),
    ).toMatchObject({
      agent: 'spa',
    });
    call.hangup();
    await harness.waitForCallEnded(call.channelId);

    writeFileSync(file, receptionistAgents().replace('Seaside Spa', 'Harbour Spa'));
    harness.daemon.reloadAgents();
    expect(harness.logged('agents reloaded')).toHaveLength(1);
  });

  it('refuses to start with an invalid agents file, naming each problem', async () => {
    const file = writeAgentsFile(
      'agents:\n  - id: front\n    name: Front\n    instructions: Hi\n    timezone: Mars/Base\n',
    );
    const result = await runDaemonProcess({
      ARI_URL: 'http://127.0.0.1:1',
      ARI_PASSWORD: 'x',
      OPENAI_API_KEY: 'y',
      AGENTS_FILE: file,
    });
    expect(result.code).toBe(78);
    const fatal = result.lines.find((line) => line['level'] === 'fatal')!;
    expect(fatal['msg']).toContain(file);
    expect(JSON.stringify(fatal['problems'])).toMatch(/timezone|default/);
  });
});
