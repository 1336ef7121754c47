#!/usr/bin/env python3
"""Reference inference latency and generation speed of PyTorch (CPU), mirrored by bench/run.mjs.

Usage:  python3 bench/torch_inference.py [WORKLOAD ...] [--threads N] [--calls N] [--warmup N]
Needs:  Debian's python3-torch (apt-get install -y python3-torch); run it with /usr/bin/python3.
Prints one JSON object per line, as ../shared/bench/torch_rnn_baseline.py does:
  inference   {"workload", "framework", "ms_per_seq", "seqs_per_s", "batch", "threads", "calls"}
  generation  {"workload", "framework", "ms_per_1000_chars", "chars_per_s", "chars", "threads",
               "calls", "window_ms_per_1000_chars"}
Figures are medians over the timed calls, after untimed warm-up calls.

The workloads, the same shapes as the training workloads of torch_rnn_baseline.py:
  har-lstm-infer        LSTM(64) on one sequence [1 x 128 steps x 9 features] -> Linear(6) ->
                        softmax, batch 1, under torch.no_grad(); one call = one sequence
  charlm-lstm-infer     LSTM(128) on one one-hot sequence [1 x 40 steps x 65 chars] -> Linear(65) ->
                        softmax, batch 1, under torch.no_grad()
  charlm-lstm-generate  the charlm model generating 1,000 characters one at a time from a 40-character
                        seed text: each step feeds the last sampled character (one-hot [1, 1, 65])
                        with the carried (h, c), softmax, torch.multinomial with a seeded
                        torch.Generator; one call = 1,000 characters. `window_ms_per_1000_chars`:
                        the same 1,000 characters the way seqlearn's generateText computes them
                        (the last 40 characters from a zero state for every character), one timed
                        call after the others, for reference.
--threads N sets torch.set_num_threads(N); without it PyTorch follows OMP_NUM_THREADS.
"""
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

WORKLOADS = {
    "har-lstm-infer": dict(kind="infer", T=128, F=9, H=64, C=6, onehot=False),
    "charlm-lstm-infer": dict(kind="infer", T=40, F=65, H=128, C=65, onehot=True),
    "charlm-lstm-generate": dict(kind="generate", T=40, F=65, H=128, C=65, chars=1000),
}
# calls per figure when --calls / --warmup are not given (bench/run.mjs passes its own)
DEFAULT_CALLS = {"infer": 200, "generate": 5}
DEFAULT_WARMUP = {"infer": 30, "generate": 1}


class RNNClassifier(nn.Module):
    def __init__(self, F_, H, C):
        super().__init__()
        self.rnn = nn.LSTM(F_, H, batch_first=True)
        self.head = nn.Linear(H, C)

    def forward(self, x):
        out, _ = self.rnn(x)
        return F.softmax(self.head(out[:, -1]), dim=-1)


def time_calls(call, calls, warmup):
    for _ in range(warmup):
        call()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def infer(w, calls, warmup):
    torch.manual_seed(0)
    m = RNNClassifier(w["F"], w["H"], w["C"]).eval()
    if w["onehot"]:
        x = F.one_hot(torch.randint(0, w["F"], (1, w["T"])), w["F"]).float()
    else:
        x = torch.randn(1, w["T"], w["F"])

    def call():
        with torch.no_grad():
            return m(x).numpy()  # synchronous, as seqlearn's dataSync()

    ms = time_calls(call, calls, warmup)
    return {"ms_per_seq": round(ms, 3), "seqs_per_s": round(1000 / ms, 1), "batch": 1}


def generate(w, calls, warmup):
    torch.manual_seed(0)
    V, H, T, n = w["F"], w["H"], w["T"], w["chars"]
    lstm = nn.LSTM(V, H, batch_first=True).eval()
    head = nn.Linear(H, V).eval()
    seed_ids = torch.randint(0, V, (1, T))
    gen = torch.Generator()

    def stateful():
        gen.manual_seed(1)
        with torch.no_grad():
            out, state = lstm(F.one_hot(seed_ids, V).float())
            last = out[:, -1]
            ids = []
            for _ in range(n):
                probs = F.softmax(head(last), dim=-1)
                nxt = torch.multinomial(probs, 1, generator=gen)  # [1, 1]
                ids.append(int(nxt))
                out, state = lstm(F.one_hot(nxt, V).float(), state)
                last = out[:, -1]
        return ids

    def windowed():
        gen.manual_seed(1)
        with torch.no_grad():
            ids = seed_ids[0].tolist()
            for _ in range(n):
                x = F.one_hot(torch.tensor([ids[-T:]]), V).float()
                out, _ = lstm(x)
                probs = F.softmax(head(out[:, -1]), dim=-1)
                ids.append(int(torch.multinomial(probs, 1, generator=gen)))
        return ids[T:]

    ms = time_calls(stateful, calls, warmup)
    window_ms = time_calls(windowed, 1, 0)  # one call: 40 times the work, for reference only
    return {
        "ms_per_1000_chars": round(ms * 1000 / n, 2),
        "chars_per_s": round(n * 1000 / ms, 1),
        "chars": n,
        "window_ms_per_1000_chars": round(window_ms * 1000 / n, 2),
    }


def main(argv):
    threads, calls, warmup, names = None, None, None, []
    i = 0
    while i < len(argv):
        if argv[i] in ("--threads", "--calls", "--warmup"):
            if i + 1 >= len(argv):
                sys.exit(f"{argv[i]}: expected a value")
            value = int(argv[i + 1])
            if argv[i] == "--threads":
                threads = value
            elif argv[i] == "--calls":
                calls = value
            else:
                warmup = value
            i += 2
        elif argv[i] in WORKLOADS:
            names.append(argv[i]); i += 1
        else:
            sys.exit(f"unknown argument {argv[i]} (workloads: {', '.join(WORKLOADS)})")
    if threads is not None:
        torch.set_num_threads(threads)
    for name in names or list(WORKLOADS):
        w = WORKLOADS[name]
        n = calls if calls is not None else DEFAULT_CALLS[w["kind"]]
        k = warmup if warmup is not None else DEFAULT_WARMUP[w["kind"]]
        figures = (infer if w["kind"] == "infer" else generate)(w, max(n, 1), max(k, 0))
        print(json.dumps({"workload": name, "framework": f"pytorch-{torch.__version__}-cpu",
                          **figures, "threads": torch.get_num_threads(), "calls": max(n, 1)}),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
