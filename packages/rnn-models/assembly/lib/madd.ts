// c + a·b on four lanes. With relaxed SIMD (the build's relaxed variant) one fused multiply-add
// where the processor has one (x64 with FMA3, arm64), else the runtime's own multiply and add;
// without it, a multiply and an add. The relaxed instruction rounds once instead of twice, so the
// two variants agree to within a rounding of each product, not bit for bit. Small enough that
// Binaryen's -O3 inlines it everywhere (the plain build is byte for byte the one without it).
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// c - a·b on four lanes, as madd: one fused negated multiply-add with relaxed SIMD.
export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}
