package org.convergenceledger.benchmark;

import java.util.ArrayList;
import java.util.List;

/** The convergence view's reads the programs time: a label for the BENCHMARK lines, and the query service path. */
final class ConvergenceReads {

    /** A period and an axis, as a dashboard filters a matrix. */
    static final String GENDER_2020_2022 = "&axis=GENDER&from=2020-01-01&to=2022-12-31";

    /** The reads that are not matrices: duplications (all, and one agency on one axis), joint, gaps, progress, axes. */
    static final List<String[]> OTHERS = List.of(
            new String[] {"duplications", "/api/convergence/duplications"},
            new String[] {"duplications-agency-axis", "/api/convergence/duplications?agency=BENCHA&axis=GENDER"},
            new String[] {"joint", "/api/convergence/joint"},
            new String[] {"gaps", "/api/convergence/gaps"},
            new String[] {"gaps-2024", "/api/convergence/gaps?from=2024-01-01&to=2024-12-31"},
            new String[] {"progress", "/api/convergence/progress"},
            new String[] {"axes", "/api/convergence/axes"});

    private ConvergenceReads() {
    }

    /**
     * The matrices of these pairs of dimensions ("axis", "agency"), each as it is, then each filtered with
     * {@link #GENDER_2020_2022}; labelled matrix-ROWS-COLS and matrix-ROWS-COLS-filtered.
     */
    static List<String[]> matrices(String... rowsThenCols) {
        List<String[]> plain = new ArrayList<>();
        List<String[]> filtered = new ArrayList<>();
        for (int i = 0; i + 1 < rowsThenCols.length; i += 2) {
            String label = "matrix-" + rowsThenCols[i] + "-" + rowsThenCols[i + 1];
            String path = "/api/convergence/matrix?rows=" + rowsThenCols[i] + "&cols=" + rowsThenCols[i + 1];
            plain.add(new String[] {label, path});
            filtered.add(new String[] {label + "-filtered", path + GENDER_2020_2022});
        }
        plain.addAll(filtered);
        return plain;
    }

    /** The lists one after the other. */
    @SafeVarargs
    static List<String[]> of(List<String[]>... parts) {
        List<String[]> all = new ArrayList<>();
        for (List<String[]> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }
}
