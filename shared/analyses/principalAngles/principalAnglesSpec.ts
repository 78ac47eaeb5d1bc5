import { z } from 'zod';

/** A linear autoencoder against PCA: does its decoder span the principal subspace? */
export const principalAnglesSpecSchema = z.object({
  runId: z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id'),
});
export type PrincipalAnglesSpec = z.infer<typeof principalAnglesSpecSchema>;

export const principalAnglesResultSchema = z.object({
  runId: z.string(),
  datasetId: z.string(),
  latentDim: z.number().int().min(1),
  /** Angles between the decoder's column space and PCA's top-d subspace, degrees, ascending. */
  anglesDegrees: z.array(z.number()),
  /** The same for the encoder's row space (a linear AE's encoder need not be the decoder's transpose). */
  encoderAnglesDegrees: z.array(z.number()),
  runTestMse: z.number().nullable(),
  pcaTestMse: z.number(),
  /** runTestMse − pcaTestMse: how far the run is from the best any rank-d linear map can do. */
  errorGap: z.number().nullable(),
  /** Which checkpoint the weights came from. */
  checkpoint: z.enum(['best', 'last']),
});
export type PrincipalAnglesResult = z.infer<typeof principalAnglesResultSchema>;
