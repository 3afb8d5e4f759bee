// Health for orchestrators and load balancers, and metrics for Prometheus:
//   GET /healthz → 200 while the process runs (liveness)
//   GET /readyz  → 200 when ARI is connected and a call would be taken; 503 with the reasons
//   GET /metrics → Prometheus text format
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../observability/gateway-metrics.ts';

export interface Readiness {
  ariConnected: () => boolean;
  hasCapacity: () => boolean;
  stopping: () => boolean;
}

export const PUBLIC_HEALTH_PATHS = ['/healthz', '/readyz'] as const;

export function createHealthRoutes(readiness: Readiness, metrics: GatewayMetrics) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/readyz') {
      const reasons = [
        ...(readiness.ariConnected() ? [] : ['ARI events socket not connected']),
        ...(readiness.stopping() ? ['shutting down'] : []),
        ...(!readiness.stopping() && !readiness.hasCapacity() ? ['at capacity (MAX_CONCURRENT_CALLS)'] : []),
      ];
      json(
        res,
        reasons.length === 0 ? 200 : 503,
        reasons.length === 0 ? { status: 'ready' } : { status: 'not ready', reasons },
      );
      return true;
    }
    if (path === '/metrics') {
      const body = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
      return true;
    }
    return false;
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
