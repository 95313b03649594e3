// JavaDoubleTexts.java - the golden of Java's own number texts for doubles
// where Java 17's FloatingDecimal (Double.toString, String.format("%.nf"))
// is not the shortest round-trip text: integers between 2^53 and 2^63,
// powers of two, subnormals, values near 1e-3 and 1e7 (the plain / E-form
// switch), N-BaIoT-sized variances (1e12..1e19) and random bit patterns.
// Each line: jstr HEXBITS Double.toString(v), then fmt HEXBITS D
// String.format("%.Df", v) for D = 3, 4 and 6 on values below 1e18.
// The values come from java.util.Random(20261207) and fixed lists, so the
// file is the same on every run of the same JVM.  Checked by
// tests/unit/test_evaluation.c (test_java_double_texts) against
// engine/weka/weka_numfmt.c.
//   javac -d BUILD tests/tools/java/JavaDoubleTexts.java
//   java -cp BUILD JavaDoubleTexts > tests/golden/weka/eval/java_double.tsv
import java.util.Locale;
import java.util.Random;

public class JavaDoubleTexts {
    static void put(double v) {
        String hex = String.format("%016x", Double.doubleToRawLongBits(v));
        System.out.println("jstr\t" + hex + "\t" + Double.toString(v));
        if (Math.abs(v) < 1e18 && !Double.isNaN(v) && !Double.isInfinite(v)) {
            for (int d : new int[] {3, 4, 6})
                System.out.println("fmt\t" + hex + "\t" + d + "\t" + String.format(Locale.ROOT, "%." + d + "f", v));
        }
    }

    public static void main(String[] args) {
        System.out.println("# made by tests/tools/java/JavaDoubleTexts.java on Java "
                           + System.getProperty("java.version"));
        Random r = new Random(20261207);
        double[] fixed = {47551523564893512.0, 2.82879384806159E17, 1.0E23, 2.0E-3, 1.0E-5, 9.999999999999999E-4,
                          0.001, 1.0E7, 9999999.999999998, 4.9E-324, Double.MIN_NORMAL, Double.MAX_VALUE,
                          5.684341886080802E-14, 1.9400994884341945E25, 0.1, 0.3, 2.0 / 3, 1.0E15, 1.0E16,
                          9.223372036854776E18, 1.2345678901234567E-7, 123456.789, 4.35, 0.5, 1.0};
        for (double v : fixed) {
            put(v);
            put(-v);
        }
        for (int e = -1074; e <= 1023; e++)
            put(Math.scalb(1.0, e));
        for (int i = 0; i < 1200; i++) { // integers in [2^53, 2^63)
            long x = (r.nextLong() >>> 1) >>> r.nextInt(11);
            if (x < (1L << 53))
                x += 1L << 53;
            put((double) x);
        }
        for (int i = 0; i < 800; i++) // N-BaIoT-sized magnitudes, fractions kept
            put(Math.pow(10, 12 + 7 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1));
        for (int i = 0; i < 200; i++) { // around the plain / E-form switches
            put(1e-3 * (1 + (r.nextDouble() - 0.5) * 1e-12));
            put(1e7 * (1 + (r.nextDouble() - 0.5) * 1e-12));
        }
        for (int i = 0; i < 1500; i++) { // random bit patterns, finite
            double v;
            do {
                v = Double.longBitsToDouble(r.nextLong());
            } while (Double.isNaN(v) || Double.isInfinite(v));
            put(v);
        }
        for (int i = 0; i < 400; i++) // subnormals
            put(Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL));
        for (int i = 0; i < 600; i++) // everyday magnitudes
            put((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(16) - 6));
    }
}
