"""Reference PCA of Fashion-MNIST in float64 with numpy, to check the lab's engine against,
and the time scikit-learn's randomized PCA takes for the same components. Pixels are x/255;
the fit is on the 60,000 train images, the errors on the 10,000 t10k images. Prints one JSON line."""
import argparse, gzip, json, time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
parser.add_argument('--components', type=int, default=256)
parser.add_argument('--time-only', action='store_true', help="only time scikit-learn's randomized PCA")
parser.add_argument('--no-sklearn', action='store_true', help="skip timing scikit-learn (the agreement figures alone)")
parser.add_argument('--train-count', type=int, help='fit on the first N train images only (to time the same number of rows as another fit)')
args = parser.parse_args()


def images(name):
    with gzip.open(f'{args.data}/{name}') as f:
        raw = f.read()
    count = int.from_bytes(raw[4:8], 'big')
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, -1).astype(np.float64) / 255.0


train = images('train-images-idx3-ubyte.gz')[:args.train_count]
result = {'dimension': train.shape[1], 'trainCount': train.shape[0]}


def time_sklearn():
    from sklearn import __version__ as sklearn_version
    from sklearn.decomposition import PCA
    start = time.perf_counter()
    PCA(n_components=args.components, svd_solver='randomized', random_state=0).fit(train)
    result['sklearn'] = sklearn_version
    result['sklearnRandomizedSeconds'] = time.perf_counter() - start


if args.time_only:
    time_sklearn()
    print(json.dumps(result))
    raise SystemExit

test = images('t10k-images-idx3-ubyte.gz')
start = time.perf_counter()
mean = train.mean(axis=0)
centred = train - mean
covariance = centred.T @ centred / (train.shape[0] - 1)
eigenvalues, eigenvectors = np.linalg.eigh(covariance)
order = np.argsort(eigenvalues)[::-1]
eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
result['numpyEighSeconds'] = time.perf_counter() - start

total = float(np.trace(covariance))
ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128, 256) if k <= args.components]
test_centred = test - mean
# Explicit reconstructions, not ‖x‖² − Σp², so the check is independent of the engine's shortcut.
test_mse = {'0': float(np.mean(test_centred ** 2))}
for k in ks:
    basis = eigenvectors[:, :k]
    residual = test_centred - (test_centred @ basis) @ basis.T
    test_mse[str(k)] = float(np.mean(residual ** 2))
result.update({
    'numpy': np.__version__,
    'method': 'numpy.linalg.eigh of the float64 covariance',
    'testCount': test.shape[0],
    'eigenvalues': [float(v) for v in eigenvalues[:args.components]],
    'totalVariance': total,
    'explainedVarianceRatio': {str(k): float(eigenvalues[:k].sum() / total) for k in ks},
    'testMse': test_mse,
})
if not args.no_sklearn:
    time_sklearn()
print(json.dumps(result))
