// A caller handed to a person: after a transfer to an endpoint answered, the caller and that
// endpoint's channel share a bridge of ours until one of them hangs up; then the other is hung up
// and the bridge destroyed. The AI side of the call is already gone by then.
import type { Logger } from '../observability/logger.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';

export interface BridgedTransferOptions {
  ari: AriRest;
  bridgeId: string;
  callerChannelId: string;
  targetChannelId: string;
  log: Logger;
  onEnded: (transfer: BridgedTransfer) => void;
}

export class BridgedTransfer {
  readonly bridgeId: string;
  readonly callerChannelId: string;
  readonly targetChannelId: string;
  readonly #ari: AriRest;
  readonly #log: Logger;
  readonly #onEnded: (transfer: BridgedTransfer) => void;
  #ending: Promise<void> | null = null;

  constructor(options: BridgedTransferOptions) {
    this.#ari = options.ari;
    this.bridgeId = options.bridgeId;
    this.callerChannelId = options.callerChannelId;
    this.targetChannelId = options.targetChannelId;
    this.#log = options.log;
    this.#onEnded = options.onEnded;
  }

  /** Puts both parties in one bridge. A failure hangs both up: there is nobody left to serve the caller. */
  async connect(): Promise<void> {
    try {
      await this.#ari.createBridge(this.bridgeId, `callbridge transfer ${this.bridgeId}`);
      await this.#ari.addToBridge(this.bridgeId, [this.callerChannelId, this.targetChannelId]);
      this.#log.info(
        { bridgeId: this.bridgeId, targetChannelId: this.targetChannelId },
        'caller connected to the transfer target',
      );
    } catch (error) {
      this.#log.error(
        { cause: (error as Error).message },
        'could not bridge the caller with the transfer target',
      );
      await this.end(null);
    }
  }

  /** One side hung up (or left the app): the other is hung up and the bridge removed. */
  partyLeft(channelId: string): Promise<void> {
    return this.end(channelId);
  }

  end(leftChannelId: string | null): Promise<void> {
    this.#ending ??= (async () => {
      for (const channelId of [this.callerChannelId, this.targetChannelId]) {
        if (channelId === leftChannelId) continue;
        await ignoringGone(this.#ari.hangup(channelId, 'normal')).catch((error: unknown) =>
          this.#log.warn(
            { channelId, cause: (error as Error).message },
            'could not hang up a transferred party',
          ),
        );
      }
      await ignoringGone(this.#ari.destroyBridge(this.bridgeId)).catch((error: unknown) =>
        this.#log.warn({ cause: (error as Error).message }, 'could not destroy the transfer bridge'),
      );
      this.#log.info({ leftChannelId }, 'transferred call ended');
      this.#onEnded(this);
    })();
    return this.#ending;
  }
}
