import type { ConversationItem } from 'openai/resources/realtime/realtime';
import { newRealtimeId } from './realtime-ids.ts';

export interface ConversationEntry {
  id: string;
  item: ConversationItem;
  /** Milliseconds of user audio behind this item (committed input audio). */
  inputAudioMs: number;
}

// The server's view of the conversation: ordered items, for previous_item_id, delete/retrieve and
// the usage estimate.
export class ConversationState {
  readonly id = newRealtimeId('conv');
  readonly #entries = new Map<string, ConversationEntry>();

  get lastItemId(): string | null {
    let last: string | null = null;
    for (const id of this.#entries.keys()) last = id;
    return last;
  }

  /** Adds an item (ids are filled in when missing) and returns its previous_item_id. */
  add(item: ConversationItem, inputAudioMs = 0): { entry: ConversationEntry; previousItemId: string | null } {
    const previousItemId = this.lastItemId;
    const id = item.id ?? newRealtimeId('item');
    const entry: ConversationEntry = { id, item: { ...item, id }, inputAudioMs };
    this.#entries.set(id, entry);
    return { entry, previousItemId };
  }

  /** Replaces an item's content (an assistant item once its response is done). */
  update(id: string, item: ConversationItem): void {
    const entry = this.#entries.get(id);
    if (entry) entry.item = { ...item, id };
  }

  get(id: string): ConversationEntry | undefined {
    return this.#entries.get(id);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  delete(id: string): boolean {
    return this.#entries.delete(id);
  }

  entries(): ConversationEntry[] {
    return [...this.#entries.values()];
  }

  /** Characters of text the model would see: text content and transcripts. */
  textChars(): number {
    let chars = 0;
    for (const { item } of this.#entries.values()) {
      if (item.type === 'message') {
        for (const part of item.content)
          chars +=
            ('text' in part ? (part.text?.length ?? 0) : 0) +
            ('transcript' in part ? (part.transcript?.length ?? 0) : 0);
      } else if (item.type === 'function_call_output') {
        chars += item.output.length;
      } else if (item.type === 'function_call') {
        chars += item.arguments.length;
      }
    }
    return chars;
  }

  inputAudioMs(): number {
    let ms = 0;
    for (const entry of this.#entries.values()) ms += entry.inputAudioMs;
    return ms;
  }
}
