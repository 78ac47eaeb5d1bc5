import { appendFileSync } from 'node:fs';

/**
 * The fault-injection suite's tally: each case says what it checked and what was lost. The
 * suite's teardown (scripts/faultsSummary.ts) prints the count and what was lost, if anything.
 */
export const ledgerEnvVar = 'AELAB_FAULT_LEDGER';

export function recordFaultCase(name: string, lost: string[]): void {
  const file = process.env[ledgerEnvVar];
  if (file) appendFileSync(file, `${JSON.stringify({ name, lost })}\n`);
}

export function recordSkippedCase(name: string, reason: string): void {
  const file = process.env[ledgerEnvVar];
  if (file) appendFileSync(file, `${JSON.stringify({ name, skipped: reason })}\n`);
}
