/**
 * Formats `x` with `digits` decimals as Python's `'{:.Nf}'.format(x)` does: exact ties are
 * rounded half to even (JavaScript's `toFixed` rounds them up), and non-finite values print as
 * `nan`, `inf` and `-inf`.
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const fixed = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const cut = exact.indexOf('.') + (digits === 0 ? 0 : 1) + digits;
  const tail = exact.slice(digits === 0 ? exact.indexOf('.') + 1 : cut);
  if (!/^50*$/.test(tail)) return fixed;
  // An exact tie: keep the truncated value when its last digit is even.
  const truncated = exact.slice(0, digits === 0 ? exact.indexOf('.') : cut);
  const last = Number(truncated[truncated.length - 1]);
  if (last % 2 === 0) return (x < 0 ? '-' : '') + truncated;
  return fixed;
}
