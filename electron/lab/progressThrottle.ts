import type { ImportProgress } from '../../shared/domain/dataset.js';

/** Progress events at most every 100 ms (and on every phase change), so a fast import does not flood the UI. */
export class ProgressThrottle {
  private last = 0;
  private phase: ImportProgress['phase'] | undefined;
  private total = 0;

  constructor(
    private readonly sink: (progress: ImportProgress) => void,
    private readonly importId: string,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  report(phase: ImportProgress['phase'], done: number, total: number, message: string): void {
    this.total = total;
    const time = this.now();
    if (phase === this.phase && time - this.last < this.intervalMs && done < total) return;
    this.phase = phase;
    this.last = time;
    this.sink({ importId: this.importId, phase, done, total, message });
  }

  final(phase: 'done' | 'failed', message: string): void {
    this.sink({ importId: this.importId, phase, done: this.total, total: this.total, message });
  }
}
