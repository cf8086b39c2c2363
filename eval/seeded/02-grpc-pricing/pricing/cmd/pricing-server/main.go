package main

import (
	"log"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	pricingv1 "github.com/acme-retail/pricing/gen/acme/pricing/v1"
	"github.com/acme-retail/pricing/internal/catalog"
	"github.com/acme-retail/pricing/internal/server"
)

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	if addr == "" {
		addr = ":50051"
	}

	lis, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("listen %s: %v", addr, err)
	}

	srv := grpc.NewServer()
	pricingv1.RegisterPricingServiceServer(srv, server.New(catalog.NewMemoryStore(), 15*time.Minute))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	reflection.Register(srv)

	log.Printf("pricing listening on %s", addr)
	if err := srv.Serve(lis); err != nil {
		log.Fatal(err)
	}
}
