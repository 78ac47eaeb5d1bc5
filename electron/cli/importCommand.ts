import type { ImportOptions, ImportProgress, ImportReport } from '../../shared/domain/dataset.js';
import type { Lab } from '../lab/lab.js';
import { safeName } from './output.js';

/** Where progress goes: stderr, so that stdout keeps only the result (and stays JSON under --json). */
export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ImportCommandOptions {
  importId: string;
  paths: string[];
  options: ImportOptions;
  progressOut?: ProgressOut;
  /** Subscribes to the user's interrupt (Ctrl+C); returns the unsubscribe. */
  onInterrupt?: (handler: () => void) => () => void;
  /** Progress starts showing once the import has taken this long, so that a quick one prints only its result. */
  quietMs?: number;
}

const percent = (p: ImportProgress): string => (p.total > 0 ? ` ${Math.floor((p.done / p.total) * 100)}%` : '');

const sigint = (handler: () => void): (() => void) => {
  process.once('SIGINT', handler);
  return () => process.removeListener('SIGINT', handler);
};

/**
 * `aelab import`: the import with its progress on stderr (one line rewritten on a terminal,
 * a line per phase and per tenth otherwise), cancelled by Ctrl+C. A cancelled import stops
 * before it stores anything and fails with the code 'cancelled'; a second Ctrl+C is left
 * to end the process at once.
 */
export async function importCommand(
  lab: Lab,
  { importId, paths, options, progressOut = process.stderr, onInterrupt = sigint, quietMs = 500 }: ImportCommandOptions,
): Promise<ImportReport> {
  const tty = progressOut.isTTY === true;
  const started = Date.now();
  let lastPhase: string | undefined;
  let lastTenth = -1;
  let lineOpen = false;
  const show = (progress: ImportProgress): void => {
    if (progress.phase === 'done' || progress.phase === 'failed' || Date.now() - started < quietMs) return;
    const text = `${safeName(progress.message)}${percent(progress)}`;
    if (tty) {
      progressOut.write(`\r\u001b[2K${text}`);
      lineOpen = true;
      return;
    }
    const tenth = progress.total > 0 ? Math.floor((progress.done / progress.total) * 10) : -1;
    if (progress.phase === lastPhase && tenth === lastTenth) return;
    lastPhase = progress.phase;
    lastTenth = tenth;
    progressOut.write(`${text}\n`);
  };
  const stopListening = lab.on((channel, payload) => {
    if (channel === 'datasets.importProgress' && (payload as ImportProgress).importId === importId) show(payload as ImportProgress);
  });
  const stopInterrupt = onInterrupt(() => {
    if (lineOpen) progressOut.write('\n');
    lineOpen = false;
    progressOut.write('Cancelling the import… (Ctrl+C again stops at once)\n');
    void lab.call('datasets.cancelImport', { importId }).then(({ cancelled }) => {
      if (!cancelled) progressOut.write('The import is already storing its dataset; it finishes first\n');
    });
  });
  try {
    return await lab.call('datasets.importPaths', { importId, paths, options });
  } finally {
    stopInterrupt();
    stopListening();
    if (lineOpen) progressOut.write('\n');
  }
}
