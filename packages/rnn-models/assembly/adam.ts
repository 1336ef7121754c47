// Adam's update over n floats, in place on buffers of the imported memory (byte offsets):
//   m = β1·m + (1 - β1)·g,  v = β2·v + (1 - β2)·g²,  x = x - lr·(m / c1) / (√(v / c2) + ε)
// with c1 = 1 - β1^t and c2 = 1 - β2^t, each step in float32 as tfjs' Adam computes it (1 - β1
// and 1 - β2 come from the caller: tfjs rounds them from float64, not from float32 β).
// A caller may hand disjoint ranges of one variable to several threads.
export function adamUpdate(
  x: usize,
  m: usize,
  v: usize,
  g: usize,
  n: i32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  c1: f32,
  c2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
): void {
  adamUpdateTo(
    x,
    m,
    v,
    g,
    x,
    m,
    v,
    n,
    lr,
    beta1,
    beta2,
    epsilon,
    c1,
    c2,
    oneMinusBeta1,
    oneMinusBeta2,
  );
}

// adamUpdate reading x, m, v and writing the updated values to xo, mo, vo (the same buffers, or
// others that do not overlap them): what the wasm backend's Adam kernel runs on tfjs' tensors.
export function adamUpdateTo(
  x: usize,
  m: usize,
  v: usize,
  g: usize,
  xo: usize,
  mo: usize,
  vo: usize,
  n: i32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  c1: f32,
  c2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const a1 = f32x4.splat(oneMinusBeta1);
  const a2 = f32x4.splat(oneMinusBeta2);
  const k1 = f32x4.splat(c1);
  const k2 = f32x4.splat(c2);
  const eps = f32x4.splat(epsilon);
  const rate = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gi, a1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gi, gi), a2));
    v128.store(mo + o, mi);
    v128.store(vo + o, vi);
    const step = f32x4.div(f32x4.div(mi, k1), f32x4.add(f32x4.sqrt(f32x4.div(vi, k2)), eps));
    v128.store(xo + o, f32x4.sub(v128.load(x + o), f32x4.mul(step, rate)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + o) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(mo + o, mi);
    store<f32>(vo + o, vi);
    const step = mi / c1 / (Mathf.sqrt(vi / c2) + epsilon);
    store<f32>(xo + o, load<f32>(x + o) - step * lr);
  }
}
