import type { LabApi } from '../../../shared/contract/client.js';
import { eventSchemas, requestSchemas } from '../../../shared/contract/labApi.js';
import type { Result } from '../../../shared/result.js';

function checkReply(channel: keyof typeof requestSchemas, result: Result<unknown>): Result<never> {
  if (!result.ok) return result;
  const value = requestSchemas[channel].reply.safeParse(result.value);
  return (value.success ? { ok: true, value: value.data } : { ok: false, error: { code: 'internal', message: `The lab's reply to ${channel} did not match the contract` } }) as Result<never>;
}

/**
 * Whatever the host, nothing reaches the renderer's stores unchecked: replies and events
 * are validated against the contract's schemas; malformed events are dropped.
 */
export function withContractChecks(api: LabApi): LabApi {
  return {
    request: async (channel, payload) => checkReply(channel, await api.request(channel, payload)),
    on: (channel, listener) =>
      api.on(channel, (payload) => {
        const parsed = eventSchemas[channel].safeParse(payload);
        if (parsed.success) listener(parsed.data as typeof payload);
      }),
    importDropped: async (importId, items, options) => checkReply('datasets.importPaths', await api.importDropped(importId, items, options)),
  };
}
