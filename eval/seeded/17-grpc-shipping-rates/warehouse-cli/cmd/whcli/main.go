package main

import (
	"os"

	"github.com/spf13/cobra"
)

func main() {
	target := os.Getenv("SHIPPING_RATES_ADDR")
	if target == "" {
		target = "shipping-rates:9090"
	}
	root := &cobra.Command{Use: "whcli", Short: "Warehouse floor tools"}
	root.PersistentFlags().StringVar(&target, "rates-addr", target, "shipping-rates gRPC address")
	root.AddCommand(quoteCmd(&target), trackCmd(&target))
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
