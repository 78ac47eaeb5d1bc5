import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerEnvVar } from '../electron/lab/testing/faultLedger.js';

interface Entry {
  name: string;
  lost?: string[];
  skipped?: string;
}

/** Global setup of `npm run test:faults`: a ledger for the cases, summed up at the end. */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'aelab-faults-'));
  const ledger = join(dir, 'ledger.jsonl');
  process.env[ledgerEnvVar] = ledger;
  return () => {
    const entries: Entry[] = existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Entry) : [];
    rmSync(dir, { recursive: true, force: true });
    const ran = entries.filter((e) => e.skipped === undefined);
    const lost = ran.flatMap((e) => (e.lost ?? []).map((what) => `${e.name}: ${what}`));
    const skipped = entries.filter((e) => e.skipped !== undefined);
    const lines = [`fault injection: ${ran.length} cases, ${lost.length} lost${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`];
    for (const what of lost) lines.push(`  lost: ${what}`);
    for (const e of skipped) lines.push(`  skipped: ${e.name} (${e.skipped ?? ''})`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  };
}
