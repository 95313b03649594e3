/*
 * JavaRandomVectors.java - prints test vectors of java.util.Random for
 * tests/unit/test_java_random.c (the C reimplementation in
 * engine/weka/java_random.c must reproduce every line).
 *
 * Plain Java SE, no Weka.  Build and run (from the source root):
 *   javac -d /tmp/jrv tests/tools/java/JavaRandomVectors.java
 *   java -cp /tmp/jrv JavaRandomVectors > tests/data/java_random_vectors.txt
 * The program writes its own header (that command and the output of
 * `java -version` of the JVM running it) into the output.
 *
 * Output, one record a line, tokens separated by single spaces:
 *   seed S                 following lines use new Random(S) each
 *   next B v1 .. v12       twelve calls of next(B) (B = 1..32) on a fresh Random(S)
 *   int v1 .. v12          nextInt()
 *   bound N v1 .. v12      nextInt(N)
 *   long v1 .. v12         nextLong()
 *   double h1 .. h12       nextDouble(), as the 16 hex digits of its IEEE bits
 *   mixed t1 .. t40        one stream of mixed calls: i:V (nextInt()),
 *                          bN:V (nextInt(N)), l:V (nextLong()), d:HEX
 *                          (nextDouble()), nB:V (next(B))
 * Lines starting with '#' are comments.
 */
import java.util.Random;

public class JavaRandomVectors {
    /* Exposes the protected next(bits) of java.util.Random unchanged. */
    static final class Exposed extends Random {
        Exposed(long seed) { super(seed); }
        int bits(int b) { return next(b); }
    }

    static final int COUNT = 12;

    static String hex(double d) {
        return String.format("%016x", Double.doubleToRawLongBits(d));
    }

    /* The lines `java -version` prints, run with this JVM's own launcher. */
    static java.util.List<String> javaVersion() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try {
            String java = System.getProperty("java.home") + "/bin/java";
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            try (java.io.BufferedReader in = new java.io.BufferedReader(
                     new java.io.InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = in.readLine()) != null) lines.add(line);
            }
            p.waitFor();
        } catch (Exception e) {
            lines.add("java.version=" + System.getProperty("java.version") + " (java -version failed: " + e + ")");
        }
        return lines;
    }

    public static void main(String[] args) {
        System.out.println("# java.util.Random test vectors for engine/weka/java_random.c");
        System.out.println("# made by: javac -d /tmp/jrv tests/tools/java/JavaRandomVectors.java && "
                           + "java -cp /tmp/jrv JavaRandomVectors > tests/data/java_random_vectors.txt");
        System.out.println("# java -version (of the JVM that ran this program):");
        for (String line : javaVersion()) System.out.println("#   " + line);
        long[] seeds = {0L, 1L, 42L, -7L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 100L, 123456789L,
                        0x5DEECE66DL, 1L << 48};
        int[] bounds = {1, 2, 3, 4, 5, 6, 7, 8, 10, 16, 17, 19, 100, 128, 1000, 1 << 16, 65537,
                        1 << 24, 1 << 30, (1 << 30) + 1, 1500000000, 2000000000,
                        Integer.MAX_VALUE, 1 << 29, 3 << 29};
        for (long s : seeds) {
            System.out.println("seed " + s);
            for (int b = 1; b <= 32; b++) {
                Exposed r = new Exposed(s);
                StringBuilder sb = new StringBuilder("next " + b);
                for (int i = 0; i < COUNT; i++) sb.append(' ').append(r.bits(b));
                System.out.println(sb);
            }
            {
                Random r = new Random(s);
                StringBuilder sb = new StringBuilder("int");
                for (int i = 0; i < COUNT; i++) sb.append(' ').append(r.nextInt());
                System.out.println(sb);
            }
            for (int n : bounds) {
                Random r = new Random(s);
                StringBuilder sb = new StringBuilder("bound " + n);
                for (int i = 0; i < COUNT; i++) sb.append(' ').append(r.nextInt(n));
                System.out.println(sb);
            }
            {
                Random r = new Random(s);
                StringBuilder sb = new StringBuilder("long");
                for (int i = 0; i < COUNT; i++) sb.append(' ').append(r.nextLong());
                System.out.println(sb);
            }
            {
                Random r = new Random(s);
                StringBuilder sb = new StringBuilder("double");
                for (int i = 0; i < COUNT; i++) sb.append(' ').append(hex(r.nextDouble()));
                System.out.println(sb);
            }
            {
                /* A fixed pattern of calls on one stream, so state carries
                 * across call kinds (as in Weka's shuffles and EM). */
                Exposed r = new Exposed(s);
                StringBuilder sb = new StringBuilder("mixed");
                for (int i = 0; i < 40; i++) {
                    switch (i % 5) {
                    case 0: sb.append(" i:").append(r.nextInt()); break;
                    case 1: { int n = bounds[i % bounds.length]; sb.append(" b").append(n).append(':').append(r.nextInt(n)); break; }
                    case 2: sb.append(" l:").append(r.nextLong()); break;
                    case 3: sb.append(" d:").append(hex(r.nextDouble())); break;
                    default: { int b = 1 + (i * 7) % 32; sb.append(" n").append(b).append(':').append(r.bits(b)); break; }
                    }
                }
                System.out.println(sb);
            }
        }
    }
}
