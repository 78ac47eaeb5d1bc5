import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runFieldLabels } from '../catalogue/runFields.js';
import { runConfigSchema, validateRunConfig } from '../catalogue/runConfig.js';
import { importOptionsSchema } from '../domain/dataset.js';
import { firstIssueSentence, issueSentences, pathNames } from './userMessages.js';

const sentencesOf = (schema: z.ZodType, input: unknown, names: Record<string, string> = {}): string[] => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return issueSentences(parsed.error, input, names);
};

const config = { datasetId: 'shapes', architecture: 'dense', objective: 'plain' };

describe('validation messages in the form’s words', () => {
  it('names the field by its label and says what was given', () => {
    expect(sentencesOf(runConfigSchema, { ...config, epochs: 2.5 }, runFieldLabels)).toEqual(['Epochs must be a whole number; 2.5 was given']);
    expect(sentencesOf(runConfigSchema, { ...config, batchSize: 0 }, runFieldLabels)).toEqual(['Batch size must be at least 1; 0 was given']);
    expect(sentencesOf(runConfigSchema, { ...config, latentDim: 5000 }, runFieldLabels)).toEqual(['Latent size d must be at most 4096; 5000 was given']);
    expect(sentencesOf(runConfigSchema, { ...config, learningRate: 0 }, runFieldLabels)).toEqual(['Learning rate must be more than 0; 0 was given']);
    expect(sentencesOf(runConfigSchema, { ...config, optimizer: 'lbfgs' }, runFieldLabels)).toEqual(["Optimizer must be one of 'adam', 'sgd', 'rmsprop'; 'lbfgs' was given"]);
    expect(sentencesOf(runConfigSchema, { ...config, epochs: '10' }, runFieldLabels)).toEqual(["Epochs must be a number; '10' was given"]);
  });

  it('never lets zod’s own wording through, for every field of a run configuration', () => {
    const wrong = { ...config, latentDim: 1.5, batchSize: -3, epochs: Number.NaN, seed: 2 ** 40, momentum: 2, earlyStoppingPatience: 'x', reconstructionLoss: 'l1', name: ' ' };
    const sentences = sentencesOf(runConfigSchema, wrong, runFieldLabels);
    expect(sentences).toEqual([
      "Name must not be empty",
      'Latent size d must be a whole number; 1.5 was given',
      "Reconstruction loss must be one of 'mse', 'bce'; 'l1' was given",
      'Momentum must be at most 0.999; 2 was given',
      'Batch size must be at least 1; -3 was given',
      'Epochs must be a number',
      "Early-stopping patience must be a number; 'x' was given",
      'Seed must be at most 2147483647; 1099511627776 was given',
    ]);
    for (const s of sentences) expect(s).not.toMatch(/Invalid input|Too (small|big)|expected|received/);
  });

  it('says a missing field is missing, and names a nested one by its parent', () => {
    expect(sentencesOf(runConfigSchema, { architecture: 'dense', objective: 'plain' }, runFieldLabels)).toEqual(['Dataset is missing']);
    expect(sentencesOf(importOptionsSchema, { size: [2, 28] }, { size: 'Image size' })).toEqual(['Image size, entry 1 must be at least 4; 2 was given']);
    expect(sentencesOf(importOptionsSchema, { size: [28] }, { size: 'Image size' })).toEqual(['Image size must have at least 2 entries; 1 was given']);
  });

  it('keeps a refinement’s own sentence', () => {
    expect(sentencesOf(importOptionsSchema, { validationFraction: 0.5, testFraction: 0.45 })).toEqual(['Validation and test fractions together must leave at least 10% for training']);
  });

  it('names unknown fields and union types plainly', () => {
    expect(sentencesOf(z.object({ a: z.number() }).strict(), { a: 1, zz: 2 })).toEqual(["The request has no field 'zz'"]);
    expect(sentencesOf(z.object({ id: z.string().regex(/^r\d+$/, 'not a run id') }), { id: 'x' }, { id: 'Run' })).toEqual(["Run is not a run id; 'x' was given"]);
    expect(sentencesOf(importOptionsSchema, { labelColumn: true }, { labelColumn: 'Label column' })).toEqual(['Label column must be text or a number; true was given']);
  });

  it('names fields by their path where there is no form (the contract)', () => {
    const parsed = z.object({ paths: z.array(z.string()).min(1) }).safeParse({ paths: [] });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(firstIssueSentence(parsed.error, { paths: [] }, pathNames)).toBe('paths must have at least 1 entry; 0 were given');
  });

  it('is what the run configuration check answers', () => {
    expect(validateRunConfig({ ...config, epochs: 2.5 } as never, { shape: [28, 28, 1], kind: 'image', unitRange: true })).toEqual({ ok: false, errors: ['Epochs must be a whole number; 2.5 was given'] });
  });
});
