package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	paymentsv1 "github.com/acme/payments/gen/go/acme/payments/v1"
	"github.com/acme/payments/internal/server"
)

type sandboxAcquirer struct{}

func (sandboxAcquirer) Authorize(_ context.Context, token string, _ *paymentsv1.Money) (string, string, error) {
	if token == "tok_decline" {
		return "", "insufficient_funds", nil
	}
	return fmt.Sprintf("A%06d", len(token)*7919%1000000), "", nil
}

func (sandboxAcquirer) Capture(context.Context, string, *paymentsv1.Money) error { return nil }
func (sandboxAcquirer) Refund(context.Context, string, *paymentsv1.Money) error  { return nil }

func main() {
	addr := os.Getenv("GRPC_ADDR")
	if addr == "" {
		addr = ":50051"
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}

	srv := grpc.NewServer()
	paymentsv1.RegisterPaymentServiceServer(srv, server.New(sandboxAcquirer{}))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	reflection.Register(srv)

	log.Printf("payments gRPC listening on %s", addr)
	if err := srv.Serve(lis); err != nil {
		log.Fatalf("serve: %v", err)
	}
}
