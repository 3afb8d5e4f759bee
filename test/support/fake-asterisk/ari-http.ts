// Request and response shapes shared by the ARI REST server and its handlers.

import type { OperationDecl } from './ari-declarations.ts';

/** An ARI error reply: Asterisk answers `{"message": "..."}` with the status. */
export class AriError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface AriResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): AriResponse => ({ status: 200, body });
export const noContent = (): AriResponse => ({ status: 204 });
/** Playbacks are answered 201 Created with a Location, as ast_ari_response_created does. */
export const created = (location: string, body: unknown): AriResponse => ({
  status: 201,
  body,
  headers: { Location: location },
});

const TRUE_WORDS = new Set(['yes', 'true', 'y', 't', '1', 'on']);

/** Parameter values as Asterisk's generated glue reads them (atoi, ast_true, comma lists). */
export class AriParams {
  readonly #values: Map<string, string>;

  constructor(values: Map<string, string>) {
    this.#values = values;
  }

  /** The value, or undefined when absent or empty (ast_strlen_zero). */
  str(name: string): string | undefined {
    const v = this.#values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  has(name: string): boolean {
    return this.str(name) !== undefined;
  }

  int(name: string, fallback = 0): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  }

  bool(name: string, fallback = false): boolean {
    const v = this.str(name);
    return v === undefined ? fallback : TRUE_WORDS.has(v.toLowerCase());
  }

  /** allowMultiple parameters arrive comma-separated. */
  list(name: string): string[] {
    return (this.str(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
}

export interface AriRequest {
  op: OperationDecl;
  path: Record<string, string>;
  params: AriParams;
  /** The `variables` object of a JSON body (channel variables to set on creation). */
  variables: Record<string, string>;
}

export type AriHandler = (req: AriRequest) => AriResponse | Promise<AriResponse>;

/** Every REST request the fake answered, for assertions. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Epoch ms (float) when the answer was sent. */
  at: number;
  nickname?: string;
  /** The answer came from failNext(), not from the fake's behaviour. */
  injected?: boolean;
}

/** A one-shot rule set by failNext()/delayNext(). */
export interface Interception {
  method?: string;
  path: string | RegExp;
  status?: number;
  message?: string;
  delayMs?: number;
}
