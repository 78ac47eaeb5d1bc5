import { Worker } from 'node:worker_threads';

/** How often the watcher looks for the parent: an orphan stops well within a second. */
const intervalMs = 200;

/**
 * Ends this engine at once when the process that started it is gone (a host killed with
 * kill -9 closes no channel politely), before a restarted host resumes the same run: an
 * orphan writing checkpoints beside the new engine would mix two trainings in one folder.
 *
 * Two signs, either enough: the IPC channel of child_process.fork disconnects (seen on the
 * main thread), and the parent pid changes or dies (seen by a worker thread, which a main
 * thread busy in a training step cannot hold up). The exit writes nothing more: a kill at
 * any point is what the workspace's atomic writes are made for.
 */
export function exitWhenOrphaned(): void {
  const parent = process.ppid;
  // A disconnect is also how a finished engine lets go of its parent; only a parent gone ends it
  // here (the kernel may close the channel a moment before it hands the orphan to a new parent).
  const orphaned = (): boolean => process.ppid !== parent;
  if (process.connected) {
    process.once('disconnect', () => {
      for (const delayMs of [0, 50, 150]) setTimeout(() => orphaned() && process.kill(process.pid, 'SIGKILL'), delayMs).unref();
    });
  }
  const source = `
    const { workerData } = require('node:worker_threads');
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (process.ppid !== workerData.parent || !alive(workerData.parent)) process.kill(process.pid, 'SIGKILL');
    }, workerData.intervalMs);
  `;
  const watcher = new Worker(source, { eval: true, workerData: { parent, intervalMs } });
  watcher.unref();
  watcher.on('error', (cause) => process.stderr.write(`engine: the parent watcher stopped (${cause.message})\n`));
}
