import type { IncomingHttpHeaders } from 'node:http';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { type RawData, WebSocket } from 'ws';
import { ChangeWaiters } from './change-waiters.ts';
import type { TextItemRecord, ToolOutputRecord } from './client-items.ts';
import type { TruncationRecord } from './conversation-events.ts';
import { type ErrorEventFields, errorEvent } from './error-event.ts';
import type { FakeRealtimeOptions } from './fake-realtime-options.ts';
import type { ToolCallRecord } from './function-call-events.ts';
import type { AudioAppendRecord } from './input-audio-turns.ts';
import {
  type CallToolOptions,
  RealtimeProtocol,
  type StartResponseOptions,
  type VadEventRecord,
} from './realtime-protocol.ts';
import type { FakeResponseRecord } from './response-streamer.ts';
import { type FakeSessionObject, invalidValue, isRecord, missingParameter } from './session-config.ts';
import type { TextResponseRecord } from './text-response-streamer.ts';
import { TimerSet } from './timer-set.ts';
import { wallClockMs } from './wall-clock.ts';

/** A client message that is not a GA client event (bad JSON, no type, unknown type, binary). */
export interface UnrecognizedClientMessage {
  type: 'fake.unrecognized';
  reason: 'malformed_json' | 'missing_type' | 'unknown_type' | 'binary';
  parsed: unknown;
}

export interface ReceivedClientEvent {
  at: number;
  raw: string;
  /** Typed by its `type` field only; field values are whatever the client sent. */
  event: RealtimeClientEvent | UnrecognizedClientMessage;
}

export interface SentServerEvent {
  at: number;
  event: RealtimeServerEvent;
}

export interface SentRawMessage {
  at: number;
  raw: string;
}

export interface SessionCloseInfo {
  at: number;
  code: number;
  reason: string;
  initiatedBy: 'client' | 'server' | 'drop';
}

export interface SessionInit {
  ws: WebSocket;
  index: number;
  model: string;
  url: string;
  headers: IncomingHttpHeaders;
  options(): FakeRealtimeOptions;
}

type SentOf<T extends RealtimeServerEvent['type']> = Extract<RealtimeServerEvent, { type: T }>;
type ReceivedOf<T extends RealtimeClientEvent['type']> = Extract<RealtimeClientEvent, { type: T }>;

// Typed as a Record so that a client event type added to the SDK fails the type check here.
const clientEventTypes: Record<RealtimeClientEvent['type'], true> = {
  'session.update': true,
  'input_audio_buffer.append': true,
  'input_audio_buffer.commit': true,
  'input_audio_buffer.clear': true,
  'output_audio_buffer.clear': true,
  'conversation.item.create': true,
  'conversation.item.delete': true,
  'conversation.item.retrieve': true,
  'conversation.item.truncate': true,
  'response.create': true,
  'response.cancel': true,
};

// One accepted WebSocket connection: what crossed the wire, plus controls for tests.
export class FakeRealtimeSession {
  readonly index: number;
  readonly model: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly connectedAt = wallClockMs();
  readonly received: ReceivedClientEvent[] = [];
  readonly sent: SentServerEvent[] = [];
  readonly sentRaw: SentRawMessage[] = [];
  closeInfo: SessionCloseInfo | undefined;
  readonly #ws: WebSocket;
  readonly #options: () => FakeRealtimeOptions;
  readonly #timers = new TimerSet();
  readonly #protocol: RealtimeProtocol;
  readonly #waiters = new ChangeWaiters();
  #closeInitiator: SessionCloseInfo['initiatedBy'] = 'client';

  constructor(init: SessionInit) {
    this.index = init.index;
    this.model = init.model;
    this.url = init.url;
    this.headers = init.headers;
    this.#ws = init.ws;
    this.#options = init.options;
    this.#protocol = new RealtimeProtocol({
      sessionIndex: init.index,
      model: init.model,
      send: (event) => this.sendEvent(event),
      timers: this.#timers,
      options: init.options,
    });
    this.#ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#ws.on('close', (code, reason) => this.#onClose(code, reason.toString('utf8')));
    // Socket errors (resets) end in 'close'; without a listener they would be thrown.
    this.#ws.on('error', () => {});
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** The current merged session configuration. */
  get config(): FakeSessionObject {
    return this.#protocol.config;
  }

  get responses(): readonly FakeResponseRecord[] {
    return this.#protocol.responses;
  }

  get activeResponse(): FakeResponseRecord | undefined {
    return this.#protocol.activeResponse;
  }

  /** The response writing to the default conversation now (audio, tool call or text), if any. */
  get activeResponseId(): string | undefined {
    return this.#protocol.responseManager.activeResponseId;
  }

  /** Function calls made with callTool, in order. */
  get toolCalls(): readonly ToolCallRecord[] {
    return this.#protocol.responseManager.toolCalls;
  }

  /** function_call_output items the client sent, accepted or refused. */
  get toolOutputs(): readonly ToolOutputRecord[] {
    return this.#protocol.toolOutputs;
  }

  /** User and system text messages the client added. */
  get textItems(): readonly TextItemRecord[] {
    return this.#protocol.textItems;
  }

  /** Text-only responses (output_modalities ['text'] or conversation 'none'). */
  get textResponses(): readonly TextResponseRecord[] {
    return this.#protocol.responseManager.textResponses;
  }

  get appends(): readonly AudioAppendRecord[] {
    return this.#protocol.turns.appends;
  }

  get truncations(): readonly TruncationRecord[] {
    return this.#protocol.truncations;
  }

  get vadEvents(): readonly VadEventRecord[] {
    return this.#protocol.vadEvents;
  }

  /** Every appended input audio byte, concatenated in arrival order. */
  inputAudio(): Buffer {
    return this.#protocol.turns.inputAudio();
  }

  receivedOfType<T extends RealtimeClientEvent['type']>(type: T): ReceivedOf<T>[] {
    return this.received.filter((r) => r.event.type === type).map((r) => r.event as ReceivedOf<T>);
  }

  sentOfType<T extends RealtimeServerEvent['type']>(type: T): SentOf<T>[] {
    return this.sent.filter((s) => s.event.type === type).map((s) => s.event as SentOf<T>);
  }

  /** Called by the server once the upgrade completes. */
  open(): void {
    const options = this.#options();
    if (options.withholdSessionCreated) return;
    if (options.sessionCreatedDelayMs > 0) {
      this.#timers.set(() => this.#protocol.sendSessionCreated(), options.sessionCreatedDelayMs);
    } else {
      this.#protocol.sendSessionCreated();
    }
  }

  /** Acts as if the VAD heard speech start now (cancels the active response if interrupt_response). */
  emitSpeechStarted(): void {
    this.#protocol.forceSpeechStarted();
  }

  /** Acts as if the VAD heard speech stop now: commit, user item, transcription, response. */
  emitSpeechStopped(): void {
    this.#protocol.forceSpeechStopped();
  }

  /** A server-initiated response; throws if one is already active. */
  startResponse(options: StartResponseOptions = {}): FakeResponseRecord {
    const active = this.activeResponseId;
    if (active) throw new Error(`session ${this.index} already has active response ${active}`);
    return this.#protocol.startResponse('server', undefined, options);
  }

  /**
   * The model calls a tool: a server-initiated response whose output is a function_call item with
   * `args` (JSON-encoded unless already a string), after a spoken `sayFirst` if given. Throws if a
   * response is active or session.update did not list the tool (unless allowUnlisted).
   */
  callTool(name: string, args: unknown, options: CallToolOptions = {}): FakeResponseRecord {
    return this.#protocol.callTool(name, args, options);
  }

  sendEvent(event: RealtimeServerEvent): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.sent.push({ at: wallClockMs(), event });
    this.#ws.send(JSON.stringify(event));
    this.#notify();
  }

  /** Sends any text frame as is, malformed or not. */
  sendRaw(text: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.sentRaw.push({ at: wallClockMs(), raw: text });
    this.#ws.send(text);
    this.#notify();
  }

  sendError(fields: ErrorEventFields): void {
    this.sendEvent(errorEvent(fields));
  }

  /** Abrupt loss: destroys the TCP socket without a close frame (the client sees 1006). */
  drop(): void {
    this.#closeInitiator = 'drop';
    this.#ws.terminate();
  }

  close(code = 1000, reason = ''): void {
    this.#closeInitiator = 'server';
    this.#ws.close(code, reason);
  }

  /** Resolves with pred's first truthy result, re-checked whenever anything is sent, received or closed. */
  waitFor<T>(
    pred: (session: FakeRealtimeSession) => T | undefined | null | false,
    timeoutMs = 5000,
  ): Promise<T> {
    return this.#waiters.wait(() => pred(this), timeoutMs, `session ${this.index}: waitFor`);
  }

  waitForSent<T extends RealtimeServerEvent['type']>(
    type: T,
    pred: (event: SentOf<T>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SentOf<T>> {
    return this.waitFor(() => this.sentOfType(type).find(pred), timeoutMs);
  }

  waitForReceived<T extends RealtimeClientEvent['type']>(
    type: T,
    pred: (event: ReceivedOf<T>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ReceivedOf<T>> {
    return this.waitFor(() => this.receivedOfType(type).find(pred), timeoutMs);
  }

  waitForClose(timeoutMs = 5000): Promise<SessionCloseInfo> {
    return this.waitFor(() => this.closeInfo, timeoutMs);
  }

  /** Server shutdown: terminate the socket, stop timers, fail pending waits. */
  shutdown(): void {
    this.#closeInitiator = 'server';
    this.#ws.terminate();
    this.#stopActivity();
    this.#waiters.failAll(new Error(`session ${this.index}: server stopped`));
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const at = wallClockMs();
    const raw = rawDataToText(data);
    const parsed = parseClientMessage(raw, isBinary);
    if (parsed.type === 'fake.unrecognized') {
      this.received.push({ at, raw, event: parsed });
      this.#notify();
      this.sendError(unrecognizedError(parsed));
      return;
    }
    this.received.push({ at, raw, event: parsed });
    this.#protocol.handle(parsed, at);
    // After handling, so waiters see the event's effects (appends, truncations) as well.
    this.#notify();
  }

  #onClose(code: number, reason: string): void {
    this.closeInfo = { at: wallClockMs(), code, reason, initiatedBy: this.#closeInitiator };
    this.#stopActivity();
    this.#notify();
  }

  #stopActivity(): void {
    this.#protocol.abandon();
    this.#timers.clearAll();
  }

  #notify(): void {
    this.#waiters.notify();
  }
}

// Only the `type` is checked here; each handler checks the fields it uses.
function parseClientMessage(raw: string, isBinary: boolean): RealtimeClientEvent | UnrecognizedClientMessage {
  if (isBinary) return { type: 'fake.unrecognized', reason: 'binary', parsed: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { type: 'fake.unrecognized', reason: 'malformed_json', parsed: undefined };
  }
  if (!isRecord(parsed) || typeof parsed.type !== 'string') {
    return { type: 'fake.unrecognized', reason: 'missing_type', parsed };
  }
  if (!Object.hasOwn(clientEventTypes, parsed.type))
    return { type: 'fake.unrecognized', reason: 'unknown_type', parsed };
  return parsed as unknown as RealtimeClientEvent;
}

function unrecognizedError(message: UnrecognizedClientMessage): ErrorEventFields {
  const { parsed } = message;
  const clientEventId = isRecord(parsed) && typeof parsed.event_id === 'string' ? parsed.event_id : null;
  switch (message.reason) {
    case 'binary':
      return { code: 'invalid_json', message: 'Binary frames are not supported; send JSON text.' };
    case 'malformed_json':
      return { code: 'invalid_json', message: 'We could not parse the JSON body of your request.' };
    case 'missing_type':
      return { ...missingParameter('type'), clientEventId };
    case 'unknown_type': {
      const type = isRecord(parsed) ? parsed.type : undefined;
      return { ...invalidValue('type', type, Object.keys(clientEventTypes)), clientEventId };
    }
  }
}

function rawDataToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
