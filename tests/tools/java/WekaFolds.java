/*
 * WekaFolds.java - prints the cross-validation folds and the percentage
 * split that Weka 3.6.14 makes for an ARFF file, as 0-based row indices of
 * the file, for the golden files of tests/unit/test_folds.c.
 *
 * Build and run (make_fold_golden.sh does both):
 *   javac -cp /usr/share/java/weka.jar -d /tmp/wekafolds WekaFolds.java
 *   java -cp /usr/share/java/weka.jar:/tmp/wekafolds WekaFolds FILE.arff SPEC...
 * where each SPEC is cv:SEED:K or split:SEED:PERCENT.  The class is the
 * last attribute.
 *
 * How the rows are identified: a numeric attribute holding the row's index
 * in the file is inserted as attribute 0 before anything else happens.
 * Randomize, stratify, trainCV and testCV look only at the number of rows
 * and at the class, so the extra attribute changes nothing; it rides along
 * with each instance and names it at the end.
 *
 * Every list is obtained twice and the two must agree (else exit status 2):
 *
 *  cv: (1) by the documented steps of Evaluation.crossValidateModel, called
 *      on Weka's own Instances methods: random = new Random(seed);
 *      data.randomize(random); data.stratify(k) (the class is nominal);
 *      for each fold i: train = data.trainCV(k, i, random), test =
 *      data.testCV(k, i);  (2) by running Weka's real
 *      Evaluation.crossValidateModel(spy, data, k, new Random(seed)) with a
 *      "spy" classifier that records the rows handed to buildClassifier
 *      (the training set, in its order) and to distributionForInstance (the
 *      test rows, in evaluation order).  The order after randomize +
 *      stratify is printed as well.
 *
 *  split: (1) by running Weka's command-line evaluation,
 *      Evaluation.evaluateModel(spy, {-t FILE -split-percentage P -s SEED})
 *      on a copy of the file that carries the index attribute; 3.6.14 builds
 *      the spy once, on the training split, then evaluates the training
 *      split and then the test split, so the spy sees the training rows in
 *      buildClassifier and train + test rows in distributionForInstance;
 *      (2) by the rule those observations fit: data.randomize(new
 *      Random(seed)), the first Math.round(n * P / 100) rows train, the
 *      rest test.
 *
 * Output (stdout), one record a line:
 *   cv SEED K            then: order ROWS..., and for each fold i:
 *                        test i ROWS..., train i ROWS...
 *   split SEED PERCENT   then: train ROWS..., test ROWS...
 */
import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.core.Attribute;
import weka.core.Instance;
import weka.core.Instances;

public class WekaFolds {
    /* A classifier that remembers what Weka hands it.  Evaluation copies
     * classifiers by serialization, so the records are static. */
    public static class Spy extends Classifier {
        private static final long serialVersionUID = 1L;
        static final List<int[]> builds = new ArrayList<>();
        static final List<Integer> tested = new ArrayList<>();
        private int numClasses = 1;

        static void reset() {
            builds.clear();
            tested.clear();
        }

        public void buildClassifier(Instances data) {
            builds.add(ids(data));
            numClasses = data.numClasses();
        }

        public double[] distributionForInstance(Instance instance) {
            tested.add((int) instance.value(0));
            double[] p = new double[numClasses];
            Arrays.fill(p, 1.0 / numClasses);
            return p;
        }
    }

    static int[] ids(Instances data) {
        int[] ids = new int[data.numInstances()];
        for (int i = 0; i < ids.length; i++)
            ids[i] = (int) data.instance(i).value(0);
        return ids;
    }

    static String join(String label, int[] rows) {
        StringBuilder sb = new StringBuilder(label);
        for (int r : rows)
            sb.append(' ').append(r);
        return sb.toString();
    }

    static int[] toArray(List<Integer> list, int from, int to) {
        int[] a = new int[to - from];
        for (int i = from; i < to; i++)
            a[i - from] = list.get(i);
        return a;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("WekaFolds: mismatch: " + what);
            System.exit(2);
        }
    }

    /* The file with attribute 0 = the row's index in the file; class last. */
    static Instances load(String path) throws Exception {
        Instances data;
        try (BufferedReader in = new BufferedReader(new FileReader(path))) {
            data = new Instances(in);
        }
        data.insertAttributeAt(new Attribute("__row"), 0);
        for (int i = 0; i < data.numInstances(); i++)
            data.instance(i).setValue(0, i);
        data.setClassIndex(data.numAttributes() - 1);
        return data;
    }

    static void cv(Instances data, long seed, int k) throws Exception {
        /* (1) the documented steps, on Weka's Instances methods */
        Random random = new Random(seed);
        Instances d = new Instances(data);
        d.randomize(random);
        if (d.classAttribute().isNominal())
            d.stratify(k);
        int[] order = ids(d);
        int[][] train = new int[k][], test = new int[k][];
        for (int i = 0; i < k; i++) {
            train[i] = ids(d.trainCV(k, i, random));
            test[i] = ids(d.testCV(k, i));
        }

        /* (2) Weka's own crossValidateModel, observed through the spy */
        Spy.reset();
        Evaluation eval = new Evaluation(data);
        eval.crossValidateModel(new Spy(), data, k, new Random(seed));
        check(Spy.builds.size() == k, "cv " + seed + " " + k + ": " + Spy.builds.size() + " builds");
        int at = 0;
        for (int i = 0; i < k; i++) {
            check(Arrays.equals(Spy.builds.get(i), train[i]), "cv " + seed + " " + k + " train " + i);
            int[] seen = toArray(Spy.tested, at, Math.min(at + test[i].length, Spy.tested.size()));
            check(Arrays.equals(seen, test[i]), "cv " + seed + " " + k + " test " + i);
            at += test[i].length;
        }
        check(at == Spy.tested.size(), "cv " + seed + " " + k + ": extra tested rows");

        System.out.println("cv " + seed + " " + k);
        System.out.println(join("order", order));
        for (int i = 0; i < k; i++) {
            System.out.println(join("test " + i, test[i]));
            System.out.println(join("train " + i, train[i]));
        }
    }

    static void split(Instances data, long seed, String percent) throws Exception {
        /* (1) Weka's command-line evaluation, observed through the spy */
        File tmp = File.createTempFile("wekafolds", ".arff");
        tmp.deleteOnExit();
        try (PrintWriter w = new PrintWriter(tmp)) {
            w.print(data.toString());
            w.println();
        }
        Spy.reset();
        Evaluation.evaluateModel(new Spy(), new String[] {"-t", tmp.getPath(), "-split-percentage", percent,
                                                          "-s", Long.toString(seed)});
        tmp.delete();
        int n = data.numInstances();
        check(Spy.builds.size() == 1, "split " + seed + " " + percent + ": " + Spy.builds.size() + " builds");
        int[] train = Spy.builds.get(0);
        check(Spy.tested.size() == n, "split " + seed + " " + percent + ": tested " + Spy.tested.size());
        check(Arrays.equals(toArray(Spy.tested, 0, train.length), train), "split: training split evaluated");
        int[] test = toArray(Spy.tested, train.length, n);

        /* (2) the rule: randomize with Random(seed), first round(n*P/100) */
        Instances d = new Instances(data);
        d.randomize(new Random(seed));
        int[] order = ids(d);
        int nTrain = (int) Math.round(n * Double.parseDouble(percent) / 100);
        check(Arrays.equals(Arrays.copyOfRange(order, 0, nTrain), train), "split " + seed + " " + percent + " train");
        check(Arrays.equals(Arrays.copyOfRange(order, nTrain, n), test), "split " + seed + " " + percent + " test");

        System.out.println("split " + seed + " " + percent);
        System.out.println(join("train", train));
        System.out.println(join("test", test));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WekaFolds FILE.arff cv:SEED:K|split:SEED:PERCENT ...");
            System.exit(1);
        }
        Instances data = load(args[0]);
        for (int a = 1; a < args.length; a++) {
            String[] f = args[a].split(":");
            if (f.length == 3 && f[0].equals("cv"))
                cv(data, Long.parseLong(f[1]), Integer.parseInt(f[2]));
            else if (f.length == 3 && f[0].equals("split"))
                split(data, Long.parseLong(f[1]), f[2]);
            else {
                System.err.println("WekaFolds: bad spec " + args[a]);
                System.exit(1);
            }
        }
    }
}
