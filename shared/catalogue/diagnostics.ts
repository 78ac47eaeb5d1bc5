import type { DiagnosticId, Diagnostics } from '../domain/run.js';

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (fraction: number): string => `${(fraction * 100).toPrecision(2)} %`;

type Captions = { [K in DiagnosticId]: (diagnostic: NonNullable<Diagnostics[K]>) => string };

/** What each diagnostic was computed on, in words: the run page and `aelab eval` say the same. */
export const diagnosticCaptions: Captions = {
  codeActivations: (d) => `Code activations over ${count(d.testImages)} test images × ${count(d.units)} units`,
  jacobianNorms: (d) => `Jacobian norm ‖∂f/∂x‖_F over ${d.testImages === d.splitImages ? 'all ' : ''}${count(d.testImages)}${d.testImages === d.splitImages ? '' : ` of the ${count(d.splitImages)}`} test images`,
  posterior: (d) => `Posterior q(z|x) over ${count(d.testImages)} test images`,
  copyCheck: (d) => `Copy check: ${count(d.noiseImages)} uniform-noise images (seed ${d.noiseSeed}) against the test split`,
};

/** The diagnostics' warnings, in plain words; empty when none fires. */
export function diagnosticWarnings(diagnostics: Diagnostics | undefined): string[] {
  const warnings: string[] = [];
  const posterior = diagnostics?.posterior;
  if (posterior?.collapsed) {
    warnings.push(`Posterior collapse: every latent unit's KL is below ${posterior.collapseKlThreshold} nats, so the codes carry almost nothing about the images.`);
  }
  if (posterior?.ignoresCode) {
    warnings.push(
      `The decoder ignores its code: decoding each test image from another image's code changes the reconstruction by ${percent(posterior.shuffledCodeDifference / Math.max(posterior.pixelVariance, 1e-12))} of the pixel variance (warning below ${percent(posterior.ignoresCodeFraction)}).`,
    );
  }
  const copy = diagnostics?.copyCheck;
  if (copy?.copies) {
    warnings.push(
      `This code may be copying its input: uniform noise is reconstructed with only ${copy.ratio.toFixed(2)}× the test error (warning below ${copy.ratioThreshold}×). A code of ${count(copy.codeSize)} values for ${count(copy.inputSize)} inputs, with no regulariser, can learn the identity.`,
    );
  }
  return warnings;
}
