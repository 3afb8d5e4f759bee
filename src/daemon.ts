// The running gateway: connects to ARI, registers the Stasis app, routes its events to calls,
// keeps Asterisk free of leftovers, and on stop ends every call and releases everything.
import cron, { type ScheduledTask } from 'node-cron';
import { CallOrchestrator } from './call/call-orchestrator.ts';
import { ChannelArrivals } from './call/channel-arrivals.ts';
import type { Config } from './config/load-config.ts';
import { LeftoverSweeper } from './jobs/leftover-sweeper.ts';
import { PAYLOAD_TYPE } from './media/codec/g711.ts';
import { RtpPortPool } from './media/rtp/rtp-port-pool.ts';
import type { Logger } from './observability/logger.ts';
import { connectAriClient } from './telephony/ari/ari-connect.ts';
import { ariOrigin } from './telephony/ari/ari-credentials.ts';
import { AriEventStream } from './telephony/ari/ari-event-stream.ts';
import { AriClientRest, type AriRest } from './telephony/ari/ari-rest.ts';

export class Daemon {
  readonly orchestrator: CallOrchestrator;
  readonly ports: RtpPortPool;
  readonly events: AriEventStream;
  readonly sweeper: LeftoverSweeper;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #ari: AriRest;
  #sweepTask: ScheduledTask | null = null;
  #stopping: Promise<void> | null = null;

  private constructor(
    config: Config,
    log: Logger,
    parts: {
      orchestrator: CallOrchestrator;
      ports: RtpPortPool;
      events: AriEventStream;
      sweeper: LeftoverSweeper;
      ari: AriRest;
    },
  ) {
    this.#config = config;
    this.#log = log;
    this.#ari = parts.ari;
    this.orchestrator = parts.orchestrator;
    this.ports = parts.ports;
    this.events = parts.events;
    this.sweeper = parts.sweeper;
  }

  /** Connects to Asterisk and starts taking calls. Rejects with AriConnectError if ARI is unusable. */
  static async start(config: Config, log: Logger): Promise<Daemon> {
    const origin = ariOrigin(config.ari.url);
    const credentials = { origin, username: config.ari.username, password: config.ari.password };
    const client = await connectAriClient(credentials, config.ari.connectTimeoutMs, log);
    const ari = new AriClientRest(client, config.ari.requestTimeoutMs);
    const ports = new RtpPortPool({
      bind: config.rtp.bind,
      portMin: config.rtp.portMin,
      portMax: config.rtp.portMax,
      payloadType: PAYLOAD_TYPE[config.rtp.format],
      reorderHoldMs: config.rtp.reorderHoldMs,
    });
    const orchestrator = new CallOrchestrator({
      config,
      ari,
      arrivals: new ChannelArrivals(),
      ports,
      logger: log,
      ariHost: new URL(origin).hostname,
    });
    const sweeper = new LeftoverSweeper({
      ari,
      app: config.ari.app,
      isActive: (id) => orchestrator.owns(id),
      logger: log,
    });
    const events = new AriEventStream(
      {
        ...credentials,
        app: config.ari.app,
        logger: log,
        reconnectMinDelayMs: config.ari.reconnectMinDelayMs,
        reconnectMaxDelayMs: config.ari.reconnectMaxDelayMs,
      },
      {
        onEvent: orchestrator.handleEvent,
        onConnected: (reconnected) => {
          if (reconnected) void daemon.#reconcile();
        },
      },
    );
    const daemon = new Daemon(config, log, { orchestrator, ports, events, sweeper, ari });
    await events.connect(config.ari.connectTimeoutMs);
    log.info(
      { ari: origin, app: config.ari.app, topology: config.media.topology },
      'registered Stasis app; taking calls',
    );
    // Everything created before we registered and not ours now is from an earlier run.
    await daemon.#sweep(Date.now());
    daemon.#scheduleSweeps();
    return daemon;
  }

  get stopping(): boolean {
    return this.#stopping !== null;
  }

  /** Ends every call, releases everything and closes the ARI socket. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.orchestrator.stopAccepting();
    this.#sweepTask?.destroy();
    this.#sweepTask = null;
    const active = this.orchestrator.activeCalls;
    if (active > 0) this.#log.info({ activeCalls: active }, 'ending calls for shutdown');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.orchestrator.endAll('shutdown').then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.#config.shutdown.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!ended)
      this.#log.warn(
        { activeCalls: this.orchestrator.activeCalls },
        'shutdown timed out with calls still ending',
      );
    await this.events.close();
    this.#log.info({ leasedPorts: this.ports.leased }, 'stopped');
  }

  /** Events may have been missed while the socket was down: end calls whose caller is gone. */
  async #reconcile(): Promise<void> {
    try {
      const live = new Set((await this.#ari.listChannels()).map((channel) => channel.id));
      const ended = this.orchestrator.reconcile(live);
      this.#log.info(
        { ended, activeCalls: this.orchestrator.activeCalls },
        'reconciled calls after ARI reconnect',
      );
    } catch (error) {
      this.#log.warn({ cause: (error as Error).message }, 'could not reconcile calls after ARI reconnect');
    }
    await this.#sweep(Date.now() - this.#config.jobs.leftoverMinAgeMs);
  }

  async #sweep(cutoffEpochMs: number): Promise<void> {
    try {
      const result = await this.sweeper.sweep(cutoffEpochMs);
      if (result.channels + result.bridges + result.failures > 0)
        this.#log.info(result, 'leftover sweep done');
    } catch (error) {
      this.#log.warn({ cause: (error as Error).message }, 'leftover sweep failed');
    }
  }

  #scheduleSweeps(): void {
    const expression = this.#config.jobs.leftoverSweepCron;
    if (!expression) return;
    this.#sweepTask = cron.schedule(
      expression,
      () => this.#sweep(Date.now() - this.#config.jobs.leftoverMinAgeMs),
      { name: 'leftover-sweep', noOverlap: true },
    );
  }
}
