import type {
  ConversationItemInputAudioTranscriptionCompletedEvent,
  InputAudioBufferCommittedEvent,
  RealtimeConversationItemUserMessage,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime';
import type { ConversationState } from './conversation-state.ts';
import { newRealtimeId } from './realtime-ids.ts';

export interface UserTurnCommit {
  itemId: string;
  audioMs: number;
  conversation: ConversationState;
  /** Present when the session has input transcription configured. */
  transcription: { model: string | undefined; transcript: string } | undefined;
  send(event: RealtimeServerEvent): void;
}

// Committing the input buffer as a user audio item: committed, item added/done, then the
// transcript (fixed text here) when transcription is on.
export function commitUserTurn(commit: UserTurnCommit): void {
  const { itemId, audioMs, conversation, transcription, send } = commit;
  const item: RealtimeConversationItemUserMessage = {
    id: itemId,
    object: 'realtime.item',
    type: 'message',
    role: 'user',
    status: 'completed',
    content: [{ type: 'input_audio' }],
  };
  const { previousItemId } = conversation.add(item, audioMs);
  send({
    type: 'input_audio_buffer.committed',
    event_id: newRealtimeId('event'),
    item_id: itemId,
    previous_item_id: previousItemId,
  } satisfies InputAudioBufferCommittedEvent);
  send({
    type: 'conversation.item.added',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item,
  });
  send({
    type: 'conversation.item.done',
    event_id: newRealtimeId('event'),
    previous_item_id: previousItemId,
    item,
  });
  if (!transcription) return;
  const { transcript } = transcription;
  conversation.update(itemId, { ...item, content: [{ type: 'input_audio', transcript }] });
  const audioTokens = Math.ceil(audioMs / 100);
  const textTokens = Math.ceil(transcript.length / 4);
  // whisper-1 bills by duration, the gpt-4o transcribe models by tokens.
  const usage: ConversationItemInputAudioTranscriptionCompletedEvent['usage'] =
    transcription.model === 'whisper-1'
      ? { type: 'duration', seconds: audioMs / 1000 }
      : {
          type: 'tokens',
          input_tokens: audioTokens,
          output_tokens: textTokens,
          total_tokens: audioTokens + textTokens,
          input_token_details: { audio_tokens: audioTokens, text_tokens: 0 },
        };
  send({
    type: 'conversation.item.input_audio_transcription.completed',
    event_id: newRealtimeId('event'),
    item_id: itemId,
    content_index: 0,
    transcript,
    usage,
  } satisfies ConversationItemInputAudioTranscriptionCompletedEvent);
}
