// Command users runs the users service: gRPC on :9090, HTTP on :8081.
package main

import (
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/acme/users/internal/server"
	"github.com/acme/users/internal/store"
)

func main() {
	grpcAddr := envOr("GRPC_ADDR", ":9090")
	httpAddr := envOr("HTTP_ADDR", ":8081")

	st := store.NewMemoryStore(store.User{
		ID:          "u_demo",
		Email:       "demo@example.com",
		DisplayName: "Demo Customer",
		CreatedAt:   time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC),
	})

	g := grpc.NewServer()
	server.Register(g, server.NewUserServer(st))
	healthpb.RegisterHealthServer(g, health.NewServer())

	lis, err := net.Listen("tcp", grpcAddr)
	if err != nil {
		log.Fatalf("listen %s: %v", grpcAddr, err)
	}
	go func() {
		log.Printf("grpc listening on %s", grpcAddr)
		if err := g.Serve(lis); err != nil {
			log.Fatalf("grpc: %v", err)
		}
	}()

	log.Printf("http listening on %s", httpAddr)
	if err := http.ListenAndServe(httpAddr, server.NewHTTPHandler(st)); err != nil {
		log.Fatalf("http: %v", err)
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
