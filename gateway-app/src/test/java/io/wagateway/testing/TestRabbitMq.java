package io.wagateway.testing;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real RabbitMQ ({@code rabbitmq.test.uri}, default guest/guest on 127.0.0.1:5672;
 * {@code .ci/run} starts it) from a test's side: durable queues of its own bound to the sink's
 * exchange, a consumer that reads them, and a restart of the broker. Deletes what it declared.
 */
public final class TestRabbitMq implements AutoCloseable {

    public static final String URI = System.getProperty("rabbitmq.test.uri", "amqp://guest:guest@127.0.0.1:5672");

    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    /** @return a fresh exchange name, deleted on close */
    public String newExchangeName() {
        String name = "wagw-test-" + UUID.randomUUID();
        exchanges.add(name);
        return name;
    }

    /**
     * Declares the exchange as the sink does (durable topic) and a durable queue bound to it: the
     * queue keeps what is routed to it while no one reads it, across a broker restart too. It expires
     * a minute after its last use should a test die before deleting it.
     *
     * @return the queue's name
     */
    public String bindQueue(String exchange, String bindingKey) throws Exception {
        String queue = "wagw-test-" + UUID.randomUUID();
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            channel.queueDeclare(queue, true, false, false, Map.of("x-expires", 60_000));
            channel.queueBind(queue, exchange, bindingKey);
        }
        queues.add(queue);
        return queue;
    }

    /**
     * Reads a queue until {@code done} holds for what arrived (acking each message after it is
     * recorded), or the patience runs out.
     *
     * @return every message read, in arrival order (repeats included)
     */
    public List<Delivery> read(String queue, java.util.function.Predicate<List<Delivery>> done, long patienceMillis)
            throws Exception {
        List<Delivery> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMillis);
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            java.util.concurrent.LinkedBlockingQueue<Delivery> arrived = new java.util.concurrent.LinkedBlockingQueue<>();
            channel.basicQos(500);
            channel.basicConsume(queue, false, (tag, delivery) -> arrived.add(delivery), tag -> {
            });
            while (!done.test(got)) {
                long left = deadline - System.nanoTime();
                Delivery next = left <= 0 ? null : arrived.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return got;
                }
                got.add(next);
                channel.basicAck(next.getEnvelope().getDeliveryTag(), false);
            }
        }
        return got;
    }

    /**
     * Stops the broker's application (every connection is closed, the port stops listening), runs
     * {@code whileDown}, then starts it again and waits until it is up. The broker is started again
     * even when {@code whileDown} fails.
     */
    public static void restartBroker(Runnable whileDown) {
        rabbitmqctl("stop_app");
        try {
            whileDown.run();
        } finally {
            rabbitmqctl("start_app");
            rabbitmqctl("await_startup");
        }
    }

    private static void rabbitmqctl(String command) {
        String executable = Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl")) ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";
        try {
            Process process = new ProcessBuilder(executable, "-q", command).redirectErrorStream(true).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("rabbitmqctl " + command + " did not finish within 90s");
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (process.exitValue() != 0) {
                throw new AssertionError("rabbitmqctl " + command + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new AssertionError("rabbitmqctl is needed to restart the broker (install rabbitmq-server; .ci/run does)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URI);
        factory.setConnectionTimeout(5000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("gateway tests");
    }

    @Override
    public void close() throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
        }
    }
}
