// /channels operations that create channels: originate, externalMedia and snoop. Each replies
// with the new channel first; the channel reaches its StasisStart a moment later, as in Asterisk
// where another thread runs Stasis() for it. That gap is the race OBSERVED.md describes.

import { randomBytes } from 'node:crypto';
import type { SnoopDirection } from '../../../src/telephony/ari/ari-types.ts';
import { AriError, type AriHandler, type AriRequest, ok } from './ari-http.ts';
import { type ChannelRecord, channelJson, newChannelRecord, newEndpointSide } from './asterisk-records.ts';
import { G711_FORMATS, type G711Format } from './g711.ts';
import type { HandlerContext } from './handler-context.ts';
import { pathParam } from './handler-context.ts';
import { receiveGatewayPacket } from './media-topology.ts';
import { RtpPeer } from './rtp-peer.ts';

/** Formats Asterisk knows but this fake does not carry (it only models G.711). */
const OTHER_ASTERISK_FORMATS = ['slin', 'slin16', 'slin48', 'g722', 'gsm', 'opus', 'g729', 'ilbc', 'speex'];
const DIRECTIONS: readonly SnoopDirection[] = ['none', 'both', 'out', 'in'];

function newChannel(
  ctx: HandlerContext,
  fields: Partial<ChannelRecord> & Pick<ChannelRecord, 'id' | 'name' | 'kind' | 'tech'>,
): ChannelRecord {
  if (ctx.state.findChannel(fields.id))
    throw new AriError(409, 'Channel with given unique ID already exists');
  return newChannelRecord(fields);
}

function dial(ctx: HandlerContext, ch: ChannelRecord, dialstring: string, dialstatus: string): void {
  ctx.state.router.emit(ctx.state.appsOf(ch), 'Dial', {
    dialstatus,
    forward: '',
    dialstring,
    peer: channelJson(ch),
  });
}

/** `"Name" <number>`, `Name <number>` or a bare number, as ast_callerid_parse reads it. */
function parseCallerId(text: string | undefined): { name: string; number: string } {
  if (!text) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: m[1] ?? '', number: m[2] ?? '' };
  return /^[+\d*#]+$/.test(text.trim())
    ? { name: '', number: text.trim() }
    : { name: text.trim(), number: '' };
}

async function externalMedia(ctx: HandlerContext, req: AriRequest): Promise<ReturnType<typeof ok>> {
  const { params } = req;
  const app = params.str('app') ?? '';
  const encapsulation = params.str('encapsulation') ?? 'rtp';
  const transport = params.str('transport') ?? 'udp';
  const externalHost = params.str('external_host');
  if (externalHost === undefined) throw new AriError(400, 'external_host cannot be empty');
  const hostPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(externalHost);
  if (!hostPort) throw new AriError(400, 'external_host must be <host>:<port>');
  const format = params.str('format') ?? '';
  if (encapsulation !== 'rtp' || transport !== 'udp') {
    const known =
      (encapsulation === 'audiosocket' && transport === 'tcp') ||
      (encapsulation === 'none' && transport === 'websocket');
    throw new AriError(
      501,
      known
        ? `fake-asterisk does not model ${encapsulation}/${transport} external media`
        : 'The encapsulation and/or transport is not supported',
    );
  }
  if (!G711_FORMATS.includes(format as G711Format)) {
    if (OTHER_ASTERISK_FORMATS.includes(format))
      throw new AriError(501, `fake-asterisk only carries ulaw and alaw, not ${format}`);
    throw new AriError(400, `Provided format (${format}) was not found`);
  }
  const id = params.str('channelId') ?? ctx.state.naming.uniqueId();
  if (ctx.state.findChannel(id)) throw new AriError(409, 'Channel with given unique ID already exists');
  const host = (hostPort[1] ?? '').replace(/^\[|\]$/g, '');
  let ch: ChannelRecord | undefined;
  const peer = await RtpPeer.open({
    format: format as G711Format,
    remote: { address: host === 'localhost' ? '127.0.0.1' : host, port: Number(hostPort[2]) },
    strictRtpProbation: ctx.strictRtpProbation,
    onPacket: (packet, source) => {
      if (ch) receiveGatewayPacket(ctx.state, ch, packet, source);
    },
    onReject: () => {
      if (ch?.media) ch.media.unheard++;
    },
  });
  if (ctx.state.findChannel(id)) {
    await peer.close();
    throw new AriError(409, 'Channel with given unique ID already exists');
  }
  ch = newChannel(ctx, {
    id,
    kind: 'externalMedia',
    tech: 'UnicastRTP',
    name: `UnicastRTP/${externalHost}-0x${randomBytes(6).toString('hex')}`,
    explicitApp: app,
    vars: new Map([
      ...Object.entries(req.variables),
      ['UNICASTRTP_LOCAL_ADDRESS', peer.local.address],
      ['UNICASTRTP_LOCAL_PORT', String(peer.local.port)],
    ]),
    media: { externalHost, format: format as G711Format, peer, unheard: 0, wrongPayloadType: 0 },
  });
  const channel = ch;
  ctx.state.addChannel(channel);
  const data = params.str('data');
  ctx.state.scheduler.after(ctx.timing.externalMediaStasisStartDelayMs, () => {
    if (!channel.alive) return;
    const dialstring = `${externalHost}/c(${format})`;
    dial(ctx, channel, dialstring, '');
    ctx.state.setState(channel, 'Up');
    dial(ctx, channel, dialstring, 'ANSWER');
    if (!ctx.state.enterStasis(channel, app, data !== undefined ? [data] : [])) {
      ctx.state.hangup(channel, 'detach', 16);
    }
  });
  return ok(channelJson(channel, true));
}

function originate(ctx: HandlerContext, req: AriRequest): ReturnType<typeof ok> {
  const { params, variables } = req;
  const endpoint = params.str('endpoint') ?? '';
  const slash = endpoint.indexOf('/');
  const tech = endpoint.slice(0, Math.max(slash, 0));
  const resource = slash > 0 ? endpoint.slice(slash + 1) : '';
  if (tech === '' || resource === '') throw new AriError(400, 'Invalid endpoint specified');
  const app = params.str('app');
  const extension = params.str('extension');
  if (app === undefined && extension === undefined) {
    throw new AriError(400, 'Application or extension must be specified');
  }
  const callerId = parseCallerId(params.str('callerId'));
  // chan_pjsip names a channel after the endpoint: PJSIP/1001@trunk dials through `trunk`.
  const at = resource.lastIndexOf('@');
  const device = at >= 0 ? resource.slice(at + 1) : resource;
  const ch = newChannel(ctx, {
    id: params.str('channelId') ?? ctx.state.naming.uniqueId(),
    kind: 'endpoint',
    tech,
    name: `${tech}/${device}-${ctx.state.naming.sequence(tech)}`,
    caller: callerId,
    connected: { ...callerId },
    vars: new Map(Object.entries(variables)),
    ...(app !== undefined ? { explicitApp: app } : {}),
    endpoint: newEndpointSide('outbound', resource, 'ulaw'),
  });
  ctx.state.addChannel(ch);
  ctx.onEndpointCreated(ch);
  const { state } = ctx;
  state.scheduler.after(ctx.timing.originateAnswerDelayMs, () => {
    if (!ch.alive) return;
    dial(ctx, ch, resource, '');
    const outcome = ctx.originateOutcome(endpoint);
    if (outcome === 'busy') {
      dial(ctx, ch, resource, 'BUSY');
      state.hangup(ch, 'detach', 17);
      return;
    }
    if (outcome === 'no-answer') {
      state.scheduler.after(params.int('timeout', 30) * 1000, () => {
        dial(ctx, ch, resource, 'NOANSWER');
        state.hangup(ch, 'detach', 19);
      });
      return;
    }
    if (ch.endpoint) ch.endpoint.answered = true;
    state.setState(ch, 'Up');
    dial(ctx, ch, resource, 'ANSWER');
    if (app === undefined) {
      const context = params.str('context') ?? 'default';
      const priority = params.int('priority', 1);
      ch.dialplan = { context, exten: extension ?? 's', priority, app_name: '', app_data: '' };
      if (ch.endpoint) ch.endpoint.continuedTo = { context, extension: extension ?? 's', priority };
    } else if (!state.enterStasis(ch, app, params.list('appArgs'))) {
      state.hangup(ch, 'detach', 16);
    }
  });
  return ok(channelJson(ch));
}

function snoop(ctx: HandlerContext, req: AriRequest, snoopId: string | undefined): ReturnType<typeof ok> {
  const { params } = req;
  const spy = (params.str('spy') ?? 'none') as SnoopDirection;
  const whisper = (params.str('whisper') ?? 'none') as SnoopDirection;
  if (!DIRECTIONS.includes(spy)) throw new AriError(400, 'Invalid direction specified for spy');
  if (!DIRECTIONS.includes(whisper)) throw new AriError(400, 'Invalid direction specified for whisper');
  if (spy === 'none' && whisper === 'none') {
    throw new AriError(400, 'Direction must be specified for at least spy or whisper');
  }
  const target = ctx.state.findChannel(pathParam(req.path, 'channelId'));
  if (!target) throw new AriError(404, 'Provided channel was not found');
  const id = snoopId ?? ctx.state.naming.uniqueId();
  if (ctx.state.findChannel(id)) throw new AriError(500, 'Snoop channel could not be created');
  const app = params.str('app') ?? '';
  const appArgs = params.str('appArgs');
  const ch = newChannel(ctx, {
    id,
    kind: 'snoop',
    tech: 'Snoop',
    name: `Snoop/${target.id}-${ctx.state.naming.sequence('Snoop')}`,
    state: 'Up',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
    snoop: { targetId: target.id, spy, whisper },
  });
  ctx.state.addChannel(ch);
  ctx.state.scheduler.after(ctx.timing.snoopStasisStartDelayMs, () => {
    if (ch.alive && !ctx.state.enterStasis(ch, app, appArgs !== undefined ? [appArgs] : [])) {
      ctx.state.hangup(ch, 'detach', 16);
    }
  });
  return ok(channelJson(ch));
}

export function channelFactoryHandlers(ctx: HandlerContext): Record<string, AriHandler> {
  return {
    'channels.originate': (req) => originate(ctx, req),
    'channels.externalMedia': (req) => externalMedia(ctx, req),
    'channels.snoopChannel': (req) => snoop(ctx, req, req.params.str('snoopId')),
    'channels.snoopChannelWithId': (req) => snoop(ctx, req, pathParam(req.path, 'snoopId')),
  };
}
