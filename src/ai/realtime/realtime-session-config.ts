// The session.update callbridge sends once a Realtime socket opens: G.711 both ways in the
// same law as the RTP leg (nothing is transcoded), voice, instructions and turn detection.
import type {
  RealtimeAudioInputTurnDetection,
  RealtimeFunctionTool,
  RealtimeSessionCreateRequest,
  SessionUpdateEvent,
} from 'openai/resources/realtime/realtime';
import type { Config } from '../../config/load-config.ts';
import { type G711Law, REALTIME_FORMAT } from '../../media/codec/g711.ts';

export interface AgentVoiceSettings {
  law: G711Law;
  model: string;
  voice: string;
  instructions: string;
  inputTranscriptionModel: string;
  vad: Config['openai']['vad'];
  /** Functions the model may call; empty for none. */
  tools: readonly RealtimeFunctionTool[];
}

function turnDetection(vad: AgentVoiceSettings['vad']): RealtimeAudioInputTurnDetection {
  if (vad.type === 'semantic_vad') {
    return {
      type: 'semantic_vad',
      eagerness: vad.eagerness,
      create_response: true,
      interrupt_response: true,
    };
  }
  return {
    type: 'server_vad',
    threshold: vad.threshold,
    prefix_padding_ms: vad.prefixPaddingMs,
    silence_duration_ms: vad.silenceDurationMs,
    create_response: true,
    interrupt_response: true,
  };
}

export function buildSessionUpdate(settings: AgentVoiceSettings): SessionUpdateEvent {
  const format = { type: REALTIME_FORMAT[settings.law] } as const;
  const session: RealtimeSessionCreateRequest = {
    type: 'realtime',
    model: settings.model,
    instructions: settings.instructions,
    output_modalities: ['audio'],
    audio: {
      input: {
        format,
        turn_detection: turnDetection(settings.vad),
        ...(settings.inputTranscriptionModel
          ? { transcription: { model: settings.inputTranscriptionModel } }
          : {}),
      },
      output: { format, voice: settings.voice },
    },
    tools: [...settings.tools],
    tool_choice: 'auto',
  };
  return { type: 'session.update', session };
}
