// Out-of-band text responses (conversation: 'none'), such as the call summary written for the
// caller's memory. They are told apart from the spoken conversation by their metadata purpose,
// so they never touch barge-in or playback state.
import type { RealtimeResponse } from 'openai/resources/realtime/realtime';

interface Pending {
  purpose: string;
  responseId: string | null;
  text: string;
  resolve: (text: string | null) => void;
  timer: NodeJS.Timeout;
}

export class TextResponses {
  readonly #pending: Pending[] = [];

  get pending(): boolean {
    return this.#pending.length > 0;
  }

  /** Resolves with the response's text, or null on timeout or when the session ends. */
  expect(purpose: string, timeoutMs: number): Promise<string | null> {
    return new Promise((resolve) => {
      const entry: Pending = {
        purpose,
        responseId: null,
        text: '',
        resolve,
        timer: setTimeout(() => this.#settle(entry, null), timeoutMs),
      };
      this.#pending.push(entry);
    });
  }

  /** response.created: claims the response if it is one of ours. */
  owns(response: RealtimeResponse): boolean {
    const purpose = (response.metadata as Record<string, string> | null | undefined)?.['purpose'];
    const entry = this.#pending.find((p) => p.responseId === null && p.purpose === purpose);
    if (!entry || !response.id) return false;
    entry.responseId = response.id;
    return true;
  }

  textDone(responseId: string, text: string): void {
    const entry = this.#pending.find((p) => p.responseId === responseId);
    if (entry) entry.text += text;
  }

  /** response.done: settles ours and returns true; false for spoken responses. */
  done(response: RealtimeResponse): boolean {
    const entry = this.#pending.find((p) => p.responseId !== null && p.responseId === response.id);
    if (!entry) return false;
    this.#settle(
      entry,
      response.status === 'completed' && entry.text.trim() !== '' ? entry.text.trim() : null,
    );
    return true;
  }

  cancelAll(): void {
    for (const entry of [...this.#pending]) this.#settle(entry, null);
  }

  #settle(entry: Pending, text: string | null): void {
    const index = this.#pending.indexOf(entry);
    if (index < 0) return;
    this.#pending.splice(index, 1);
    clearTimeout(entry.timer);
    entry.resolve(text);
  }
}
