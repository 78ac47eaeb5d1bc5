import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const workspaceEnvVar = 'AELAB_WORKSPACE';

/**
 * Where the workspace lives: an explicit `--workspace`, else $AELAB_WORKSPACE, else the
 * OS's per-user application-data folder.
 */
export function resolveWorkspacePath(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const fromEnv = env[workspaceEnvVar];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Autoencoder Lab', 'workspace');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Autoencoder Lab', 'workspace');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'autoencoder-lab', 'workspace');
}
