// Delivers each event to the Stasis applications subscribed to what it is about, as res_stasis
// does: an app sees a channel while the channel is in its Stasis() or when the app created the
// channel through ARI, sees a bridge once one of its channels entered it, and an app connected
// with subscribeAll=true sees everything. Events for an app with no connected socket are lost.

import { asteriskTimestamp } from './asterisk-time.ts';

export interface EventSink {
  /** Sends the text to the app's socket; false when the app has none. */
  deliver(app: string, text: string): boolean;
  subscribeAllApps(): readonly string[];
}

/** An event as it went over the wire to one application. */
export interface SentEvent {
  type: string;
  timestamp: string;
  application: string;
  asterisk_id: string;
  [property: string]: unknown;
}

export class EventRouter {
  readonly sent: SentEvent[] = [];
  #sink: EventSink;
  #asteriskId: string;

  constructor(sink: EventSink, asteriskId: string) {
    this.#sink = sink;
    this.#asteriskId = asteriskId;
  }

  /**
   * Emits `type` to every app in `apps` (plus subscribeAll apps). `leading` fields go before
   * `type`, as Asterisk serialises event blobs (ChannelVarset, ChannelHangupRequest).
   */
  emit(
    apps: Iterable<string | undefined>,
    type: string,
    fields: Record<string, unknown>,
    leading: Record<string, unknown> = {},
  ): void {
    const recipients = new Set<string>();
    for (const app of apps) if (app) recipients.add(app);
    for (const app of this.#sink.subscribeAllApps()) recipients.add(app);
    const timestamp = asteriskTimestamp();
    for (const application of recipients) {
      const event: SentEvent = {
        ...leading,
        type,
        timestamp,
        ...fields,
        asterisk_id: this.#asteriskId,
        application,
      };
      if (this.#sink.deliver(application, JSON.stringify(event))) this.sent.push(event);
    }
  }
}
