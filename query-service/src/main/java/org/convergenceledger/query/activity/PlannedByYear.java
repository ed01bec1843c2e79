package org.convergenceledger.query.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.json.LedgerJson;

/** A planned budget's split by year as the planned_by_year columns hold it: JSON, [] when there is none. */
public final class PlannedByYear {

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();
    private static final TypeReference<List<YearlyAmount>> PARTS = new TypeReference<>() {
    };

    private PlannedByYear() {
    }

    static String column(List<YearlyAmount> parts) {
        try {
            return JSON.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a split by year is always JSON", e);
        }
    }

    public static List<YearlyAmount> parts(String column) {
        try {
            return column == null ? List.of() : JSON.readValue(column, PARTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("planned_by_year is not a split by year: " + column, e);
        }
    }
}
