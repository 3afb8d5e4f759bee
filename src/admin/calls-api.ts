// Read-only HTTP API over the call store, for node:http without a framework. The admin server
// that mounts it authenticates first; this only serves:
//   GET /api/calls?limit=&before=&agent=&caller=  → { calls: CallListItem[], next: cursor | null }
//   GET /api/calls/:id                             → the CallRecord, or 404
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CallStore, listCursorOf, parseListCursor } from '../store/call-store.ts';

export type CallsApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface CallsApiOptions {
  /** Told about store failures, which the client sees only as a 500. */
  onError?: (error: unknown) => void;
}

export const CALLS_API_PATH = '/api/calls';
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** The handler answers requests under /api/calls and returns false for any other path. */
export function createCallsApi(store: CallStore, options: CallsApiOptions = {}): CallsApiHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path !== CALLS_API_PATH && !path.startsWith(`${CALLS_API_PATH}/`)) return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: `method ${req.method ?? ''} not allowed; use GET` }, { allow: 'GET' });
      return true;
    }
    try {
      if (path === CALLS_API_PATH) await listCalls(store, url.searchParams, res);
      else await getCall(store, path.slice(CALLS_API_PATH.length + 1), res);
    } catch (error) {
      options.onError?.(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'the call store failed' });
      else res.destroy();
    }
    return true;
  };
}

async function listCalls(store: CallStore, params: URLSearchParams, res: ServerResponse): Promise<void> {
  const limitParam = params.get('limit');
  let limit = DEFAULT_LIMIT;
  if (limitParam !== null) {
    limit = Number(limitParam);
    if (!/^\d+$/.test(limitParam) || limit < 1 || limit > MAX_LIMIT) {
      sendJson(res, 400, { error: `limit must be a whole number from 1 to ${MAX_LIMIT}` });
      return;
    }
  }
  const before = nonEmpty(params.get('before'));
  if (before !== undefined) {
    try {
      parseListCursor(before);
    } catch {
      sendJson(res, 400, { error: 'before must be an ISO 8601 time or the next cursor of a previous page' });
      return;
    }
  }
  const agentId = nonEmpty(params.get('agent'));
  const callerNumber = nonEmpty(params.get('caller'));
  // One more than asked tells whether another page exists without a second query.
  const calls = await store.listCalls({
    limit: limit + 1,
    ...(before === undefined ? {} : { before }),
    ...(agentId === undefined ? {} : { agentId }),
    ...(callerNumber === undefined ? {} : { callerNumber }),
  });
  const page = calls.slice(0, limit);
  const last = page[page.length - 1];
  sendJson(res, 200, { calls: page, next: calls.length > limit && last ? listCursorOf(last) : null });
}

async function getCall(store: CallStore, encodedId: string, res: ServerResponse): Promise<void> {
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    sendJson(res, 400, { error: 'the call id in the path is not valid percent-encoding' });
    return;
  }
  // A further path segment names nothing here.
  const call = id === '' || encodedId.includes('/') ? null : await store.getCall(id);
  if (call === null) sendJson(res, 404, { error: `no call with id ${JSON.stringify(id)}` });
  else sendJson(res, 200, call);
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Transcripts are personal data: no proxy or browser cache keeps them.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}
