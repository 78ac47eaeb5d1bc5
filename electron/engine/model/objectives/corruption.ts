import type * as TF from '@tensorflow/tfjs';
import type { corruptionIds } from '../../../../shared/catalogue/objectives/denoising.js';
import type { Tfjs } from '../../backend.js';

export type CorruptionKind = (typeof corruptionIds)[number];

/**
 * Draws x̃ ~ C(x̃|x): Gaussian adds σ·ε; masking sets a fraction of inputs to 0;
 * salt-and-pepper sets a fraction to 0 or 1, half each.
 */
export function corrupt(tf: Tfjs, x: TF.Tensor, kind: CorruptionKind, level: number, seed: number): TF.Tensor {
  return tf.tidy(() => {
    switch (kind) {
      case 'gaussian':
        return tf.add(x, tf.randomNormal(x.shape, 0, level, 'float32', seed));
      case 'masking':
        return tf.mul(x, tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), level), 'float32'));
      case 'salt-and-pepper': {
        const u = tf.randomUniform(x.shape, 0, 1, 'float32', seed);
        const hit = tf.less(u, level);
        // Within the hit fraction the lower half becomes pepper (0), the upper half salt (1).
        const salt = tf.cast(tf.greaterEqual(u, level / 2), 'float32');
        return tf.where(hit, salt, x);
      }
    }
  });
}
