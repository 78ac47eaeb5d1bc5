import { symmetricEigen } from '../analyses/pca/symmetricEigen.js';

/** A random orthonormal basis of Rⁿ, one vector per row: the eigenvectors of a random symmetric matrix. */
export function randomOrthonormalBasis(n: number, random: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      const v = random() - 0.5;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return symmetricEigen(a, n).vectors;
}
