// Opening a call's Realtime session: it is ready only once the server confirms the settings.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  RealtimeAgentSession,
  RealtimeSessionError,
} from '../../../src/ai/realtime/realtime-agent-session.ts';

let server: WebSocketServer | null = null;

afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(onUpdate: (reply: (event: object) => void) => void): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type: string; event_id?: string };
      if (event.type === 'session.update') onUpdate((reply) => socket.send(JSON.stringify(reply)));
    });
  });
  await new Promise<void>((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function session(baseUrl: string): RealtimeAgentSession {
  return new RealtimeAgentSession({
    endpoint: { baseUrl, model: 'gpt-realtime', apiKey: 'sk-x', authStyle: 'bearer' },
    voice: {
      law: 'ulaw',
      model: 'gpt-realtime',
      voice: 'marin',
      instructions: 'Be brief.',
      inputTranscriptionModel: '',
      vad: {
        type: 'server_vad',
        threshold: 0.5,
        prefixPaddingMs: 300,
        silenceDurationMs: 500,
        eagerness: 'auto',
      },
      tools: [],
    },
    logger: pino({ level: 'silent' }),
    resilience: { reconnectAttempts: 0, reconnectTimeoutMs: 1000, rolloverAfterMs: 0 },
  });
}

async function failureOf(promise: Promise<unknown>): Promise<RealtimeSessionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RealtimeSessionError);
  return error as RealtimeSessionError;
}

describe('RealtimeAgentSession.open', () => {
  it('resolves once session.updated confirms the settings', async () => {
    const agent = session(
      await serve((reply) => reply({ type: 'session.updated', event_id: 'e', session: {} })),
    );
    await agent.open(1000);
    expect(agent.isOpen).toBe(true);
    await agent.close();
  });

  it('fails as configure_failed when the server rejects the settings', async () => {
    const agent = session(
      await serve((reply) =>
        reply({
          type: 'error',
          event_id: 'e',
          error: { type: 'invalid_request_error', message: 'Invalid voice' },
        }),
      ),
    );
    const error = await failureOf(agent.open(1000));
    expect(error.failure).toBe('configure_failed');
    expect(error.message).toContain('Invalid voice');
    await agent.close();
  });

  it('fails as timeout when the settings are never confirmed', async () => {
    const agent = session(await serve(() => undefined));
    const error = await failureOf(agent.open(200));
    expect(error.failure).toBe('timeout');
    await agent.close();
  });

  it('fails as connect_failed when nothing listens', async () => {
    const error = await failureOf(session('http://127.0.0.1:9/v1').open(1000));
    expect(error.failure).toBe('connect_failed');
  });
});
