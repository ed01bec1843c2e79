package org.convergenceledger.command;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
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

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
