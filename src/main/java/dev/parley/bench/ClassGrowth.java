package dev.parley.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The difference between two class histograms of live objects ({@code jcmd PID
 * GC.class_histogram}, the same as {@code jmap -histo:live}): per class, how many bytes and
 * instances were added between the two, largest growth first.
 */
record ClassGrowth(String className, long bytes, long instances) {

  /** The {@code limit} classes whose live bytes grew most from {@code before} to {@code after} (growth only). */
  static List<ClassGrowth> top(Map<String, long[]> before, Map<String, long[]> after, int limit) {
    Set<String> classes = new HashSet<>(before.keySet());
    classes.addAll(after.keySet());
    List<ClassGrowth> grown = new ArrayList<>();
    long[] none = {0, 0};
    for (String c : classes) {
      long[] b = before.getOrDefault(c, none);
      long[] a = after.getOrDefault(c, none);
      if (a[0] > b[0]) {
        grown.add(new ClassGrowth(c, a[0] - b[0], a[1] - b[1]));
      }
    }
    grown.sort(Comparator.comparingLong(ClassGrowth::bytes).reversed().thenComparing(ClassGrowth::className));
    return grown.size() > limit ? List.copyOf(grown.subList(0, limit)) : List.copyOf(grown);
  }

  /** Total live bytes of a histogram. */
  static long totalBytes(Map<String, long[]> histogram) {
    return histogram.values().stream().mapToLong(r -> r[0]).sum();
  }
}
