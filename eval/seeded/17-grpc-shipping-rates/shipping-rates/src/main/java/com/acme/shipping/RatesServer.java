package com.acme.shipping;

import java.io.IOException;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;

public final class RatesServer {

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("GRPC_PORT", "9090"));
        HealthStatusManager health = new HealthStatusManager();

        Server server = ServerBuilder.forPort(port)
                .addService(new RatesServiceImpl())
                .addService(health.getHealthService())
                .addService(ProtoReflectionService.newInstance())
                .build()
                .start();

        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("shipping-rates listening on " + port);
        server.awaitTermination();
    }
}
