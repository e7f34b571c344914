#pragma once
// exp and log that give the same bits on every platform.
//
// The native build's libm (glibc, with FMA variants picked at run time) and the WASM build's
// (musl) may round exp and log differently in the last place. That is harmless for closed
// forms, but a search whose path branches on comparisons of objective values (the smile's
// Nelder-Mead) amplifies one ulp into a different optimum at the 1e-10 level, and the two
// builds must agree to 1e-12. These are fdlibm's algorithms (Sun Microsystems, 1993: e_exp.c,
// e_log.c), written with plain IEEE double arithmetic only, so with -ffp-contract=off every
// build computes the same result. Error < 1 ulp, as in fdlibm.
namespace ballast {

double portable_exp(double x);
double portable_log(double x);

}  // namespace ballast
