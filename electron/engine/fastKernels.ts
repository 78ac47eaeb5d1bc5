import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from './backend.js';

const require = createRequire(import.meta.url);

interface NodeBackend {
  executeSingleOutput(name: string, attrs: unknown[], inputs: TF.Tensor[]): TF.Tensor;
}

const reluGradKernel = 'AelabReluGrad';

/**
 * Kernel-level speed-ups for the native backend; every one computes the same function as
 * the kernel it replaces (the engine's ops test compares them with the cpu backend).
 *
 * - ReLU's gradient: tfjs computes dy · step(x), and tfjs-node builds Step from six
 *   full-size ops; TensorFlow's own ReluGrad is one. Other backends keep dy · step(x).
 * - Step itself (still used by fused ops' gradients) from three ops instead of six.
 */
export function registerFastKernels(tf: Tfjs): void {
  const { createTensorsTypeOpAttr } = require('@tensorflow/tfjs-node/dist/nodejs_kernel_backend') as {
    createTensorsTypeOpAttr(name: string, dtype: TF.DataType): unknown;
  };

  tf.unregisterKernel('Step', 'tensorflow');
  tf.registerKernel({
    kernelName: 'Step',
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs }) => {
      const x = inputs.x as TF.Tensor;
      const alpha = (attrs as { alpha?: number }).alpha ?? 0;
      return tf.tidy(() => {
        const positive = tf.cast(tf.greater(x, 0), x.dtype);
        const mask = alpha === 0 ? positive : tf.add(tf.mul(positive, 1 - alpha), alpha);
        return tf.where(tf.isNaN(x), x, mask);
      });
    },
  });

  for (const backendName of tf.engine().backendNames()) {
    if (tf.getKernel(reluGradKernel, backendName)) continue;
    tf.registerKernel({
      kernelName: reluGradKernel,
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const { dy, x } = inputs as { dy: TF.Tensor; x: TF.Tensor };
        if (backendName === 'tensorflow') {
          return (backend as unknown as NodeBackend).executeSingleOutput('ReluGrad', [createTensorsTypeOpAttr('T', x.dtype)], [dy, x]);
        }
        return tf.tidy(() => tf.mul(dy, tf.cast(tf.step(x), 'float32')));
      },
    });
  }
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as TF.Tensor[];
      // A backend set up after this registration has no such kernel: it gets tfjs's own formula.
      if (!tf.getKernel(reluGradKernel, tf.getBackend())) return { x: () => tf.mul(dy as TF.Tensor, tf.cast(tf.step(x as TF.Tensor), 'float32')) };
      return { x: () => tf.engine().runKernel(reluGradKernel, { dy: dy as TF.Tensor, x: x as TF.Tensor }) as TF.Tensor };
    },
  });
  // Second order (a contractive penalty differentiates through ReLU's gradient): linear in dy, flat in x.
  tf.registerGradient({
    kernelName: reluGradKernel,
    inputsToSave: ['x'],
    gradFunc: (ddy, saved) => {
      const [x] = saved as TF.Tensor[];
      return {
        dy: () => tf.engine().runKernel(reluGradKernel, { dy: ddy as TF.Tensor, x: x as TF.Tensor }) as TF.Tensor,
        x: () => tf.zerosLike(x as TF.Tensor),
      };
    },
  });
}
