/*
 * WekaInstancesSort.java - prints the order in which Weka 3.6.14's
 * Instances.sort(attribute) leaves a data set's rows, sort after sort, for
 * tests/unit/test_weka_sort.c (J48 sorts a node's rows in place by every
 * numeric attribute in turn, and the sums of fractional weights follow
 * that order: docs/WEKA_COMPAT.md).
 *
 * Build and run (make_sort_golden.sh does both):
 *   javac -cp /usr/share/java/weka.jar -d /tmp/wekasort WekaInstancesSort.java
 *   java -cp /usr/share/java/weka.jar:/tmp/wekasort WekaInstancesSort SEED N...
 *
 * Per N: a data set of N rows with two numeric attributes a and b drawn
 * from java.util.Random(SEED) (values 0..5, so many ties; about one in
 * seven missing) and a third attribute holding the row's index, which
 * rides along with the rows and names them.  The rows are sorted by a,
 * then by b, then by a again (each sort starting from the order the last
 * one left), and the row order is printed after each sort.  Output lines:
 *   case N
 *   a v0,v1,...      (values, ? = missing)
 *   b v0,v1,...
 *   by_a i0,i1,...   (row indices after the first sort)
 *   by_b ...         (after the second)
 *   by_a ...         (after the third)
 */
import weka.core.Attribute;
import weka.core.FastVector;
import weka.core.Instance;
import weka.core.Instances;

import java.util.Random;

public class WekaInstancesSort {
    private static String values(Instances d, int att) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.numInstances(); i++) {
            if (i > 0)
                sb.append(',');
            sb.append(d.instance(i).isMissing(att) ? "?" : String.valueOf((int) d.instance(i).value(att)));
        }
        return sb.toString();
    }

    private static String order(Instances d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.numInstances(); i++) {
            if (i > 0)
                sb.append(',');
            sb.append((int) d.instance(i).value(2));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        Random r = new Random(Long.parseLong(args[0]));
        for (int k = 1; k < args.length; k++) {
            int n = Integer.parseInt(args[k]);
            FastVector atts = new FastVector();
            atts.addElement(new Attribute("a"));
            atts.addElement(new Attribute("b"));
            atts.addElement(new Attribute("id"));
            Instances d = new Instances("sort", atts, n);
            for (int i = 0; i < n; i++) {
                double[] v = new double[3];
                for (int j = 0; j < 2; j++) {
                    int q = r.nextInt(7);
                    v[j] = q == 6 ? Instance.missingValue() : q;
                }
                v[2] = i;
                d.add(new Instance(1.0, v));
            }
            System.out.println("case " + n);
            System.out.println("a " + values(d, 0));
            System.out.println("b " + values(d, 1));
            int[] atts3 = {0, 1, 0};
            for (int s = 0; s < 3; s++) {
                d.sort(atts3[s]);
                System.out.println((atts3[s] == 0 ? "by_a " : "by_b ") + order(d));
            }
        }
    }
}
