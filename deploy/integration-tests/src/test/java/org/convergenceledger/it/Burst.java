package org.convergenceledger.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Proposals sent all along over HTTP (two senders) and Kafka, recording which were acknowledged and when. Over HTTP
 * each proposal goes to the command services in turn; one that cannot be reached (killed, restarting) is passed
 * over for the next with the same Idempotency-Key, as a load balancer retrying would: with one service, a proposal
 * sent while it is down is simply not acknowledged.
 */
final class Burst {

    private final LedgerSystem system;
    private final String run;
    private final List<ServiceProcess> commands;
    private final String key;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger counter = new AtomicInteger();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Set<String> http = ConcurrentHashMap.newKeySet();
    private final Set<String> kafka = ConcurrentHashMap.newKeySet();
    /** When each proposal was first sent (System.nanoTime). */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    Burst(LedgerSystem system, String run, List<ServiceProcess> commands, String key) {
        this.system = system;
        this.run = run;
        this.commands = List.copyOf(commands);
        this.key = key;
    }

    void start() {
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(this::sendOverHttp, "burst-http-" + i));
        }
        threads.add(new Thread(this::sendOverKafka, "burst-kafka"));
        threads.forEach(Thread::start);
    }

    private void sendOverHttp() {
        while (running.get()) {
            int number = counter.incrementAndGet();
            String id = "ANAPEC:" + run + "-H" + number;
            attempted.add(id);
            sentAt.put(id, System.nanoTime());
            for (int tried = 0; tried < commands.size(); tried++) {
                ServiceProcess command = commands.get((number + tried) % commands.size());
                try {
                    Http.Response response = Http.post(command.url() + "/api/activities",
                            Ledger.proposal(id, "ANAPEC"), "Authorization", "Bearer " + key, "Idempotency-Key",
                            id.replace(':', '-'));
                    if (response.status() == 201) {
                        http.add(id);
                    }
                    break;
                } catch (RuntimeException | AssertionError unreachable) {
                    // Down or cut mid-request: not acknowledged by it (it may still be stored, at most once).
                }
            }
            // About 10 commands a second over HTTP and 5 over Kafka: enough to be mid-flight at every fault,
            // few enough that the ledger the later tests read stays small.
            sleepQuietly(200);
        }
    }

    private void sendOverKafka() {
        Map<String, Object> config = new HashMap<>(system.agencyLogin("OFPPT"));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            while (running.get()) {
                String id = "OFPPT:" + run + "-K" + counter.incrementAndGet();
                attempted.add(id);
                sentAt.put(id, System.nanoTime());
                byte[] value;
                try {
                    value = ("{\"type\": \"ProposeActivity\", \"command\": "
                            + Http.JSON.writeValueAsString(Ledger.proposal(id, "OFPPT")) + "}")
                            .getBytes(StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("ledger.commands.OFPPT", id, value);
                record.headers().add("ledger-idempotency-key", id.replace(':', '-').getBytes(StandardCharsets.UTF_8));
                try {
                    producer.send(record, (metadata, failure) -> {
                        if (failure == null) {
                            kafka.add(id);
                        }
                    });
                } catch (RuntimeException bufferFull) {
                    sleepQuietly(200);
                }
                sleepQuietly(200);
            }
            producer.flush();
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(150));
        }
    }

    Set<String> acknowledged() {
        Set<String> all = new HashSet<>(http);
        all.addAll(kafka);
        return all;
    }

    /** The acknowledged proposals first sent after that moment (System.nanoTime). */
    Set<String> acknowledgedSentAfter(long nanoTime) {
        return acknowledgedSentBetween(nanoTime, Long.MAX_VALUE);
    }

    /** The acknowledged proposals first sent between those moments (System.nanoTime). */
    Set<String> acknowledgedSentBetween(long from, long to) {
        Set<String> between = new HashSet<>();
        for (String id : acknowledged()) {
            long sent = sentAt.getOrDefault(id, Long.MIN_VALUE);
            if (sent > from && sent <= to) {
                between.add(id);
            }
        }
        return between;
    }

    Set<String> attempted() {
        return attempted;
    }

    int httpAcknowledged() {
        return http.size();
    }

    int kafkaAcknowledged() {
        return kafka.size();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
