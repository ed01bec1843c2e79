package org.convergenceledger.command.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.canonical.EventHash;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.convergenceledger.command.system.LongReads;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The ledger as stored, for auditors: every event in global order with who recorded it, when it happened and was
 * recorded, its seal and its place in the Merkle tree — paged (/api/audit/events), per agency, or streamed whole
 * as JSON lines or CSV (/api/audit/export), read through a database cursor so memory stays constant however long
 * the ledger. An export is exactly what the standalone verifier checks.
 */
@RestController
class LedgerExport {

    private static final int MAX_PAGE = 1000;
    private static final String SELECT = """
            SELECT e.globalindex, l.tree_index, e.eventidentifier, e.aggregateidentifier, e.sequencenumber,
                   e.payloadtype, e.payloadrevision, e.timestamp, e.payload, e.metadata
            FROM domainevententry e LEFT JOIN merkle_leaf l ON l.global_sequence = e.globalindex
            """;
    private static final List<String> CSV_COLUMNS = List.of("globalSequence", "treeIndex", "eventId", "aggregateId",
            "aggregateSequence", "payloadType", "recordedAt", "recordedBy", "occurredAt", "idempotencyKey", "hash",
            "previousHash", "payload");

    private final LongReads longReads;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate readOnly;

    LedgerExport(LongReads longReads, JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactions) {
        this.longReads = longReads;
        this.jdbc = jdbc;
        this.json = json;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    @GetMapping("/api/audit/events")
    Map<String, Object> events(@RequestParam(defaultValue = "0") long afterSequence,
                               @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        List<JsonNode> events = new ArrayList<>();
        jdbc.query(SELECT + " WHERE e.globalindex > ? ORDER BY e.globalindex LIMIT ?",
                row -> {
                    events.add(record(row));
                }, afterSequence, size);
        long next = events.isEmpty() ? afterSequence : events.get(events.size() - 1).path("globalSequence").asLong();
        return Map.of("events", events, "nextAfterSequence", next, "complete", events.size() < size);
    }

    @GetMapping("/api/audit/agencies/{code}/history")
    Map<String, Object> agencyHistory(@PathVariable String code, @RequestParam(defaultValue = "0") long afterSequence,
                                      @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        List<JsonNode> events = new ArrayList<>();
        // The agency's own registration, the activities it leads (ids start with its code) and what it recorded.
        jdbc.query(SELECT + " WHERE e.globalindex > ? AND (e.aggregateidentifier = ? OR e.aggregateidentifier LIKE ?"
                        + " OR convert_from(e.metadata, 'UTF8')::jsonb ->> 'recordedBy' = ?)"
                        + " ORDER BY e.globalindex LIMIT ?",
                row -> {
                    events.add(record(row));
                }, afterSequence, "agency:" + code, code.replace("_", "\\_") + ":%", code, size);
        long next = events.isEmpty() ? afterSequence : events.get(events.size() - 1).path("globalSequence").asLong();
        return Map.of("agency", code, "events", events, "nextAfterSequence", next, "complete", events.size() < size);
    }

    @GetMapping("/api/audit/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(defaultValue = "ndjson") String format,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        boolean csv = switch (format) {
            case "csv" -> true;
            case "ndjson" -> false;
            default -> throw invalid("format", "must be ndjson or csv");
        };
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        // Admitted before the answer starts, so that a refusal is a 429; released when the stream ends.
        LongReads.Permit permit = longReads.admit("export");
        StreamingResponseBody body = out -> {
            try (permit) {
                streamTo(out, csv, since, until);
            }
        };
        return ResponseEntity.ok()
                .contentType(csv ? new MediaType("text", "csv", StandardCharsets.UTF_8)
                        : new MediaType("application", "x-ndjson"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=ledger." + (csv ? "csv" : "ndjson"))
                .body(body);
    }

    private void streamTo(OutputStream out, boolean csv, Instant since, Instant until) {
        readOnly.executeWithoutResult(status -> stream(since, until, record -> {
            try {
                if (csv) {
                    out.write(csvLine(record).getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(json.writeValueAsBytes(record));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, csv ? out : null));
    }

    private void stream(Instant since, Instant until, Consumer<ObjectNode> sink, OutputStream csvHeader) {
        if (csvHeader != null) {
            try {
                csvHeader.write((String.join(",", CSV_COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> arguments = new ArrayList<>();
        // Stored timestamps are fixed-width ISO-8601 UTC strings, so text order is time order.
        if (since != null) {
            where.append(" AND e.timestamp >= ?");
            arguments.add(EventHash.recordedAt(since));
        }
        if (until != null) {
            where.append(" AND e.timestamp < ?");
            arguments.add(EventHash.recordedAt(until));
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(SELECT + where + " ORDER BY e.globalindex");
            // A cursor: the driver fetches 500 rows at a time instead of the whole ledger.
            statement.setFetchSize(500);
            for (int i = 0; i < arguments.size(); i++) {
                statement.setObject(i + 1, arguments.get(i));
            }
            return statement;
        }, row -> {
            sink.accept(record(row));
        });
    }

    private ObjectNode record(ResultSet row) throws SQLException {
        ObjectNode record = json.createObjectNode();
        record.put("globalSequence", row.getLong("globalindex"));
        long treeIndex = row.getLong("tree_index");
        if (row.wasNull()) {
            record.putNull("treeIndex");
        } else {
            record.put("treeIndex", treeIndex);
        }
        record.put("eventId", row.getString("eventidentifier"));
        record.put("aggregateId", row.getString("aggregateidentifier"));
        record.put("aggregateSequence", row.getLong("sequencenumber"));
        record.put("payloadType", row.getString("payloadtype"));
        // Which shape the stored payload has (null: the first); the payload is exported as stored, as it was hashed.
        record.put("payloadRevision", row.getString("payloadrevision"));
        record.put("recordedAt", row.getString("timestamp"));
        try {
            JsonNode metadata = row.getBytes("metadata") == null ? json.createObjectNode()
                    : json.readTree(row.getBytes("metadata"));
            ObjectNode envelope = record.putObject("envelope");
            for (String key : LedgerMetadata.HASHED_ENVELOPE) {
                if (metadata.hasNonNull(key)) {
                    envelope.put(key, metadata.get(key).asText());
                }
            }
            record.set("payload", json.readTree(row.getBytes("payload")));
            record.put("hash", metadata.path(LedgerMetadata.HASH).asText(null));
            record.put("previousHash", metadata.path(LedgerMetadata.PREVIOUS_HASH).asText(null));
        } catch (IOException e) {
            // An altered row is exported as it is; the verifier will say what is wrong with it.
            record.put("unreadable", e.getMessage());
        }
        return record;
    }

    private String csvLine(ObjectNode record) throws IOException {
        List<String> cells = new ArrayList<>();
        for (String column : CSV_COLUMNS) {
            JsonNode value = switch (column) {
                case "recordedBy", "occurredAt", "idempotencyKey" -> record.path("envelope").path(column);
                default -> record.path(column);
            };
            String text = neutralised(value.isMissingNode() || value.isNull() ? ""
                    : value.isContainerNode() ? json.writeValueAsString(value) : value.asText());
            cells.add(text.contains(",") || text.contains("\"") || text.contains("\n")
                    ? "\"" + text.replace("\"", "\"\"") + "\"" : text);
        }
        return String.join(",", cells) + "\n";
    }

    /**
     * OWASP's rule against CSV injection: a cell a spreadsheet would read as a formula (starting with =, +, -, @, a
     * tab or a carriage return) is prefixed with a quote, so an agency's text (an idempotency key, a title) cannot
     * run in an auditor's spreadsheet. The NDJSON export, which the verifier reads, is left exactly as stored.
     */
    static String neutralised(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be a UTC instant such as 2025-03-31T00:00:00Z");
        }
    }

    private static InvalidInput invalid(String field, String message) {
        return new InvalidInput(List.of(new InvalidInput.FieldViolation(field, message)));
    }
}
