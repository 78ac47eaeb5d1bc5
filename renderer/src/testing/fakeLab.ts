import { createPinia, setActivePinia } from 'pinia';
import { beforeEach } from 'vitest';
import type { EventChannel, RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { JobProgress, JobSummary } from '../../../shared/domain/job.js';
import type { ErrorCode, Result } from '../../../shared/result.js';
import { setLabApi } from '../api/labApi.js';

export const ok = (value: unknown): Result<unknown> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<unknown> => ({ ok: false, error: { code, message } });

/** `workspace.check` of a workspace with nothing damaged and no leftovers. */
export const healthyWorkspace = { damaged: [], leftovers: [], cleanedAtStart: [], contentVerified: false };

/**
 * A LabApi for store tests: records every request, answers through `answer` (a test's lab),
 * and lets the test fire events. A request `answer` leaves unanswered fails as unexpected.
 */
export abstract class FakeLab implements LabApi {
  readonly calls: Array<[RequestChannel, unknown]> = [];
  readonly listeners = new Map<EventChannel, Array<(payload: never) => void>>();

  protected abstract answer(channel: RequestChannel, payload: unknown): Result<unknown> | Promise<Result<unknown>> | undefined;

  request: LabApi['request'] = (channel, payload) => {
    this.calls.push([channel, payload]);
    return Promise.resolve(this.answer(channel, payload) ?? fail('internal', `unexpected ${channel}`)) as never;
  };

  on: LabApi['on'] = (channel, listener) => {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener as (payload: never) => void]);
    return () => this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  };

  emit(channel: EventChannel, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload as never);
  }

  /** The payloads of every request made on one channel, in order. */
  requestsTo<C extends RequestChannel>(channel: C): unknown[] {
    return this.calls.filter(([c]) => c === channel).map(([, payload]) => payload);
  }

  /** How many listeners are subscribed, over every channel: a disposed store leaves none. */
  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, list) => n + list.length, 0);
  }

  /** A job's change, as the lab announces it (jobs.changed). */
  jobChanged(job: JobSummary): void {
    this.emit('jobs.changed', { job });
  }

  jobProgress(jobId: string, progress: JobProgress): void {
    this.emit('jobs.progress', { jobId, progress });
  }

  importDropped: LabApi['importDropped'] = () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'not used by this test' } });
}

/** Before each test: a fresh fake as the renderer's LabApi, and a fresh Pinia. Returns the current fake. */
export function useFakeLab<T extends FakeLab>(make: () => T): () => T {
  let current: T | undefined;
  beforeEach(() => {
    current = make();
    setLabApi(current);
    setActivePinia(createPinia());
  });
  return () => {
    if (!current) throw new Error('the fake lab is made before each test');
    return current;
  };
}
