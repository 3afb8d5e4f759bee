// /playbacks, /applications and /asterisk operations.

import { AriError, type AriHandler, noContent, ok } from './ari-http.ts';
import { playbackJson } from './asterisk-records.ts';
import { asteriskTimestamp } from './asterisk-time.ts';
import { type HandlerContext, pathParam } from './handler-context.ts';

function applicationJson(ctx: HandlerContext, name: string): Record<string, unknown> {
  const { state } = ctx;
  const channelIds = [...state.channels.values()]
    .filter((c) => c.alive && (c.stasisApp === name || c.explicitApp === name))
    .map((c) => c.id);
  const bridgeIds = [...state.bridges.values()].filter((b) => b.alive && b.apps.has(name)).map((b) => b.id);
  return {
    name,
    channel_ids: channelIds,
    bridge_ids: bridgeIds,
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

export function infoHandlers(ctx: HandlerContext): Record<string, AriHandler> {
  const { state } = ctx;
  return {
    'playbacks.get': (req) => {
      const playback = state.playbacks.get(pathParam(req.path, 'playbackId'));
      if (!playback) throw new AriError(404, 'Playback not found');
      return ok(playbackJson(playback));
    },

    'playbacks.stop': (req) => {
      if (!state.playbacks.stop(pathParam(req.path, 'playbackId')))
        throw new AriError(404, 'Playback not found');
      return noContent();
    },

    'applications.list': () => ok(ctx.events.registeredApps().map((name) => applicationJson(ctx, name))),

    'applications.get': (req) => {
      const name = pathParam(req.path, 'applicationName');
      if (!ctx.events.isRegistered(name)) throw new AriError(404, 'Application not found');
      return ok(applicationJson(ctx, name));
    },

    'asterisk.ping': () => ok({ asterisk_id: ctx.asteriskId, ping: 'pong', timestamp: asteriskTimestamp() }),

    'asterisk.getInfo': (req) => {
      const started = asteriskTimestamp(ctx.startedAt());
      const sections: Record<string, unknown> = {
        build: {
          os: 'Linux',
          kernel: 'fake',
          options: '',
          machine: 'x86_64',
          date: started,
          user: 'fake-asterisk',
        },
        system: { version: '22.10.1', entity_id: ctx.asteriskId },
        config: {
          name: '',
          default_language: 'en',
          setid: { user: 'asterisk', group: 'asterisk' },
        },
        status: { startup_time: started, last_reload_time: started },
      };
      const only = req.params.list('only');
      return ok(only.length === 0 ? sections : Object.fromEntries(only.map((k) => [k, sections[k]])));
    },
  };
}
