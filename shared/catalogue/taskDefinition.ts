import type { DataTraits } from './definition.js';
import type { ParamSpecs, ValuesOf } from './params.js';

/** How many channels the model takes and gives for a task on samples of `channels` channels. */
export interface TaskChannels {
  input: number;
  output: number;
}

/**
 * A task: what a run's model is given and what it must give back. Reconstruction targets its
 * input; colorization and inpainting target the clean image from a luminance or a holed copy.
 */
export interface TaskDefinition<S extends ParamSpecs = ParamSpecs> {
  label: string;
  description: string;
  params: S;
  channels(params: ValuesOf<S>, dataChannels: number): TaskChannels;
  /** Why this task cannot take the data, each in a sentence; empty when it can. */
  validate(params: ValuesOf<S>, data: DataTraits): string[];
}

export const defineTask = <const S extends ParamSpecs>(definition: TaskDefinition<S>): TaskDefinition<S> => definition;
