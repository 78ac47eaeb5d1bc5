import { LabError } from '../../../shared/result.js';
import type { ModelAnswer, ModelQuery } from '../../format/runs/engineProtocol.js';
import type { EngineLauncher, EngineProcess } from './runSupervisor.js';

interface Server {
  engine: EngineProcess;
  /** Resolves once the engine has been told which run to load; queries are sent after it. */
  loading: Promise<void>;
  stopped: boolean;
  pending: Map<number, { resolve: (answer: ModelAnswer) => void; reject: (error: Error) => void }>;
  lastUsed: number;
}

/**
 * Engine processes that keep trained runs loaded for on-demand encode/decode/sample, so a
 * slider's decode is one message each way. At most `capacity` are kept; the least recently
 * used is closed first.
 */
export class ModelServers {
  private readonly servers = new Map<string, Server>();
  private nextId = 1;

  constructor(
    private readonly workspace: string,
    private readonly launch: EngineLauncher,
    private readonly capacity = 3,
  ) {}

  async query(runId: string, query: ModelQuery): Promise<ModelAnswer> {
    const server = this.servers.get(runId) ?? this.open(runId);
    server.lastUsed = Date.now();
    await server.loading;
    if (server.stopped) throw new LabError('internal', 'the model process stopped before it could load the run');
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      server.pending.set(requestId, { resolve, reject });
      server.engine.send({ type: 'query', requestId, query });
    });
  }

  /** A run retrained or deleted must not be served from a stale process. */
  close(runId: string): void {
    const server = this.servers.get(runId);
    if (!server) return;
    this.servers.delete(runId);
    server.engine.kill();
  }

  closeAll(): void {
    for (const id of [...this.servers.keys()]) this.close(id);
  }

  private open(runId: string): Server {
    if (this.servers.size >= this.capacity) {
      const [oldest] = [...this.servers.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0] ?? [];
      if (oldest) this.close(oldest);
    }
    const engine = this.launch();
    let loaded: () => void = () => undefined;
    const server: Server = { engine, loading: new Promise((resolve) => (loaded = resolve)), stopped: false, pending: new Map(), lastUsed: Date.now() };
    this.servers.set(runId, server);
    engine.onMessage((message) => {
      if (message.type === 'ready') {
        engine.send({ type: 'serve', workspace: this.workspace, runId });
        loaded();
      }
      if (message.type !== 'answer') return;
      const request = server.pending.get(message.requestId);
      server.pending.delete(message.requestId);
      if (message.ok) request?.resolve(message.answer);
      else request?.reject(new LabError(message.error.code, message.error.message, message.error.detail));
    });
    engine.onExit((code, signal) => {
      server.stopped = true;
      loaded();
      if (this.servers.get(runId) === server) this.servers.delete(runId);
      for (const request of server.pending.values()) request.reject(new LabError('internal', `the model process stopped (${signal ?? `exit code ${code}`})`));
    });
    return server;
  }
}
