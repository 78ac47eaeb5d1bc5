import { onnxIrVersion, onnxOpset, type ConvertedModel, type ConvertedValue } from './convert.js';
import type { ValueRange } from './layers.js';

/** A value range in words: an interval, half-open where unbounded, or "any real value". */
export function rangeText([low, high]: ValueRange): string {
  if (low === -Infinity && high === Infinity) return 'any real value';
  return `${low === -Infinity ? '(−∞' : `[${low}`}, ${high === Infinity ? '∞)' : `${high}]`}`;
}

const shapeText = (value: ConvertedValue): string => `[${value.shape.join(', ')}]`;

function valueLine(role: string, value: ConvertedValue, range: string): string {
  return `- ${role} \`${value.name}\`: float32 ${shapeText(value)}. ${value.docString} Values: ${range}.`;
}

export interface ReadmeFacts {
  title: string;
  encoder: ConvertedModel;
  decoder: ConvertedModel;
  /** What the encoder's input values are: how the lab scales the dataset's samples. */
  inputRange: string;
}

const python = (value: ConvertedValue): string => `(${['8', ...value.sampleShape.map(String)].join(', ')})`;

/** The README beside encoder.onnx and decoder.onnx: opset, names, shapes, ranges, and how to run them. */
export function onnxReadme({ title, encoder, decoder, inputRange }: ReadmeFacts): string {
  const heads = encoder.outputs.map((o) => o.name);
  const variational = heads.length === 2;
  const code = decoder.input;
  const encodeLine = `${heads.join(', ')}${heads.length === 1 ? ',' : ''} = encoder.run(None, {"${encoder.input.name}": x})`;
  return [
    `# ${title}: ONNX encoder and decoder`,
    '',
    `Written by Autoencoder Lab: ONNX IR version ${onnxIrVersion}, opset ${onnxOpset} of the default domain (ai.onnx), float32 throughout.`,
    'Both files open in Netron (https://netron.app). The first dimension of every input and output is `batch`: any number of samples.',
    '',
    '## encoder.onnx',
    '',
    valueLine('Input', encoder.input, inputRange),
    ...encoder.outputs.map((o) => valueLine('Output', o, rangeText(o.range))),
    '',
    '## decoder.onnx',
    '',
    valueLine('Input', code, `what the encoder gives${variational ? ` (its \`${heads[0] ?? 'mu'}\`, or a sample z = mu + exp(log_var / 2) · ε with ε ~ N(0, I))` : ''}`),
    ...decoder.outputs.map((o) => valueLine('Output', o, rangeText(o.range))),
    '',
    '## Running with onnxruntime in Python',
    '',
    '```sh',
    'pip install onnxruntime numpy',
    '```',
    '',
    '```python',
    'import numpy as np',
    'import onnxruntime as ort',
    '',
    'encoder = ort.InferenceSession("encoder.onnx", providers=["CPUExecutionProvider"])',
    'decoder = ort.InferenceSession("decoder.onnx", providers=["CPUExecutionProvider"])',
    `x = np.random.rand${python(encoder.input)}.astype(np.float32)  # your samples, scaled as above`,
    encodeLine,
    ...(variational ? [`z = mu + np.exp(0.5 * log_var) * np.random.randn(*mu.shape).astype(np.float32)  # a sample of q(z|x)`] : []),
    `${decoder.outputs[0]?.name ?? 'reconstruction'}, = decoder.run(None, {"${code.name}": ${heads[0] ?? 'code'}})`,
    '```',
    '',
    `The lab reconstructs a sample as decoder(${variational ? 'mu' : 'code'}); these two files give the same values as the lab's engine to within 1e-5.`,
    '',
  ].join('\n');
}
