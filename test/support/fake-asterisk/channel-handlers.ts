// /channels operations on existing channels: read, hang up, answer, ring, DTMF, silence,
// playback, variables, continue and redirect, with the checks and wording of resource_channels.c.

import { randomUUID } from 'node:crypto';
import { AriError, type AriHandler, type AriRequest, created, noContent, ok } from './ari-http.ts';
import { type ChannelRecord, channelJson, playbackJson } from './asterisk-records.ts';
import { assertUsableState, controlFor, type HandlerContext, pathParam } from './handler-context.ts';
import { CAUSE_NORMAL_CLEARING, causeForReason } from './hangup-causes.ts';

const channelOf = (ctx: HandlerContext, req: AriRequest): ChannelRecord =>
  controlFor(ctx, pathParam(req.path, 'channelId'));

/** A control operation: the channel must be in Stasis and in a usable state. */
function usable(ctx: HandlerContext, req: AriRequest): ChannelRecord {
  const ch = channelOf(ctx, req);
  assertUsableState(ch);
  return ch;
}

function readFunction(ch: ChannelRecord, expression: string): string {
  const fn = /^([A-Z_]+)\((.*)\)$/.exec(expression);
  const known: Record<string, string | undefined> = {
    'CALLERID(num)': ch.caller.number,
    'CALLERID(name)': ch.caller.name,
    'CALLERID(all)': `"${ch.caller.name}" <${ch.caller.number}>`,
    'CHANNEL(name)': ch.name,
    'CHANNEL(state)': ch.state,
    'CHANNEL(language)': ch.language,
    'UNIQUEID()': ch.id,
  };
  const value = fn ? known[expression] : undefined;
  if (value === undefined) throw new AriError(500, 'Unable to read provided function');
  return value;
}

function hangupCause(req: AriRequest): number {
  const reason = req.params.str('reason');
  const code = req.params.str('reason_code');
  if (reason !== undefined && code !== undefined) {
    throw new AriError(400, 'The reason and reason_code parameters are mutually exclusive');
  }
  if (code !== undefined) {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 0) throw new AriError(400, 'Invalid reason for hangup provided');
    return n;
  }
  if (reason === undefined) return CAUSE_NORMAL_CLEARING;
  const cause = causeForReason(reason);
  if (cause === undefined) throw new AriError(400, 'Invalid reason for hangup provided');
  return cause;
}

function play(ctx: HandlerContext, req: AriRequest, playbackId: string | undefined): ReturnType<AriHandler> {
  const ch = usable(ctx, req);
  if (req.params.int('skipms') < 0) throw new AriError(400, 'skipms cannot be negative');
  if (req.params.int('offsetms') < 0) throw new AriError(400, 'offsetms cannot be negative');
  const id = playbackId ?? randomUUID();
  if (ctx.state.playbacks.has(id)) throw new AriError(500, 'Failed to queue media for playback');
  const logs = ch.endpoint ? [ch.endpoint.playbacks] : [];
  const playback = ctx.state.playbacks.start(
    `channel:${ch.id}`,
    req.params.list('media'),
    req.params.str('lang') ?? ch.language,
    id,
    logs,
  );
  return created(`/playbacks/${id}`, playbackJson(playback));
}

export function channelHandlers(ctx: HandlerContext): Record<string, AriHandler> {
  const { state } = ctx;
  return {
    'channels.list': () => ok([...state.channels.values()].filter((c) => c.alive).map((c) => channelJson(c))),

    'channels.get': (req) => {
      const ch = state.findChannel(pathParam(req.path, 'channelId'));
      if (!ch) throw new AriError(404, 'Channel not found');
      return ok(channelJson(ch));
    },

    'channels.hangup': (req) => {
      const ch = state.findChannel(pathParam(req.path, 'channelId'));
      if (!ch) throw new AriError(404, 'Channel not found');
      state.hangup(ch, 'ari', hangupCause(req), ctx.timing.commandDelayMs);
      return noContent();
    },

    'channels.answer': (req) => {
      const ch = usable(ctx, req);
      if (ch.endpoint) {
        ch.endpoint.answered = true;
        ch.endpoint.ringing = false;
      }
      state.setState(ch, 'Up');
      return noContent();
    },

    'channels.ring': (req) => {
      const ch = usable(ctx, req);
      if (ch.endpoint && ch.state !== 'Up') {
        ch.endpoint.ringing = true;
        ch.endpoint.ringCount++;
      }
      return noContent();
    },

    'channels.ringStop': (req) => {
      const ch = usable(ctx, req);
      if (ch.endpoint) ch.endpoint.ringing = false;
      return noContent();
    },

    'channels.sendDTMF': (req) => {
      const ch = usable(ctx, req);
      const dtmf = req.params.str('dtmf');
      if (dtmf === undefined) throw new AriError(400, 'DTMF is required');
      if (ch.endpoint) {
        // DTMF to an unanswered channel goes out as early media.
        if (ch.state !== 'Up') ch.endpoint.progress = true;
        ch.endpoint.dtmfSent.push(dtmf);
      }
      return noContent();
    },

    'channels.startSilence': (req) => {
      usable(ctx, req).silence = true;
      return noContent();
    },

    'channels.stopSilence': (req) => {
      usable(ctx, req).silence = false;
      return noContent();
    },

    'channels.play': (req) => play(ctx, req, req.params.str('playbackId')),
    'channels.playWithId': (req) => play(ctx, req, pathParam(req.path, 'playbackId')),

    'channels.getChannelVar': (req) => {
      const variable = req.params.str('variable') ?? '';
      const ch = state.findChannel(pathParam(req.path, 'channelId'));
      if (!ch) throw new AriError(404, 'Provided channel was not found');
      if (variable.endsWith(')')) return ok({ value: readFunction(ch, variable) });
      const value = ch.vars.get(variable);
      if (value === undefined) throw new AriError(404, 'Provided variable was not found');
      return ok({ value });
    },

    'channels.setChannelVar': (req) => {
      const variable = req.params.str('variable') ?? '';
      const ch = channelOf(ctx, req);
      const value = req.params.str('value') ?? '';
      if (variable === 'CALLERID(num)') ch.caller.number = value;
      else if (variable === 'CALLERID(name)') ch.caller.name = value;
      else if (variable.endsWith(')')) throw new AriError(400, 'Failed to execute function');
      else state.setVar(ch, variable, value);
      return noContent();
    },

    'channels.continueInDialplan': (req) => {
      const ch = usable(ctx, req);
      const { context: current, exten, priority } = ch.dialplan;
      const context = req.params.str('context');
      const extension = req.params.str('extension');
      const label = req.params.str('label');
      const target = {
        context: context ?? current,
        extension: extension ?? (context ? 's' : exten),
        priority: req.params.has('priority')
          ? req.params.int('priority')
          : context === undefined && extension === undefined && label === undefined
            ? priority + 1
            : 1,
        ...(label !== undefined ? { label } : {}),
      };
      if (ch.endpoint) ch.endpoint.continuedTo = target;
      state.scheduler.after(ctx.timing.commandDelayMs, () => {
        if (!ch.alive || !ch.stasisApp) return;
        state.leaveStasis(ch);
        ch.dialplan = {
          context: target.context,
          exten: target.extension,
          priority: target.priority,
          app_name: '',
          app_data: '',
        };
      });
      return noContent();
    },

    'channels.redirect': (req) => {
      const ch = usable(ctx, req);
      const endpoint = req.params.str('endpoint') ?? '';
      const slash = endpoint.indexOf('/');
      if (slash <= 0) {
        throw new AriError(422, `Endpoint parameter '${endpoint}' does not contain tech/resource`);
      }
      const tech = endpoint.slice(0, slash);
      if (endpoint.slice(slash + 1) === '') {
        throw new AriError(422, `No resource provided in endpoint parameter '${endpoint}'`);
      }
      if (tech.toLowerCase() !== ch.tech.toLowerCase()) {
        throw new AriError(
          422,
          `Endpoint technology '${tech}' does not match channel technology '${ch.tech}'`,
        );
      }
      if (ch.endpoint) ch.endpoint.redirectedTo = endpoint.slice(slash + 1);
      // The far end follows the 302/REFER and leaves the call.
      state.scheduler.after(ctx.timing.redirectHangupDelayMs, () =>
        state.hangup(ch, 'caller', CAUSE_NORMAL_CLEARING),
      );
      return noContent();
    },
  };
}
