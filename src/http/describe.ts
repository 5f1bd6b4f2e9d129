/**
 * What `mailtel check` and `--status-json` say about the listener: where it listens, the routes
 * it serves and the auth kind, secrets masked.
 */
import { mask } from '../config/mask.js';
import type { HttpAuthConfig, HttpListenerConfig } from './config.js';
import { ROUTE_LIST } from './stream-routes.js';
import { PROMETHEUS_PATH } from './prometheus-route.js';

export interface HttpListenerStatus {
  listen: string;
  /** Where it really listens (port resolved); absent until started or when it failed. */
  url?: string;
  routes: string[];
  /** `none`, `bearer`, `basic`, `bearer+basic`. */
  auth: string;
  /** The same, with the credentials masked: `bearer ab****, basic admin:****`. */
  authShown: string;
  maxClients: number;
  error?: string;
}

export function describeAuth(auth: HttpAuthConfig): string {
  const parts: string[] = [];
  if (auth.token !== undefined) parts.push(`bearer ${mask(auth.token)}`);
  if (auth.basic) parts.push(`basic ${auth.basic.username}:${mask(auth.basic.secret)}`);
  return parts.length ? parts.join(', ') : 'none (loopback only)';
}

export function httpRoutes(prometheus: boolean): string[] {
  return [...(prometheus ? [PROMETHEUS_PATH] : []), ...ROUTE_LIST];
}

export function httpStatus(cfg: HttpListenerConfig, prometheus: boolean, url: string | undefined, error: string | undefined): HttpListenerStatus | undefined {
  if (cfg.listen === undefined) return undefined;
  const kind = [cfg.auth.token !== undefined ? 'bearer' : '', cfg.auth.basic ? 'basic' : ''].filter(Boolean).join('+') || 'none';
  return {
    listen: cfg.listen,
    ...(url ? { url } : {}),
    routes: httpRoutes(prometheus),
    auth: kind,
    authShown: describeAuth(cfg.auth),
    maxClients: cfg.maxClients,
    ...(error ? { error } : {}),
  };
}

/** The `HTTP listener` block of `mailtel check`. */
export function httpCheckLines(cfg: HttpListenerConfig, prometheus: boolean): string[] {
  if (cfg.listen === undefined) return ['HTTP listener: off'];
  return [
    `HTTP listener: http://${cfg.listen}`,
    `  auth         ${describeAuth(cfg.auth)}${cfg.auth.token !== undefined || cfg.auth.basic ? '; ?token= accepted on the two stream routes' : ''}`,
    `  streams      every ingested event; max ${cfg.maxClients} clients, ${cfg.clientBufferBytes} bytes unread before a client is cut`,
    `  routes       ${httpRoutes(prometheus).join('\n               ')}`,
  ];
}
