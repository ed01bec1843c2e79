package org.convergenceledger.benchmark;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A program's command line: options declared with a default and a line of help; the usage is made from them. */
final class Options {

    /** A command line the program cannot run with: exit status 2. */
    static final class BadArguments extends RuntimeException {
        BadArguments(String message) {
            super(message);
        }
    }

    /** An option whose default is "false" is a flag: {@code --name} alone sets it. */
    private record Option(String defaultValue, String help) {
        boolean flag() {
            return defaultValue.equals("false");
        }
    }

    private final String about;
    private final Map<String, Option> declared = new LinkedHashMap<>();
    private final Map<String, String> given = new HashMap<>();
    boolean help;

    /** @param about what the program measures, for the usage */
    Options(Class<?> program, String about) {
        // the jar's main (the pom's start-class) runs with -jar; the others through Boot's PropertiesLauncher
        this.about = "usage: java " + (program == CommandPathBenchmark.class ? "-jar benchmark-0.1.0-SNAPSHOT-exec.jar"
                : "-cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=" + program.getName()
                + " org.springframework.boot.loader.launch.PropertiesLauncher") + " [options]\n\n" + about;
    }

    /** Declares an option; declaring a name again changes its default and help. */
    Options option(String name, String defaultValue, String help) {
        declared.put(name, new Option(defaultValue, help));
        return this;
    }

    /** Where the system is: the two services, the command database, and how long one request may take. */
    Options system() {
        return option("command-url", "http://localhost:8081", "command service")
                .option("query-url", "http://localhost:8082", "query service")
                .option("jdbc-url", "jdbc:postgresql://localhost:15432/ledger_command", "command database")
                .option("db-user", "postgres", "database user (its password: $LEDGER_DB_PASSWORD, else postgres)")
                .option("request-timeout-seconds", "60", "one HTTP request or SQL statement");
    }

    Options parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.replaceFirst("^--", "").replaceFirst("=.*", "");
            Option option = declared.get(name);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (name.equals("db-password")) {
                throw new BadArguments("--db-password is not taken on the command line, where every user of the "
                        + "machine can read it (ps): set LEDGER_DB_PASSWORD");
            } else if (option == null || !arg.startsWith("--")) {
                throw new BadArguments("unknown option " + arg);
            } else if (arg.contains("=") || option.flag()) {
                given.put(name, arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "true");
            } else if (i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new BadArguments(arg + " needs a value");
            }
        }
        return this;
    }

    String text(String name) {
        return given.getOrDefault(name, declared.get(name).defaultValue()).strip();
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(text(name));
    }

    /** A whole number, at least 0. */
    int integer(String name) {
        return number(name, text(name), 0);
    }

    int positive(String name) {
        return number(name, text(name), 1);
    }

    /** Thread counts, e.g. 1,8,32. */
    List<Integer> levels(String name) {
        return Arrays.stream(text(name).split(",")).map(level -> number(name, level.strip(), 1)).toList();
    }

    private static int number(String name, String text, int min) {
        try {
            if (Integer.parseInt(text) >= min) {
                return Integer.parseInt(text);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadArguments("--" + name + ": '" + text + "' is not a whole number of at least " + min);
    }

    String url(String name) {
        String url = text(name).replaceAll("/$", "");
        if (!url.matches("(https?://|jdbc:postgresql:).+")) {
            throw new BadArguments("--" + name + " must be an http(s):// or jdbc:postgresql: URL, not '" + url + "'");
        }
        return url;
    }

    String usage() {
        StringBuilder usage = new StringBuilder(about).append("\noptions (also as --name=value):\n");
        declared.forEach((name, o) -> usage.append(String.format(Locale.ROOT, "  --%-26s %s%s%n", name, o.help(),
                o.flag() || o.defaultValue().isEmpty() ? "" : " (default " + o.defaultValue() + ")")));
        return usage.append("  --help                       this text\n\nexit status: 0 run completed (errors and "
                + "missed targets are in the figures), 1 system unreachable or broken, 2 bad arguments.\n").toString();
    }
}
