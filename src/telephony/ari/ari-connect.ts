// Connects ari-client to Asterisk so that every way this can fail ends in one AriConnectError
// naming the URL and the cause. ari-client 2.2.0 turns a 401, a 5xx or a non-ARI answer on its
// first requests into an uncaught exception rather than a rejection, so we first fetch the same
// API description ourselves and explain what is wrong; the library's own connect then runs
// under a guard that converts a stray exception into a rejection.
import ari, { type AriClientInstance } from 'ari-client';
import type { Logger } from '../../observability/logger.ts';
import { type AriCredentials, basicAuthorization } from './ari-credentials.ts';
import { AriConnectError } from './ari-errors.ts';
import { missingOperations } from './ari-rest.ts';

export async function connectAriClient(
  credentials: AriCredentials,
  timeoutMs: number,
  logger: Logger,
): Promise<AriClientInstance> {
  const declarations = await fetchApiDescription(credentials, timeoutMs);
  const client = await guardedLibraryConnect(credentials, timeoutMs, logger);
  const missing = missingOperations(client);
  if (missing.length > 0) {
    throw new AriConnectError(
      credentials.origin,
      `this Asterisk does not offer ${missing.join(', ')} (externalMedia needs Asterisk 16.6 or newer)`,
    );
  }
  logger.debug({ declarations }, 'ARI API description loaded');
  return client;
}

/** Fetches resources.json and each declaration it lists, as ari-client is about to. */
async function fetchApiDescription(credentials: AriCredentials, timeoutMs: number): Promise<number> {
  const { origin } = credentials;
  const index = await fetchJson(credentials, '/ari/api-docs/resources.json', timeoutMs);
  const apis = (index as { apis?: unknown }).apis;
  if (!Array.isArray(apis) || apis.length === 0) {
    throw new AriConnectError(
      origin,
      "the server answered, but not with ARI's API description: check ARI_URL",
    );
  }
  for (const api of apis) {
    const path = typeof api?.path === 'string' ? api.path.replace('{format}', 'json') : null;
    if (path === null)
      throw new AriConnectError(origin, "ARI's API description lists a resource without a path");
    await fetchJson(credentials, `/ari${path}`, timeoutMs);
  }
  return apis.length;
}

async function fetchJson(credentials: AriCredentials, path: string, timeoutMs: number): Promise<unknown> {
  const { origin, username, password } = credentials;
  let response: Response;
  try {
    response = await fetch(`${origin}${path}`, {
      headers: { Authorization: basicAuthorization(username, password), Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new AriConnectError(origin, transportFailure(error, timeoutMs));
  }
  if (response.status === 401) {
    await response.body?.cancel();
    throw new AriConnectError(
      origin,
      `Asterisk rejected ARI user "${username}" (HTTP 401): check ARI_USERNAME and ARI_PASSWORD against ari.conf`,
    );
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new AriConnectError(
      origin,
      `no ARI at this address (HTTP 404 for ${path}): check ARI_URL, http.conf (enabled = yes) and that res_ari is loaded`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AriConnectError(origin, `Asterisk answered HTTP ${response.status} for ${path}`);
  }
  try {
    return await response.json();
  } catch {
    throw new AriConnectError(
      origin,
      `the answer to ${path} is not JSON: check that ARI_URL points at Asterisk`,
    );
  }
}

function transportFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // fetch puts the system error in `cause`; ari-client's request library puts the code on the error.
  switch ((error as { code?: string }).code ?? cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is Asterisk running, and is its HTTP server on this port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
      return 'connection reset by the server';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

async function guardedLibraryConnect(
  credentials: AriCredentials,
  timeoutMs: number,
  logger: Logger,
): Promise<AriClientInstance> {
  const { origin, username, password } = credentials;
  // swagger-client prints a Swagger 1.1 deprecation notice with console.log; keep stdout JSON-only.
  const consoleLog = console.log;
  console.log = (...args: unknown[]) =>
    logger.debug({ notice: args.map(String).join(' ') }, 'ari-client notice');
  let onUncaught: ((error: Error) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<AriClientInstance>((resolve, reject) => {
      onUncaught = (error: Error) =>
        reject(new AriConnectError(origin, `ari-client failed: ${error.message}`));
      process.on('uncaughtException', onUncaught);
      timer = setTimeout(
        () =>
          reject(new AriConnectError(origin, `ari-client did not finish connecting within ${timeoutMs} ms`)),
        timeoutMs,
      );
      ari.connect(origin, username, password).then(resolve, (error: unknown) => {
        reject(new AriConnectError(origin, transportFailure(error, timeoutMs)));
      });
    });
  } finally {
    clearTimeout(timer);
    if (onUncaught) process.off('uncaughtException', onUncaught);
    console.log = consoleLog;
  }
}
