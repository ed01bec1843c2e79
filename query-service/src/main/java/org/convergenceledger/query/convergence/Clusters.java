package org.convergenceledger.query.convergence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Cluster;
import org.convergenceledger.query.convergence.ConvergenceAnswers.PairEntry;

/** Activities linked by likely duplications, as connected groups: one cluster can span several agencies. */
final class Clusters {

    private Clusters() {
    }

    static List<Cluster> of(List<PairEntry> pairs) {
        Map<String, String> parent = new HashMap<>();
        Map<String, String> agencies = new HashMap<>();
        for (PairEntry pair : pairs) {
            agencies.put(pair.first().id(), pair.first().leadAgency());
            agencies.put(pair.second().id(), pair.second().leadAgency());
            parent.put(root(parent, pair.first().id()), root(parent, pair.second().id()));
        }
        Map<String, Set<String>> members = new TreeMap<>();
        agencies.keySet().forEach(id -> members.computeIfAbsent(root(parent, id), r -> new TreeSet<>()).add(id));
        Map<String, Integer> pairCount = new HashMap<>();
        pairs.forEach(pair -> pairCount.merge(root(parent, pair.first().id()), 1, Integer::sum));
        List<Cluster> clusters = new ArrayList<>();
        members.forEach((root, ids) -> clusters.add(new Cluster(List.copyOf(ids),
                ids.stream().map(agencies::get).distinct().sorted().toList(), pairCount.getOrDefault(root, 0))));
        clusters.sort((a, b) -> b.activities().size() != a.activities().size()
                ? b.activities().size() - a.activities().size() : a.activities().get(0).compareTo(b.activities().get(0)));
        return clusters;
    }

    private static String root(Map<String, String> parent, String id) {
        String node = id;
        while (parent.containsKey(node) && !parent.get(node).equals(node)) {
            node = parent.get(node);
        }
        parent.putIfAbsent(node, node);
        return node;
    }
}
