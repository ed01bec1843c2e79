package org.convergenceledger.query.iati;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.convergenceledger.events.iati.IatiOrganisations;
import org.convergenceledger.query.convergence.ViewFilter;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.ScanDatabase;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ledger as IATI 2.03 activities, for publishing or for a partner's system: the activities the convergence reads
 * select with the same filters, live or at a past moment (knownAt, validAt). The whole ledger can be asked for, so
 * the export runs as a scan (its own pool, a few at a time, 429 beyond) and is written while it is read.
 */
@RestController
class IatiController {

    private final ScanDatabase scans;
    private final IatiOrganisations organisations;
    private final String language;

    IatiController(ScanDatabase scans, IatiProperties properties) {
        this.scans = scans;
        this.organisations = new IatiOrganisations(properties.organisationRefs());
        this.language = properties.language();
    }

    @GetMapping("/api/iati/activities.xml")
    void activities(@RequestParam Map<String, String> parameters, HttpServletResponse response) {
        ViewFilter filter = ViewFilter.of(parameters);
        Moment moment = Moment.of(parameters);
        long written = scans.read("IATI export", jdbc -> {
            IatiExportQueries queries = new IatiExportQueries(jdbc);
            // Read in the export's snapshot, so the position stated is that of the rows written.
            Long asOfSequence = ProjectionPosition.of(jdbc.getJdbcTemplate(), Projections.ACTIVITY_VIEW)
                    .map(ProjectionPosition.Position::globalSequence).orElse(null);
            IatiWriter.Document document = new IatiWriter.Document(organisations, queries.agencies(),
                    queries.axisTitles(), language, Instant.now(), asOfSequence, moment.knownAt(), moment.validAt());
            IatiWriter[] writer = {null};
            long count = queries.activities(filter, moment, activity -> {
                if (writer[0] == null) {
                    writer[0] = new IatiWriter(open(response), document);
                }
                writer[0].write(activity);
            });
            if (writer[0] != null) {
                writer[0].close();
            }
            return count;
        });
        if (written == 0) {
            // Nothing written yet, so the answer can still be a problem: IATI has no empty activity file.
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No activity matches the filter at this moment, and an IATI 2.03 file holds at least one");
            problem.setTitle("Not found");
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        }
    }

    private static java.io.OutputStream open(HttpServletResponse response) {
        response.setContentType(MediaType.APPLICATION_XML_VALUE);
        response.setCharacterEncoding("UTF-8");
        try {
            return response.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
