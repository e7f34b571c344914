// Multi-lane double math for the Greeks kernel (greeks_kernel.cpp): the transcendental
// functions it needs, written with the GCC/Clang vector extension so that one source compiles
// to SSE2 natively and to WASM SIMD (f64v) under Emscripten, branch-free, with no library
// call inside a lane. Each lane is computed by exactly the IEEE operations the source names
// (the build keeps -ffp-contract=off: no fused multiply-add), so the native and WASM builds
// give bit-identical results, and scalar code reading the same formulas would too.
//
// Accuracy, each over the domain the kernel uses it on (tests/cpp/derivatives/
// test_greeks_kernel.cpp measures it against long double):
//   exp          within 1 ulp (Cody-Waite reduction, degree-13 Taylor by Estrin's scheme)
//   expm1_small  |z| <= 1/2, within 1.25 ulps (degree-16 Taylor by Estrin's scheme)
//   log_ratio    ln(a/b) as forward_terms.cpp defines it: log1p((a - b)/b) within a factor 2
//                (within 0.7 ulp), else ln of the rounded a/b (within 0.55 ulp); the whole
//                engine forms its log-moneyness with it
//   erf_small, erfcx_cody: W. J. Cody's rationals, as in normal.cpp
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#else
#include <cmath>
#endif

namespace ballast::derivatives::simd {

// kLanes options at a time: one 128-bit register (SSE2, WASM f64x2) per value. Four lanes (two
// registers per value) were measured slower natively and in WASM: the kernel then spills.
constexpr int kLanes = 2;
typedef double f64v __attribute__((vector_size(8 * kLanes)));
typedef std::int64_t i64v __attribute__((vector_size(8 * kLanes)));
typedef std::uint64_t u64v __attribute__((vector_size(8 * kLanes)));
// What a comparison of two f64v yields (every bit set in a true lane).
using maskv = decltype(f64v{} < f64v{});

inline f64v splat(double v) { return f64v{} + v; }
inline i64v splat_bits(std::int64_t v) { return i64v{} + v; }
// Bit reinterpretations (a C-style cast between vector types of one size keeps the bits).
inline i64v bits(f64v a) { return (i64v)a; }
inline f64v from_bits(i64v a) { return (f64v)a; }
inline i64v as_i64(maskv m) { return (i64v)m; }

// Lane-wise m ? a : b, by bits (NaN or infinity in the lane not taken is harmless).
inline f64v select(maskv m, f64v a, f64v b) {
  const i64v mi = as_i64(m);
  return from_bits((bits(a) & mi) | (bits(b) & ~mi));
}
inline bool any(maskv m) {
#if defined(__wasm_simd128__)
  if constexpr (kLanes == 2) return wasm_v128_any_true((v128_t)m);
#elif defined(__SSE2__)
  if constexpr (kLanes == 2) return _mm_movemask_pd((__m128d)m) != 0;
#endif
  std::int64_t r = 0;
  for (int l = 0; l < kLanes; ++l) r |= m[l];
  return r != 0;
}
inline bool all(maskv m) {
#if defined(__wasm_simd128__)
  if constexpr (kLanes == 2) return wasm_i64x2_all_true((v128_t)m);
#elif defined(__SSE2__)
  if constexpr (kLanes == 2) return _mm_movemask_pd((__m128d)m) == 3;
#endif
  std::int64_t r = -1;
  for (int l = 0; l < kLanes; ++l) r &= m[l];
  return r != 0;
}

inline f64v abs(f64v a) { return from_bits(bits(a) & INT64_MAX); }

// Correctly rounded, as IEEE requires of every square root, in 128-bit halves.
inline f64v sqrt(f64v a) {
  double v[kLanes];
  std::memcpy(v, &a, sizeof a);
  for (int l = 0; l < kLanes; l += 2) {
#if defined(__wasm_simd128__)
    const v128_t r = wasm_f64x2_sqrt(wasm_v128_load(v + l));
    wasm_v128_store(v + l, r);
#elif defined(__SSE2__)
    _mm_storeu_pd(v + l, _mm_sqrt_pd(_mm_loadu_pd(v + l)));
#else
    v[l] = std::sqrt(v[l]);
    v[l + 1] = std::sqrt(v[l + 1]);
#endif
  }
  f64v r;
  std::memcpy(&r, v, sizeof r);
  return r;
}

// ---- exp -------------------------------------------------------------------------------------

// e^x. Below -745.5 the result is 0 (it underflows); above 709 it is e^709 (the kernel never
// uses a lane there; the clamp keeps every exponent field in range).
inline f64v exp(f64v x) {
  constexpr double log2e = 1.4426950408889634074;
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 bits: k * ln2_hi is exact
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  constexpr double shifter = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  // NaN (only ever in a lane the kernel discards) counts as underflow, so every lane's
  // exponent below stays in range.
  const maskv underflow = ~(x >= splat(-745.5));
  x = select(underflow, splat(-745.5), select(x > splat(709.0), splat(709.0), x));
  const f64v k = (x * log2e + shifter) - shifter;  // round(x / ln 2)
  const f64v r = (x - k * ln2_hi) - k * ln2_lo;  // |r| <= ln 2 / 2
  // e^r = 1 + (r + r² q(r)), q the Taylor series 1/2 + r/6 + ... to r^11 (the next term of e^r
  // is below 4e-18 relative), by Estrin's scheme: a short dependency chain, since the kernel
  // waits on this result.
  const f64v r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  constexpr double c[] = {1.0 / 2,        1.0 / 6,          1.0 / 24,          1.0 / 120,
                          1.0 / 720,      1.0 / 5040,       1.0 / 40320,       1.0 / 362880,
                          1.0 / 3628800,  1.0 / 39916800,   1.0 / 479001600,   1.0 / 6227020800};
  const f64v q = ((c[0] + c[1] * r) + (c[2] + c[3] * r) * r2) + ((c[4] + c[5] * r) + (c[6] + c[7] * r) * r2) * r4 +
                 ((c[8] + c[9] * r) + (c[10] + c[11] * r) * r2) * r8;
  const f64v er = 1.0 + (r + r2 * q);
  // 2^k in two factors k1 + k2 = k, so that a subnormal result is formed by one rounding. Each
  // factor's exponent field comes from the magic-number sum's low bits: integer adds and a
  // left shift, which SSE2 and WASM SIMD both have for 64-bit lanes.
  const f64v k1 = (k * 0.5 + shifter) - shifter, k2 = k - k1;
  const i64v magic = bits(splat(shifter));
  const f64v s1 = from_bits((bits(k1 + shifter) - magic + 1023) << 52);
  const f64v s2 = from_bits((bits(k2 + shifter) - magic + 1023) << 52);
  return select(underflow, splat(0.0), er * s1 * s2);
}

// e^z - 1 for |z| <= 1/2, to its own relative precision: z (1 + z/2 + z^2/6 + ...) to z^16.
inline f64v expm1_small(f64v z) {
  // z + z² q(z), q = 1/2 + z/6 + ... to z^14, by Estrin's scheme (see exp).
  constexpr double c[] = {1.0 / 2,         1.0 / 6,           1.0 / 24,            1.0 / 120,
                          1.0 / 720,       1.0 / 5040,        1.0 / 40320,         1.0 / 362880,
                          1.0 / 3628800,   1.0 / 39916800,    1.0 / 479001600,     1.0 / 6227020800,
                          1.0 / 87178291200, 1.0 / 1307674368000, 1.0 / 20922789888000};
  const f64v z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const f64v low = ((c[0] + c[1] * z) + (c[2] + c[3] * z) * z2) + ((c[4] + c[5] * z) + (c[6] + c[7] * z) * z2) * z4;
  const f64v high = ((c[8] + c[9] * z) + (c[10] + c[11] * z) * z2) + ((c[12] + c[13] * z) + c[14] * z2) * z4;
  return z + z2 * (low + high * z8);
}

// e^{-y} and e^{-y} - 1 (a discount factor, y = rT or qT, and its difference from 1), each to
// its own relative precision: 1 + expm1 and expm1 where |y| <= 1/2, e^{-y} and e^{-y} - 1 beyond.
// forward_terms.cpp's discount_for runs it in one lane, so the Greeks and implied vol discount
// alike.
struct Discounts {
  f64v factor, minus_one;
};
inline Discounts discount_for(f64v y) {
  const maskv small = abs(y) <= splat(0.5);
  const f64v m1 = expm1_small(-y);
  if (all(small)) return {1.0 + m1, m1};
  const f64v e = exp(-y);
  return {select(small, 1.0 + m1, e), select(small, m1, e - 1.0)};
}

// ---- log -------------------------------------------------------------------------------------

// ln(1 + f) + low + k ln 2 for f in [sqrt(1/2) - 1, sqrt(2) - 1]: fdlibm's e_log.c kernel
// (its minimax R), with the leading sums carried in two parts (Knuth's two-sum), so that only
// the last addition rounds at the result's scale: within about 0.52 ulp, like a libm log.
inline f64v log1p_reduced(f64v f, f64v k, f64v low) {
  constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
                   Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  const f64v s = f / (2.0 + f);
  const f64v z = s * s, w = z * z;
  const f64v t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const f64v t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const f64v R = t2 + t1;
  const f64v hfsq = 0.5 * f * f;
  // ln(1 + f) = f - hfsq + s (hfsq + R); f - hfsq is formed with its rounding error (|f| >= hfsq).
  const f64v head = f - hfsq;
  const f64v head_error = (f - head) - hfsq;
  const f64v tail = s * (hfsq + R) + head_error + (k * ln2_lo + low);
  // k ln2_hi (exact) + head, as a rounded sum and its exact error.
  const f64v kh = k * ln2_hi;
  const f64v sum = kh + head;
  const f64v b = sum - kh;
  const f64v sum_error = (kh - (sum - b)) + (head - b);
  return sum + (sum_error + tail);
}

// A positive normal u as m 2^k, m in [sqrt(1/2), sqrt(2)).
struct Split {
  f64v m, k;
};
inline Split split_exponent(f64v u) {
  constexpr double sqrt2 = 1.41421356237309504880;
  const i64v ub = bits(u);
  f64v m = from_bits((ub & splat_bits(0xfffffffffffffLL)) | splat_bits(0x3ff0000000000000LL));
  const maskv high = m >= splat(sqrt2);
  m = select(high, m * 0.5, m);
  // The biased exponent field as a double: its bits under 2^52's exponent, minus 2^52 + 1023.
  const f64v biased = from_bits((i64v)(((u64v)ub >> 52) & 0x7ff) | splat_bits(0x4330000000000000LL));
  return {m, (biased - (4503599627370496.0 + 1023.0)) + select(high, splat(1.0), splat(0.0))};
}

// ln(a/b) for positive normal a, b with a/b normal, as forward_terms.cpp's log_ratio: within a
// factor 2 of each other, log1p(z) of z = (a - b)/b (a - b is exact there, by Sterbenz), as
// fdlibm's s_log1p.c forms it: z itself where 1 + z is in [sqrt(1/2), sqrt(2)), otherwise
// u = 1 + z split into m 2^k with the rounding of u carried as the correction (z - (u - 1))/u.
// Elsewhere ln of the rounded a/b.
inline f64v log_ratio(f64v a, f64v b) {
  constexpr double sqrt2 = 1.41421356237309504880, sqrt_half = 0.70710678118654752440;
  const maskv near = (a <= 2.0 * b) & (b <= 2.0 * a);
  f64v f = splat(0.0), k = splat(0.0), low = splat(0.0);
  if (any(near)) {
    const f64v z = (a - b) / b;
    const maskv central = (z >= splat(sqrt_half - 1.0)) & (z < splat(sqrt2 - 1.0));
    f = z;
    if (!all(central)) {
      const f64v u = 1.0 + z;
      const Split sp = split_exponent(u);
      f = select(central, z, sp.m - 1.0);
      k = select(central, splat(0.0), sp.k);
      low = select(central, splat(0.0), (z - (u - 1.0)) / u);
    }
  }
  if (!all(near)) {
    const Split sp = split_exponent(a / b);
    f = select(near, f, sp.m - 1.0);
    k = select(near, k, sp.k);
    low = select(near, low, splat(0.0));
  }
  return log1p_reduced(f, k, low);
}

// ---- the normal distribution -----------------------------------------------------------------

// a*a = hi + lo exactly (Dekker's product with Veltkamp's split).
struct Square {
  f64v hi, lo;
};
inline Square exact_square(f64v a) {
  const f64v c = 134217729.0 * a;  // 2^27 + 1
  const f64v h = c - (c - a), t = a - h;
  const f64v hi = a * a;
  return {hi, ((h * h - hi) + 2.0 * h * t) + t * t};
}

// exp(-a^2/2) from the exact square, 0 for |a| >= 38.625 (as normal.cpp).
inline f64v exp_minus_half_square(f64v a) {
  const Square sq = exact_square(a);
  const f64v e = exp(-0.5 * sq.hi) * (1.0 - 0.5 * sq.lo);
  return select(abs(a) < splat(38.625), e, splat(0.0));
}

// exp(a^2) from the exact square (a small: the kernel asks for |a| <= 0.47 and a^2 = q^2 of an
// erfc argument below 27).
inline f64v exp_square(f64v a) {
  const Square sq = exact_square(a);
  return exp(sq.hi) * (1.0 + sq.lo);
}

inline f64v exp_minus_square(f64v a) {
  const Square sq = exact_square(a);
  return exp(-sq.hi) * (1.0 - sq.lo);
}

constexpr double kErfRegion = 0.46875;
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrtPi = 0.56418958354775628695;

// Cody's erf for |u| <= 0.46875.
inline f64v erf_small(f64v u) {
  constexpr double a[] = {3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947,
                          0.185777706184603153};
  constexpr double b[] = {23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062};
  const f64v y = u * u;
  const f64v num = (((a[4] * y + a[0]) * y + a[1]) * y + a[2]) * y + a[3];
  const f64v den = (((y + b[0]) * y + b[1]) * y + b[2]) * y + b[3];
  return u * num / den;
}

// Cody's erfcx = exp(u^2) erfc(u) for u > 0.46875: one rational on (0.46875, 4], another
// beyond; each is evaluated only when some lane needs it.
inline f64v erfcx_cody(f64v u) {
  const maskv mid = u <= splat(4.0);
  f64v result = splat(0.0);
  if (any(mid)) {
    constexpr double c[] = {0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131,
                            881.95222124176909,   1712.04761263407058, 2051.07837782607147, 1230.33935479799725,
                            2.15311535474403846e-8};
    constexpr double d[] = {15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
                            3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942};
    f64v num = c[8] * u, den = u;
    for (int i = 0; i < 7; ++i) {
      num = (num + c[i]) * u;
      den = (den + d[i]) * u;
    }
    result = (num + c[7]) / (den + d[7]);
  }
  if (!all(mid)) {
    constexpr double p[] = {0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
                            6.58749161529837803e-4, 0.0163153871373020978};
    constexpr double q[] = {2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
                            0.00233520497626869185};
    const f64v w = 1.0 / (u * u);
    f64v num = p[5] * w, den = w;
    for (int i = 0; i < 4; ++i) {
      num = (num + p[i]) * w;
      den = (den + q[i]) * w;
    }
    result = select(mid, result, (kInvSqrtPi - w * (num + p[4]) / (den + q[4])) / u);
  }
  return result;
}

// erfcx(u) for u >= 0 (normal.cpp's erfcx on that half-line).
inline f64v erfcx_nonnegative(f64v u) {
  const maskv small = u <= splat(kErfRegion);
  f64v result = splat(0.0);
  if (any(small)) result = exp_square(u) * (1.0 - erf_small(u));
  if (!all(small)) result = select(small, result, erfcx_cody(u));
  return result;
}

// Phi(-|a|) given e = exp(-a^2/2) (normal.cpp's norm_tail_given), with the pieces it was
// formed from, which the wing-safe price reuses: u = |a|/sqrt2, and erf(u) where u is in
// Cody's erf region (`small`), erfcx(u) elsewhere.
struct Tail {
  f64v value, u, erf_u, erfcx_u;
  maskv small;
};
inline Tail norm_tail_parts(f64v a, f64v e) {
  Tail t;
  t.u = abs(a) * kInvSqrt2;
  t.small = t.u <= splat(kErfRegion);
  t.erf_u = t.erfcx_u = t.value = splat(0.0);
  if (any(t.small)) {
    t.erf_u = erf_small(t.u);
    t.value = 0.5 - 0.5 * t.erf_u;
  }
  if (!all(t.small)) {
    t.erfcx_u = erfcx_cody(t.u);
    t.value = select(t.small, t.value, 0.5 * e * t.erfcx_u);
  }
  return t;
}

}  // namespace ballast::derivatives::simd
