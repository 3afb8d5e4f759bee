// The running gateway: connects to ARI, registers the Stasis app, routes its events to calls,
// serves the admin API, keeps Asterisk free of leftovers and the store within its retention,
// and on stop ends every call and releases everything.
import cron, { type ScheduledTask } from 'node-cron';
import { AdminServer } from './admin/admin-server.ts';
import { createCallsApi } from './admin/calls-api.ts';
import { createHealthRoutes, PUBLIC_HEALTH_PATHS } from './admin/health-routes.ts';
import type { AgentDefinition } from './agents/agent-definition.ts';
import { AgentRegistry } from './agents/agent-registry.ts';
import { agentFromConfig } from './agents/config-agent.ts';
import { RealtimeSessionSource } from './ai/realtime/realtime-session-pool.ts';
import { CallOrchestrator } from './call/call-orchestrator.ts';
import { voiceSettingsFor } from './call/call-profile.ts';
import { ChannelArrivals } from './call/channel-arrivals.ts';
import type { Config } from './config/load-config.ts';
import { LeftoverSweeper } from './jobs/leftover-sweeper.ts';
import { enforceRetention } from './jobs/retention-job.ts';
import { PAYLOAD_TYPE } from './media/codec/g711.ts';
import { RtpPortPool } from './media/rtp/rtp-port-pool.ts';
import { GatewayMetrics } from './observability/gateway-metrics.ts';
import type { Logger } from './observability/logger.ts';
import type { CallStore } from './store/call-store.ts';
import { openCallStore } from './store/open-call-store.ts';
import { connectAriClient } from './telephony/ari/ari-connect.ts';
import { ariOrigin } from './telephony/ari/ari-credentials.ts';
import { AriEventStream } from './telephony/ari/ari-event-stream.ts';
import { AriClientRest, type AriRest } from './telephony/ari/ari-rest.ts';

export interface DaemonParts {
  orchestrator: CallOrchestrator;
  ports: RtpPortPool;
  events: AriEventStream;
  sweeper: LeftoverSweeper;
  ari: AriRest;
  store: CallStore | null;
  agents: AgentRegistry | null;
  sessions: RealtimeSessionSource;
  metrics: GatewayMetrics;
}

export class Daemon {
  readonly orchestrator: CallOrchestrator;
  readonly ports: RtpPortPool;
  readonly events: AriEventStream;
  readonly sweeper: LeftoverSweeper;
  readonly store: CallStore | null;
  readonly agents: AgentRegistry | null;
  readonly sessions: RealtimeSessionSource;
  readonly metrics: GatewayMetrics;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #ari: AriRest;
  #admin: AdminServer | null = null;
  readonly #tasks: ScheduledTask[] = [];
  #stopping: Promise<void> | null = null;

  private constructor(config: Config, log: Logger, parts: DaemonParts) {
    this.#config = config;
    this.#log = log;
    this.#ari = parts.ari;
    this.orchestrator = parts.orchestrator;
    this.ports = parts.ports;
    this.events = parts.events;
    this.sweeper = parts.sweeper;
    this.store = parts.store;
    this.agents = parts.agents;
    this.sessions = parts.sessions;
    this.metrics = parts.metrics;
  }

  /**
   * Connects to Asterisk and starts taking calls. Rejects with AriConnectError if ARI is unusable,
   * AgentsFileError if the agents file is invalid, or the store's error if it cannot be opened.
   */
  static async start(config: Config, log: Logger): Promise<Daemon> {
    const agents = config.agents.file ? AgentRegistry.load(config.agents.file, process.env, log) : null;
    const defaultAgent = agentFromConfig(config);
    const store = config.store.dataDir ? openCallStore({ dataDir: config.store.dataDir }) : null;
    const origin = ariOrigin(config.ari.url);
    const credentials = { origin, username: config.ari.username, password: config.ari.password };
    let client: Awaited<ReturnType<typeof connectAriClient>>;
    try {
      client = await connectAriClient(credentials, config.ari.connectTimeoutMs, log);
    } catch (error) {
      agents?.close();
      store?.close();
      throw error;
    }
    const ari = new AriClientRest(client, config.ari.requestTimeoutMs);
    const ports = new RtpPortPool({
      bind: config.rtp.bind,
      portMin: config.rtp.portMin,
      portMax: config.rtp.portMax,
      payloadType: PAYLOAD_TYPE[config.rtp.format],
      reorderHoldMs: config.rtp.reorderHoldMs,
    });
    const sessions = new RealtimeSessionSource({
      endpoint: (model) => ({
        baseUrl: config.openai.baseUrl,
        model,
        apiKey: config.openai.apiKey,
        authStyle: config.openai.authStyle,
      }),
      logger: log,
      sizePerAgent: config.pool.size,
      maxAgeMs: config.pool.maxAgeMs,
      connectTimeoutMs: config.openai.connectTimeoutMs,
      resilience: {
        reconnectAttempts: config.openai.reconnectAttempts,
        reconnectTimeoutMs: config.openai.reconnectTimeoutMs,
        rolloverAfterMs: config.openai.rolloverAfterMs,
      },
    });
    const metrics = new GatewayMetrics({
      liveRtp: () => orchestrator.liveRtp(),
      ariMalformed: () => events.stats.malformed,
    });
    const orchestrator = new CallOrchestrator({
      config,
      ari,
      arrivals: new ChannelArrivals(),
      ports,
      logger: log,
      ariHost: new URL(origin).hostname,
      agents: agents ?? { resolve: () => ({ agent: defaultAgent, matchedBy: 'default' }) },
      store,
      sessions,
      env: process.env,
      metrics,
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
          if (!reconnected) return;
          metrics.ariReconnects.inc();
          void daemon.#reconcile();
        },
      },
    );
    const daemon = new Daemon(config, log, {
      orchestrator,
      ports,
      events,
      sweeper,
      ari,
      store,
      agents,
      sessions,
      metrics,
    });
    try {
      await events.connect(config.ari.connectTimeoutMs);
      if (config.admin.port > 0) {
        daemon.#admin = await AdminServer.start({
          host: config.admin.host,
          port: config.admin.port,
          token: config.admin.token,
          routes: [
            createHealthRoutes(
              {
                ariConnected: () => events.state === 'connected',
                hasCapacity: () => orchestrator.hasCapacity,
                stopping: () => daemon.stopping,
              },
              metrics,
            ),
            ...(store
              ? [createCallsApi(store, { onError: (error) => log.error({ err: error }, 'calls API failed') })]
              : []),
          ],
          publicPaths: PUBLIC_HEALTH_PATHS,
          log,
        });
      }
    } catch (error) {
      await daemon.stop();
      throw error;
    }
    log.info(
      { ari: origin, app: config.ari.app, topology: config.media.topology },
      'registered Stasis app; taking calls',
    );
    daemon.#warmPool();
    // Everything created before we registered and not ours now is from an earlier run.
    await daemon.#sweep(Date.now());
    daemon.#scheduleJobs();
    return daemon;
  }

  get stopping(): boolean {
    return this.#stopping !== null;
  }

  get adminPort(): number | null {
    return this.#admin?.port ?? null;
  }

  /** SIGHUP: re-read the agents file; an invalid file keeps the previous agents. */
  reloadAgents(): void {
    if (this.agents === null) {
      this.#log.info('no agents file configured; nothing to reload');
      return;
    }
    if (this.agents.reload('sighup')) this.#warmPool();
  }

  /** Ends every call, releases everything and closes the ARI socket. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.orchestrator.stopAccepting();
    for (const task of this.#tasks.splice(0)) task.destroy();
    const { drainTimeoutMs, goodbyeTimeoutMs } = this.#config.shutdown;
    if (this.orchestrator.activeCalls > 0) {
      this.#log.info(
        { activeCalls: this.orchestrator.activeCalls, drainTimeoutMs },
        'draining: new calls are turned away',
      );
      const drained = await this.orchestrator.drained(drainTimeoutMs);
      if (!drained)
        this.#log.info({ activeCalls: this.orchestrator.activeCalls }, 'drain time is up; ending calls');
    }
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.orchestrator.endAllPolitely(goodbyeTimeoutMs).then(() => true),
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
    await this.orchestrator.turnedAwaySettled();
    await this.sessions.close();
    await this.events.close();
    await this.#admin?.close();
    this.agents?.close();
    this.store?.close();
    this.#log.info({ leasedPorts: this.ports.leased }, 'stopped');
  }

  #warmPool(): void {
    if (this.#config.pool.size <= 0) return;
    const agents: readonly AgentDefinition[] = this.agents?.current.agents ?? [agentFromConfig(this.#config)];
    for (const agent of agents) {
      this.sessions.warm(
        agent.id,
        voiceSettingsFor(agent, this.#config, { now: new Date(), callerNumber: '', memory: null }),
      );
    }
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

  #scheduleJobs(): void {
    const { leftoverSweepCron, retentionCron, leftoverMinAgeMs } = this.#config.jobs;
    if (leftoverSweepCron) {
      this.#tasks.push(
        cron.schedule(leftoverSweepCron, () => this.#sweep(Date.now() - leftoverMinAgeMs), {
          name: 'leftover-sweep',
          noOverlap: true,
        }),
      );
    }
    const store = this.store;
    if (retentionCron && store) {
      const settings = {
        memoryDays: this.#config.memory.retentionDays,
        recordsDays: this.#config.records.retentionDays,
      };
      this.#tasks.push(
        cron.schedule(retentionCron, () => enforceRetention(store, settings, this.#log), {
          name: 'retention',
          noOverlap: true,
        }),
      );
    }
  }
}
