"""Which BLAS PyTorch multiplies with here, and how fast: one 512x512x512 product on one thread.

Debian's python3-torch links the reference BLAS unless an optimized one (libopenblas0-pthread) is
installed; on the reference BLAS PyTorch's RNN training runs several times slower, and a ratio
against it says nothing about seqlearn. bench/run.mjs runs this once with --compare-torch.
Prints one JSON line: {"pytorch_blas", "libraries", "gemm_gflops_1_thread", "torch"}.
"""
import json
import time

import torch

torch.set_num_threads(1)
a = torch.randn(512, 512)
b = torch.randn(512, 512)
for _ in range(3):
    a @ b
n = 0
t0 = time.perf_counter()
while time.perf_counter() - t0 < 0.5:
    a @ b
    n += 1
gflops = 2 * 512 ** 3 * n / (time.perf_counter() - t0) / 1e9
with open("/proc/self/maps") as maps:
    libraries = sorted({line.split()[-1] for line in maps
                        if any(k in line for k in ("blas", "mkl", "blis")) and "/" in line})
print(json.dumps({"pytorch_blas": True, "libraries": libraries,
                  "gemm_gflops_1_thread": round(gflops, 1), "torch": torch.__version__}))
