import type { Logger } from 'pino';
import type { CollectProgress } from '../../../core/provider-plugin';
import type { Resource } from '../../../core/types';
import type { ApiKey } from '../types/hierarchy';
import type { ProjectCalls, SendOptions } from './calls';
import type { GcpClients } from './clients';

/** What Service Usage (or a call's answer) said about the APIs trustscan reads in one project. */
export class ApiStates {
  private readonly states = new Map<ApiKey, 'enabled' | 'not-enabled'>();
  set(key: ApiKey, state: 'enabled' | 'not-enabled'): void {
    this.states.set(key, state);
  }
  get(key: ApiKey): 'enabled' | 'not-enabled' | undefined {
    return this.states.get(key);
  }
}

/** Everything a service collector needs to read one project. */
export interface ProjectContext {
  projectId: string;
  projectNumber: string;
  calls: ProjectCalls;
  clients: GcpClients;
  apis: ApiStates;
  log: Logger;
  progress: CollectProgress;
  emit(r: Resource): Promise<void>;
}

export type { SendOptions };

/** gax page answers as [items, nextRequest, rawResponse]: the token of the next page. */
export function nextToken(page: unknown): string | undefined {
  const raw = Array.isArray(page) ? page[2] : undefined;
  const t = (raw as { nextPageToken?: unknown } | undefined)?.nextPageToken;
  return typeof t === 'string' && t !== '' ? t : undefined;
}

/** Items of every gax page. */
export function itemsOf<T>(pages: unknown[]): T[] {
  return pages.flatMap((p) => (Array.isArray(p) && Array.isArray(p[0]) ? (p[0] as T[]) : []));
}

/**
 * Whether to call an API in a project: not when Service Usage said it is disabled (recorded once
 * as `not-enabled`, a fact: nothing of that kind exists or can be used there).
 */
export function apiEnabled(ctx: ProjectContext, key: ApiKey, service: string, operation: string): boolean {
  if (ctx.apis.get(key) !== 'not-enabled') return true;
  ctx.calls.gap({ service, operation, region: 'global' }, 'not-enabled', `${key}.googleapis.com is not enabled in project ${ctx.projectId} (Service Usage): nothing to read`);
  return false;
}

/** Learns an API's state from a call's outcome (when Service Usage could not say). */
export function noteApi(ctx: ProjectContext, key: ApiKey, r: { ok: boolean; outcome?: string }): void {
  if (r.ok) {
    if (ctx.apis.get(key) === undefined) ctx.apis.set(key, 'enabled');
  } else if (r.outcome === 'not-enabled') ctx.apis.set(key, 'not-enabled');
}
