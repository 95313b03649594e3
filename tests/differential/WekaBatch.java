// WekaBatch.java - the Weka 3.6.14 side of the differential tester
// (tests/differential/run.py): one JVM that runs many Weka jobs, so the
// thousands of cases do not each pay for a JVM start.  run.py compiles it
// into a temporary directory and drives it through stdin/stdout:
//   javac -cp /usr/share/java/weka.jar -d DIR WekaBatch.java
//   java -cp /usr/share/java/weka.jar:DIR WekaBatch
// Each stdin line is one job, tab-separated: ALGO, ARFF, OUT, then Weka's
// own options, one per field.  ALGO is
//   j48  -> Evaluation.evaluateModel(new J48(), -t ARFF -i OPTIONS)
//   oner -> Evaluation.evaluateModel(new OneR(), -t ARFF -i OPTIONS)
//   rank -> AttributeSelection.SelectAttributes(new OneRAttributeEval(),
//           -s weka.attributeSelection.Ranker -i ARFF OPTIONS)
//   em   -> ClusterEvaluation.evaluateClusterer(new EM(), -t ARFF OPTIONS),
//           and the fitted model at full precision (Double.toString) in
//           OUT.tsv: clusters / prior c p / mean c a m / sd c a s / loglik L
//           (mean log density over the rows, class removed) / assign c n,
//           the format of tests/tools/weka/WekaEmGolden.java.
// These calls return the text Weka's command line prints.  The text goes to
// OUT; any Throwable (StackOverflowError included: each job runs in its own
// thread with a 2 MB stack) is written to OUT as
// "WEKA-ERROR: <class>: <message>".  After each job one line "DONE" goes to
// stdout; whatever Weka itself prints goes to stderr.
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import weka.attributeSelection.AttributeSelection;
import weka.attributeSelection.OneRAttributeEval;
import weka.classifiers.Evaluation;
import weka.classifiers.rules.OneR;
import weka.classifiers.trees.J48;
import weka.clusterers.ClusterEvaluation;
import weka.clusterers.EM;
import weka.core.Instance;
import weka.core.Instances;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.Remove;

public class WekaBatch {
  static void write(String path, String text) throws Exception {
    try (Writer w = new OutputStreamWriter(new FileOutputStream(path), StandardCharsets.UTF_8)) {
      w.write(text);
    }
  }

  static String error(Throwable t) {
    return "WEKA-ERROR: " + t.getClass().getName() + ": " + t.getMessage() + "\n";
  }

  // The fitted EM at full precision: the model of the clusterer that
  // evaluateClusterer built (on the rows without the class attribute).
  static String emModel(EM em, String arff) throws Exception {
    Instances data = new Instances(new BufferedReader(new FileReader(arff)));
    Remove rm = new Remove();
    rm.setAttributeIndices("" + data.numAttributes());
    rm.setInputFormat(data);
    data = Filter.useFilter(data, rm);
    StringBuilder sb = new StringBuilder();
    int k = em.numberOfClusters();
    sb.append("clusters\t").append(k).append('\n');
    double[] pr = em.clusterPriors();
    for (int c = 0; c < k; c++) sb.append("prior\t").append(c).append('\t').append(pr[c]).append('\n');
    double[][][] nm = em.getClusterModelsNumericAtts();
    for (int c = 0; c < k; c++)
      for (int a = 0; a < data.numAttributes(); a++)
        if (data.attribute(a).isNumeric()) {
          sb.append("mean\t").append(c).append('\t').append(a).append('\t').append(nm[c][a][0]).append('\n');
          sb.append("sd\t").append(c).append('\t').append(a).append('\t').append(nm[c][a][1]).append('\n');
        }
    double ll = 0;
    int[] counts = new int[k];
    for (int i = 0; i < data.numInstances(); i++) {
      Instance in = data.instance(i);
      ll += em.logDensityForInstance(in);
      counts[em.clusterInstance(in)]++;
    }
    sb.append("loglik\t").append(ll / data.numInstances()).append('\n');
    for (int c = 0; c < k; c++) sb.append("assign\t").append(c).append('\t').append(counts[c]).append('\n');
    return sb.toString();
  }

  static void job(String[] f) throws Exception {
    String algo = f[0], arff = f[1], out = f[2];
    List<String> opts = new ArrayList<>(Arrays.asList(f).subList(3, f.length));
    List<String> args = new ArrayList<>();
    String text;
    try {
      switch (algo) {
        case "j48":
        case "oner":
          args.add("-t");
          args.add(arff);
          args.add("-i");
          args.addAll(opts);
          text = Evaluation.evaluateModel(algo.equals("j48") ? new J48() : new OneR(), args.toArray(new String[0]));
          break;
        case "rank":
          args.add("-s");
          args.add("weka.attributeSelection.Ranker");
          args.add("-i");
          args.add(arff);
          args.addAll(opts);
          text = AttributeSelection.SelectAttributes(new OneRAttributeEval(), args.toArray(new String[0]));
          break;
        case "em": {
          args.add("-t");
          args.add(arff);
          args.addAll(opts);
          EM em = new EM();
          text = ClusterEvaluation.evaluateClusterer(em, args.toArray(new String[0]));
          String model;
          try {
            model = emModel(em, arff);
          } catch (Throwable t) {
            model = error(t);
          }
          write(out + ".tsv", model);
          break;
        }
        default:
          text = "WEKA-ERROR: unknown algorithm " + algo + "\n";
      }
    } catch (Throwable t) {
      text = error(t);
    }
    write(out, text);
  }

  public static void main(String[] argv) throws Exception {
    PrintStream proto = new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
    System.setOut(System.err); // Weka's own prints must not mix with DONE lines
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      final String[] f = line.split("\t");
      final Throwable[] failed = new Throwable[1];
      Thread t = new Thread(null, () -> {
        try {
          job(f);
        } catch (Throwable e) {
          failed[0] = e;
        }
      }, "job", 2L << 20);
      t.start();
      t.join();
      if (failed[0] != null) {
        try {
          write(f[2], error(failed[0]));
        } catch (Throwable e) {
          e.printStackTrace(new PrintWriter(System.err, true));
        }
      }
      proto.println("DONE");
    }
  }
}
