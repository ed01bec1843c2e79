package org.convergenceledger.events.access;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a client of the ledger's Kafka broker logs in: SASL/SCRAM-SHA-256 with a principal of its own (the command
 * service, the query service, each agency), so that the broker's ACLs decide who may write and read each topic. The
 * property names are Kafka's client configuration; this module does not depend on Kafka for them. A broker without
 * authentication (an existing PLAINTEXT cluster) is reached with {@link #none()}.
 */
public record BrokerLogin(String protocol, String username, String password) {

    public static final String SCRAM = "SCRAM-SHA-256";

    public static BrokerLogin scram(String username, String password) {
        return new BrokerLogin("SASL_PLAINTEXT", username, password);
    }

    public static BrokerLogin none() {
        return new BrokerLogin("PLAINTEXT", null, null);
    }

    /** The principal's name as the broker's ACLs know it. */
    public String principal() {
        return "User:" + username;
    }

    /** security.protocol, sasl.mechanism and sasl.jaas.config, to add to any producer, consumer or admin client. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            properties.put("sasl.mechanism", SCRAM);
            properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"" + quoted(username) + "\" password=\"" + quoted(password) + "\";");
        }
        return properties;
    }

    private static String quoted(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "BrokerLogin[" + protocol + (username == null ? "" : ", " + username) + "]";
    }
}
