package org.convergenceledger.query.ledger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command service's public tamper-evidence material — the latest signed tree head with its witnesses'
 * co-signatures, the public keys, inclusion proofs — relayed as they are, so the dashboard (same origin) can check
 * an event in the browser. Nothing is computed or vouched for here: the page checks what the signer published, with
 * the signer's key, and a relay that altered it would fail that check.
 */
@RestController
class LedgerProofs {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String commandService;

    LedgerProofs(@Value("${ledger.command-service-url}") String commandService) {
        this.commandService = commandService.replaceAll("/+$", "");
    }

    @GetMapping("/api/ledger/public-key")
    ResponseEntity<?> publicKey() {
        return relay("/api/audit/public-key");
    }

    @GetMapping("/api/ledger/checkpoints/latest")
    ResponseEntity<?> latestHead() {
        return relay("/api/audit/checkpoints/latest");
    }

    @GetMapping("/api/ledger/proofs/inclusion")
    ResponseEntity<?> inclusion(@RequestParam String eventId, @RequestParam long treeSize) {
        return relay("/api/audit/proofs/inclusion?eventId=" + URLEncoder.encode(eventId, StandardCharsets.UTF_8)
                + "&treeSize=" + treeSize);
    }

    private ResponseEntity<?> relay(String path) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(commandService + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            MediaType type = answer.headers().firstValue("Content-Type").map(MediaType::parseMediaType)
                    .orElse(MediaType.APPLICATION_JSON);
            return ResponseEntity.status(answer.statusCode()).contentType(type).body(answer.body());
        } catch (IOException unreachable) {
            return unavailable(unreachable.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static ResponseEntity<ProblemDetail> unavailable(String why) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "the command service, which signs the ledger, did not answer: " + why);
        problem.setTitle("Signer unreachable");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
