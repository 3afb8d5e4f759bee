import { parseToolArguments, validateArguments } from './tool-arguments.ts';
import type { WebhookToolDefinition } from './tool-definitions.ts';
import type { ToolResult } from './tool-result.ts';

export { validateArguments } from './tool-arguments.ts';
export type { ToolResult } from './tool-result.ts';

/** Who is calling, sent along so the endpoint can tell calls apart. */
export interface WebhookCallContext {
  callId: string;
  agentId: string;
  callerNumber: string | null;
}

export interface WebhookRunOptions {
  /** Where `auth.valueFromEnv` is looked up (process.env in the daemon). */
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
  /** Larger response bodies are cut off and reported as an error. */
  maxResponseBytes?: number;
  /** Hosts (URL hostnames) that may be reached over plain http; all others need https. */
  allowHttpHosts?: readonly string[];
}

export const defaultMaxResponseBytes = 65_536;

/**
 * Runs one webhook tool call: POST `{ tool, arguments, call }` as JSON, answer with the parsed JSON
 * (or text) body. Never throws: every failure is `{ ok: false, error }`, worded for the model and
 * the log, and never containing the credential.
 */
export async function runWebhookTool(
  def: WebhookToolDefinition,
  args: unknown,
  context: WebhookCallContext,
  options: WebhookRunOptions,
): Promise<ToolResult> {
  let secret: string | undefined;
  try {
    const parsed = parseToolArguments(args);
    if (!parsed.ok) return parsed;
    const problem = validateArguments(def.parameters, parsed.args);
    if (problem) return { ok: false, error: `invalid arguments: ${problem}` };
    const url = checkedUrl(def.url, options.allowHttpHosts ?? []);
    if (!url.ok) return url;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
    };
    if (def.auth) {
      const value = options.env[def.auth.valueFromEnv];
      if (value === undefined || value === '') {
        return {
          ok: false,
          error: `credential ${def.auth.valueFromEnv} for tool ${def.name} is not configured`,
        };
      }
      secret = value;
      headers[def.auth.header] = authHeaderValue(def.auth.prefix, value);
    }
    const body = JSON.stringify({
      tool: def.name,
      arguments: parsed.args,
      call: { id: context.callId, agentId: context.agentId, callerNumber: context.callerNumber },
    });
    const result = await post(url.url, headers, body, def.timeoutMs, options);
    return result.ok ? result : { ok: false, error: redact(result.error, secret) };
  } catch (error) {
    return { ok: false, error: redact(`tool ${def.name} failed: ${describeError(error)}`, secret) };
  }
}

// YAML drops a trailing space, so `prefix: Bearer` must still give `Bearer <token>`.
function authHeaderValue(prefix: string | undefined, value: string): string {
  if (prefix === undefined || prefix === '') return value;
  return `${prefix.trimEnd()} ${value}`;
}

function checkedUrl(
  text: string,
  allowHttpHosts: readonly string[],
): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: 'the tool URL is not a valid URL' };
  }
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol !== 'http:')
    return { ok: false, error: `the tool URL scheme ${url.protocol} is not supported` };
  const host = url.hostname.toLowerCase();
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const allowed = allowHttpHosts.some((h) => {
    const wanted = h.toLowerCase();
    return wanted === host || wanted === bare;
  });
  if (!allowed) return { ok: false, error: `refusing plain http to ${host}: tool URLs must use https` };
  return { ok: true, url };
}

async function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  options: WebhookRunOptions,
): Promise<ToolResult> {
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // Redirects are not followed: they could lead to plain http or carry the header elsewhere.
    response = await doFetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
  } catch (error) {
    return { ok: false, error: requestFailure(error, timeoutMs) };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    const statusText = response.statusText ? ` ${response.statusText}` : '';
    return { ok: false, error: `tool endpoint answered HTTP ${response.status}${statusText}` };
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await readCapped(response, maxBytes);
  } catch (error) {
    return { ok: false, error: requestFailure(error, timeoutMs) };
  }
  if (!bytes) return { ok: false, error: `response larger than ${maxBytes} bytes` };
  const text = bytes.toString('utf8');
  if (!isJsonContentType(response.headers.get('content-type'))) return { ok: true, output: text };
  if (text.trim() === '') return { ok: true, output: null };
  try {
    return { ok: true, output: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'tool endpoint sent invalid JSON' };
  }
}

// Reads the body up to maxBytes; undefined (and the stream cancelled) when there is more.
async function readCapped(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function isJsonContentType(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function requestFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `tool did not answer within ${timeoutMs} ms`;
  return `request failed: ${describeError(error)}`;
}

// fetch's own message is just "fetch failed"; the reason (ECONNREFUSED, …) is in its cause.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}

function redact(message: string, secret: string | undefined): string {
  return secret ? message.split(secret).join('[redacted]') : message;
}
