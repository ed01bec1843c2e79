package org.convergenceledger.command;

import java.sql.SQLException;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

// Every Kafka client of this service logs in as its own principal (system/KafkaClients): no template, factory or
// listener infrastructure from spring.kafka.* settings, which would point at localhost:9092 without a login.
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class CommandServiceApplication {

    /** Both services share a classpath in the integration tests, so each reads its own configuration file. */
    public static final String CONFIG_NAME = "spring.config.name=command-service";

    public static void main(String[] args) {
        try {
            new SpringApplicationBuilder(CommandServiceApplication.class).properties(CONFIG_NAME).run(args);
        } catch (RuntimeException startupFailure) {
            LoggerFactory.getLogger(CommandServiceApplication.class)
                    .error("command-service could not start: {}", rootMessage(startupFailure));
            // Axon's non-daemon threads would otherwise keep a JVM that failed to start alive.
            System.exit(1);
        }
    }

    /** The driver's message names the database and port; the deeper causes only say "Connection refused". */
    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        for (; cause.getCause() != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException database) {
                return "the command database cannot be reached: " + database.getMessage();
            }
        }
        return cause.toString();
    }
}
