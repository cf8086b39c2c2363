package main

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/acme/invoices/internal/httpapi"
	"github.com/acme/invoices/internal/invoice"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))

	addr := os.Getenv("LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
	}

	srv := &http.Server{
		Addr:              addr,
		Handler:           httpapi.NewRouter(invoice.NewMemoryStore(), log),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Info("invoices listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil {
		log.Error("server stopped", "err", err)
		os.Exit(1)
	}
}
