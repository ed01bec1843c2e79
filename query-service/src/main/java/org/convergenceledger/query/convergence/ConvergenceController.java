package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Moment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Activities;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ConvergenceAxes;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Duplications;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Gaps;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Joint;
import org.convergenceledger.query.convergence.ConvergenceAnswers.Matrix;
import org.convergenceledger.query.convergence.ConvergenceAnswers.ProgressReport;
import java.util.Optional;
import org.convergenceledger.query.projection.EventStore;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.ReadModel;
import org.convergenceledger.query.projection.ViewReplay;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.ReadSnapshot;
import org.convergenceledger.query.system.ScanDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
    private final ViewReplay replay;
    private final ReadModel activityView;

    ConvergenceController(NamedParameterJdbcTemplate reads, ReadSnapshot snapshot, ScanDatabase scans,
                          ProjectionPosition position, ViewReplay replay, List<ReadModel> models) {
        this.reads = reads;
        this.snapshot = snapshot;
        this.scans = scans;
        this.position = position;
        this.replay = replay;
        this.activityView = models.stream().filter(model -> model.name().equals(Projections.ACTIVITY_VIEW))
                .findFirst().orElseThrow();
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

    /**
     * The activities behind a count: the filter's activities at the moment (a matrix cell's, with its two codes as
     * filters), and with {@code involving} those an agency leads or takes part in.
     */
    @GetMapping("/api/convergence/activities")
    Activities activities(@RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        List<String> involving = ViewFilter.codes(parameters, "involving");
        Moment moment = Moment.of(parameters);
        return read(moment, "activities", queries -> queries.activities(filter, involving, moment));
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

    /**
     * An auditor's second opinion on any convergence read, live or at a past moment: the same read, answered from the
     * view built again from the event store as it stood at that moment (up to the live view's position), instead of
     * from the live tables and their history. Equal answers: the history the live view keeps is what the facts imply.
     */
    @GetMapping("/api/audit/replayed/convergence/{read}")
    Object replayed(@PathVariable String read, @RequestParam Map<String, String> parameters) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        Function<ConvergenceQueries, Object> query = switch (read) {
            case "matrix" -> {
                Dimension rows = dimension("rows", parameters.getOrDefault("rows", "axis"));
                Dimension cols = dimension("cols", parameters.getOrDefault("cols", "agency"));
                if (rows == cols) {
                    throw new BadParameter("cols", "must differ from rows");
                }
                yield queries -> queries.matrix(rows, cols, filter, Moment.LIVE);
            }
            case "activities" -> {
                List<String> involving = ViewFilter.codes(parameters, "involving");
                yield queries -> queries.activities(filter, involving, Moment.LIVE);
            }
            case "duplications" -> queries -> queries.duplications(filter, Moment.LIVE);
            case "joint" -> queries -> queries.joint(filter, Moment.LIVE);
            case "gaps" -> queries -> queries.gaps(filter, Moment.LIVE);
            case "progress" -> queries -> queries.progress(filter, Moment.LIVE);
            case "axes" -> queries -> queries.axes(Moment.LIVE);
            default -> throw new NotFound("convergence read", read);
        };
        long upTo = Optional.ofNullable(position.asOfSequence(Projections.ACTIVITY_VIEW)).orElse(0L);
        // The replayed tables hold the view at the moment: the read asks them for their (only) state.
        return replay.replay(activityView, "replayed " + read, EventStore.Selection.upTo(upTo), moment,
                jdbc -> query.apply(new ConvergenceQueries(jdbc))).result();
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
