import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../shared/result.js';
import { projectRoot } from '../lab/appInfo.js';
import type { Lab } from '../lab/lab.js';
import { startWebHost } from '../web/webHost.js';
import type { CliArgs } from './args.js';
import { safeName } from './output.js';

export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Opens the lab in a Chromium app window where a display and Chromium exist; says what it did. */
export function openAppWindow(url: string): string {
  const chromium = chromiumCandidates.find((c) => existsSync(c));
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display: open the URL in a browser';
  if (!chromium) return 'no Chromium found: open the URL in a browser';
  const child = spawn(chromium, [`--app=${url}`, '--no-first-run', '--disable-background-networking', '--disable-component-update'], { stdio: 'ignore', detached: true });
  child.unref();
  return `opened in ${chromium}`;
}

export async function serveCommand(lab: Lab, args: CliArgs, print: (text: string, json: unknown) => void): Promise<void> {
  const rendererDir = join(projectRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new LabError('not-found', `the renderer is not built (${rendererDir}); run npm run build`);
  const port = typeof args.values.port === 'string' ? Number(args.values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LabError('invalid-option', `--port: '${String(args.values.port)}' is not a port number`);
  const host = await startWebHost({ lab, rendererDir, port });
  const opened = args.values.open ? openAppWindow(host.url) : undefined;
  print(`Autoencoder Lab in the browser host: ${host.url}${opened ? ` (${opened})` : ''}`, { url: host.url, port: host.port, opened: opened ?? null });
  void lab.ensureBuiltins().catch((cause: unknown) => process.stderr.write(`aelab: built-in datasets: ${safeName((cause as Error).message)}\n`));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  // Engine processes keep this process alive; their runs are found interrupted (resumable) next start.
  lab.shutdown();
}
