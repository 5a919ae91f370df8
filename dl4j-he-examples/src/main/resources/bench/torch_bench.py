"""The PyTorch side of `bench --vs-pytorch` (dl4j-he examples): times training steps of the plain CNN that
`bench` times in DL4J, under the same protocol as its DL4J worker, and prints one result line.

Net: DEPTH-1 3x3 'same' convolutions of WIDTH channels with ReLU (stride 2 at the indices in DOWN; PyTorch's
padding=1 gives the same output sizes as DL4J's Same mode for odd inputs: 28->14->7->4), then a linear
softmax-cross-entropy output; He-normal weights, zero biases; SGD with Nesterov momentum. Data: four fixed
batches of uniform [0, 1) inputs, every example of a batch labelled with one class, cycled (as the DL4J worker).
Protocol: warm-up for WARMUP s (at least 3 steps), then steps for at least SECONDS s; one thread.

Usage: python3 torch_bench.py DEPTH WIDTH DOWN BATCH WARMUP SECONDS [LR]   (DOWN: comma-separated, e.g. 1,2,3)
Prints: '@@BENCH <examples> <wall s> <process cpu s> <main thread cpu s> torch <version>'; exit 2 if torch is missing.
"""
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print("no torch module in " + sys.executable, file=sys.stderr)
    sys.exit(2)

depth, width = int(sys.argv[1]), int(sys.argv[2])
down = {int(s) for s in sys.argv[3].split(",") if s}
batch, warmup, seconds = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
lr = float(sys.argv[7]) if len(sys.argv) > 7 else 1e-3
torch.set_num_threads(1)
torch.manual_seed(7)

layers, c, h = [], 1, 28
for i in range(depth - 1):
    st = 2 if i in down else 1
    layers += [nn.Conv2d(c, width, 3, stride=st, padding=1), nn.ReLU()]
    c, h = width, ((h + 1) // 2 if st == 2 else h)
net = nn.Sequential(*layers, nn.Flatten(), nn.Linear(c * h * h, 10))
with torch.no_grad():
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9, nesterov=True)
loss_fn = nn.CrossEntropyLoss()
data = [(torch.rand(batch, 1, 28, 28), torch.full((batch,), int(torch.randint(10, ()))))
        for _ in range(4)]


def step(i):
    x, y = data[i % len(data)]
    opt.zero_grad()
    loss_fn(net(x), y).backward()
    opt.step()


w0, warm = time.perf_counter(), 0
while warm < 3 or time.perf_counter() - w0 < warmup:
    step(warm)
    warm += 1
c0, th0, t0, it = time.process_time(), time.thread_time(), time.perf_counter(), 0
while it < 3 or time.perf_counter() - t0 < seconds:
    step(it)
    it += 1
wall, cpu, thread = time.perf_counter() - t0, time.process_time() - c0, time.thread_time() - th0
print("@@BENCH %d %.4f %.4f %.4f torch %s" % (it * batch, wall, cpu, thread, torch.__version__), flush=True)
