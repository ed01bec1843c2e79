package org.convergenceledger.query.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** One admin client for the topic and the health checks: reachability, end offsets, creation at start. */
@Component
public class KafkaAdmin implements DisposableBean {

    record Cluster(String clusterId, int brokers) {
    }

    private final Admin admin;
    private final int timeoutMs;

    KafkaAdmin(KafkaProperties kafka, QueryProperties properties) {
        timeoutMs = (int) properties.kafkaHealthTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(kafka.getProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "query-service-health");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        admin = Admin.create(config);
    }

    Cluster describeCluster() throws Exception {
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
        return new Cluster(cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS),
                cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size());
    }

    // The offset the next record of each partition of the topic will get.
    public Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        TopicDescription description = admin
                .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMs))
                .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(partition ->
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(timeoutMs)).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    // False when the topic was there already (or another service created it first).
    boolean createTopicIfMissing(String topic, int partitions, short replicationFactor) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)),
                            new CreateTopicsOptions().timeoutMs(timeoutMs))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException failed) {
            // Created already; or not ours to create (a closed broker lets only the command service create it).
            if (failed.getCause() instanceof TopicExistsException
                    || failed.getCause() instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                return false;
            }
            throw failed;
        }
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
