package main

import (
	"log"
	"net/http"
	"os"

	"github.com/roadhaul/vehicles/internal/api"
)

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	log.Printf("vehicles listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, api.NewHandler().Routes()))
}
