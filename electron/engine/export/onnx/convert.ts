import type * as TF from '@tensorflow/tfjs';
import { chainOf } from '../../model/layerCopies.js';
import { GraphBuilder } from './graphBuilder.js';
import { lowerLayer, toNhwc, unbounded, type Flow, type ValueRange } from './layers.js';
import type { OnnxModel, OnnxValueInfo } from './onnxProto.js';

/** ONNX's IR version 8 and the default domain's opset 17 (ONNX 1.12): what every node here is written against. */
export const onnxIrVersion = 8;
export const onnxOpset = 17;
export const onnxProducer = 'autoencoder-lab';

/** The symbolic first dimension of every input and output: any number of samples. */
export const batchDimension = 'batch';

export interface NamedValue {
  name: string;
  docString: string;
}

export interface ConvertOptions {
  graphName: string;
  docString: string;
  input: NamedValue;
  /**
   * The model's output under one name, or, given several, its features split into that many
   * equal heads in order (a VAE's μ then log σ²).
   */
  outputs: readonly NamedValue[];
}

export interface ConvertedValue extends OnnxValueInfo {
  /** Per-sample shape, without the batch dimension. */
  sampleShape: number[];
  range: ValueRange;
}

export interface ConvertedModel {
  model: OnnxModel;
  input: ConvertedValue;
  outputs: ConvertedValue[];
}

/**
 * A tfjs layers model (a chain of layers, as every architecture builds its encoder and
 * decoder) as an ONNX model taking and giving values in the lab's own layout: images
 * [batch, height, width, channels], vectors [batch, features].
 */
export function layersModelToOnnx(model: TF.LayersModel, options: ConvertOptions): ConvertedModel {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new Error(`model ${model.name} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is exported`);
  const b = new GraphBuilder();
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  if (inputShape.some((d) => typeof d !== 'number')) throw new Error(`model ${model.name}'s input shape [${inputShape.join(', ')}] is not fixed`);
  let flow: Flow = { name: b.reserve(options.input.name), layout: 'nhwc', shape: inputShape, range: unbounded };
  for (const layer of chainOf(model)) {
    // A layer joining two values (a branch's Add or Concatenate) would be read as a chain's next link.
    if (layer.inboundNodes.some((node) => node.inboundLayers.length > 1)) throw new Error(`layer ${layer.name} takes several inputs; only chains of layers are exported`);
    flow = lowerLayer(b, layer, flow);
  }
  flow = toNhwc(b, 'output', flow);

  const heads = options.outputs.length;
  if (heads === 0) throw new Error('an exported model needs an output name');
  let outputNames: string[] = [flow.name];
  let headShape = flow.shape;
  if (heads > 1) {
    const features = flow.shape[0] as number;
    if (flow.shape.length !== 1 || features % heads !== 0) throw new Error(`model ${model.name}'s output [${flow.shape.join(', ')}] does not split into ${heads} equal heads`);
    headShape = [features / heads];
    const split = b.int64s('heads/split', new Array<number>(heads).fill(features / heads));
    outputNames = b.node('heads', 'Split', [flow.name, split], { axis: { kind: 'int', value: 1 } }, heads);
  }
  options.outputs.forEach((output, k) => b.name(outputNames[k] as string, output.name));

  const value = (named: NamedValue, sampleShape: number[], range: ValueRange): ConvertedValue => ({ name: named.name, docString: named.docString, shape: [batchDimension, ...sampleShape], sampleShape, range });
  const input = value(options.input, inputShape, unbounded);
  const outputs = options.outputs.map((o) => value(o, headShape, heads > 1 ? unbounded : flow.range));
  return {
    model: {
      irVersion: onnxIrVersion,
      opsetVersion: onnxOpset,
      producerName: onnxProducer,
      docString: options.docString,
      graph: b.graph(options.graphName, [input], outputs, options.docString),
    },
    input,
    outputs,
  };
}
