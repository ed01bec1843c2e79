package org.convergenceledger.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (deploy/compose.yaml, deploy/kubernetes/) against what the services and the local stack say:
 * nothing here runs a container, so this is what checks them. Ports are the services' server.port; probes are the
 * Actuator groups the services enable; every environment variable set is one a service reads and every one it needs
 * is set; Kafka logins, topics and ACLs are LedgerBrokerAccess's; secrets are documented or made by an operator;
 * Services and disruption budgets select the workloads' pods; both services run as two instances.
 */
class DeploymentFilesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    /** Properties the Java code reads by name; their relaxed environment names are read too. */
    private static final Pattern PROPERTY_IN_CODE =
            Pattern.compile("(?:\\$\\{|name = \")([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)");
    private static final Pattern AGENCY_TOPIC = Pattern.compile("ledger\\.commands\\.[A-Z][A-Z0-9_]{1,31}");
    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String READINESS = "/actuator/health/readiness";
    /** Read by the image's entry point (deploy/Dockerfile), not by Spring. */
    private static final String IMAGE_VARIABLE = "JAVA_OPTS";

    private static Path repo;
    private static Map<String, Service> services;
    private static List<Map<String, Object>> kubernetes;
    private static Map<String, Object> compose;

    /** A service's configuration as its yml file says it. */
    record Service(String name, Map<String, Object> yml, Map<String, String> placeholders, Set<String> readable) {

        int port() {
            return Integer.parseInt(resolve(string(yml, "server.port")));
        }

        /** A value of the yml with its placeholder's default. */
        String resolve(String value) {
            Matcher m = PLACEHOLDER.matcher(value);
            return m.replaceAll(r -> Matcher.quoteReplacement(Objects.toString(r.group(2), "")));
        }

        /** Variables without which the service cannot run anywhere but on the developer's machine. */
        Set<String> required() {
            return placeholders.entrySet().stream()
                    .filter(e -> e.getValue() == null || e.getValue().contains("localhost")
                            || e.getKey().endsWith("_PASSWORD"))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @BeforeAll
    static void load() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("deploy/compose.yaml"))) {
            here = here.getParent();
        }
        assertThat(here).as("the repository root (with deploy/compose.yaml) above the working directory").isNotNull();
        repo = here;
        services = new LinkedHashMap<>();
        for (String name : List.of("command-service", "query-service")) {
            services.put(name, service(name));
        }
        kubernetes = new ArrayList<>();
        try (Stream<Path> files = Files.list(repo.resolve("deploy/kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        Map<String, Object> resource = map(document);
                        resource.put("_file", file.getFileName().toString());
                        kubernetes.add(resource);
                    }
                }
            }
        }
        compose = map(new Yaml().load(Files.readString(repo.resolve("deploy/compose.yaml"))));
    }

    private static Service service(String name) throws IOException {
        Path module = repo.resolve(name);
        String text = Files.readString(module.resolve("src/main/resources/" + name + ".yml"));
        Map<String, Object> yml = map(new Yaml().load(text));
        Map<String, String> placeholders = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.putIfAbsent(m.group(1), m.group(2));
        }
        Set<String> readable = new TreeSet<>(placeholders.keySet());
        for (Path sources : List.of(module.resolve("src/main/java"), repo.resolve("shared-web/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher p = PROPERTY_IN_CODE.matcher(Files.readString(file));
                    while (p.find()) {
                        readable.add(p.group(1).toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"));
                    }
                }
            }
        }
        return new Service(name, yml, placeholders, readable);
    }

    // --- ports and probes --------------------------------------------------------------------------------------

    @Test
    void containersServicesAndComposeUseEachServicesPort() {
        assertThat(services.get("command-service").port()).isEqualTo(8081);
        assertThat(services.get("query-service").port()).isEqualTo(8082);
        for (Service service : services.values()) {
            Map<String, Object> container = container(service.name());
            Map<String, Object> http = list(container.get("ports")).stream().map(DeploymentFilesTest::map)
                    .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
            assertThat(http.get("containerPort")).as(service.name() + "'s containerPort").isEqualTo(service.port());
            Map<String, Object> port = map(list(at(resource("Service", service.name()), "spec.ports")).get(0));
            assertThat(port.get("port")).as("Service " + service.name()).isEqualTo(service.port());
            assertThat(port.get("targetPort")).isEqualTo("http");
            assertThat(list(composeService(service.name()).get("ports")))
                    .as("compose publishes " + service.name())
                    .containsExactly(service.port() + ":" + service.port());
        }
        // The query service relays to the command service (LEDGER_COMMAND_URL): its Service and its port.
        URI k8s = URI.create(kubernetesEnvironment("query-service").get("LEDGER_COMMAND_URL"));
        assertThat(k8s.getHost()).isEqualTo(string(resource("Service", "command-service"), "metadata.name"));
        assertThat(k8s.getPort()).isEqualTo(services.get("command-service").port());
        URI composed = URI.create(composeEnvironment("query-service").get("LEDGER_COMMAND_URL"));
        assertThat(map(compose.get("services"))).containsKey(composed.getHost());
        assertThat(composed.getPort()).isEqualTo(services.get("command-service").port());
    }

    @Test
    void probesAskTheActuatorGroupsTheServicesEnableAndLeaveOpen() throws IOException {
        for (Service service : services.values()) {
            assertThat(at(service.yml(), "management.endpoint.health.probes.enabled"))
                    .as(service.name() + " enables the liveness and readiness groups").isEqualTo(true);
            // Both services start their rules with shared-web's, which leave the health groups open to anyone.
            String security = Files.readString(repo.resolve(service.name()).resolve("src/main/java/org/convergenceledger/"
                    + service.name().replace("-service", "") + "/access/SecurityConfiguration.java"));
            assertThat(security).as(service.name() + " starts with the shared rules")
                    .contains("LedgerSecurity.operationsAndDescription(endpoints)");
            assertThat(Files.readString(repo.resolve(
                    "shared-web/src/main/java/org/convergenceledger/web/LedgerSecurity.java")))
                    .as("the shared rules let anyone read the health groups")
                    .containsPattern("requestMatchers\\(HttpMethod.GET,[^)]*\"/actuator/health/\\*\\*\"[^)]*\\)\\.permitAll\\(\\)");
            Map<String, Object> container = container(service.name());
            assertThat(string(container, "livenessProbe.httpGet.path")).isEqualTo(LIVENESS);
            assertThat(string(container, "startupProbe.httpGet.path")).isEqualTo(LIVENESS);
            assertThat(string(container, "readinessProbe.httpGet.path")).isEqualTo(READINESS);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(at(container, probe + ".httpGet.port")).isEqualTo("http");
            }
            assertThat(String.join(" ", strings(at(composeService(service.name()), "healthcheck.test"))))
                    .contains("http://localhost:" + service.port() + READINESS);
        }
    }

    // --- environment -------------------------------------------------------------------------------------------

    @Test
    void everyVariableSetIsReadAndEveryNeededOneIsSet() throws IOException {
        String dockerfile = Files.readString(repo.resolve("deploy/Dockerfile"));
        assertThat(dockerfile).contains("$" + IMAGE_VARIABLE);
        for (Service service : services.values()) {
            Set<String> readable = new HashSet<>(service.readable());
            readable.add(IMAGE_VARIABLE);
            assertThat(service.required()).contains("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_PASSWORD");
            for (Map<String, String> environment : List.of(kubernetesEnvironment(service.name()),
                    composeEnvironment(service.name()))) {
                assertThat(readable).as(service.name() + " reads what it is given")
                        .containsAll(environment.keySet());
                assertThat(environment.keySet()).as(service.name() + " is given what it needs")
                        .containsAll(service.required());
            }
        }
    }

    // --- Kafka -------------------------------------------------------------------------------------------------

    @Test
    void theServicesLogInAsTheirPrincipalsWithTheMechanismTheBrokerOffers() {
        Map<String, String> principals = Map.of("command-service", LedgerBrokerAccess.COMMAND_SERVICE,
                "query-service", LedgerBrokerAccess.QUERY_SERVICE);
        String mechanism = String.valueOf(
                map(at(services.get("query-service").yml(), "axon.kafka.properties")).get("[sasl.mechanism]"));
        assertThat(mechanism).isEqualTo("SCRAM-SHA-256");
        Map<String, Object> kafka = resource("Kafka", null);
        for (Service service : services.values()) {
            String expected = principals.get(service.name());
            assertThat(service.placeholders().get("KAFKA_USERNAME")).as(service.name() + "'s default login")
                    .isEqualTo(expected);
            for (Map<String, String> environment : List.of(kubernetesEnvironment(service.name()),
                    composeEnvironment(service.name()))) {
                assertThat(environment).containsEntry("KAFKA_USERNAME", expected)
                        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            }
            // Kubernetes: the bootstrap Service Strimzi makes, on a listener without TLS offering the mechanism.
            String bootstrap = kubernetesEnvironment(service.name()).get("KAFKA_BOOTSTRAP_SERVERS");
            String[] hostPort = bootstrap.split(":");
            assertThat(hostPort[0]).isEqualTo(string(kafka, "metadata.name") + "-kafka-bootstrap");
            Map<String, Object> listener = list(at(kafka, "spec.kafka.listeners")).stream()
                    .map(DeploymentFilesTest::map)
                    .filter(l -> String.valueOf(l.get("port")).equals(hostPort[1])).findFirst().orElseThrow();
            assertThat(listener.get("tls")).isEqualTo(false);
            assertThat(at(listener, "authentication.sasl")).isEqualTo(true);
            assertThat(mechanisms(map(at(listener, "authentication.listenerConfig")))).contains(mechanism);
            // Compose: the broker's listener that the services reach offers it too.
            String composed = composeEnvironment(service.name()).get("KAFKA_BOOTSTRAP_SERVERS");
            Map<String, String> broker = composeEnvironment("kafka");
            assertThat(broker.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("CLIENT://" + composed);
            assertThat(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).contains("CLIENT:SASL_PLAINTEXT");
            assertThat(broker.get("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS").split(","))
                    .contains(mechanism);
        }
        // The passwords the grant script sets are the ones the services log in with.
        Map<String, Map<String, Object>> jobEnvironment = environmentReferences(
                map(list(at(resource("Job", "ledger-kafka-access"), "spec.template.spec.containers")).get(0)));
        assertThat(secretKey(jobEnvironment.get("KAFKA_PASSWORD_COMMAND")))
                .isEqualTo(secretKey(environmentReferences(container("command-service")).get("KAFKA_PASSWORD")));
        assertThat(secretKey(jobEnvironment.get("KAFKA_PASSWORD_QUERY")))
                .isEqualTo(secretKey(environmentReferences(container("query-service")).get("KAFKA_PASSWORD")));
        assertThat(composeVariable(composeEnvironment("kafka-access").get("KAFKA_PASSWORD_COMMAND")))
                .isEqualTo(composeVariable(composeEnvironment("command-service").get("KAFKA_PASSWORD")));
        assertThat(composeVariable(composeEnvironment("kafka-access").get("KAFKA_PASSWORD_QUERY")))
                .isEqualTo(composeVariable(composeEnvironment("query-service").get("KAFKA_PASSWORD")));
    }

    @Test
    void theTopicsAreTheLedgersWithTheirPartitions() throws IOException {
        Map<String, Object> command = services.get("command-service").yml();
        assertThat(LedgerBrokerAccess.TOPICS).contains(string(command, "ledger.publishing.topic"),
                string(command, "ledger.ingestion.results-topic"), string(command, "ledger.ingestion.dead-letter-topic"),
                string(services.get("query-service").yml(), "axon.kafka.default-topic"));
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        for (Map<String, Object> topic : resources("KafkaTopic")) {
            topics.put(Objects.toString(at(topic, "spec.topicName"), string(topic, "metadata.name")), topic);
        }
        Set<String> agencies = topics.keySet().stream().filter(t -> AGENCY_TOPIC.matcher(t).matches())
                .collect(Collectors.toSet());
        assertThat(agencies).as("an example agency's topic").isNotEmpty()
                .allMatch(t -> t.startsWith(string(command, "ledger.ingestion.topic-prefix")));
        Set<String> ledger = new LinkedHashSet<>(topics.keySet());
        ledger.removeAll(agencies);
        assertThat(ledger).containsExactlyInAnyOrderElementsOf(LedgerBrokerAccess.TOPICS);
        assertThat(at(topics.get(string(command, "ledger.publishing.topic")), "spec.partitions"))
                .isEqualTo(at(command, "ledger.publishing.partitions"));
        for (String agency : agencies) {
            assertThat(at(topics.get(agency), "spec.partitions")).isEqualTo(at(command, "ledger.ingestion.partitions"));
        }
        for (Map<String, Object> topic : topics.values()) {
            assertThat(String.valueOf(at(topic, "spec.config.[retention.ms]"))).isEqualTo("-1");
            assertThat(at(topic, "metadata.labels.[strimzi.io/cluster]"))
                    .isEqualTo(string(resource("Kafka", null), "metadata.name"));
        }
        assertThat(lines(repo.resolve("deploy/kubernetes/kafka-access/topics.txt")))
                .containsExactlyElementsOf(LedgerBrokerAccess.TOPICS);
        assertThat(composeEnvironment("kafka-access").get("TOPIC_PARTITIONS"))
                .isEqualTo(String.valueOf(at(command, "ledger.publishing.partitions")));
    }

    @Test
    void theAclsAreLedgerBrokerAccesss() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (LedgerBrokerAccess.Grant grant : LedgerBrokerAccess.grants()) {
            expected.add(String.join(" ", grant.principal(), normal(grant.type().name()),
                    normal(grant.pattern().name()), grant.name(),
                    grant.operations().stream().map(o -> normal(o.name())).sorted().collect(Collectors.joining(","))));
        }
        Set<String> declared = new TreeSet<>();
        for (String line : lines(repo.resolve("deploy/kubernetes/kafka-access/acls.txt"))) {
            String[] f = line.trim().split("\\s+");
            assertThat(f).as(line).hasSize(5);
            declared.add(String.join(" ", f[0], normal(f[1]), normal(f[2]), f[3],
                    Stream.of(f[4].split(",")).map(DeploymentFilesTest::normal).sorted()
                            .collect(Collectors.joining(","))));
        }
        assertThat(declared).containsExactlyElementsOf(expected);
        // The ACL list and the script reach the Job through the kustomization's generated ConfigMap.
        Map<String, Object> kustomization = kustomization();
        Map<String, Object> generated = map(list(kustomization.get("configMapGenerator")).get(0));
        assertThat(strings(generated.get("files"))).contains("kafka-access/acls.txt", "kafka-access/grant.sh");
        List<Object> volumes = list(at(resource("Job", "ledger-kafka-access"), "spec.template.spec.volumes"));
        assertThat(at(map(volumes.get(0)), "configMap.name")).isEqualTo(generated.get("name"));
    }

    // --- secrets, databases, the signing key -------------------------------------------------------------------

    @Test
    void secretsAreDocumentedOrMadeByAnOperatorAndNeverWrittenHere() throws IOException {
        assertThat(resources("Secret")).as("no secret in the files").isEmpty();
        assertThat(kustomization()).doesNotContainKey("secretGenerator");
        String documentation = Files.readString(repo.resolve("docs/deployment.md"));
        Set<String> byOperator = resources("KafkaUser").stream().map(u -> string(u, "metadata.name"))
                .collect(Collectors.toSet());
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        for (Map<String, Object> resource : kubernetes) {
            collectSecrets(resource, referenced);
        }
        assertThat(referenced).containsKeys("ledger-db-command", "ledger-kafka-logins", "ledger-signing-key");
        for (Map.Entry<String, Set<String>> secret : referenced.entrySet()) {
            String row = documentation.lines().filter(l -> l.startsWith("| `" + secret.getKey() + "` |"))
                    .findFirst().orElse(null);
            assertThat(row).as("secret " + secret.getKey() + " in docs/deployment.md's table").isNotNull();
            for (String key : secret.getValue()) {
                assertThat(row).as("key " + key + " of " + secret.getKey()).contains("`" + key + "`");
            }
            if (byOperator.contains(secret.getKey())) {
                assertThat(row).contains("User Operator");
            }
        }
    }

    @Test
    void theServicesReachTheDatabasesTheOperatorAndComposeMake() throws IOException {
        Map<String, Object> cluster = resource("Cluster", null);
        String rw = string(cluster, "metadata.name") + "-rw";
        String commandDatabase = string(cluster, "spec.bootstrap.initdb.database");
        Map<String, Object> queryDatabase = resource("Database", null);
        assertThat(at(queryDatabase, "spec.cluster.name")).isEqualTo(string(cluster, "metadata.name"));
        Map<String, String> command = kubernetesEnvironment("command-service");
        Map<String, String> query = kubernetesEnvironment("query-service");
        assertThat(command.get("COMMAND_DB_URL")).isEqualTo("jdbc:postgresql://" + rw + ":5432/" + commandDatabase);
        assertThat(query.get("QUERY_DB_URL"))
                .isEqualTo("jdbc:postgresql://" + rw + ":5432/" + string(queryDatabase, "spec.name"));
        assertThat(query.get("LEDGER_EVENT_STORE_URL")).endsWith("/" + commandDatabase);
        // The roles the services log in as exist: the owner of initdb and the managed roles.
        Set<String> roles = list(at(cluster, "spec.managed.roles")).stream()
                .map(r -> string(map(r), "name")).collect(Collectors.toSet());
        assertThat(roles).contains(string(queryDatabase, "spec.owner"), "ledger_event_reader");
        assertThat(string(cluster, "spec.bootstrap.initdb.owner")).isEqualTo("ledger_command");
        assertThat(string(cluster, "spec.imageName")).endsWith(":16");

        Map<String, String> postgres = composeEnvironment("postgres");
        String init = Files.readString(repo.resolve("deploy/compose/postgres-init.sql"));
        assertThat(composeEnvironment("command-service").get("COMMAND_DB_URL"))
                .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        String composedQuery = composeEnvironment("query-service").get("QUERY_DB_URL");
        assertThat(init).contains("CREATE DATABASE " + composedQuery.substring(composedQuery.lastIndexOf('/') + 1) + ";");
        assertThat(init).contains("CREATE ROLE " + composeEnvironment("query-service").get("LEDGER_EVENT_STORE_USER"));
        assertThat(String.valueOf(composeService("postgres").get("image"))).isEqualTo("postgres:16");
    }

    @Test
    void theSigningKeyComesFromASecretAndTheSignerWritesBesideItOnItsOwnVolume() {
        String keyFile = kubernetesEnvironment("command-service").get("LEDGER_SIGNING_KEY_FILE");
        Map<String, Object> commandService = workload("command-service");
        Map<String, Object> pod = map(at(commandService, "spec.template.spec"));
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object volume : list(pod.get("volumes"))) {
            volumes.put(string(map(volume), "name"), map(volume));
        }
        // The key's directory is on a volume the service writes (not the secret's, which is read-only).
        Optional<Map<String, Object>> mounted = list(container("command-service").get("volumeMounts")).stream()
                .map(DeploymentFilesTest::map).filter(v -> keyFile.startsWith(v.get("mountPath") + "/")).findFirst();
        assertThat(mounted).as(keyFile + " lies on a volume of the service").isPresent();
        Map<String, Object> mount = mounted.get();
        // Each instance's own volume: made for each pod from the StatefulSet's claim template, never shared.
        assertThat(volumes).doesNotContainKey(string(mount, "name"));
        assertThat(list(at(commandService, "spec.volumeClaimTemplates")).stream()
                .map(template -> string(map(template), "metadata.name"))).containsExactly(string(mount, "name"));
        // The init container copies the secret's key there.
        Map<String, Object> init = map(list(pod.get("initContainers")).get(0));
        assertThat(String.join(" ", strings(init.get("command")))).contains(keyFile);
        Set<String> initVolumes = list(init.get("volumeMounts")).stream().map(v -> string(map(v), "name"))
                .collect(Collectors.toSet());
        assertThat(initVolumes).contains(string(mount, "name"));
        assertThat(initVolumes.stream().map(volumes::get).filter(v -> v != null && v.containsKey("secret"))
                .map(v -> string(v, "secret.secretName"))).containsExactly("ledger-signing-key");
        // Compose: on the service's volume too.
        String composed = composeEnvironment("command-service").get("LEDGER_SIGNING_KEY_FILE");
        assertThat(strings(composeService("command-service").get("volumes")))
                .anyMatch(v -> v.startsWith("command-state:") && composed.startsWith(v.split(":")[1] + "/"));
    }

    // --- Deployments, Services, budgets, kustomization ---------------------------------------------------------

    @Test
    void servicesAndBudgetsSelectTheDeploymentsPods() {
        List<Map<String, Object>> deployments = workloads();
        assertThat(deployments).extracting(d -> string(d, "metadata.name"))
                .containsExactlyInAnyOrderElementsOf(services.keySet());
        for (Map<String, Object> deployment : deployments) {
            String name = string(deployment, "metadata.name");
            assertThat(name).isEqualTo(string(services.get(name).yml(), "spring.application.name"));
            Map<String, Object> podLabels = map(at(deployment, "spec.template.metadata.labels"));
            assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec.selector.matchLabels")));
            assertThat(podLabels).containsAllEntriesOf(map(at(resource("Service", name), "spec.selector")));
            Map<String, Object> budget = resource("PodDisruptionBudget", name);
            assertThat(podLabels).containsAllEntriesOf(map(at(budget, "spec.selector.matchLabels")));
            for (Map<String, Object> other : deployments) {
                if (other != deployment) {
                    assertThat(map(at(other, "spec.template.metadata.labels")))
                            .as("the selectors of " + name + " choose only its pods")
                            .doesNotContainEntry("app.kubernetes.io/name", podLabels.get("app.kubernetes.io/name"));
                }
            }
        }
    }

    @Test
    void bothServicesRunTwiceAndADrainLeavesOneOfEach() {
        Map<String, Object> command = resource("StatefulSet", "command-service");
        assertThat((Integer) at(command, "spec.replicas")).isGreaterThanOrEqualTo(2);
        assertThat(at(command, "spec.updateStrategy.type")).isEqualTo("RollingUpdate");
        Map<String, Object> governing = resource("Service", string(command, "spec.serviceName"));
        assertThat(string(governing, "spec.clusterIP")).isEqualTo("None");
        Map<String, Object> query = resource("Deployment", "query-service");
        assertThat((Integer) at(query, "spec.replicas")).isGreaterThanOrEqualTo(2);
        for (Map<String, Object> workload : List.of(command, query)) {
            String name = string(workload, "metadata.name");
            assertThat((Integer) at(resource("PodDisruptionBudget", name), "spec.minAvailable")).as(name)
                    .isBetween(1, (Integer) at(workload, "spec.replicas") - 1);
        }
        assertThat(composeService("command-service")).doesNotContainKey("deploy");
    }

    @Test
    void theKustomizationListsEveryFileAndTheImagesUsed() throws IOException {
        Map<String, Object> kustomization = kustomization();
        Set<String> files;
        try (Stream<Path> list = Files.list(repo.resolve("deploy/kubernetes"))) {
            files = list.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .collect(Collectors.toSet());
        }
        assertThat(strings(kustomization.get("resources"))).containsExactlyInAnyOrderElementsOf(files);
        for (Object generator : list(kustomization.get("configMapGenerator"))) {
            for (String file : strings(map(generator).get("files"))) {
                assertThat(repo.resolve("deploy/kubernetes").resolve(file)).exists();
            }
        }
        Set<String> images = new TreeSet<>();
        for (Map<String, Object> deployment : workloads()) {
            Map<String, Object> pod = map(at(deployment, "spec.template.spec"));
            for (String part : List.of("containers", "initContainers")) {
                for (Object container : list(pod.getOrDefault(part, List.of()))) {
                    images.add(string(map(container), "image"));
                }
            }
        }
        assertThat(list(kustomization.get("images")).stream().map(i -> string(map(i), "name")))
                .containsExactlyInAnyOrderElementsOf(images);
        assertThat(string(kustomization, "namespace"))
                .isEqualTo(string(resource("Namespace", null), "metadata.name"));
    }

    // --- reading the files -------------------------------------------------------------------------------------

    private static Map<String, Object> kustomization() throws IOException {
        return map(new Yaml().load(Files.readString(repo.resolve("deploy/kubernetes/kustomization.yaml"))));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.trim().startsWith("#"))
                .map(String::trim).toList();
    }

    private static String normal(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static Set<String> mechanisms(Map<String, Object> listenerConfig) {
        return Stream.of(String.valueOf(listenerConfig.get("sasl.enabled.mechanisms")).split(","))
                .map(String::trim).collect(Collectors.toSet());
    }

    private static List<Map<String, Object>> resources(String kind) {
        return kubernetes.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    /** What runs the services' pods: Deployments (the query service) and StatefulSets (the command service). */
    private static List<Map<String, Object>> workloads() {
        return kubernetes.stream().filter(r -> "Deployment".equals(r.get("kind")) || "StatefulSet".equals(r.get("kind")))
                .toList();
    }

    private static Map<String, Object> workload(String name) {
        List<Map<String, Object>> found = workloads().stream().filter(r -> name.equals(at(r, "metadata.name"))).toList();
        assertThat(found).as("workload " + name).hasSize(1);
        return found.get(0);
    }

    /** The one resource of a kind (name null) or the one with that name. */
    private static Map<String, Object> resource(String kind, String name) {
        List<Map<String, Object>> found = resources(kind).stream()
                .filter(r -> name == null || name.equals(at(r, "metadata.name"))).toList();
        assertThat(found).as(kind + " " + Objects.toString(name, "")).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> container(String deployment) {
        List<Object> containers = list(at(workload(deployment), "spec.template.spec.containers"));
        return containers.stream().map(DeploymentFilesTest::map).filter(c -> deployment.equals(c.get("name")))
                .findFirst().orElseThrow();
    }

    /** Name to value of a container's environment: its ConfigMaps' entries, then its own (a secret: "secret:…"). */
    private static Map<String, String> kubernetesEnvironment(String deployment) {
        Map<String, Object> container = container(deployment);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object source : list(container.getOrDefault("envFrom", List.of()))) {
            Map<String, Object> configMap = resource("ConfigMap", string(map(source), "configMapRef.name"));
            map(configMap.get("data")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        }
        environmentReferences(container).forEach((name, variable) -> environment.put(name,
                variable.containsKey("value") ? String.valueOf(variable.get("value"))
                        : "secret:" + secretKey(variable)));
        return environment;
    }

    private static Map<String, Map<String, Object>> environmentReferences(Map<String, Object> container) {
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        for (Object variable : list(container.getOrDefault("env", List.of()))) {
            variables.put(string(map(variable), "name"), map(variable));
        }
        return variables;
    }

    private static String secretKey(Map<String, Object> variable) {
        return at(variable, "valueFrom.secretKeyRef.name") + "/" + at(variable, "valueFrom.secretKeyRef.key");
    }

    /** Every secret a resource names, with the keys it reads from it. */
    @SuppressWarnings("unchecked")
    private static void collectSecrets(Object node, Map<String, Set<String>> found) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            if (map.get("secretKeyRef") instanceof Map<?, ?> ref) {
                found.computeIfAbsent(String.valueOf(ref.get("name")), k -> new TreeSet<>())
                        .add(String.valueOf(ref.get("key")));
            }
            if (map.get("secretName") instanceof String name) {
                found.computeIfAbsent(name, k -> new TreeSet<>());
            }
            for (String field : List.of("secret", "passwordSecret", "secretRef")) {
                if (map.get(field) instanceof Map<?, ?> ref && ref.get("name") instanceof String name) {
                    found.computeIfAbsent(name, k -> new TreeSet<>());
                }
            }
            map.values().forEach(v -> collectSecrets(v, found));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectSecrets(v, found));
        }
    }

    private static Map<String, Object> composeService(String name) {
        Map<String, Object> service = map(map(compose.get("services")).get(name));
        assertThat(service).as("compose service " + name).isNotEmpty();
        return service;
    }

    /** The variable of deploy/.env a compose value comes from ("${KAFKA_PASSWORD_QUERY:?…}": KAFKA_PASSWORD_QUERY). */
    private static String composeVariable(String value) {
        Matcher m = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(?::?[-?][^}]*)?}$").matcher(value);
        assertThat(m.matches()).as(value + " comes from deploy/.env").isTrue();
        return m.group(1);
    }

    private static Map<String, String> composeEnvironment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        map(composeService(name).get("environment")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }

    /** A value at a dotted path; a segment in brackets ("[strimzi.io/cluster]") is one key with dots in it. */
    private static Object at(Map<String, Object> root, String path) {
        Object node = root;
        Matcher segments = Pattern.compile("\\[([^]]+)]|([^.\\[]+)").matcher(path);
        while (segments.find()) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(segments.group(1) != null ? segments.group(1) : segments.group(2));
        }
        return node;
    }

    private static String string(Map<String, Object> root, String path) {
        Object value = at(root, path);
        assertThat(value).as(path).isNotNull();
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
