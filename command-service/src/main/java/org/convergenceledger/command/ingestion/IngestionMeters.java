package org.convergenceledger.command.ingestion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What the Kafka ingestion made of the agencies' messages, counted once the results and dead-letter topics have
 * acknowledged their outcomes, just before their offsets are committed (a batch paused and delivered again is counted
 * when it is finally handled):
 * ledger_ingestion_messages_total{outcome, code} (accepted; rejected with the problem code),
 * ledger_ingestion_dead_letters_total (copies sent to the dead-letter topic) and ledger_ingestion_pauses_total (the
 * consumer stopped for an outage and retried).
 */
@Component
class IngestionMeters {

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter deadLetters;
    private final Counter pauses;

    IngestionMeters(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = messages("accepted", "none");
        this.deadLetters = Counter.builder("ledger.ingestion.dead.letters")
                .description("command messages copied to the dead-letter topic").register(registry);
        this.pauses = Counter.builder("ledger.ingestion.pauses")
                .description("times the ingestion stopped on an outage (database, broker) and retried")
                .register(registry);
    }

    void handled(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome.accepted()) {
                accepted.increment();
            } else {
                String code = outcome.problemCode();
                messages("rejected", code == null ? "none" : code).increment();
                deadLetters.increment();
            }
        }
    }

    void paused() {
        pauses.increment();
    }

    private Counter messages(String outcome, String code) {
        return Counter.builder("ledger.ingestion.messages")
                .description("agency command messages handled, by outcome (rejected: the problem code)")
                .tag("outcome", outcome).tag("code", code).register(registry);
    }
}
