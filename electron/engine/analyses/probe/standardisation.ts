/**
 * Feature standardisation of one label draw: each feature's mean and deviation over the
 * draw's training labels only (never its validation labels, never the test split), and the
 * same affine map folded into the weights of a layer, so a model gives standardised codes
 * (or takes raw features) without a layer of its own.
 */
export interface Standardisation {
  mean: Float32Array;
  /** Population standard deviation, its variance shrunk toward the mean variance (`varianceShrinkage`); 1 where every feature is constant. */
  deviation: Float32Array;
}

/** Statistics of the rows `rows` of a row-major table of `dimension` features, summed in float64. */
export function standardisationOf(table: Float32Array, dimension: number, rows: ArrayLike<number>): Standardisation {
  const sum = new Float64Array(dimension);
  const squares = new Float64Array(dimension);
  for (let r = 0; r < rows.length; r += 1) addRow(sum, squares, table, (rows[r] as number) * dimension);
  return finish(sum, squares, rows.length);
}

/** The same statistics from rows handed one at a time (pixels straight from the stored bytes, never a float copy of the split). */
export class StandardisationSum {
  private readonly sum: Float64Array;
  private readonly squares: Float64Array;
  private count = 0;

  constructor(readonly dimension: number) {
    this.sum = new Float64Array(dimension);
    this.squares = new Float64Array(dimension);
  }

  /** `values` holds whole rows of `dimension` features. */
  add(values: Float32Array): void {
    for (let start = 0; start < values.length; start += this.dimension) addRow(this.sum, this.squares, values, start);
    this.count += values.length / this.dimension;
  }

  result(): Standardisation {
    return finish(this.sum, this.squares, this.count);
  }
}

function addRow(sum: Float64Array, squares: Float64Array, values: Float32Array, start: number): void {
  for (let j = 0; j < sum.length; j += 1) {
    const v = values[start + j] as number;
    sum[j] = (sum[j] as number) + v;
    squares[j] = (squares[j] as number) + v * v;
  }
}

/**
 * How far each feature's variance is pulled toward the features' mean variance. With a few
 * labels a feature that barely varies over the draw (a pixel that is dark in all ten images, a
 * trailing PCA component) would otherwise be divided by almost nothing and rule the test
 * predictions; a tenth of the mean variance keeps such a feature at most about 3× above the
 * typical one, and changes features of ordinary spread by a few percent.
 */
export const varianceShrinkage = 0.1;

function finish(sum: Float64Array, squares: Float64Array, count: number): Standardisation {
  if (count === 0) throw new Error('standardisation needs at least one training sample');
  const mean = new Float32Array(sum.length);
  const variance = new Float64Array(sum.length);
  for (let j = 0; j < sum.length; j += 1) {
    const m = (sum[j] as number) / count;
    const v = Math.max(0, (squares[j] as number) / count - m * m);
    mean[j] = m;
    // Below float32's resolution of the mean the deviation is rounding, not spread.
    variance[j] = Math.sqrt(v) > 1e-6 * Math.max(1, Math.abs(m)) ? v : 0;
  }
  const meanVariance = variance.reduce((a, b) => a + b, 0) / Math.max(1, variance.length);
  const deviation = new Float32Array(sum.length);
  for (let j = 0; j < sum.length; j += 1) {
    const shrunk = Math.sqrt((variance[j] as number) + varianceShrinkage * meanVariance);
    // Every feature constant over the draw: nothing to scale by.
    deviation[j] = shrunk > 0 ? shrunk : 1;
  }
  return { mean, deviation };
}

/** The rows `rows` of the table, standardised, as one row-major table. */
export function standardisedRows(table: Float32Array, dimension: number, rows: ArrayLike<number>, { mean, deviation }: Standardisation): Float32Array {
  const out = new Float32Array(rows.length * dimension);
  for (let r = 0; r < rows.length; r += 1) {
    const from = (rows[r] as number) * dimension;
    for (let j = 0; j < dimension; j += 1) out[r * dimension + j] = ((table[from + j] as number) - (mean[j] as number)) / (deviation[j] as number);
  }
  return out;
}

/**
 * A layer's weights (kernel with its output units on the last axis — a Dense [in, units] or a
 * Conv2D [h, w, in, units] kernel — and its bias) changed so that its first `mean.length`
 * outputs before the activation are (y − m)/s of the original's: W/s and (b − m)/s. Exact
 * where the activation is linear; a VAE's log σ² units (beyond the μ ones) are left as they are.
 */
export function foldIntoOutputs(kernel: Float32Array, bias: Float32Array, { mean, deviation }: Standardisation): { kernel: Float32Array; bias: Float32Array } {
  const units = bias.length;
  if (mean.length > units) throw new Error(`cannot standardise ${mean.length} outputs of a layer with ${units}`);
  if (kernel.length % units !== 0) throw new Error(`a kernel of ${kernel.length} values does not have ${units} output units`);
  const folded = Float32Array.from(kernel);
  for (let i = 0; i < folded.length; i += 1) {
    const unit = i % units;
    if (unit < mean.length) folded[i] = (folded[i] as number) / (deviation[unit] as number);
  }
  const shifted = Float32Array.from(bias);
  for (let unit = 0; unit < mean.length; unit += 1) shifted[unit] = ((bias[unit] as number) - (mean[unit] as number)) / (deviation[unit] as number);
  return { kernel: folded, bias: shifted };
}

/**
 * A Dense layer's weights (kernel [inputs, units], bias [units]) changed so that on raw inputs
 * x it gives what the original gives on (x − m)/s: W'ᵢⱼ = Wᵢⱼ/sᵢ, b'ⱼ = bⱼ − Σᵢ (mᵢ/sᵢ)·Wᵢⱼ.
 */
export function foldIntoInputs(kernel: Float32Array, bias: Float32Array, { mean, deviation }: Standardisation): { kernel: Float32Array; bias: Float32Array } {
  const inputs = mean.length;
  const units = bias.length;
  if (kernel.length !== inputs * units) throw new Error(`a kernel of ${kernel.length} values is not ${inputs} inputs × ${units} units`);
  const folded = new Float32Array(kernel.length);
  const shift = new Float64Array(units);
  for (let i = 0; i < inputs; i += 1) {
    const s = deviation[i] as number;
    const ms = (mean[i] as number) / s;
    for (let j = 0; j < units; j += 1) {
      const w = kernel[i * units + j] as number;
      folded[i * units + j] = w / s;
      shift[j] = (shift[j] as number) + ms * w;
    }
  }
  return { kernel: folded, bias: Float32Array.from(bias, (b, j) => b - (shift[j] as number)) };
}
