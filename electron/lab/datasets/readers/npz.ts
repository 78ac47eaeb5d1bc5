import { baseName, extensionOf, type SourceFile } from '../sources/sourceFile.js';
import { zipSources } from '../sources/zipArchive.js';
import { throwIfCancelled, type DatasetReader } from './datasetReader.js';
import { samplesFromNamedArrays } from './namedArrays.js';
import { parseNpy, type NpyArray } from './npy.js';

/** One NumPy .npz archive, its members the named arrays. */
export const npzReader: DatasetReader = {
  format: 'npz',
  label: 'NPZ',
  // Above NPY: an archive holds a whole dataset, a loose .npy beside it is likely one of its parts.
  precedence: 40,
  claims: (file) => extensionOf(baseName(file)) === '.npz',
  read: async (files, { skipped, notes, signal }) => {
    const [first, ...rest] = files;
    for (const extra of rest) skipped.push({ file: extra.display, reason: 'only one NPZ archive is imported at a time' });
    const archive = first as SourceFile;
    const arrays = new Map<string, NpyArray>();
    for (const member of await zipSources(archive)) {
      throwIfCancelled(signal);
      const name = baseName(member).replace(/\.npy$/i, '');
      arrays.set(name, parseNpy(await member.read(), member.display));
    }
    return samplesFromNamedArrays(arrays, archive.display, notes);
  },
  nameSuffix: /\.npz$/i,
};
