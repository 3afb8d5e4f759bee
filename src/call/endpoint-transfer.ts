// Dialling a transfer target that is an endpoint (e.g. PJSIP/101): the channel is originated
// into our app and counts as answered when it enters it (StasisStart). If it is busy, not
// answered or rejected, the AI keeps the call and tells the caller. If the caller hangs up while
// it rings, the target is hung up as part of the call's teardown.
import type { TransferTarget } from '../agents/agent-definition.ts';
import type { Logger } from '../observability/logger.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { Handover } from './call-handover.ts';
import { ownedId } from './call-ids.ts';
import type { CallResources } from './call-resources.ts';
import type { ChannelArrivals } from './channel-arrivals.ts';

export type DialOutcome = { ok: true; channelId: string } | { ok: false; reason: string };

/** Q.850 causes a caller can understand. */
const CAUSE_TEXT: Readonly<Record<number, string>> = {
  1: 'the number does not exist',
  17: 'busy',
  18: 'no answer',
  19: 'no answer',
  21: 'rejected',
  34: 'no line available',
  38: 'network out of order',
};

export class EndpointTransfer {
  readonly #ari: AriRest;
  readonly #arrivals: ChannelArrivals;
  readonly #resources: CallResources;
  readonly #app: string;
  readonly #callerId: string;
  readonly #log: Logger;
  readonly channelId: string;
  #connected = false;

  constructor(options: {
    ari: AriRest;
    arrivals: ChannelArrivals;
    resources: CallResources;
    app: string;
    callId: string;
    callerId: string;
    log: Logger;
  }) {
    this.#ari = options.ari;
    this.#arrivals = options.arrivals;
    this.#resources = options.resources;
    this.#app = options.app;
    this.#callerId = options.callerId;
    this.#log = options.log;
    this.channelId = ownedId(options.app, 'xfer', options.callId);
  }

  async dial(endpoint: string, timeoutSec: number): Promise<DialOutcome> {
    const answered = this.#arrivals.expect(this.channelId, timeoutSec * 1000 + 2000);
    answered.catch(() => undefined);
    this.#log.info({ endpoint, timeoutSec }, 'dialling the transfer target');
    const created = this.#ari.originate({
      endpoint,
      channelId: this.channelId,
      app: this.#app,
      appArgs: 'transfer',
      callerId: this.#callerId,
      timeoutSec,
    });
    // Handed over: the caller's new conversation must not be cut by the AI side's teardown.
    this.#resources.add(
      'transfer target',
      async () => {
        if (!this.#connected) await ignoringGone(this.#ari.hangup(this.channelId, 'normal'));
      },
      created,
    );
    try {
      await created;
      await answered;
    } catch (error) {
      const reason = (error as Error).message;
      this.#log.warn({ endpoint, reason }, 'transfer target not reached');
      return { ok: false, reason };
    }
    this.#connected = true;
    this.#log.info({ endpoint }, 'transfer target answered');
    return { ok: true, channelId: this.channelId };
  }

  /** The target's channel went away before answering. */
  targetGone(cause: number | undefined): void {
    const text =
      cause === undefined ? 'the call did not go through' : (CAUSE_TEXT[cause] ?? `cause ${cause}`);
    this.#arrivals.cancel(this.channelId, text);
  }

  cancel(reason: string): void {
    this.#arrivals.cancel(this.channelId, reason);
  }
}

/** Where the caller goes for one transfer target: a dialplan location, or an endpoint dialled now. */
export async function reachTransferTarget(
  target: TransferTarget | undefined,
  dial: EndpointTransfer,
  app: string,
  callId: string,
): Promise<{ handover: Handover } | { failure: string }> {
  if (!target) return { failure: 'unknown transfer target' };
  if (target.kind === 'dialplan') {
    const { context, extension, priority } = target;
    return { handover: { kind: 'dialplan', context, extension, priority } };
  }
  const outcome = await dial.dial(target.endpoint, target.timeoutSec);
  if (!outcome.ok) return { failure: outcome.reason };
  return {
    handover: { kind: 'bridge', targetChannelId: outcome.channelId, bridgeId: ownedId(app, 'xbr', callId) },
  };
}
