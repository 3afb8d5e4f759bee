// The conversation as text, kept so a new socket can be given it after a drop or a rollover:
// the Realtime API keeps the conversation per socket, and a new socket starts empty.
import type { HistoryTurn } from './realtime-link.ts';

/** Turns kept; older ones matter less than the instructions and the recent context. */
const MAX_TURNS = 200;

export class ConversationHistory {
  readonly #turns: HistoryTurn[] = [];
  /** Tool calls awaiting their result, by call id, so the result can name its tool. */
  readonly #toolNames = new Map<string, string>();

  get turns(): readonly HistoryTurn[] {
    return this.#turns;
  }

  add(role: HistoryTurn['role'], text: string): void {
    if (text.trim() === '') return;
    this.#turns.push({ role, text });
    if (this.#turns.length > MAX_TURNS) this.#turns.splice(0, this.#turns.length - MAX_TURNS);
  }

  agentSaid(transcript: string, interrupted: boolean): void {
    this.add('assistant', interrupted ? `${transcript} [cut off by the caller]` : transcript);
  }

  toolCalled(callId: string, name: string): void {
    this.#toolNames.set(callId, name);
  }

  /** A tool result as a note: replaying the function call itself would need its item. */
  toolAnswered(callId: string, outputJson: string): void {
    const name = this.#toolNames.get(callId) ?? 'a tool';
    this.#toolNames.delete(callId);
    this.add('system', `You called ${name}; it returned ${outputJson}`);
  }
}
