// Once the call is answered: every caller frame goes to the model as it arrives, and while
// Asterisk sends nothing (the caller is silent) silence frames keep the model's clock going.
import type { RealtimeAgentSession } from '../ai/realtime/realtime-agent-session.ts';
import type { Config } from '../config/load-config.ts';
import { CallerSilenceFiller } from '../media/caller-silence-filler.ts';
import type { ExternalMediaPort } from '../media/rtp/external-media-port.ts';

/** Starts the stream; the returned filler must be stopped when the call ends. */
export function streamCallerToModel(
  port: ExternalMediaPort,
  agent: RealtimeAgentSession,
  config: Config,
): CallerSilenceFiller {
  const filler = new CallerSilenceFiller({
    law: config.rtp.format,
    fillAfterMs: config.rtp.silenceFillAfterMs,
    sendBase64Frame: (base64) => agent.appendCallerAudioBase64(base64),
  });
  port.onPayload((payload) => {
    agent.appendCallerAudio(payload);
    filler.noteCallerAudio();
  });
  filler.start();
  return filler;
}
