package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Moment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ConvergenceAxes;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Duplications;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Gaps;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Joint;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Matrix;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ProgressReport;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.ReadSnapshot;
import org.convergenceledger.query.system.ScanDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The steering committee's question, "are we converging?": the matrices, likely duplications, joint work, gaps,
 * progress and the per-axis summary, live or at a past moment (knownAt/asOf, validAt). Every read takes the same
 * filters ({@link ViewFilter}) and says how fresh it is. Live reads run on the read pool; reads about the past go
 * through the history and run as scans, a few at a time (past that, 429).
 */
@RestController
class ConvergenceController {

    record AxisJson(String code, String title, String description) {
    }

    record Axes(List<AxisJson> items, Long asOfSequence) {
    }

    private final NamedParameterJdbcTemplate reads;
    private final ReadSnapshot snapshot;
    private final ScanDatabase scans;
    private final ProjectionPosition position;

    ConvergenceController(NamedParameterJdbcTemplate reads, ReadSnapshot snapshot, ScanDatabase scans,
                          ProjectionPosition position) {
        this.reads = reads;
        this.snapshot = snapshot;
        this.scans = scans;
        this.position = position;
    }

    private <T> T read(Moment moment, String what, Function<ConvergenceQueries, T> query) {
        if (moment.live()) {
            return snapshot.read(() -> query.apply(new ConvergenceQueries(reads)));
        }
        return scans.read(what, jdbc -> query.apply(new ConvergenceQueries(jdbc)));
    }

    @GetMapping("/api/convergence/matrix")
    Matrix matrix(@RequestParam(defaultValue = "axis") String rows, @RequestParam(defaultValue = "agency") String cols,
                  @RequestParam Map<String, String> parameters) {
        Dimension rowDimension = dimension("rows", rows);
        Dimension colDimension = dimension("cols", cols);
        if (rowDimension == colDimension) {
            throw new BadParameter("cols", "must differ from rows");
        }
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        return read(moment, "matrix", queries -> queries.matrix(rowDimension, colDimension, filter, moment));
    }

    @GetMapping("/api/convergence/duplications")
    Duplications duplications(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        return read(moment, "duplications", queries -> queries.duplications(filter, moment));
    }

    @GetMapping("/api/convergence/joint")
    Joint joint(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        return read(moment, "joint work", queries -> queries.joint(filter, moment));
    }

    @GetMapping("/api/convergence/gaps")
    Gaps gaps(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        return read(moment, "gaps", queries -> queries.gaps(filter, moment));
    }

    @GetMapping("/api/convergence/progress")
    ProgressReport progress(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        return read(moment, "progress", queries -> queries.progress(filter, moment));
    }

    @GetMapping("/api/convergence/axes")
    ConvergenceAxes axes(@RequestParam Map<String, String> parameters) {
        Moment moment = Moment.of(parameters);
        return read(moment, "axes summary", queries -> queries.axes(moment));
    }

    @GetMapping("/api/axes")
    Axes definedAxes() {
        JdbcTemplate jdbc = reads.getJdbcTemplate();
        return snapshot.read(() -> new Axes(
                jdbc.query("SELECT code, title, description FROM axis ORDER BY code", (rs, row) ->
                        new AxisJson(rs.getString("code"), rs.getString("title"), rs.getString("description"))),
                position.asOfSequence(Projections.ACTIVITY_VIEW)));
    }

    private static Dimension dimension(String parameter, String name) {
        Dimension dimension = Dimension.named(name);
        if (dimension == null) {
            throw new BadParameter(parameter, "must be one of axis, region, agency, targetGroup, not '" + name + "'");
        }
        return dimension;
    }
}
