import { LabError } from '../../../../shared/result.js';
import type { ReadSamples, SampleShape } from '../../../format/datasets/datasetData.js';
import { encodeLabels } from './csv.js';
import type { NpyArray } from './npy.js';
import { formatCount, importLimits, overLimit } from './limits.js';
import { compactValues, layoutFor } from './numericSamples.js';

const sampleRole = /^(x|images?|data|features|inputs?|samples|arr_0)$/i;
const labelRole = /^(y|labels?|targets?|classes|arr_1)$/i;

function parse(name: string): { role: 'samples' | 'labels' | undefined; test: boolean } {
  const match = /^(.*?)(?:[_-]?(train|test|val))?$/i.exec(name);
  const base = match?.[1] ?? name;
  const part = match?.[2]?.toLowerCase();
  // "train_images" / "test_labels" as well as "x_train" / "y_test".
  const prefixed = /^(train|test)[_-](.*)$/i.exec(name);
  const stem = prefixed?.[2] ?? base;
  const test = (prefixed?.[1] ?? part ?? '').toLowerCase() === 'test';
  if (sampleRole.test(stem)) return { role: 'samples', test };
  if (labelRole.test(stem)) return { role: 'labels', test };
  return { role: undefined, test };
}

/** Sample layout from an array's shape; channels-first image stacks are transposed. */
function samplesFrom(array: NpyArray, display: string): { shape: SampleShape; kind: ReadSamples['kind']; values: Float64Array | Uint8Array } {
  const [n = 0, ...rest] = array.shape;
  if (rest.length === 0) throw new LabError('unsupported-format', `${display}: a 1-D array of ${n} values has no feature axis; expected (samples, …)`);
  if (rest.length === 1) {
    const { kind, shape } = layoutFor(rest[0] ?? 1);
    return { kind, shape, values: array.values };
  }
  if (rest.length === 2) return { kind: 'image', shape: [rest[0] ?? 1, rest[1] ?? 1, 1], values: array.values };
  if (rest.length === 3) {
    const [a = 1, b = 1, c = 1] = rest;
    if (c === 1 || c === 3) return { kind: 'image', shape: [a, b, c], values: array.values };
    if (c === 4) return { kind: 'image', shape: [a, b, 4], values: array.values };
    if (a === 1 || a === 3) return { kind: 'image', shape: [b, c, a], values: toChannelsLast(array.values, n, a, b, c) };
  }
  throw new LabError('unsupported-format', `${display}: shape (${array.shape.join(', ')}) is not (samples, features), (samples, height, width) or (samples, height, width, channels)`);
}

function toChannelsLast(values: Float64Array | Uint8Array, n: number, c: number, h: number, w: number): Float64Array | Uint8Array {
  const out = values instanceof Uint8Array ? new Uint8Array(values.length) : new Float64Array(values.length);
  const plane = h * w;
  for (let s = 0; s < n; s += 1)
    for (let ch = 0; ch < c; ch += 1)
      for (let p = 0; p < plane; p += 1) out[s * plane * c + p * c + ch] = values[s * plane * c + ch * plane + p] ?? 0;
  return out;
}

/**
 * Samples and labels from named arrays (an NPZ's members, or .npy files by file name):
 * x/images/data with y/labels/targets, optionally split into *_train and *_test.
 */
export function samplesFromNamedArrays(arrays: Map<string, NpyArray>, display: string, notes: string[]): ReadSamples {
  const named = [...arrays.entries()].map(([name, array]) => ({ name, array, ...parse(name) }));
  let sampleArrays = named.filter((a) => a.role === 'samples');
  if (sampleArrays.length === 0 && named.length === 1) sampleArrays = named;
  if (sampleArrays.length === 0) {
    throw new LabError('unsupported-format', `${display}: no sample array among ${named.map((a) => `'${a.name}'`).join(', ')}; name it x, images or data (and labels y)`);
  }
  const parts = sampleArrays.map((s) => {
    const labels = named.find((l) => l.role === 'labels' && l.test === s.test && (sampleArrays.length === 1 || l.name !== s.name));
    return { samples: s, labels, layout: samplesFrom(s.array, `${display} › ${s.name}`) };
  });
  const first = parts[0];
  if (!first) throw new LabError('empty-input', `${display}: no arrays`);
  for (const part of parts) {
    if (part.layout.shape.join('×') !== first.layout.shape.join('×')) {
      throw new LabError('corrupt-file', `${display}: '${part.samples.name}' samples are ${part.layout.shape.join('×')} but '${first.samples.name}' are ${first.layout.shape.join('×')}`);
    }
    const n = part.samples.array.shape[0] ?? 0;
    if (part.labels && (part.labels.array.shape.length !== 1 || part.labels.array.shape[0] !== n)) {
      throw new LabError('corrupt-file', `${display}: '${part.samples.name}' has ${n} samples but '${part.labels.name}' has shape (${part.labels.array.shape.join(', ')})`);
    }
  }
  if (first.layout.shape[2] === 4) notes.push(`${display}: 4-channel images kept with their fourth channel`);
  const perSample = first.layout.shape[0] * first.layout.shape[1] * first.layout.shape[2];
  const total = parts.reduce((sum, p) => sum + (p.samples.array.shape[0] ?? 0), 0);
  if (total > importLimits.maxSamples || total * perSample > importLimits.maxValues) {
    const limit = total > importLimits.maxSamples ? `${formatCount(importLimits.maxSamples)} samples` : `${formatCount(importLimits.maxValues)} values`;
    throw new LabError('too-large', `${display}: ${formatCount(total)} samples of ${formatCount(perSample)} values ${overLimit(limit)}`);
  }
  const values = new Float64Array(total * perSample);
  const rawLabels: string[] = [];
  const predefinedTest = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    const n = part.samples.array.shape[0] ?? 0;
    values.set(part.layout.values, at * perSample);
    if (part.labels) for (const v of part.labels.array.values) rawLabels.push(String(v));
    else for (let i = 0; i < n; i += 1) rawLabels.push('');
    if (part.samples.test) predefinedTest.fill(1, at, at + n);
    at += n;
  }
  const anyLabels = parts.some((p) => p.labels);
  const { labels, classNames } = anyLabels ? encodeLabels(rawLabels.filter((r) => r !== ''), 0) : { labels: new Int32Array(0), classNames: [] };
  const allLabels = new Int32Array(total).fill(-1);
  if (anyLabels) {
    let k = 0;
    rawLabels.forEach((raw, i) => {
      if (raw !== '') allLabels[i] = labels[k++] ?? -1;
    });
  }
  const result: ReadSamples = { kind: first.layout.kind, shape: first.layout.shape, samples: compactValues(values), labels: allLabels, classNames };
  const hasTest = predefinedTest.includes(1) && predefinedTest.includes(0);
  return hasTest ? { ...result, predefinedTest } : result;
}
