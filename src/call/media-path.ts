// Builds a call's media path in Asterisk: a mixing bridge, an externalMedia channel that sends
// RTP to this call's port, and, in the snoop topology, a snoop on the caller (spy in: the
// caller's voice; whisper out: what the caller hears). Every object gets an id derived from
// the call id and is registered for release before it is requested.
import { lookup } from 'node:dns/promises';
import type { Config } from '../config/load-config.ts';
import type { RtpPeer } from '../media/rtp/external-media-port.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { Channel } from '../telephony/ari/ari-types.ts';
import { ownedId } from './call-ids.ts';
import type { CallResources } from './call-resources.ts';
import type { ChannelArrivals } from './channel-arrivals.ts';

export interface MediaPathSettings {
  app: string;
  topology: 'snoop' | 'bridge';
  format: 'ulaw' | 'alaw';
  advertiseHost: string;
  /** Overrides the address Asterisk reports for its RTP end (NAT). */
  asteriskHost: string;
  /** Host of ARI_URL: Asterisk's RTP address when it reports a wildcard one. */
  ariHost: string;
  stasisStartTimeoutMs: number;
}

export function mediaPathSettings(config: Config, ariHost: string): MediaPathSettings {
  return {
    app: config.ari.app,
    topology: config.media.topology,
    format: config.rtp.format,
    advertiseHost: config.rtp.advertiseHost,
    asteriskHost: config.rtp.asteriskHost,
    ariHost,
    stasisStartTimeoutMs: config.ari.stasisStartTimeoutMs,
  };
}

export interface MediaPathRequest {
  callId: string;
  callerChannelId: string;
  localPort: number;
}

export interface MediaPath {
  bridgeId: string;
  externalMediaId: string;
  snoopId: string | null;
  peer: RtpPeer;
}

export class MediaPathError extends Error {
  readonly step: string;
  constructor(step: string, cause: unknown) {
    super(`media set-up failed at ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'MediaPathError';
    this.step = step;
  }
}

export async function buildMediaPath(
  ari: AriRest,
  arrivals: ChannelArrivals,
  resources: CallResources,
  settings: MediaPathSettings,
  request: MediaPathRequest,
): Promise<MediaPath> {
  const { app } = settings;
  const bridgeId = ownedId(app, 'br', request.callId);
  const externalMediaId = ownedId(app, 'em', request.callId);
  const snoopId = settings.topology === 'snoop' ? ownedId(app, 'snoop', request.callId) : null;

  const bridgeCreated = ari.createBridge(bridgeId, `callbridge ${request.callId}`);
  resources.add('bridge', () => ignoringGone(ari.destroyBridge(bridgeId)), bridgeCreated);
  await step('bridge', bridgeCreated);

  const creation = { ari, arrivals, resources, timeoutMs: settings.stasisStartTimeoutMs };
  const externalMedia = createChannel(creation, externalMediaId, 'externalMedia channel', () =>
    ari.externalMedia({
      channelId: externalMediaId,
      app,
      externalHost: `${settings.advertiseHost}:${request.localPort}`,
      format: settings.format,
    }),
  );
  const snoop =
    snoopId === null
      ? null
      : createChannel(creation, snoopId, 'snoop channel', () =>
          ari.snoop({
            channelId: request.callerChannelId,
            snoopId,
            app,
            appArgs: 'snoop',
            spy: 'in',
            whisper: 'out',
          }),
        );

  const [externalMediaChannel] = await Promise.all([
    step('externalMedia', externalMedia),
    snoop === null ? null : step('snoop', snoop),
  ]);
  const peer = await step('rtp peer', rtpPeerOf(externalMediaChannel, settings));
  await step(
    'bridge channels',
    ari.addToBridge(bridgeId, snoopId === null ? [externalMediaId] : [snoopId, externalMediaId]),
  );
  return { bridgeId, externalMediaId, snoopId, peer };
}

interface ChannelCreation {
  ari: AriRest;
  arrivals: ChannelArrivals;
  resources: CallResources;
  timeoutMs: number;
}

/** Creates a channel and waits for it to enter the app; the reply and the StasisStart may come in either order. */
async function createChannel(
  { ari, arrivals, resources, timeoutMs }: ChannelCreation,
  channelId: string,
  name: string,
  create: () => Promise<Channel>,
): Promise<Channel> {
  const arrived = arrivals.expect(channelId, timeoutMs);
  arrived.catch(() => undefined);
  const created = create();
  resources.add(name, () => ignoringGone(ari.hangup(channelId)), created);
  let channel: Channel;
  try {
    channel = await created;
  } catch (error) {
    arrivals.cancel(channelId, `${name} was not created`);
    throw error;
  }
  await arrived;
  return channel;
}

async function rtpPeerOf(channel: Channel, settings: MediaPathSettings): Promise<RtpPeer> {
  const vars = channel.channelvars ?? {};
  const port = Number(vars['UNICASTRTP_LOCAL_PORT']);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error('Asterisk did not report UNICASTRTP_LOCAL_PORT for the externalMedia channel');
  }
  const reported = vars['UNICASTRTP_LOCAL_ADDRESS'] ?? '';
  const wildcard = reported === '' || reported === '0.0.0.0' || reported === '::';
  const host = settings.asteriskHost || (wildcard ? settings.ariHost : reported);
  const { address } = await lookup(host, { family: 4 });
  return { address, port };
}

async function step<T>(name: string, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw new MediaPathError(name, error);
  }
}
