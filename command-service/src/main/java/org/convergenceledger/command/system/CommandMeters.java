package org.convergenceledger.command.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * ledger_commands_total{type, outcome, code}: every command {@link CommandDispatch} sends, once, by its class and
 * what became of it — accepted; refused with the problem code its sender was given; failed (not the sender's fault:
 * an outage, a fault; code internal-error). An idempotent retry answered from the stored answer counts as accepted.
 */
@Component
class CommandMeters {

    static final String COMMANDS = "ledger.commands";

    private final MeterRegistry registry;
    // The accepted counter of each command class, found without building tags on every command.
    private final Map<Class<?>, Counter> accepted = new ConcurrentHashMap<>();

    CommandMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(Object command) {
        accepted.computeIfAbsent(command.getClass(), type -> counter(type, "accepted", "none")).increment();
    }

    void refusedOrFailed(Object command, Throwable failure) {
        Object code = Problems.describe(failure).map(problem -> problem.getProperties() == null ? null
                : problem.getProperties().get("code")).orElse(null);
        if (code == null) {
            counter(command.getClass(), "failed", "internal-error").increment();
        } else {
            counter(command.getClass(), "refused", code.toString()).increment();
        }
    }

    private Counter counter(Class<?> type, String outcome, String code) {
        return Counter.builder(COMMANDS).description("commands sent, by type and outcome (refused: the problem code)")
                .tag("type", type.getSimpleName()).tag("outcome", outcome).tag("code", code).register(registry);
    }
}
