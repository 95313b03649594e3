/*
 * java_math.h - exp and log with the results of Java's StrictMath.exp and
 * StrictMath.log (fdlibm 5.3's methods), bit for bit, for every double
 * (kernels/java_math.c).  Weka's EM computes its densities with Math.exp /
 * Math.log; where a variance is ill-conditioned the last bit of one
 * posterior decides Weka's model (docs/WEKA_COMPAT.md, EM rule 5).  These
 * are Weka's doubles on a JVM whose Math.exp / Math.log are StrictMath's,
 * not on HotSpot's default x86_64 intrinsics (~8% of exps differ).
 * Covered by tests/unit/test_java_math.c (golden bit patterns printed by a
 * JVM: tests/data/java_math_vectors.txt).
 */
#ifndef BAIOT_KERNELS_JAVA_MATH_H
#define BAIOT_KERNELS_JAVA_MATH_H

/* StrictMath.exp(x): e^x as fdlibm computes it (within 1 ulp; exactly
 * Java's double, NaN for NaN, +inf above 709.782712893384, +0 below
 * -745.1332191019411). */
double baiot_java_exp(double x);

/* StrictMath.log(x): ln x as fdlibm computes it (within 1 ulp; exactly
 * Java's double, -inf for +-0, NaN for x < 0 and NaN, +inf for +inf). */
double baiot_java_log(double x);

#endif
