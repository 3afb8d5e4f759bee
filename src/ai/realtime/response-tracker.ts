// Which response is running and which items are still streaming audio, so barge-in knows
// whether to cancel and what to truncate, and late deltas of a cancelled response are dropped.

export interface AgentAudioOutput {
  enqueue(itemId: string, audio: Buffer): void;
  interrupt(): { itemId: string | null; playedMs: number; droppedBytes: number };
  playedMs(itemId: string): number;
  /** Agent audio is still being played out or waits in the queue. */
  isPlaying(): boolean;
}

export interface BargeInDecision {
  /** Cancel this running response. */
  cancelResponseId: string | null;
  /** Truncate this item at playedMs. */
  truncate: { itemId: string; audioEndMs: number } | null;
  itemId: string | null;
  heardMs: number;
  droppedMs: number;
}

export class ResponseTracker {
  #activeResponseId: string | null = null;
  readonly #interruptedItems = new Set<string>();
  readonly #streamingItems = new Set<string>();
  /** Items this conversation's socket sent audio for: only those can be truncated. */
  readonly #knownItems = new Set<string>();
  /** Responses that produced audio, for "did the agent say anything" decisions. */
  readonly #audibleResponses = new Set<string>();

  get activeResponseId(): string | null {
    return this.#activeResponseId;
  }

  responseCreated(responseId: string | undefined): void {
    this.#activeResponseId = responseId ?? null;
  }

  responseDone(responseId: string | undefined): { hadAudio: boolean } {
    if (responseId === this.#activeResponseId) this.#activeResponseId = null;
    const hadAudio = responseId !== undefined && this.#audibleResponses.delete(responseId);
    return { hadAudio };
  }

  /** Only the running response is heard: not one cut off by barge-in, nor one never created. */
  acceptsAudio(responseId: string, itemId: string): boolean {
    if (responseId !== this.#activeResponseId) return false;
    this.#streamingItems.add(itemId);
    if (this.#knownItems.size > 256) this.#knownItems.clear();
    this.#knownItems.add(itemId);
    this.#audibleResponses.add(responseId);
    return true;
  }

  /** Whether this (running) response has produced audio so far. */
  hasAudio(responseId: string): boolean {
    return this.#audibleResponses.has(responseId);
  }

  audioDone(itemId: string): void {
    this.#streamingItems.delete(itemId);
  }

  wasInterrupted(itemId: string): boolean {
    return this.#interruptedItems.has(itemId);
  }

  /** The caller started speaking: stops the output and decides what to tell the model, or null if nothing was playing. */
  bargeIn(output: AgentAudioOutput): BargeInDecision | null {
    const cut = output.interrupt();
    const responseId = this.#activeResponseId;
    const stillStreaming = cut.itemId !== null && this.#streamingItems.has(cut.itemId);
    if (cut.droppedBytes === 0 && !stillStreaming && responseId === null) return null;
    if (responseId !== null) {
      this.#activeResponseId = null;
    }
    let truncate: BargeInDecision['truncate'] = null;
    if (cut.itemId !== null && this.#knownItems.has(cut.itemId) && (cut.droppedBytes > 0 || stillStreaming)) {
      this.#streamingItems.delete(cut.itemId);
      this.#interruptedItems.add(cut.itemId);
      if (this.#interruptedItems.size > 64) this.#interruptedItems.clear();
      truncate = { itemId: cut.itemId, audioEndMs: cut.playedMs };
    }
    return {
      cancelResponseId: responseId,
      truncate,
      itemId: cut.itemId,
      heardMs: cut.playedMs,
      droppedMs: Math.floor(cut.droppedBytes / 8),
    };
  }
}
