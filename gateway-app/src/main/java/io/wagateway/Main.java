package io.wagateway;

import io.helidon.logging.common.LogConfig;
import io.wagateway.config.ConfigException;
import io.wagateway.config.EnvOverrides;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Starts the gateway from {@code application.yaml} and the environment; stops it on SIGTERM/Ctrl-C. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        Gateway gateway;
        try {
            gateway = Gateway.start(EnvOverrides.load(System.getenv(), Map.of()));
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
    }
}
