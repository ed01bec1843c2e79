package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClustersTest {

    private static ConvergenceView.PairEntry pair(String a, String b) {
        return new ConvergenceView.PairEntry(ref(a), ref(b), List.of(), List.of(), List.of(), null, null, 1,
                BigDecimal.ONE, List.of());
    }

    private static ConvergenceView.ActivityRef ref(String id) {
        return new ConvergenceView.ActivityRef(id, id.substring(0, id.indexOf(':')), id, "PROPOSED", null, null);
    }

    @Test
    void pairsSharingAnActivityFormOneClusterAcrossAgencies() {
        List<ConvergenceView.Cluster> clusters = ConvergenceView.clusters(List.of(
                pair("ANAPEC:1", "OFPPT:1"), pair("OFPPT:1", "GIZ:1"), pair("ILO:1", "IOM:1")));

        assertThat(clusters).hasSize(2);
        assertThat(clusters.get(0).activities()).containsExactly("ANAPEC:1", "GIZ:1", "OFPPT:1");
        assertThat(clusters.get(0).agencies()).containsExactly("ANAPEC", "GIZ", "OFPPT");
        assertThat(clusters.get(0).pairs()).isEqualTo(2);
        assertThat(clusters.get(1).activities()).containsExactly("ILO:1", "IOM:1");
    }
}
