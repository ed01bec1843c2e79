package org.convergenceledger.events.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * ActivityProposed and ActivityRevised as stored before revision 2: a planned budget without its split by year. The
 * upcast form adds plannedBudgetByYear, pro rata as the aggregate splits a budget given without one (BudgetSplit),
 * right after plannedBudget, where the record writes it: an old event reads exactly as the new code would have
 * written it. What decides is the payload itself, not the stored revision (which no hash covers): a payload that
 * already has a split is left as it is.
 */
public final class PlannedBudgetByYear {

    public static final String REVISION = "2";
    public static final String FIELD = "plannedBudgetByYear";

    private static final Set<String> TYPES = Set.of(ActivityProposed.class.getName(), ActivityRevised.class.getName());

    private PlannedBudgetByYear() {
    }

    public static boolean appliesTo(String payloadType) {
        return TYPES.contains(payloadType);
    }

    /** The payload in revision 2 (a new node; the given one is not changed). */
    public static JsonNode upcast(JsonNode payload) {
        if (!(payload instanceof ObjectNode stored) || stored.has(FIELD)) {
            return payload;
        }
        ObjectNode upcast = JsonNodeFactory.withExactBigDecimals(true).objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = stored.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            upcast.set(field.getKey(), field.getValue());
            if (field.getKey().equals("plannedBudget")) {
                upcast.set(FIELD, split(stored));
            }
        }
        return upcast;
    }

    /** The pro-rata split of the payload's period and budget; null (as the record would read a missing one) if the
     *  payload has no usable period or budget: the aggregate never stored such an event. */
    private static JsonNode split(ObjectNode payload) {
        JsonNode period = payload.path("plannedPeriod");
        JsonNode budget = payload.path("plannedBudget");
        JsonNode amount = budget.path("amount");
        if (!period.path("start").isTextual() || !period.path("end").isTextual() || !amount.isNumber()
                || !budget.path("currency").isTextual()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            Period planned = new Period(LocalDate.parse(period.get("start").asText()),
                    LocalDate.parse(period.get("end").asText()));
            BigDecimal total = amount.decimalValue();
            if (planned.endsBeforeItStarts() || total.signum() < 0) {
                return JsonNodeFactory.instance.nullNode();
            }
            List<YearlyAmount> parts = BudgetSplit.proRata(planned, new Money(total, budget.get("currency").asText()));
            ArrayNode array = JsonNodeFactory.withExactBigDecimals(true).arrayNode();
            parts.forEach(part -> array.addObject().put("year", part.year()).put("amount", part.amount()));
            return array;
        } catch (DateTimeParseException unreadable) {
            return JsonNodeFactory.instance.nullNode();
        }
    }
}
