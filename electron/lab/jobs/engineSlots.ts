/**
 * The one queue of engine work: training runs and analysis jobs wait here in order and
 * start as engine slots free up (`concurrency` engines at once), whatever their kind.
 */
export class EngineSlots {
  private readonly waiting: { id: string; start: () => void }[] = [];
  private readonly active = new Set<string>();

  constructor(private readonly concurrency = 1) {}

  /** Queues work; `start` is called once a slot is free and must lead to `release(id)` when the engine is gone. */
  enqueue(id: string, start: () => void): void {
    if (this.active.has(id) || this.waiting.some((w) => w.id === id)) return;
    this.waiting.push({ id, start });
    this.pump();
  }

  /** Takes queued work out of the queue; false when it was not waiting. */
  remove(id: string): boolean {
    const index = this.waiting.findIndex((w) => w.id === id);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  isWaiting(id: string): boolean {
    return this.waiting.some((w) => w.id === id);
  }

  release(id: string): void {
    this.active.delete(id);
    this.pump();
  }

  get busy(): boolean {
    return this.waiting.length > 0 || this.active.size > 0;
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift() as { id: string; start: () => void };
      this.active.add(next.id);
      next.start();
    }
  }
}
