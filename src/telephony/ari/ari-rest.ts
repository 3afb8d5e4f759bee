// The ARI REST operations callbridge uses, typed from Asterisk's specification, implemented on
// ari-client. ari-client reports a failed request as an Error whose message is Asterisk's JSON
// body, so errors are turned into AriRequestError with Asterisk's own message; every request
// has a time limit, which ari-client does not.
import type { AriClientInstance } from 'ari-client';
import { AriRequestError } from './ari-errors.ts';
import type { Bridge, Channel, HangupReason, Playback, SnoopDirection } from './ari-types.ts';

export interface ExternalMediaRequest {
  channelId: string;
  app: string;
  externalHost: string;
  format: 'ulaw' | 'alaw';
}

export interface SnoopRequest {
  channelId: string;
  snoopId: string;
  app: string;
  appArgs: string;
  spy: SnoopDirection;
  whisper: SnoopDirection;
}

export interface OriginateRequest {
  endpoint: string;
  channelId: string;
  app: string;
  appArgs: string;
  callerId: string;
  timeoutSec: number;
}

export interface DialplanTarget {
  context?: string;
  extension?: string;
  priority?: number;
}

export interface AriRest {
  listChannels(): Promise<Channel[]>;
  listBridges(): Promise<Bridge[]>;
  ring(channelId: string): Promise<void>;
  answer(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: HangupReason): Promise<void>;
  continueInDialplan(channelId: string, target: DialplanTarget): Promise<void>;
  play(channelId: string, media: string, playbackId: string): Promise<Playback>;
  startSilence(channelId: string): Promise<void>;
  createBridge(bridgeId: string, name: string): Promise<Bridge>;
  destroyBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: readonly string[]): Promise<void>;
  snoop(request: SnoopRequest): Promise<Channel>;
  externalMedia(request: ExternalMediaRequest): Promise<Channel>;
  /** Dials an endpoint; the channel enters the app (StasisStart) once it answers. */
  originate(request: OriginateRequest): Promise<Channel>;
}

/** Operations callbridge cannot work without; checked right after connecting. */
export const REQUIRED_OPERATIONS: readonly (readonly [
  resource: 'channels' | 'bridges',
  operation: string,
])[] = [
  ['channels', 'list'],
  ['channels', 'ring'],
  ['channels', 'answer'],
  ['channels', 'hangup'],
  ['channels', 'continueInDialplan'],
  ['channels', 'play'],
  ['channels', 'startSilence'],
  ['channels', 'snoopChannelWithId'],
  ['channels', 'externalMedia'],
  ['channels', 'originate'],
  ['bridges', 'list'],
  ['bridges', 'createWithId'],
  ['bridges', 'destroy'],
  ['bridges', 'addChannel'],
];

export function missingOperations(client: AriClientInstance): string[] {
  return REQUIRED_OPERATIONS.filter(
    ([resource, operation]) => typeof client[resource]?.[operation] !== 'function',
  ).map(([resource, operation]) => `${resource}.${operation}`);
}

export class AriClientRest implements AriRest {
  readonly #client: AriClientInstance;
  readonly #timeoutMs: number;

  constructor(client: AriClientInstance, timeoutMs: number) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
  }

  async listChannels(): Promise<Channel[]> {
    return ((await this.#call('channels', 'list', {})) as object[]).map((item) => plain<Channel>(item));
  }

  async listBridges(): Promise<Bridge[]> {
    return ((await this.#call('bridges', 'list', {})) as object[]).map((item) => plain<Bridge>(item));
  }

  async ring(channelId: string): Promise<void> {
    await this.#call('channels', 'ring', { channelId });
  }

  async answer(channelId: string): Promise<void> {
    await this.#call('channels', 'answer', { channelId });
  }

  async hangup(channelId: string, reason: HangupReason = 'normal'): Promise<void> {
    await this.#call('channels', 'hangup', { channelId, reason });
  }

  async continueInDialplan(channelId: string, target: DialplanTarget): Promise<void> {
    await this.#call('channels', 'continueInDialplan', { channelId, ...target });
  }

  async play(channelId: string, media: string, playbackId: string): Promise<Playback> {
    return plain<Playback>(await this.#call('channels', 'play', { channelId, media, playbackId }));
  }

  async startSilence(channelId: string): Promise<void> {
    await this.#call('channels', 'startSilence', { channelId });
  }

  async createBridge(bridgeId: string, name: string): Promise<Bridge> {
    return plain<Bridge>(await this.#call('bridges', 'createWithId', { bridgeId, name, type: 'mixing' }));
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.#call('bridges', 'destroy', { bridgeId });
  }

  async addToBridge(bridgeId: string, channelIds: readonly string[]): Promise<void> {
    await this.#call('bridges', 'addChannel', { bridgeId, channel: channelIds.join(',') });
  }

  async snoop(request: SnoopRequest): Promise<Channel> {
    const { channelId, snoopId, app, appArgs, spy, whisper } = request;
    return plain<Channel>(
      await this.#call('channels', 'snoopChannelWithId', { channelId, snoopId, app, appArgs, spy, whisper }),
    );
  }

  async externalMedia(request: ExternalMediaRequest): Promise<Channel> {
    return plain<Channel>(
      await this.#call('channels', 'externalMedia', {
        channelId: request.channelId,
        app: request.app,
        external_host: request.externalHost,
        format: request.format,
        encapsulation: 'rtp',
        transport: 'udp',
        direction: 'both',
      }),
    );
  }

  async originate(request: OriginateRequest): Promise<Channel> {
    return plain<Channel>(
      await this.#call('channels', 'originate', {
        endpoint: request.endpoint,
        channelId: request.channelId,
        app: request.app,
        appArgs: request.appArgs,
        callerId: request.callerId,
        timeout: request.timeoutSec,
      }),
    );
  }

  async #call(
    resource: 'channels' | 'bridges',
    operation: string,
    params: Record<string, unknown>,
  ): Promise<unknown> {
    const name = `${resource}.${operation}`;
    const fn = this.#client[resource]?.[operation];
    if (typeof fn !== 'function') throw new AriRequestError(name, 'operation not offered by this Asterisk');
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        fn(params),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new AriRequestError(name, `no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      if (error instanceof AriRequestError) throw error;
      throw new AriRequestError(name, asteriskMessage(error), { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Asterisk answers errors with {"message": "..."}; ari-client passes that body on as the message. */
function asteriskMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: a transport error such as ECONNREFUSED
  }
  return text;
}

/** ari-client returns resource objects carrying a client reference; keep only the model's fields. */
function plain<T>(value: unknown): T {
  const out: Record<string, unknown> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      if (!key.startsWith('_') && typeof field !== 'function') out[key] = field;
    }
  }
  return out as T;
}
