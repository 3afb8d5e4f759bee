// What a caller gets when the AI cannot serve the call (the session would not open, or failed
// mid-call): never silence. Either a configured sound then a hangup, or the call continues in
// the dialplan (e.g. to a human queue).
import type { Config } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest, DialplanTarget } from '../telephony/ari/ari-rest.ts';

export type FallbackSettings = Config['failure'];

export interface FallbackCall {
  ari: AriRest;
  callerChannelId: string;
  answered: boolean;
  playbackId: string;
  /** Resolves when the playback finishes, the caller leaves, or the timeout passes. */
  waitForPlayback: (playbackId: string, timeoutMs: number) => Promise<void>;
  log: Logger;
}

export type FallbackOutcome = 'continued' | 'played_and_hung_up' | 'hung_up';

export async function runFallback(
  call: FallbackCall,
  settings: FallbackSettings,
  options: { playSound: boolean },
): Promise<FallbackOutcome> {
  const { ari, callerChannelId, log } = call;
  if (settings.action === 'continue') {
    const target: DialplanTarget = settings.context
      ? {
          context: settings.context,
          ...(settings.extension ? { extension: settings.extension } : {}),
          priority: settings.priority,
        }
      : {};
    try {
      await ari.continueInDialplan(callerChannelId, target);
      return 'continued';
    } catch (error) {
      log.warn({ err: error }, 'could not continue the call in the dialplan; hanging up');
    }
  } else if (options.playSound && settings.sound) {
    try {
      if (!call.answered) await ari.answer(callerChannelId);
      await ari.play(callerChannelId, settings.sound, call.playbackId);
      await call.waitForPlayback(call.playbackId, settings.soundTimeoutMs);
      await ignoringGone(ari.hangup(callerChannelId, 'normal'));
      return 'played_and_hung_up';
    } catch (error) {
      log.warn({ err: error, sound: settings.sound }, 'could not play the failure sound; hanging up');
    }
  }
  await ignoringGone(ari.hangup(callerChannelId, 'normal'));
  return 'hung_up';
}
