import { z } from 'zod';
import { defineFormat } from '../versionedFile.js';

/** meta.json: what the user may change about a dataset without touching its data. */
export const datasetMetaFormat = defineFormat('dataset meta', 1, z.object({ name: z.string().min(1), builtin: z.boolean() }));
export type DatasetMeta = z.infer<typeof datasetMetaFormat.schema>;

/** builtins.json: which built-in datasets were created once (a deleted one stays deleted). */
export const builtinsLedgerFormat = defineFormat('built-in datasets ledger', 1, z.object({ shapes: z.boolean().optional(), colourShapes: z.boolean().optional(), fashionMnist: z.string().optional() }));
