package org.convergenceledger.command.iati;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An agency sends its IATI 2.03 file (application/xml); each activity it leads is proposed or revised, and the
 * answer reports per activity what was created, updated, left unchanged or refused and why. With dryRun=true
 * nothing is stored and the report says what would be.
 */
@RestController
class IatiImportController {

    /** The same limit as every request to this service (HostileRequests): about 400 activities per file. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private final IatiImport importer;

    IatiImportController(IatiImport importer) {
        this.importer = importer;
    }

    @PostMapping("/api/iati/import")
    ResponseEntity<Object> importFile(@RequestParam(required = false) String dryRun, HttpServletRequest request)
            throws IOException {
        if (!"true".equals(dryRun) && !"false".equals(dryRun)) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("dryRun",
                    "must be true (report what would be done) or false (do it)")));
        }
        byte[] file;
        // A chunked body declares no length: it is cut here, not read whole.
        try (InputStream body = request.getInputStream()) {
            file = body.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (file.length > MAX_FILE_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Problems.problem(
                    HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Request body too large",
                    "body: at most " + MAX_FILE_BYTES + " bytes; split the file"));
        }
        Caller caller = Caller.current().orElseThrow(() -> new IllegalStateException("an import without a caller"));
        return ResponseEntity.ok(importer.run(file, Boolean.parseBoolean(dryRun), caller,
                request.getHeader(CommandDispatch.OCCURRED_AT_HEADER)));
    }

    /** Not IATI 2.03: nothing imported, every broken rule named by line and column. */
    @ExceptionHandler(InvalidIatiFile.class)
    ProblemDetail invalidFile(InvalidIatiFile invalid) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-iati", "Not an IATI 2.03 file",
                invalid.getMessage());
        problem.setProperty("errors", invalid.violations());
        return problem;
    }
}
