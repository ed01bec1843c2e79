package org.convergenceledger.query;

import java.sql.SQLException;
import java.util.Arrays;
import org.convergenceledger.query.audit.ReplayCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

// The query service reads Kafka through Axon's extension only. spring-kafka, when on the classpath (the command
// service's ingestion brings it into the integration tests' shared JVM), must not add Boot's beans beside ours.
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@ConfigurationPropertiesScan
public class QueryServiceApplication {

    private static final Logger log = LoggerFactory.getLogger(QueryServiceApplication.class);

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        try {
            builder().run(args);
        } catch (Throwable startupFailure) {
            log.error("query-service did not start: {}", reason(startupFailure));
            // Axon's non-daemon janitor thread would otherwise keep a failed JVM alive.
            System.exit(1);
        }
    }

    /** The service's application, with its own config name: the command-service jar shares the test classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(QueryServiceApplication.class)
                .properties("spring.config.name=query-service");
    }

    // The driver's message names the database and port; deeper causes only say "Connection refused".
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof SQLException database) {
                return "the query database cannot be reached: " + database.getMessage();
            }
            cause = cause.getCause();
        }
        return cause instanceof SQLException database
                ? "the query database cannot be reached: " + database.getMessage()
                : cause.toString();
    }
}
