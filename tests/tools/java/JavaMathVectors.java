/*
 * JavaMathVectors.java - prints StrictMath.exp and StrictMath.log of a few
 * thousand arguments chosen at the methods' edges, for
 * tests/unit/test_java_math.c (kernels/java_math.c must give every result
 * bit for bit); with --stream, writes many random arguments and Java's
 * results as binary records for tests/tools/java_math_compare.c (the large
 * comparison, run by hand).
 *
 * Plain Java SE, no Weka.  Build and run (from the source root):
 *   javac -d /tmp/jmv tests/tools/java/JavaMathVectors.java
 *   java -cp /tmp/jmv JavaMathVectors > tests/data/java_math_vectors.txt
 *   java -cp /tmp/jmv JavaMathVectors --stream N SEED | build/tests/java_math_compare
 * The golden output writes its own header (that command and `java -version`).
 *
 * Golden format, one result a line, tokens separated by single spaces:
 *   e XXXXXXXXXXXXXXXX YYYYYYYYYYYYYYYY   StrictMath.exp: argument and result
 *   l XXXXXXXXXXXXXXXX YYYYYYYYYYYYYYYY   StrictMath.log: argument and result
 * as the 16 hex digits of the IEEE bits (Double.doubleToRawLongBits).
 * Lines starting with '#' are comments.
 *
 * Stream format: records of five little-endian doubles: x, StrictMath.exp(x),
 * StrictMath.log(x), Math.exp(x), Math.log(x) (Math: HotSpot's intrinsics
 * unless the JVM runs with -XX:-UseLibmIntrinsic).  Arguments: N / 8 each
 * of random bit patterns, uniform in [-750, 710], uniform in [-40, 0] (EM's
 * exp(a - max)), uniform in [-1, 1], uniform in (0, 10], 1 + uniform
 * [-1e-3, 1e-3], uniform in [1, 8] (EM's log of a posterior sum), and
 * positive random bit patterns.
 */
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

public class JavaMathVectors {
    /* The lines `java -version` prints, run with this JVM's own launcher. */
    static List<String> javaVersion() {
        List<String> lines = new ArrayList<>();
        String java = System.getProperty("java.home") + "/bin/java";
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null;) lines.add(line);
            }
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            lines.add("java.version=" + System.getProperty("java.version") + " (java -version failed: " + e + ")");
        }
        return lines;
    }

    static String hex(double d) {
        return String.format("%016x", Double.doubleToRawLongBits(d));
    }

    /* x and its n neighbouring doubles on each side. */
    static void around(Set<Double> s, double x, int n) {
        s.add(x);
        double up = x, down = x;
        for (int i = 0; i < n; i++) {
            up = Math.nextUp(up);
            down = Math.nextDown(down);
            s.add(up);
            s.add(down);
        }
    }

    static double bits(long b) {
        return Double.longBitsToDouble(b);
    }

    static Set<Double> expArguments(Random rnd) {
        Set<Double> s = new LinkedHashSet<>();
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                            Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 10.0, -10.0,
                            100.0, -100.0, 700.0, -700.0, 1e-300, -1e-300};
        for (double d : special) s.add(d);
        // the overflow and underflow thresholds and the largest / deepest results
        around(s, bits(0x40862E42FEFA39EFL), 8);   // 709.782712893384
        around(s, bits(0xC0874910D52D3051L), 8);   // -745.1332191019411
        around(s, 709.78, 3);
        around(s, -745.13, 3);
        around(s, -708.3964185322641, 6);          // ln(MIN_NORMAL): results turn subnormal
        around(s, -1021 * Math.log(2), 6);          // the k = -1021 / -1022 scalings
        around(s, -1021.5 * Math.log(2), 6);
        around(s, -1022 * Math.log(2), 6);
        around(s, -744.44007192138122, 4);          // ln(MIN_VALUE)
        around(s, bits(0x40862E4200000000L), 3);   // the upper-word test at 709.78
        around(s, bits(0xC0862E4200000000L), 3);
        // the reduction's branch edges: ln2/2, 1.5 ln2, 2^-28 (upper words and true values)
        for (long w : new long[] {0x3fd62e4200000000L, 0x3fd62e4300000000L, 0x3ff0a2b200000000L,
                                  0x3ff0a2b100000000L, 0x3e30000000000000L, 0x3e2fffff00000000L}) {
            around(s, bits(w), 3);
            around(s, -bits(w), 3);
        }
        around(s, 0.5 * Math.log(2), 3);
        around(s, -0.5 * Math.log(2), 3);
        around(s, 1.5 * Math.log(2), 3);
        around(s, -1.5 * Math.log(2), 3);
        // multiples of ln2 and the half-way points where k changes
        for (int k = -1075; k <= 1024; k += (k > -40 && k < 40) ? 1 : 7) {
            around(s, k * Math.log(2), 1);
            around(s, (k + 0.5) * Math.log(2), 1);
        }
        // powers of two, both signs
        for (int e = -1074; e <= 10; e += (e > -40) ? 1 : 13) {
            s.add(Math.scalb(1.0, e));
            s.add(-Math.scalb(1.0, e));
        }
        // uniform: EM's range, the whole finite range of results, subnormal results, near 0
        for (int i = 0; i < 1200; i++) s.add(-40 * rnd.nextDouble());
        for (int i = 0; i < 600; i++) s.add(-746 + 1456 * rnd.nextDouble());
        for (int i = 0; i < 200; i++) s.add(-745.2 + 37.5 * rnd.nextDouble());
        for (int i = 0; i < 200; i++) s.add(700 + 9.8 * rnd.nextDouble());
        for (int i = 0; i < 300; i++) s.add((rnd.nextDouble() - 0.5) * 3);
        for (int i = 0; i < 200; i++) s.add((rnd.nextDouble() - 0.5) * Math.scalb(1.0, -20 - rnd.nextInt(40)));
        for (int i = 0; i < 300; i++) s.add(bits(rnd.nextLong()));
        return s;
    }

    static Set<Double> logArguments(Random rnd) {
        Set<Double> s = new LinkedHashSet<>();
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                            -1.0, -Double.MIN_VALUE, -Double.MAX_VALUE, -1e-300, -2.5,
                            Double.MIN_VALUE, Double.MAX_VALUE, 2.0, 0.5, 10.0, Math.E, 3.0, 0.1};
        for (double d : special) s.add(d);
        around(s, 1.0, 40);
        around(s, Double.MIN_NORMAL, 6);
        around(s, Double.MIN_VALUE, 0);
        around(s, Double.MAX_VALUE, 3);
        around(s, Math.sqrt(2), 4);
        around(s, Math.sqrt(2) / 2, 4);
        around(s, Math.sqrt(2) * 1024, 2);
        around(s, Math.sqrt(2) / 4096, 2);
        // the short series' edge (|f| < 2^-20), both sides of 1 and of other powers
        for (int e : new int[] {0, 1, -1, 5, -7, 100, -300, 1000, -1022}) {
            double p = Math.scalb(1.0, e);
            around(s, p * (1 + Math.scalb(1.0, -20)), 3);
            around(s, p * (1 - Math.scalb(1.0, -21)), 3);
            around(s, p * (1 + 2 * Math.scalb(1.0, -20)), 2);
            around(s, p * (1 - 2 * Math.scalb(1.0, -20)), 2);
            around(s, p * (1 + 3 * Math.scalb(1.0, -20)), 2);
        }
        // the band of mantissas 0x6147a..0x6b851 (upper word), and the
        // normalisation edge 0x6a09c
        for (long m : new long[] {0x6147aL, 0x6b851L, 0x6a09cL, 0x6a09bL}) {
            for (int e : new int[] {0x3ff, 0x3fe, 0x400, 0x100, 0x700}) {
                long w = ((long) e << 52) | (m << 32);
                around(s, bits(w), 2);
                around(s, bits(w | 0xffffffffL), 2);
            }
        }
        // every power of two, subnormal ones included
        for (int e = -1074; e <= 1023; e++) s.add(Math.scalb(1.0, e));
        // subnormals, uniform in (0, 10], in [1, 8], 1 +- small, random positive bits
        for (int i = 0; i < 300; i++) s.add(bits(rnd.nextLong() & 0x000fffffffffffffL));
        for (int i = 0; i < 1000; i++) s.add(10 * (1 - rnd.nextDouble()));
        for (int i = 0; i < 500; i++) s.add(1 + 7 * rnd.nextDouble());
        for (int i = 0; i < 400; i++) s.add(1 + (rnd.nextDouble() - 0.5) * Math.scalb(1.0, -rnd.nextInt(40)));
        for (int i = 0; i < 600; i++) s.add(bits(rnd.nextLong() & 0x7fffffffffffffffL));
        return s;
    }

    static void golden() {
        PrintStream out = System.out;
        out.println("# StrictMath.exp / StrictMath.log test vectors for kernels/java_math.c");
        out.println("# made by: javac -d /tmp/jmv tests/tools/java/JavaMathVectors.java && "
                    + "java -cp /tmp/jmv JavaMathVectors > tests/data/java_math_vectors.txt");
        out.println("# java -version (of the JVM that ran this program):");
        for (String line : javaVersion()) out.println("#   " + line);
        out.println("# format: e|l ARGUMENT RESULT, IEEE bits in hex (tests/tools/java/JavaMathVectors.java)");
        Random rnd = new Random(20240601L);
        for (double x : expArguments(rnd)) out.println("e " + hex(x) + " " + hex(StrictMath.exp(x)));
        for (double x : logArguments(rnd)) out.println("l " + hex(x) + " " + hex(StrictMath.log(x)));
        out.flush();
    }

    static double streamArgument(Random rnd, int kind) {
        switch (kind) {
        case 0: return bits(rnd.nextLong());
        case 1: return -750 + 1460 * rnd.nextDouble();
        case 2: return -40 * rnd.nextDouble();
        case 3: return 2 * rnd.nextDouble() - 1;
        case 4: return 10 * (1 - rnd.nextDouble());
        case 5: return 1 + (2 * rnd.nextDouble() - 1) * 1e-3;
        case 6: return 1 + 7 * rnd.nextDouble();
        default: return bits(rnd.nextLong() & 0x7fffffffffffffffL);
        }
    }

    static void stream(long n, long seed) throws IOException {
        Random rnd = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(40 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(System.out, 1 << 20)) {
            for (long i = 0; i < n; i++) {
                double x = streamArgument(rnd, (int) (i * 8 / n));
                b.putDouble(x).putDouble(StrictMath.exp(x)).putDouble(StrictMath.log(x))
                 .putDouble(Math.exp(x)).putDouble(Math.log(x));
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
            }
            out.write(b.array(), 0, b.position());
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--stream"))
            stream(Long.parseLong(args[1]), Long.parseLong(args[2]));
        else
            golden();
    }
}
