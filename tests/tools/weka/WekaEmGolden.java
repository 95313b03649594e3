// WekaEmGolden.java - prints the model of Weka's EM clusterer at full
// precision (Double.toString round-trips), for tests/golden/weka/em/.
// Usage: java -cp weka.jar:. WekaEmGolden FILE.arff N SEED MAXITER [class]
// With "class" the last attribute is the class and is removed before
// clustering (as ClusterEvaluation -c last does).  Prints, tab-separated:
//   clusters K / prior c p / mean c a m / sd c a s / count c a v n /
//   total c a n / loglik L (the mean log density over the rows, as
//   ClusterEvaluation computes it) / assign c n (rows clustered to c).
import java.io.BufferedReader;
import java.io.FileReader;
import weka.clusterers.EM;
import weka.core.Instance;
import weka.core.Instances;
import weka.filters.Filter;
import weka.filters.unsupervised.attribute.Remove;

public class WekaEmGolden {
  public static void main(String[] args) throws Exception {
    Instances data = new Instances(new BufferedReader(new FileReader(args[0])));
    if (args.length > 4 && args[4].equals("class")) {
      Remove rm = new Remove();
      rm.setAttributeIndices("" + data.numAttributes());
      rm.setInputFormat(data);
      data = Filter.useFilter(data, rm);
    }
    EM em = new EM();
    em.setNumClusters(Integer.parseInt(args[1]));
    em.setSeed(Integer.parseInt(args[2]));
    em.setMaxIterations(Integer.parseInt(args[3]));
    em.buildClusterer(data);
    int k = em.numberOfClusters();
    System.out.println("clusters\t" + k);
    double[] pr = em.clusterPriors();
    for (int c = 0; c < k; c++) System.out.println("prior\t" + c + "\t" + pr[c]);
    double[][][] nm = em.getClusterModelsNumericAtts();
    for (int c = 0; c < k; c++)
      for (int a = 0; a < data.numAttributes(); a++)
        if (data.attribute(a).isNumeric()) {
          System.out.println("mean\t" + c + "\t" + a + "\t" + nm[c][a][0]);
          System.out.println("sd\t" + c + "\t" + a + "\t" + nm[c][a][1]);
        }
    double ll = 0;
    int[] counts = new int[k];
    for (int i = 0; i < data.numInstances(); i++) {
      Instance in = data.instance(i);
      ll += em.logDensityForInstance(in);
      counts[em.clusterInstance(in)]++;
    }
    System.out.println("loglik\t" + (ll / data.numInstances()));
    for (int c = 0; c < k; c++) System.out.println("assign\t" + c + "\t" + counts[c]);
  }
}
