package org.convergenceledger.query.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ActivityRef;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Cluster;
import org.convergenceledger.query.convergence.ConvergenceAnswers.PairEntry;
import org.junit.jupiter.api.Test;

class ClustersTest {

    private static PairEntry pair(String a, String b) {
        return new PairEntry(ref(a), ref(b), List.of(), List.of(), List.of(), null, null, 1, BigDecimal.ONE, "NONE", null,
                List.of(), null);
    }

    private static ActivityRef ref(String id) {
        return new ActivityRef(id, id.substring(0, id.indexOf(':')), id, "PROPOSED", null, null);
    }

    @Test
    void pairsSharingAnActivityFormOneClusterAcrossAgencies() {
        List<Cluster> clusters = Clusters.of(List.of(
                pair("ANAPEC:1", "OFPPT:1"), pair("OFPPT:1", "GIZ:1"), pair("ILO:1", "IOM:1")));

        assertThat(clusters).hasSize(2);
        assertThat(clusters.get(0).activities()).containsExactly("ANAPEC:1", "GIZ:1", "OFPPT:1");
        assertThat(clusters.get(0).agencies()).containsExactly("ANAPEC", "GIZ", "OFPPT");
        assertThat(clusters.get(0).pairs()).isEqualTo(2);
        assertThat(clusters.get(1).activities()).containsExactly("ILO:1", "IOM:1");
    }
}
