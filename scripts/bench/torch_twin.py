"""PyTorch twin of the lab's backend benchmark: the same autoencoders, batch, optimizer and
thread count, on the same Fashion-MNIST file. Prints one JSON line."""
import argparse, gzip, json, resource, sys, time

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument('--model', choices=['dense', 'conv'], default='dense')
parser.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
parser.add_argument('--batches', type=int, default=150)
parser.add_argument('--batch', type=int, default=128)
parser.add_argument('--threads', type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(args.threads)

with gzip.open(f'{args.data}/train-images-idx3-ubyte.gz') as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
images = torch.from_numpy(raw.astype(np.float32) / 255.0)

if args.model == 'dense':
    encoder = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 32))
    decoder = nn.Sequential(nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())
    data = images.view(-1, 784)
else:
    encoder = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU())
    decoder = nn.Sequential(nn.ConvTranspose2d(32, 16, 3, 2, 1, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 3, 2, 1, 1), nn.Sigmoid())
    data = images.view(-1, 1, 28, 28)

model = nn.Sequential(encoder, decoder)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
per_epoch = data.shape[0] // args.batch

def step(b):
    x = data[(b % per_epoch) * args.batch:(b % per_epoch + 1) * args.batch]
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), x)
    loss.backward()
    optimizer.step()
    return loss

for b in range(10):
    step(b)
start = time.perf_counter()
for b in range(args.batches):
    loss = step(b)
train_seconds = time.perf_counter() - start

with torch.no_grad():
    start = time.perf_counter()
    for i in range(0, 10000, 1000):
        encoder(data[i:i + 1000])
    encode_seconds = time.perf_counter() - start

print(json.dumps({
    'backend': f'pytorch {torch.__version__}',
    'model': args.model,
    'batchSize': args.batch,
    'batches': args.batches,
    'trainSamplesPerSecond': args.batches * args.batch / train_seconds,
    'encodeSamplesPerSecond': 10000 / encode_seconds,
    'finalLoss': float(loss),
    'threads': torch.get_num_threads(),
    'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
