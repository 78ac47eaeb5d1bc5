/**
 * A browser host in a process of its own, for tests that must see whether a connection's
 * bytes can end the process: `node --import tsx webHostProcess.ts WORKSPACE RENDERER_DIR`
 * prints one JSON line `{ port, token }` once listening, and stops on SIGTERM.
 */
import { Lab } from '../../lab/lab.js';
import { startWebHost } from '../webHost.js';

const [workspace, rendererDir] = process.argv.slice(2);
if (!workspace || !rendererDir) throw new Error('usage: webHostProcess.ts WORKSPACE RENDERER_DIR');
const lab = Lab.open({ workspace, host: 'web', fashionMnistDir: '' });
const host = await startWebHost({ lab, rendererDir });
process.stdout.write(`${JSON.stringify({ port: host.port, token: host.token })}\n`);
process.once('SIGTERM', () => {
  void host.close().then(() => {
    lab.shutdown();
    process.exit(0);
  });
});
