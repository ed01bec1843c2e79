package org.convergenceledger.events.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * The contract's upcasts for Axon: registered in both services (the command side's event store, which the aggregates
 * and the Kafka publisher read; the query side's Kafka consumer, for records published before). Readers of stored
 * rows outside Axon (the query side's replays from the event store) call {@link #payload} with the same rules.
 */
public final class LedgerUpcaster extends SingleEventUpcaster {

    /** A stored payload of that type as the current contract reads it. */
    public static JsonNode payload(String payloadType, JsonNode stored) {
        return PlannedBudgetByYear.appliesTo(payloadType) ? PlannedBudgetByYear.upcast(stored) : stored;
    }

    /** By type alone, whatever the stored revision says: the payload decides (see PlannedBudgetByYear). */
    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return PlannedBudgetByYear.appliesTo(representation.getType().getName());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(
                new SimpleSerializedType(representation.getType().getName(), PlannedBudgetByYear.REVISION),
                JsonNode.class, stored -> payload(representation.getType().getName(), stored));
    }
}
