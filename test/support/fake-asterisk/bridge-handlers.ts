// /bridges operations, with the checks and wording of resource_bridges.c.

import { randomUUID } from 'node:crypto';
import { AriError, type AriHandler, type AriRequest, created, noContent, ok } from './ari-http.ts';
import { type BridgeRecord, bridgeJson, type ChannelRecord, playbackJson } from './asterisk-records.ts';
import { type HandlerContext, pathParam } from './handler-context.ts';

const BRIDGE_TYPE_FLAGS = [
  'mixing',
  'holding',
  'dtmf_events',
  'proxy_media',
  'video_sfu',
  'video_single',
  'sdp_label',
];

function findBridge(ctx: HandlerContext, req: AriRequest): BridgeRecord {
  const bridge = ctx.state.findBridge(pathParam(req.path, 'bridgeId'));
  if (!bridge) throw new AriError(404, 'Bridge not found');
  return bridge;
}

/** Every listed channel must exist (else 400) and be in Stasis (else 422), before any moves. */
function stasisChannels(ctx: HandlerContext, req: AriRequest): ChannelRecord[] {
  const ids = req.params.list('channel');
  if (ids.length === 0) throw new AriError(400, 'Missing parameter channel');
  return ids.map((id) => {
    const ch = ctx.state.findChannel(id);
    if (!ch) throw new AriError(400, 'Channel not found');
    if (!ch.stasisApp) throw new AriError(422, 'Channel not in Stasis application');
    return ch;
  });
}

function create(ctx: HandlerContext, req: AriRequest, id: string): ReturnType<AriHandler> {
  const flags = (req.params.str('type') ?? 'mixing').split(',').map((f) => f.trim());
  const unknown = flags.find((f) => !BRIDGE_TYPE_FLAGS.includes(f));
  if (unknown !== undefined) throw new AriError(400, `Invalid bridge type '${unknown}'`);
  if (ctx.state.findBridge(id)) throw new AriError(409, 'Bridge with the same bridgeId already exists');
  const bridge = ctx.state.createBridge(
    id,
    req.params.str('name') ?? '',
    flags.includes('holding') ? 'holding' : 'mixing',
  );
  return ok(bridgeJson(bridge));
}

export function bridgeHandlers(ctx: HandlerContext): Record<string, AriHandler> {
  const { state } = ctx;
  return {
    'bridges.list': () => ok([...state.bridges.values()].filter((b) => b.alive).map(bridgeJson)),
    'bridges.create': (req) => create(ctx, req, req.params.str('bridgeId') ?? randomUUID()),
    'bridges.createWithId': (req) => create(ctx, req, pathParam(req.path, 'bridgeId')),
    'bridges.get': (req) => ok(bridgeJson(findBridge(ctx, req))),

    'bridges.destroy': (req) => {
      state.destroyBridge(findBridge(ctx, req));
      return noContent();
    },

    'bridges.addChannel': (req) => {
      const bridge = findBridge(ctx, req);
      for (const ch of stasisChannels(ctx, req)) state.addToBridge(ch, bridge);
      return noContent();
    },

    'bridges.removeChannel': (req) => {
      const bridge = findBridge(ctx, req);
      const channels = stasisChannels(ctx, req);
      if (channels.some((ch) => ch.bridgeId !== bridge.id))
        throw new AriError(422, 'Channel not in this bridge');
      for (const ch of channels) state.removeFromBridge(ch);
      return noContent();
    },

    'bridges.play': (req) => {
      const bridge = findBridge(ctx, req);
      const id = req.params.str('playbackId') ?? randomUUID();
      if (state.playbacks.has(id)) throw new AriError(500, 'Failed to queue media for playback');
      // Every caller in the bridge hears it; each call records it.
      const logs = bridge.channels.flatMap((cid) => {
        const side = state.findChannel(cid)?.endpoint;
        return side ? [side.playbacks] : [];
      });
      const playback = state.playbacks.start(
        `bridge:${bridge.id}`,
        req.params.list('media'),
        req.params.str('lang') ?? 'en',
        id,
        logs,
      );
      return created(`/playbacks/${id}`, playbackJson(playback));
    },
  };
}
