import type { ParamSpecs, ValuesOf } from './params.js';

/** What validation needs to know of the dataset. */
export interface DataTraits {
  shape: readonly [number, number, number];
  kind: 'image' | 'vector';
  /** Whether model inputs lie in [0, 1] after the dataset's scaling. */
  unitRange: boolean;
  /** The dataset's classes and their sample counts, where the check knows them (normal classes are checked against them). */
  classNames?: readonly string[];
  classCounts?: readonly number[];
}

export type ReconstructionLossId = 'mse' | 'bce';

/** What an architecture's code is, as the objectives' checks need to know it. */
export interface CodeTraits {
  /** Every code unit passes through a sigmoid, so lies in (0, 1). */
  sigmoidBounded: boolean;
  /** The code is a vector ((d) or (d,1,1)), not a feature map. */
  vector: boolean;
}

/** The part of a run's configuration an architecture's checks read, its own hyperparameters typed. */
export interface ArchitectureCheck<P> {
  params: P;
  latentDim: number;
  reconstructionLoss: ReconstructionLossId;
  /** The run's task and objective (ids of shared/catalogue/tasks.ts and objectives.ts): an architecture may refuse some. */
  task: string;
  objective: string;
}

/** The part an objective's checks read: also what the chosen architecture's code is. */
export interface ObjectiveCheck<P> extends ArchitectureCheck<P> {
  code: CodeTraits;
}

/** An architecture as the catalogue knows it: its form, its hyperparameters and its checks. */
export interface ArchitectureDefinition<S extends ParamSpecs = ParamSpecs> {
  label: string;
  description: string;
  params: S;
  /** The reconstruction losses it can be trained with; the first is the one the form switches to. */
  reconstructionLosses: readonly ReconstructionLossId[];
  code(params: ValuesOf<S>): CodeTraits;
  /** Encoder and decoder are single linear maps, so the model has a subspace to hold against PCA's (principal angles). */
  linearMaps?: boolean;
  /** Why this architecture cannot take the configuration or the data, each in a sentence; empty when it can. */
  validate(config: ArchitectureCheck<ValuesOf<S>>, data: DataTraits): string[];
}

/** An objective as the catalogue knows it. */
export interface ObjectiveDefinition<S extends ParamSpecs = ParamSpecs> {
  label: string;
  description: string;
  params: S;
  /** Loss components the objective reports besides reconstruction. */
  components: readonly string[];
  validate(config: ObjectiveCheck<ValuesOf<S>>, data: DataTraits): string[];
}

/** Keeps the literal types of a definition's hyperparameters, so its own methods read them typed. */
export const defineArchitecture = <const S extends ParamSpecs>(definition: ArchitectureDefinition<S>): ArchitectureDefinition<S> => definition;
export const defineObjective = <const S extends ParamSpecs>(definition: ObjectiveDefinition<S>): ObjectiveDefinition<S> => definition;
