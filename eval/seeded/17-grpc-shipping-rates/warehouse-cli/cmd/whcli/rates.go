package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	shippingv1 "github.com/acme/apis/gen/go/acme/shipping/v1"
)

type ratesClient struct {
	conn *grpc.ClientConn
	api  shippingv1.RatesServiceClient
}

func dialRates(target string) (*ratesClient, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return &ratesClient{conn: conn, api: shippingv1.NewRatesServiceClient(conn)}, nil
}

func quoteCmd(target *string) *cobra.Command {
	var dest, postal string
	var grams int32
	cmd := &cobra.Command{
		Use:   "quote",
		Short: "Quote carrier rates for one parcel",
		RunE: func(cmd *cobra.Command, _ []string) error {
			rc, err := dialRates(*target)
			if err != nil {
				return err
			}
			defer rc.conn.Close()

			ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Second)
			defer cancel()
			resp, err := rc.api.QuoteRates(ctx, &shippingv1.QuoteRatesRequest{
				OriginCountry:         "DE",
				DestinationCountry:    strings.ToUpper(dest),
				DestinationPostalCode: postal,
				Parcels:               []*shippingv1.Parcel{{WeightGrams: grams}},
			})
			if err != nil {
				return err
			}

			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "quote %s\nCARRIER\tLEVEL\tPRICE\tDAYS\n", resp.GetQuoteId())
			for _, q := range resp.GetQuotes() {
				price := float64(q.GetAmountMinor()) / 100
				fmt.Fprintf(tw, "%s\t%s\t%.2f %s\t%d\n", q.GetCarrierCode(), q.GetServiceLevel(), price, q.GetCurrencyCode(), q.GetEstimatedDays())
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&dest, "to", "DE", "destination country")
	cmd.Flags().StringVar(&postal, "postal", "", "destination postal code")
	cmd.Flags().Int32Var(&grams, "grams", 1000, "parcel weight in grams")
	return cmd
}

func trackCmd(target *string) *cobra.Command {
	return &cobra.Command{
		Use:   "track CARRIER PARCEL_ID",
		Short: "Print the public tracking link for a parcel",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			rc, err := dialRates(*target)
			if err != nil {
				return err
			}
			defer rc.conn.Close()

			carrier, err := rc.api.GetCarrier(cmd.Context(), &shippingv1.GetCarrierRequest{CarrierCode: args[0]})
			if err != nil {
				return err
			}
			link := strings.ReplaceAll(carrier.GetTrackingUrlTemplate(), "{id}", args[1])
			fmt.Printf("%s: %s\n", carrier.GetDisplayName(), link)
			return nil
		},
	}
}
