// Holds the current AgentSet and replaces it whole when the agents file changes or on SIGHUP. An
// invalid file never replaces a valid set: the problems are logged and the previous agents stay.
// A call keeps the AgentDefinition it resolved, so a reload never changes a call in progress.

import { type FSWatcher, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../observability/logger.ts';
import { AgentsFileError, loadAgentsFile } from './agents-file.ts';
import type { AgentResolution, AgentSet } from './did-router.ts';

export type ReloadReason = 'file_changed' | 'sighup';

export interface AgentRegistryOptions {
  /** Quiet period after the last change event before reloading; editors write in bursts. */
  readonly debounceMs?: number;
  /** Watch the file (default true). */
  readonly watch?: boolean;
}

const DEFAULT_DEBOUNCE_MS = 200;

export class AgentRegistry {
  readonly file: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: Logger;
  readonly #debounceMs: number;
  #current: AgentSet;
  #loadedText: string | null;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(file: string, env: NodeJS.ProcessEnv, logger: Logger, debounceMs: number) {
    this.file = file;
    this.#env = env;
    this.#logger = logger;
    this.#debounceMs = debounceMs;
    this.#loadedText = readText(file);
    this.#current = loadAgentsFile(file, env);
  }

  /** Loads the file (an invalid file throws its AgentsFileError) and starts watching it. */
  static load(
    file: string,
    env: NodeJS.ProcessEnv,
    logger: Logger,
    options: AgentRegistryOptions = {},
  ): AgentRegistry {
    const registry = new AgentRegistry(
      path.resolve(file),
      env,
      logger,
      options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    );
    logger.info({ file: registry.file, ...registry.current.stats }, 'agents loaded');
    if (options.watch ?? true) registry.#watch();
    return registry;
  }

  get current(): AgentSet {
    return this.#current;
  }

  resolve(dialled: string): AgentResolution {
    return this.#current.resolve(dialled);
  }

  /** Reloads now; true when a new set took over. */
  reload(reason: ReloadReason): boolean {
    if (this.#closed) return false;
    const text = readText(this.file);
    if (reason === 'file_changed' && text !== null && text === this.#loadedText) {
      this.#logger.debug({ file: this.file, reason }, 'agents file unchanged');
      return false;
    }
    let next: AgentSet;
    try {
      next = loadAgentsFile(this.file, this.#env);
    } catch (error) {
      const problems =
        error instanceof AgentsFileError ? error.problems : [{ path: 'file', reason: String(error) }];
      this.#logger.error(
        { file: this.file, reason, problems },
        'agents file invalid; keeping the previous agents',
      );
      return false;
    }
    this.#current = next;
    this.#loadedText = text;
    this.#logger.info({ file: this.file, reason, ...next.stats }, 'agents reloaded');
    return true;
  }

  /** Stops watching; no handle is left behind. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#watcher?.close();
    this.#watcher = null;
  }

  // The directory is watched, not the file: editors that save by writing a new file and renaming
  // it over the old one would leave a watch on the file looking at the replaced inode.
  #watch(): void {
    const name = path.basename(this.file);
    const watcher = watch(path.dirname(this.file), (_event, changed) => {
      if (changed === null || changed === name) this.#schedule();
    });
    watcher.on('error', (error) => {
      this.#logger.warn({ file: this.file, err: error }, 'agents file watch failed; SIGHUP still reloads');
      this.#watcher?.close();
      this.#watcher = null;
    });
    this.#watcher = watcher;
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.reload('file_changed');
    }, this.#debounceMs);
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
