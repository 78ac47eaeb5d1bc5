import type { ProbeProtocol } from '../analyses/probe/probeProtocol.js';
import { presetSchema, type Preset, type PresetInput, type PresetVariant } from '../domain/preset.js';

const training = { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, epochs: 10, seed: 42 } as const;
const dense = (name: string, latentDim: number, rest: Partial<PresetVariant> = {}): PresetVariant => ({
  name,
  architecture: 'dense',
  architectureParams: { hiddenWidths: [256], activation: 'relu', codeActivation: 'linear' },
  objective: 'plain',
  latentDim,
  reconstructionLoss: 'bce',
  ...training,
  ...rest,
});
const conv = (name: string, latentDim: number): PresetVariant => ({
  name,
  architecture: 'conv',
  architectureParams: { channels: [16, 32], bottleneck: 'vector' },
  objective: 'plain',
  latentDim,
  reconstructionLoss: 'bce',
  ...training,
});

const bottleneckSizes = [2, 4, 32] as const;

/**
 * The anomaly recipe's normal data: square, ellipse and triangle of the built-in Shapes (its
 * class order, `shapeNames`); crosses and stars are the anomalies, never seen in training.
 */
const shapesNormal = [0, 1, 2];
/**
 * Short enough to train both models in about a minute on two cores (6,000 normal samples of 32×32,
 * a few epochs); a faster rate than 1e-3 sometimes leaves the conv AE stuck at the mean image.
 */
const anomalyTraining = { ...training, epochs: 6, batchSize: 64, normalClasses: shapesNormal } as const;
/**
 * The pretrained-encoders recipe trains on every class of Fashion-MNIST without their labels (the
 * probe draws the few labels afterwards). On the built-in Shapes, whose classes differ by form
 * under random position, size and rotation, a linear head on any codes stays at chance, so the
 * recipe needs real images. A few epochs are enough for codes that beat pixels at few labels.
 */
const probeCodeSize = 32;
/** Lighter than the probe's defaults, so that the whole curve takes minutes: no 1,000 or 'all', no from-scratch line. */
const probeProtocol: ProbeProtocol = { labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'] };

const lectureExperiments: PresetInput[] = [
  {
    id: 'lecture-bottleneck-size',
    name: 'Bottleneck size: conv AE with d = 2, 4, 32',
    description: 'The same convolutional autoencoder with a (d,1,1) code of size 2, 4 and 32, queued as one sweep: reconstruction error falls as the bottleneck widens, and PCA with as many components is drawn beside it.',
    builtIn: true,
    variants: bottleneckSizes.map((d) => conv(`conv d=${d}`, d)),
    sweep: [{ field: 'latentDim', values: [...bottleneckSizes] }],
    opens: 'sweep',
  },
  {
    id: 'lecture-linear-pca',
    name: 'Linear autoencoder and PCA',
    description: 'A linear autoencoder with squared error learns the principal subspace: its test error approaches PCA with as many components.',
    builtIn: true,
    variants: [2, 4, 32].map((d) => ({ name: `linear d=${d}`, architecture: 'linear', architectureParams: {}, objective: 'plain', latentDim: d, reconstructionLoss: 'mse', ...training, learningRate: 2e-3 }) satisfies PresetVariant),
    opens: 'principalAngles',
  },
  {
    id: 'lecture-undercomplete-overcomplete',
    name: 'Undercomplete, overcomplete, sparse overcomplete',
    description: 'A code smaller than the input must compress; a larger one can copy unless a sparsity penalty makes most units rest.',
    builtIn: true,
    variants: [
      dense('undercomplete d=32', 32),
      dense('overcomplete d=1024', 1024, { architectureParams: { hiddenWidths: [1024], activation: 'relu', codeActivation: 'relu' } }),
      dense('sparse overcomplete d=1024', 1024, { architectureParams: { hiddenWidths: [1024], activation: 'relu', codeActivation: 'relu' }, objective: 'sparse', objectiveParams: { penalty: 'l1', weight: 1e-3 } }),
    ],
    opens: 'diagnostics',
  },
  {
    id: 'lecture-denoising',
    name: 'Denoising: plain, Gaussian noise, masking',
    description: 'Trained to undo corruption, a denoising autoencoder maps a neighbourhood of the data back onto it instead of copying its input.',
    builtIn: true,
    variants: [
      dense('plain', 32),
      dense('denoising σ=0.3', 32, { objective: 'denoising', objectiveParams: { corruption: 'gaussian', level: 0.3 } }),
      dense('denoising masking 30%', 32, { objective: 'denoising', objectiveParams: { corruption: 'masking', level: 0.3 } }),
    ],
  },
  {
    id: 'lecture-contractive',
    name: 'Contractive against denoising',
    description: 'Both resist small input changes: the contractive one by penalising ‖∂h/∂x‖²_F, the denoising one by training on corrupted inputs.',
    builtIn: true,
    variants: [
      dense('contractive λ=0.01', 32, { architectureParams: { hiddenWidths: [256], activation: 'sigmoid', codeActivation: 'sigmoid' }, objective: 'contractive', objectiveParams: { weight: 1e-2 } }),
      dense('denoising σ=0.3', 32, { architectureParams: { hiddenWidths: [256], activation: 'sigmoid', codeActivation: 'sigmoid' }, objective: 'denoising', objectiveParams: { corruption: 'gaussian', level: 0.3 } }),
    ],
  },
  {
    id: 'lecture-generation',
    name: 'Generating from a plain autoencoder: d = 8, 16, 32',
    description: 'Random vectors fed to a plain decoder: does the bottleneck size change how valid the samples look?',
    builtIn: true,
    variants: [8, 16, 32].map((d) => dense(`plain d=${d}`, d)),
  },
  {
    id: 'lecture-latent-space',
    name: 'Latent space: plain against variational (d = 2)',
    description: 'A plain autoencoder’s 2-D code has holes and no density; a VAE’s is continuous and complete, so every point decodes to something plausible.',
    builtIn: true,
    variants: [dense('plain d=2', 2, { architectureParams: { hiddenWidths: [512, 256], activation: 'relu', codeActivation: 'linear' } }), dense('variational d=2', 2, { architectureParams: { hiddenWidths: [512, 256], activation: 'relu', codeActivation: 'linear' }, objective: 'variational', objectiveParams: { beta: 1 } })],
  },
  {
    id: 'lecture-anomaly-detection',
    name: 'Anomaly detection: train on normal shapes, score the rest',
    description:
      'A conv autoencoder and a conv VAE trained on three of the Shapes only (square, ellipse, triangle), 6 epochs each: crosses and stars, never seen in training, reconstruct worse. After training, the runs are scored in Analyses → Anomaly detection, which opens when they are queued: ROC with AUROC, precision–recall, PCA beside them, and a threshold to pick.',
    builtIn: true,
    datasetId: 'shapes',
    variants: [
      { name: 'conv AE normal shapes', architecture: 'conv', architectureParams: { channels: [16, 32], bottleneck: 'vector' }, objective: 'plain', latentDim: 16, reconstructionLoss: 'bce', ...anomalyTraining },
      { name: 'conv VAE normal shapes', architecture: 'conv', architectureParams: { channels: [16, 32], bottleneck: 'vector' }, objective: 'variational', objectiveParams: { beta: 1 }, latentDim: 16, reconstructionLoss: 'bce', ...anomalyTraining },
    ],
    opens: 'anomaly',
  },
  {
    id: 'lecture-pretrained-encoders',
    name: 'Pretrained encoders for small data: codes against pixels',
    description:
      'A dense AE and a conv VAE (d = 32) trained on Fashion-MNIST without its labels. Once trained, Analyses → Pretrained encoders opens on them: the learning curve at 1–100 labels per class of a classifier on the frozen codes (μ for the VAE), the fine-tuned encoder and kNN on the codes, against raw pixels and PCA-32, on the same draws. Measured on 10-epoch runs: fine-tuning the dense AE wins up to 100 labels (63.8 % against 58.6 % for pixels at 5), its frozen codes are level with pixels, the VAE’s μ and PCA-32 trail them below 50.',
    builtIn: true,
    datasetId: 'fashion-mnist',
    variants: [
      dense(`dense AE d=${probeCodeSize}`, probeCodeSize, { epochs: 5 }),
      { name: `conv VAE d=${probeCodeSize}`, architecture: 'conv', architectureParams: { channels: [16, 32], bottleneck: 'vector' }, objective: 'variational', objectiveParams: { beta: 1 }, latentDim: probeCodeSize, reconstructionLoss: 'bce', ...training, epochs: 3, batchSize: 64 },
    ],
    opens: 'probe',
    probe: probeProtocol,
  },
];

/**
 * The lecture's experiments, ready to queue on any image dataset with pixels in [0, 1] (the anomaly
 * recipe's on one with at least three classes: it is written for Shapes; the pretrained-encoders one
 * on a labelled one: it is written for Fashion-MNIST); defaults filled in as for saved ones.
 */
export const lecturePresets: readonly Preset[] = lectureExperiments.map((p) => presetSchema.parse(p));
