package org.convergenceledger.events.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * The one Jackson configuration of the ledger: the HTTP APIs of both services, Axon's serializer and the Kafka
 * payloads all go through it, so an event reads the same wherever it travels.
 */
public final class LedgerJson {

    /** Deeper JSON than this is refused before it reaches a record: no legitimate command nests that far. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Longer documents are refused while being read: a safety net under the services' own request size limit. */
    public static final long MAX_DOCUMENT_LENGTH = 4L * 1024 * 1024;

    private LedgerJson() {
    }

    public static ObjectMapper newObjectMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH).build())
                .build();
        return JsonMapper.builder(factory)
                // Trees keep 1200000.00 as written instead of normalising it to 1.2E+6.
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("ledger-text").addDeserializer(String.class, new CleanText()))
                .addModule(new ParameterNamesModule())
                // ISO dates and UTC instants as text, never epoch numbers.
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // Money stays exact: 1e6 is written 1000000, and floats are read as BigDecimal.
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // A field we do not know is an error, not silently dropped data.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * Text as the ledger accepts it: no control characters but tab and line breaks. A NUL in a title would be
     * stored in the event store's bytes, then refused by PostgreSQL's text columns of every projection that copies
     * it, and stop them; other control characters only hide what a text says.
     */
    static final class CleanText extends StdScalarDeserializer<String> {

        CleanText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                        throw JsonMappingException.from(parser, String.format(
                                "text must not contain control characters (U+%04X at position %d)", (int) c, i));
                    }
                }
            }
            return text;
        }
    }
}
