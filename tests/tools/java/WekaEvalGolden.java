/*
 * WekaEvalGolden.java - golden outputs of Weka 3.6.14's evaluation for
 * tests/unit/test_evaluation.c (engine/evaluation/evaluation.c must reproduce them).
 *
 * For one ARFF file (class = last attribute) and one classifier, runs
 * Evaluation.crossValidateModel(classifier, data, folds, new Random(seed))
 * exactly as Weka's command line and Explorer do, and writes next to
 * OUTPREFIX:
 *
 *   OUTPREFIX.pred.tsv     every pooled prediction, in the order Weka
 *                          evaluated (and stored) them:
 *                          fold actual weight p_0 .. p_{k-1}
 *                          (actual is the class index, -1 when missing;
 *                          the values are Java's Double.toString, which
 *                          reads back to the same bits)
 *   OUTPREFIX.folds.tsv    per fold: fold first n count_0..count_{k-1}
 *                          prior_0..prior_{k-1} - the weighted class
 *                          counts of the fold's training set (rows with a
 *                          missing class left out) and the m_ClassPriors
 *                          array Weka held while evaluating that fold
 *                          (captured by overriding setPriors)
 *   OUTPREFIX.stats.tsv    key<TAB>value: Weka's own numbers (the public
 *                          accessors and the protected sums behind them),
 *                          plus a few values marked "derived." that Weka
 *                          3.6.14 lacks and this tool computes from Weka's
 *                          objects by Weka 3.8's definitions (MCC from the
 *                          confusion matrix; PRC area from ThresholdCurve's
 *                          points)
 *   OUTPREFIX.roc.tsv      ThresholdCurve.getCurve(predictions, c) for the
 *                          first -roc classes c:
 *                          class threshold tp fp tpr fpr precision
 *   OUTPREFIX.summary.txt  toSummaryString()   ("=== Summary ===" title)
 *   OUTPREFIX.details.txt  toClassDetailsString()
 *   OUTPREFIX.matrix.txt   toMatrixString()
 *
 * Options:
 *   -t FILE      the ARFF file (class: the last attribute)
 *   -W CLASS     the classifier (default options), e.g. weka.classifiers.trees.J48
 *   -o PREFIX    output prefix
 *   -x FOLDS     number of folds (10)
 *   -s SEED      seed of the java.util.Random handed to crossValidateModel (1)
 *   -roc N       write the curves of the first N classes only (all)
 *   -weights     give row i (file order) the weight 0.5 + 0.3 * ((7 i) mod 5)
 *                before the cross-validation (tests weighted sums)
 *   -abstain K   wrap the classifier so that every K-th distributionForInstance
 *                call of each fold's model answers all zeros (Weka's
 *                "unclassified" instances)
 *
 * Second mode, for the number formatting of the printed reports:
 *   WekaEvalGolden -formats FILE
 * writes, for a fixed list of doubles (specials, ties at the rounding digit,
 * random values of many magnitudes from java.util.Random(42)), lines
 *   dts  HEXBITS WIDTH DECIMALS TEXT   weka.core.Utils.doubleToString(v, w, d)
 *   fmt  HEXBITS DECIMALS TEXT         String.format("%.<d>f", v) (Weka 3.8's
 *                                      class-details columns use it)
 *   jstr HEXBITS TEXT                  Double.toString(v)
 * separated by tabs; TEXT runs to the end of the line (it may hold spaces).
 *
 * Third mode, corner cases fed straight to Evaluation (no classifier):
 *   WekaEvalGolden -probes DIR
 * writes DIR/probe-*.{pred,folds,stats,roc}.tsv and .{summary,details,
 * matrix}.txt as above (one "fold", priors of an empty training set) for
 * hand-made prediction lists: no rows, only a missing class, one class
 * only, unclassified rows with ties and a fractional weight, a tiny
 * unclassified weight, all-tied distributions, zero weights, a
 * missing-class row with the highest probability.
 *
 * Build and run (see tests/tools/java/make_eval_golden.sh):
 *   javac -cp /usr/share/java/weka.jar -d /tmp/weg WekaEvalGolden.java
 *   java -cp /usr/share/java/weka.jar:/tmp/weg WekaEvalGolden -t iris.arff \
 *        -W weka.classifiers.trees.J48 -o iris.J48
 */
import java.io.FileReader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.classifiers.evaluation.NominalPrediction;
import weka.classifiers.evaluation.ThresholdCurve;
import weka.core.FastVector;
import weka.core.Instance;
import weka.core.Instances;

public class WekaEvalGolden {

    /* Records, at each setPriors call, the training counts, the priors Weka
     * keeps and how many predictions were stored before. */
    static final class RecordingEvaluation extends Evaluation {
        List<double[]> counts;   /* no initialisers: set from super() */
        List<double[]> priors;
        List<Integer> firsts;

        RecordingEvaluation(Instances data) throws Exception {
            super(data);
        }

        @Override
        public void setPriors(Instances train) throws Exception {
            super.setPriors(train);
            if (counts == null) {
                counts = new ArrayList<double[]>();
                priors = new ArrayList<double[]>();
                firsts = new ArrayList<Integer>();
            }
            double[] c = new double[train.numClasses()];
            for (int i = 0; i < train.numInstances(); i++) {
                Instance in = train.instance(i);
                if (!in.classIsMissing())
                    c[(int) in.classValue()] += in.weight();
            }
            counts.add(c);
            priors.add(getClassPriors().clone());
            FastVector p = predictions();
            firsts.add(p == null ? 0 : p.size());
        }

        double sumAbsErr() { return m_SumAbsErr; }
        double sumSqrErr() { return m_SumSqrErr; }
        double sumPriorAbsErr() { return m_SumPriorAbsErr; }
        double sumPriorSqrErr() { return m_SumPriorSqrErr; }
        double withClass() { return m_WithClass; }
        double missingClass() { return m_MissingClass; }
    }

    /* A classifier that answers all zeros on every k-th query. */
    public static final class Abstain extends Classifier {
        private static final long serialVersionUID = 1L;
        Classifier base;
        int every;
        int calls;

        Abstain(Classifier base, int every) {
            this.base = base;
            this.every = every;
        }

        @Override
        public void buildClassifier(Instances data) throws Exception {
            calls = 0;
            base.buildClassifier(data);
        }

        @Override
        public double[] distributionForInstance(Instance inst) throws Exception {
            calls++;
            if (calls % every == 0)
                return new double[inst.numClasses()];
            return base.distributionForInstance(inst);
        }
    }

    static String d(double v) {
        return Double.toString(v);
    }

    static void put(PrintWriter w, String key, double v) {
        w.println(key + "\t" + d(v));
    }

    /* Weka 3.8's PRC area over the ThresholdCurve points: the points are
     * visited from the last (highest threshold) back to the first and each
     * step adds precision * (increase of recall); 0 becomes NaN. */
    static double prcArea38(Instances curve) {
        if (curve == null || curve.numInstances() == 0)
            return Double.NaN;
        int n = curve.numInstances();
        int pi = curve.attribute(ThresholdCurve.PRECISION_NAME).index();
        int ri = curve.attribute(ThresholdCurve.RECALL_NAME).index();
        double area = 0;
        double last = curve.instance(n - 1).value(ri);
        for (int i = n - 2; i >= 0; i--) {
            double r = curve.instance(i).value(ri);
            area += curve.instance(i).value(pi) * (r - last);
            last = r;
        }
        return area == 0 ? Double.NaN : area;
    }

    static void formats(String out) throws Exception {
        List<Double> vals = new ArrayList<Double>();
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                            Double.NEGATIVE_INFINITY, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5,
                            100.0, 144.0, 1000.0, 1e7, 1e-3, 9.999e-4, 1e15, 1e16, 1e19,
                            1e20, 9.223372036854775E18, 4.9e-324, Double.MAX_VALUE,
                            0.0625, 0.1235, 0.9995, 1.0005, 99.99995, 33.635347927663425,
                            7.8704880013161596, 0.03497994667251618, -0.10526315789473684};
        for (double v : special)
            vals.add(v);
        for (int k = 0; k <= 2000; k += 13)
            vals.add(k / 2000.0);          /* ties at the 3rd decimal */
        for (int k = 0; k <= 20000; k += 197)
            vals.add(k / 20000.0);         /* ties at the 4th decimal */
        Random r = new Random(42);
        double[] scales = {1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e4, 1e6, 1e9, 1e12,
                           1e15, 1e17, 1e19};
        for (double sc : scales)
            for (int i = 0; i < 15; i++)
                vals.add((r.nextBoolean() ? -1 : 1) * r.nextDouble() * sc);
        int[][] wd = {{12, 4}, {7, 3}, {4, 2}, {2, 0}, {5, 2}, {1, 0}};
        try (PrintWriter w = new PrintWriter(out, "UTF-8")) {
            w.println("# made by WekaEvalGolden -formats with weka " + weka.core.Version.VERSION
                      + " on Java " + System.getProperty("java.version"));
            for (double v : vals) {
                String hex = Long.toHexString(Double.doubleToRawLongBits(v));
                for (int[] x : wd)
                    w.println("dts\t" + hex + "\t" + x[0] + "\t" + x[1] + "\t"
                              + weka.core.Utils.doubleToString(v, x[0], x[1]));
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    w.println("fmt\t" + hex + "\t3\t" + String.format("%.3f", v));
                    w.println("fmt\t" + hex + "\t4\t" + String.format("%.4f", v));
                }
                w.println("jstr\t" + hex + "\t" + Double.toString(v));
            }
        }
    }

    /* An empty data set with one numeric attribute and a k-valued class. */
    static Instances probeHeader(int k) {
        FastVector atts = new FastVector();
        atts.addElement(new weka.core.Attribute("x"));
        FastVector vals = new FastVector();
        for (int i = 0; i < k; i++)
            vals.addElement("v" + i);
        atts.addElement(new weka.core.Attribute("class", vals));
        Instances d = new Instances("probe", atts, 0);
        d.setClassIndex(1);
        return d;
    }

    /* One probe: the rows {actual (-1 = missing), weight, p_0..p_{k-1}} go
     * through evaluateModelOnceAndRecordPrediction(dist, instance) of an
     * Evaluation made for an empty training set (uniform priors). */
    static void probe(String dir, String name, int k, double[][] rows) throws Exception {
        Instances h = probeHeader(k);
        RecordingEvaluation ev = new RecordingEvaluation(h);
        for (double[] r : rows) {
            double cls = r[0] < 0 ? Instance.missingValue() : r[0];
            Instance in = new Instance(r[1], new double[] {0, cls});
            in.setDataset(h);
            double[] dist = new double[k];
            System.arraycopy(r, 2, dist, 0, k);
            ev.evaluateModelOnceAndRecordPrediction(dist, in);
        }
        writeAll(dir + "/" + name, ev, h, "(none)", "(probe)", 1, 0, false, 0,
                 Integer.MAX_VALUE, 0, 1);
    }

    /* Hand-made prediction lists for the corner cases of Weka's figures. */
    static void probes(String dir) throws Exception {
        probe(dir, "probe-empty", 3, new double[][] {});
        probe(dir, "probe-allmissing", 3, new double[][] {{-1, 1, 0.5, 0.3, 0.2}});
        probe(dir, "probe-oneclass", 3, new double[][] {
            {0, 1, 0.5, 0.3, 0.2}, {0, 1, 0.2, 0.3, 0.5}});
        probe(dir, "probe-unclassified", 3, new double[][] {
            {0, 1, 0, 0, 0}, {1, 1, 0.4, 0.4, 0.2}, {2, 2.5, 0.2, 0.4, 0.4},
            {2, 1, 0.1, 0.1, 0.8}});
        probe(dir, "probe-tinyunclassified", 2, new double[][] {
            {0, 1e-9, 0, 0}, {0, 1, 0.7, 0.3}, {1, 1, 0.4, 0.6}, {1, 1, 0.6, 0.4}});
        probe(dir, "probe-ties", 2, new double[][] {
            {0, 1, 0.5, 0.5}, {1, 1, 0.5, 0.5}, {1, 1, 0.5, 0.5}, {0, 2, 0.5, 0.5},
            {-1, 1, 0.5, 0.5}});
        probe(dir, "probe-zeroweight", 2, new double[][] {
            {0, 0, 0.9, 0.1}, {1, 1, 0.3, 0.7}, {0, 1, 0.6, 0.4}, {1, 0, 0.95, 0.05},
            {0, 1, 0.2, 0.8}, {1, 1, 0.6, 0.4}});
        /* cells 2.7 and 1.6: fractions below their rounding (negative
         * cur - rint(cur)) and one of 0.004 */
        probe(dir, "probe-fraction", 2, new double[][] {
            {0, 2.7, 0.9, 0.1}, {1, 1.6, 0.2, 0.8}, {1, 1, 0.7, 0.3}});
        probe(dir, "probe-smallfraction", 2, new double[][] {
            {0, 2.004, 0.9, 0.1}, {1, 1, 0.2, 0.8}, {1, 1000, 0.6, 0.4}});
        probe(dir, "probe-missinglast", 2, new double[][] {
            {0, 1, 0.2, 0.8}, {1, 1, 0.7, 0.3}, {0, 1, 0.6, 0.4}, {-1, 1, 0.99, 0.01}});
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("-formats")) {
            formats(args[1]);
            return;
        }
        if (args.length == 2 && args[0].equals("-probes")) {
            probes(args[1]);
            return;
        }
        String file = null, cls = null, prefix = null;
        int folds = 10, rocClasses = Integer.MAX_VALUE, abstain = 0;
        long seed = 1;
        boolean weights = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-t")) file = args[++i];
            else if (a.equals("-W")) cls = args[++i];
            else if (a.equals("-o")) prefix = args[++i];
            else if (a.equals("-x")) folds = Integer.parseInt(args[++i]);
            else if (a.equals("-s")) seed = Long.parseLong(args[++i]);
            else if (a.equals("-roc")) rocClasses = Integer.parseInt(args[++i]);
            else if (a.equals("-weights")) weights = true;
            else if (a.equals("-abstain")) abstain = Integer.parseInt(args[++i]);
            else throw new IllegalArgumentException("unknown option " + a);
        }
        if (file == null || cls == null || prefix == null)
            throw new IllegalArgumentException("need -t FILE -W CLASS -o PREFIX");

        Instances data = new Instances(new FileReader(file));
        data.setClassIndex(data.numAttributes() - 1);
        if (weights)
            for (int i = 0; i < data.numInstances(); i++)
                data.instance(i).setWeight(0.5 + 0.3 * ((7 * i) % 5));
        int k = data.numClasses();

        Classifier c = Classifier.forName(cls, new String[0]);
        if (abstain > 0)
            c = new Abstain(c, abstain);
        RecordingEvaluation ev = new RecordingEvaluation(data);
        int before = ev.counts.size();  /* the constructor's own setPriors */
        ev.crossValidateModel(c, data, folds, new Random(seed));
        FastVector preds = ev.predictions();
        int nfolds = ev.counts.size() - before;
        if (nfolds != folds)
            throw new IllegalStateException("setPriors ran " + nfolds + " times, not " + folds);

        writeAll(prefix, ev, data, new java.io.File(file).getName(), cls, folds, seed,
                 weights, abstain, rocClasses, before, nfolds);
    }

    /* Writes the seven output files of one evaluation: ev's stored
     * predictions (fold f = the predictions made after the (before+f)-th
     * setPriors call), its per-fold priors, numbers, curves and texts. */
    static void writeAll(String prefix, RecordingEvaluation ev, Instances data, String fileName,
                         String cls, int folds, long seed, boolean weights, int abstain,
                         int rocClasses, int before, int nfolds) throws Exception {
        int k = data.numClasses();
        FastVector preds = ev.predictions();
        if (preds == null)
            preds = new FastVector();
        /* predictions, tagged with their fold */
        try (PrintWriter w = new PrintWriter(prefix + ".pred.tsv", "UTF-8")) {
            w.println("# fold actual weight p_0..p_" + (k - 1) + " (actual -1 = missing)");
            int f = 0;
            for (int i = 0; i < preds.size(); i++) {
                while (f + 1 < nfolds && ev.firsts.get(before + f + 1) <= i)
                    f++;
                NominalPrediction p = (NominalPrediction) preds.elementAt(i);
                StringBuilder sb = new StringBuilder();
                sb.append(f).append('\t');
                /* a missing class is NaN; NaN == MISSING_VALUE is false, so test isNaN */
                sb.append(Double.isNaN(p.actual()) ? -1 : (int) p.actual());
                sb.append('\t').append(d(p.weight()));
                for (double v : p.distribution())
                    sb.append('\t').append(d(v));
                w.println(sb);
            }
        }

        /* per-fold training counts and the priors Weka used */
        try (PrintWriter w = new PrintWriter(prefix + ".folds.tsv", "UTF-8")) {
            w.println("# fold first n count_0..count_" + (k - 1) + " prior_0..prior_" + (k - 1));
            for (int f = 0; f < nfolds; f++) {
                int first = ev.firsts.get(before + f);
                int next = f + 1 < nfolds ? ev.firsts.get(before + f + 1) : preds.size();
                StringBuilder sb = new StringBuilder();
                sb.append(f).append('\t').append(first).append('\t').append(next - first);
                for (double v : ev.counts.get(before + f))
                    sb.append('\t').append(d(v));
                for (double v : ev.priors.get(before + f))
                    sb.append('\t').append(d(v));
                w.println(sb);
            }
        }

        /* Weka's numbers */
        ThresholdCurve tc = new ThresholdCurve();
        Instances[] curves = new Instances[k];
        for (int j = 0; j < k; j++)
            curves[j] = preds.size() == 0 ? null : tc.getCurve(preds, j);
        double[][] cm = ev.confusionMatrix();
        try (PrintWriter w = new PrintWriter(prefix + ".stats.tsv", "UTF-8")) {
            w.println("# key value; made by WekaEvalGolden with weka " + weka.core.Version.VERSION);
            w.println("weka_version\t" + weka.core.Version.VERSION);
            w.println("file\t" + fileName);
            w.println("classifier\t" + cls);
            w.println("folds\t" + folds);
            w.println("seed\t" + seed);
            w.println("weights\t" + (weights ? 1 : 0));
            w.println("abstain\t" + abstain);
            w.println("num_classes\t" + k);
            w.println("num_predictions\t" + preds.size());
            for (int j = 0; j < k; j++)
                w.println("class_name." + j + "\t" + data.classAttribute().value(j));
            put(w, "correct", ev.correct());
            put(w, "incorrect", ev.incorrect());
            put(w, "unclassified", ev.unclassified());
            put(w, "pct_correct", ev.pctCorrect());
            put(w, "pct_incorrect", ev.pctIncorrect());
            put(w, "pct_unclassified", ev.pctUnclassified());
            put(w, "num_instances", ev.numInstances());
            put(w, "missing_class", ev.missingClass());
            put(w, "kappa", ev.kappa());
            put(w, "mean_absolute_error", ev.meanAbsoluteError());
            put(w, "root_mean_squared_error", ev.rootMeanSquaredError());
            put(w, "relative_absolute_error", ev.relativeAbsoluteError());
            put(w, "root_relative_squared_error", ev.rootRelativeSquaredError());
            put(w, "mean_prior_absolute_error", ev.meanPriorAbsoluteError());
            put(w, "root_mean_prior_squared_error", ev.rootMeanPriorSquaredError());
            put(w, "sum_abs_err", ev.sumAbsErr());
            put(w, "sum_sqr_err", ev.sumSqrErr());
            put(w, "sum_prior_abs_err", ev.sumPriorAbsErr());
            put(w, "sum_prior_sqr_err", ev.sumPriorSqrErr());
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    put(w, "confusion." + i + "." + j, cm[i][j]);
            for (int j = 0; j < k; j++) {
                put(w, "num_tp." + j, ev.numTruePositives(j));
                put(w, "num_fp." + j, ev.numFalsePositives(j));
                put(w, "num_tn." + j, ev.numTrueNegatives(j));
                put(w, "num_fn." + j, ev.numFalseNegatives(j));
                put(w, "tp_rate." + j, ev.truePositiveRate(j));
                put(w, "fp_rate." + j, ev.falsePositiveRate(j));
                put(w, "precision." + j, ev.precision(j));
                put(w, "recall." + j, ev.recall(j));
                put(w, "f_measure." + j, ev.fMeasure(j));
                put(w, "roc_area." + j, ev.areaUnderROC(j));
                put(w, "curve_roc_area." + j,
                    curves[j] == null ? Double.NaN : ThresholdCurve.getROCArea(curves[j]));
                put(w, "curve_points." + j, curves[j] == null ? 0 : curves[j].numInstances());
            }
            put(w, "weighted_tp_rate", ev.weightedTruePositiveRate());
            put(w, "weighted_fp_rate", ev.weightedFalsePositiveRate());
            put(w, "weighted_precision", ev.weightedPrecision());
            put(w, "weighted_recall", ev.weightedRecall());
            put(w, "weighted_f_measure", ev.weightedFMeasure());
            put(w, "weighted_roc_area", ev.weightedAreaUnderROC());
            /* Weka 3.8's MCC and PRC area, computed here from 3.6.14's objects */
            for (int j = 0; j < k; j++) {
                double tp = ev.numTruePositives(j), tn = ev.numTrueNegatives(j);
                double fp = ev.numFalsePositives(j), fn = ev.numFalseNegatives(j);
                double mcc = (tp * tn - fp * fn)
                           / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
                put(w, "derived.mcc." + j, mcc);
                put(w, "derived.prc_area." + j, prcArea38(curves[j]));
            }
        }

        /* threshold curves */
        try (PrintWriter w = new PrintWriter(prefix + ".roc.tsv", "UTF-8")) {
            w.println("# class threshold tp fp tpr fpr precision (ThresholdCurve.getCurve)");
            for (int j = 0; j < k && j < rocClasses; j++) {
                Instances cu = curves[j];
                if (cu == null)
                    continue;
                int ti = cu.attribute(ThresholdCurve.THRESHOLD_NAME).index();
                int tpi = cu.attribute(ThresholdCurve.TRUE_POS_NAME).index();
                int fpi = cu.attribute(ThresholdCurve.FALSE_POS_NAME).index();
                int tpri = cu.attribute(ThresholdCurve.TP_RATE_NAME).index();
                int fpri = cu.attribute(ThresholdCurve.FP_RATE_NAME).index();
                int pi = cu.attribute(ThresholdCurve.PRECISION_NAME).index();
                for (int i = 0; i < cu.numInstances(); i++) {
                    Instance in = cu.instance(i);
                    w.println(j + "\t" + d(in.value(ti)) + "\t" + d(in.value(tpi)) + "\t"
                              + d(in.value(fpi)) + "\t" + d(in.value(tpri)) + "\t"
                              + d(in.value(fpri)) + "\t" + d(in.value(pi)));
                }
            }
        }

        try (PrintWriter w = new PrintWriter(prefix + ".summary.txt", "UTF-8")) {
            w.print(ev.toSummaryString(false));
        }
        try (PrintWriter w = new PrintWriter(prefix + ".details.txt", "UTF-8")) {
            w.print(ev.toClassDetailsString());
        }
        try (PrintWriter w = new PrintWriter(prefix + ".matrix.txt", "UTF-8")) {
            w.print(ev.toMatrixString());
        }
    }
}
