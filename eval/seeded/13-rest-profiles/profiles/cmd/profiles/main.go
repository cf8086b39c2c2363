package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/profiles/internal/api"
	"github.com/acme/profiles/internal/profile"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))

	pool, err := pgxpool.New(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Error("connect postgres", "err", err)
		os.Exit(1)
	}
	defer pool.Close()

	srv := api.NewServer(profile.NewPostgresRepository(pool), log)
	if err := http.ListenAndServe(":8080", srv.Routes()); err != nil {
		log.Error("serve", "err", err)
		os.Exit(1)
	}
}
