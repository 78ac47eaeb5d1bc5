import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's virtual environment's Python, where reference twins (numpy, scikit-learn) run. */
export const referencePython = join(fileURLToPath(new URL('../../../', import.meta.url)), '.venv', 'bin', 'python');

/**
 * Why a reference test cannot run here — no virtual environment, or one without `module` —
 * or null when it can. The reason is the skip message, so a skipped check says what to install.
 */
export function missingPythonModule(module: string): string | null {
  const reason = `no ${referencePython} with ${module} (scripts/install-test-deps.sh makes it)`;
  if (!existsSync(referencePython)) return reason;
  try {
    execFileSync(referencePython, ['-c', `import ${module}`], { stdio: 'ignore' });
    return null;
  } catch {
    return reason;
  }
}
