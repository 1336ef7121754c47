/** Exponent field below which {@link flushDenormals} zeroes a value: magnitudes under 2^-96. */
const MIN_EXPONENT_BITS = (127 - 96) << 23;

/**
 * Sets float32 values smaller in magnitude than 2^-96 (about 1.3e-29) to zero, in place, and
 * returns how many non-zero values it changed. x86 processors compute up to a hundred times slower
 * when an operand or a product is subnormal (below 1.2e-38), and WebAssembly cannot switch on
 * flush-to-zero as TensorFlow's own CPU kernels do. Gradients that vanish through a long
 * recurrence reach that range, and their products with ordinary weights fall into it even before
 * they do: a `BatchMatMul` of the LSTM backward pass took 30-40 ms there instead of 0.3 ms. No
 * float32 training step can use a value of 1e-29 next to the ones it updates with.
 */
export function flushDenormals(values: Float32Array): number {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  let changed = 0;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    if ((b & 0x7f800000) < MIN_EXPONENT_BITS && (b & 0x7fffffff) !== 0) {
      bits[i] = 0;
      changed++;
    }
  }
  return changed;
}
