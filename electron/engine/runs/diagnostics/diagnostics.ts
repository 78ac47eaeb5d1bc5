import type { DiagnosticId, Diagnostics } from '../../../../shared/domain/run.js';
import { codeActivations } from './codeActivations.js';
import type { DiagnosticContext, DiagnosticModule } from './context.js';
import { copyCheck } from './copyCheck.js';
import { jacobianNorms } from './jacobianNorms.js';
import { posterior } from './posterior.js';

// One line per diagnostic; each says itself which runs it applies to.
const diagnosticModules: { [K in DiagnosticId]: DiagnosticModule<K> } = { codeActivations, jacobianNorms, posterior, copyCheck };

async function computeOne<K extends DiagnosticId>(id: K, context: DiagnosticContext, into: Diagnostics): Promise<void> {
  const diagnostic: DiagnosticModule<K> = diagnosticModules[id];
  if (diagnostic.applies(context)) into[id] = await diagnostic.compute(context);
}

/** Every diagnostic that applies to the run, computed on the test split. */
export async function computeDiagnostics(context: DiagnosticContext): Promise<Diagnostics> {
  const diagnostics: Diagnostics = {};
  // A dataset split without test or validation images has nothing to measure them on.
  if (context.test.length === 0) return diagnostics;
  for (const id of Object.keys(diagnosticModules) as DiagnosticId[]) await computeOne(id, context, diagnostics);
  return diagnostics;
}
