import type { LabApi } from '../../../shared/contract/client.js';

let current: LabApi | undefined;

/** The one LabApi the renderer talks to, set once at start (or by a test). */
export function setLabApi(api: LabApi): void {
  current = api;
}

export function labApi(): LabApi {
  if (!current) throw new Error('LabApi used before it was set');
  return current;
}
