#!/usr/bin/env python3
# High-precision reference for the option accuracy grid (bench/options.mjs, accuracyGrid):
# Black-Scholes (no dividend) price and Greeks evaluated with mpmath at 40 significant digits
# from the exact double inputs, so the reference shares no code and no rounding with any
# library it scores. Needs python3-mpmath (Debian); bench/run.mjs skips the grid without it.
#
#   python3 bench/options_reference.py < request.json > reference.json
#   request:   {"put": [0|1...], "S": [...], "K": [...], "T": [...], "vol": [...], "r": [...]}
#   reference: per option, each figure rounded to the nearest double (Python floats print
#              their shortest round-trip form, which JSON.parse reads back exactly):
#     price, delta, gamma, vega (per 1.00 vol), theta (per year, -dV/dT), rho (per 1.00),
#     vanna (d delta / d vol), volga (d vega / d vol), charm (-d delta / dT, per year), and for
#     each figure the "scale" its error is measured against: |figure| itself for the figures
#     whose sign is fixed (price, delta, gamma, vega, rho), and for the ones that cross zero
#     (theta, vanna, volga, charm) the sum of the magnitudes of the terms of its closed form
#     written in h = ln(F/K)/s and t = s/2 (d1 = h + t, d2 = h - t, d1 d2 = h^2 - t^2), so that
#     a value near its zero crossing is not scored against a vanishing denominator.
import json
import sys

import mpmath
from mpmath import mp, mpf, exp, log, ncdf, npdf, sqrt

mp.dps = 40


def greeks(put, S, K, T, v, r):
    S, K, T, v, r = (mpf(x) for x in (S, K, T, v, r))  # exact: every double is a dyadic rational
    th = -1 if put else 1
    D = exp(-r * T)
    sq = sqrt(T)
    s = v * sq
    d1 = (log(S / K) + r * T) / s + s / 2
    d2 = d1 - s
    pdf = npdf(d1)
    n1, n2 = ncdf(th * d1), ncdf(th * d2)
    decay = S * pdf * v / (2 * sq)
    carry = r * K * D * n2
    vega = S * pdf * sq
    out = {
        'price': th * (S * n1 - K * D * n2),
        'delta': th * n1,
        'gamma': pdf / (S * s),
        'vega': vega,
        'theta': -decay - th * carry,
        'rho': th * K * T * D * n2,
        'vanna': -pdf * d2 / v,
        'volga': vega * d1 * d2 / v,
        'charm': -pdf * (r / s - d2 / (2 * T)),
    }
    scale = {k: abs(out[k]) for k in ('price', 'delta', 'gamma', 'vega', 'rho')}
    h, t = (log(S / K) + r * T) / s, s / 2
    scale['theta'] = decay + carry                       # time decay + rate carry
    scale['vanna'] = pdf * (abs(h) + t) / v              # d2 = h - t
    scale['volga'] = vega * (h * h + t * t) / v          # d1 d2 = h^2 - t^2
    scale['charm'] = pdf * (abs(r) / s + (abs(h) + t) / (2 * T))
    return out, scale


def main():
    req = json.load(sys.stdin)
    n = len(req['S'])
    names = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'vanna', 'volga', 'charm']
    values = {k: [] for k in names}
    scales = {k: [] for k in names}
    for i in range(n):
        out, scale = greeks(req['put'][i], req['S'][i], req['K'][i], req['T'][i], req['vol'][i], req['r'][i])
        for k in names:
            values[k].append(float(out[k]))
            scales[k].append(float(scale[k]))
    json.dump({'mpmath': mpmath.__version__,
               'digits': mp.dps, 'values': values, 'scales': scales}, sys.stdout)


if __name__ == '__main__':
    main()
