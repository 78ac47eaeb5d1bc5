import { loadBackend } from './electron/engine/backend.ts';
import { buildAutoencoder } from './electron/engine/bench/benchModels.ts';
import { FlatAdam } from './electron/engine/training/flatAdam.ts';
const { tf } = await loadBackend('tensorflow');
const m = buildAutoencoder(tf, 'dense');
const x = tf.randomUniform([128, 784]);
const f = () => tf.losses.meanSquaredError(x, m.decoder.apply(m.encoder.apply(x, { training: true }), { training: true }) as any) as any;
const vars = [...m.encoder.trainableWeights, ...m.decoder.trainableWeights].map((w: any) => w.val);
const opt = new FlatAdam(tf, vars, { learningRate: 1e-3 });
for (let i = 0; i < 5; i++) opt.minimize(f);
const p = await tf.profile(() => { opt.minimize(f); });
const byName: Record<string, [number, number]> = {};
for (const k of p.kernels) { const e = byName[k.name] ?? [0, 0]; e[0] += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0; e[1]++; byName[k.name] = e; }
console.log(p.kernels.length, Object.entries(byName).sort((a, b) => b[1][0] - a[1][0]).map(([k, v]) => `${k}:${v[0].toFixed(2)}/${v[1]}`).join(' '));
const t0 = performance.now(); for (let i = 0; i < 100; i++) opt.minimize(f); await tf.scalar(0).data(); console.log('step', ((performance.now()-t0)/100).toFixed(2));
const t1 = performance.now(); for (let i = 0; i < 100; i++) tf.tidy(() => { tf.variableGrads(f, vars); }); await tf.scalar(0).data(); console.log('grads only', ((performance.now()-t1)/100).toFixed(2));
const t2 = performance.now(); for (let i = 0; i < 100; i++) tf.tidy(() => { f(); }); await tf.scalar(0).data(); console.log('forward only', ((performance.now()-t2)/100).toFixed(2));
