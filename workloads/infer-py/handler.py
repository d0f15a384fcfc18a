# The infer workload in Python: infer-c's twin, answer for answer (the model, the images and the
# answer are described in workloads/infer-c/handler.c). Python's integers are exact. The model is
# made when the module loads (inside a component, at build time: componentize-py snapshots it);
# each row is an array of int8, and a dot product is sum(map(mul, ...)), the idiomatic fast loop.
import re
from array import array
from operator import mul

INPUTS, HIDDEN, CLASSES, BATCH = 784, 128, 10, 16
MASK = 0xFFFFFFFF


def xorshift(seed):
    x = seed & MASK
    while True:
        x ^= (x << 13) & MASK
        x ^= x >> 17
        x ^= (x << 5) & MASK
        yield x


def load_model():
    rng = xorshift(0x12345678)
    w1 = [array('b', [(next(rng) >> 24) - 128 for _ in range(INPUTS)]) for _ in range(HIDDEN)]
    b1 = [((next(rng) >> 16) & 0xFFFF) - 32768 for _ in range(HIDDEN)]
    w2 = [array('b', [(next(rng) >> 24) - 128 for _ in range(HIDDEN)]) for _ in range(CLASSES)]
    b2 = [((next(rng) >> 16) & 0xFFFF) - 32768 for _ in range(CLASSES)]
    return w1, b1, w2, b2


W1, B1, W2, B2 = load_model()
SEED = re.compile(r'seed=(\d{1,9})')


def query_seed(query):
    for part in query.split('&'):
        if part.startswith('seed='):
            match = SEED.fullmatch(part)
            return int(match.group(1)) if match else 1
    return 1


def handle(request):
    rng = xorshift(query_seed(request['query']) ^ 0x9E3779B9)
    lines = []
    for _ in range(BATCH):
        pixels = array('B', [next(rng) >> 24 for _ in range(INPUTS)])
        hidden = []
        for row, bias in zip(W1, B1):
            acc = bias + sum(map(mul, row, pixels))
            hidden.append(0 if acc < 0 else 255 if acc >= 255 << 12 else acc >> 12)
        scores = [bias + sum(map(mul, row, hidden)) for row, bias in zip(W2, B2)]
        best = scores.index(max(scores))
        lines.append(' '.join(map(str, [best, *scores])) + '\n')
    return {'status': 200, 'headers': {'content-type': 'text/plain'}, 'body': ''.join(lines)}
