// The benchmark's child processes (daemon, fake Realtime server): started with their output
// read line by line, stopped with SIGTERM then SIGKILL, and all killed whenever the benchmark
// exits, normally or not, so none is left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // Killed and waited for (reaped) before exiting; whatever is slower than 2 s is left to init.
      const exits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
      for (const child of running) child.kill('SIGKILL');
      const cap = new Promise((resolve) => setTimeout(resolve, 2000));
      void Promise.race([Promise.all(exits), cap]).then(() => process.exit(130));
    });
  }
}

export interface ManagedChildOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  onLine: (line: string) => void;
}

export class ManagedChild {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  #stderr = '';
  #hasExited = false;
  #exitCode: number | null = null;

  private constructor(name: string, child: ChildProcess, onLine: (line: string) => void) {
    this.name = name;
    this.#child = child;
    if (child.pid === undefined) throw new Error(`${name} did not start`);
    this.pid = child.pid;
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        running.delete(child);
        this.#hasExited = true;
        this.#exitCode = code;
        resolve(code);
      });
    });
    createInterface({ input: child.stdout! }).on('line', onLine);
    child.stderr!.on('data', (chunk: Buffer) => {
      // Kept short: only the tail matters when reporting why a child died.
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-4000);
    });
  }

  /** Starts `node <args>` on the Node running the benchmark (the pinned Node 24). */
  static start(options: ManagedChildOptions): Promise<ManagedChild> {
    installExitHooks();
    const child = spawn(process.execPath, options.args, {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.off('error', reject);
        resolve(new ManagedChild(options.name, child, options.onLine));
      });
    });
  }

  get alive(): boolean {
    return !this.#hasExited;
  }

  get stderrTail(): string {
    return this.#stderr;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves once it has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws if the process has exited: for use in a pollFor() probe waiting on it. */
  assertAlive(what: string): void {
    if (!this.#hasExited) return;
    throw new Error(
      `${this.name} exited (code ${this.#exitCode}) before ${what}; stderr: ${this.#stderr.trim()}`,
    );
  }
}

/**
 * Resolves with the first value `probe` returns, checked every `intervalMs`; rejects after
 * `timeoutMs` or as soon as `probe` throws.
 */
export function pollFor<T>(
  probe: () => T | undefined,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      let value: T | undefined;
      try {
        value = probe();
      } catch (error) {
        reject(error);
        return;
      }
      if (value !== undefined) resolve(value);
      else if (performance.now() >= deadline) reject(new Error(`timed out after ${timeoutMs} ms: ${what}`));
      else setTimeout(check, intervalMs);
    };
    check();
  });
}
