import { analyses, isAnalysisId } from '../../../shared/analyses/registry.js';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import { eventSchemas, requestSchemas, type ReplyOf } from '../../../shared/contract/labApi.js';
import type { Result } from '../../../shared/result.js';

/** Replies whose contract schema leaves a part open: the part read through its own schema, or why it does not match. */
const deeperChecks: { [C in RequestChannel]?: (reply: ReplyOf<C>) => string | null } = {
  // An analysis's result is typed by the analysis that made it (shared/analyses/registry.ts).
  'analyses.result': ({ job, result }) => {
    if (result === null || !job.analysis || !isAnalysisId(job.analysis)) return null;
    const parsed = analyses[job.analysis].result.safeParse(result);
    return parsed.success ? null : `${analyses[job.analysis].label} result: ${parsed.error.issues[0]?.path.join('.') || 'result'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
  },
};

function checkReply(channel: RequestChannel, result: Result<unknown>): Result<never> {
  if (!result.ok) return result;
  const value = requestSchemas[channel].reply.safeParse(result.value);
  const deeper = value.success ? (deeperChecks[channel] as ((reply: unknown) => string | null) | undefined)?.(value.data) : null;
  if (!value.success || deeper) return { ok: false, error: { code: 'internal', message: `The lab's reply to ${channel} did not match the contract${deeper ? ` (${deeper})` : ''}` } };
  return { ok: true, value: value.data } as Result<never>;
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
