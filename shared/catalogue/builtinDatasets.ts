/**
 * The datasets the lab provides itself, by the ids it stores them under: Shapes and Colour
 * Shapes (RGB, for colorization), generated on first start, and Fashion-MNIST, registered from
 * Debian's `dataset-fashion-mnist` package
 * where it is installed. A recipe written for one of them names it by this id; where the
 * workspace lacks it, `howToGet` is what the user is told.
 */
export const builtinDatasets = {
  shapes: {
    name: 'Shapes',
    howToGet: 'the lab generates it on first start; where it was deleted, a new workspace has it again',
  },
  'colour-shapes': {
    name: 'Colour Shapes',
    howToGet: 'the lab generates it on first start (a workspace made before it existed gets it at its next start); where it was deleted, a new workspace has it again',
  },
  'fashion-mnist': {
    name: 'Fashion-MNIST',
    howToGet:
      "install Debian's package (sudo apt-get install dataset-fashion-mnist) and start the lab again: it registers the dataset from /usr/share/datasets/fashion-mnist ($AELAB_FASHION_MNIST_DIR elsewhere); or import its four IDX files in Datasets",
  },
} as const;
export type BuiltinDatasetId = keyof typeof builtinDatasets;

export const isBuiltinDatasetId = (id: string): id is BuiltinDatasetId => Object.hasOwn(builtinDatasets, id);

/**
 * What to say when a configuration written for a dataset is loaded in a workspace without it:
 * which dataset it needs and how to get it. Null where the workspace has it, or the configuration
 * names none.
 */
export function missingDatasetNotice(presetName: string, datasetId: string | undefined, workspaceDatasetIds: readonly string[]): string | null {
  if (!datasetId || workspaceDatasetIds.includes(datasetId)) return null;
  if (!isBuiltinDatasetId(datasetId)) return `“${presetName}” is written for the dataset '${datasetId}', which this workspace does not have: import it, or queue it on another dataset knowing that its description speaks of '${datasetId}'.`;
  const builtin = builtinDatasets[datasetId];
  return `“${presetName}” needs ${builtin.name} ('${datasetId}'), which this workspace does not have. To get it, ${builtin.howToGet}. Queued on another dataset, it trains and measures there, and what its description says of ${builtin.name} does not apply.`;
}
