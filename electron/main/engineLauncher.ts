import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { FromEngine } from '../format/runs/engineProtocol.js';
import type { EngineLauncher } from '../lab/runs/runSupervisor.js';

/** Engine processes under Electron: utilityProcess, running the built engine (structured clone keeps typed arrays). */
export function utilityEngineLauncher(root: string): EngineLauncher {
  return () => {
    const child = utilityProcess.fork(join(root, 'dist', 'electron', 'engine', 'engineMain.js'), [], {
      serviceName: 'Autoencoder Lab engine',
      stdio: 'ignore',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', (message: FromEngine) => listener(message)),
      onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      },
    };
  };
}
