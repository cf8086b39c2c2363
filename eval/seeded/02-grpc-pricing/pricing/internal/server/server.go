package server

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	pricingv1 "github.com/acme-retail/pricing/gen/acme/pricing/v1"
	"github.com/acme-retail/pricing/internal/catalog"
)

type Server struct {
	pricingv1.UnimplementedPricingServiceServer

	catalog catalog.Store
	ttl     time.Duration
}

func New(store catalog.Store, ttl time.Duration) *Server {
	return &Server{catalog: store, ttl: ttl}
}

func (s *Server) GetPrice(ctx context.Context, req *pricingv1.GetPriceRequest) (*pricingv1.GetPriceResponse, error) {
	if req.GetSku() == "" {
		return nil, status.Error(codes.InvalidArgument, "sku is required")
	}
	p, err := s.catalog.Lookup(ctx, req.GetSku(), req.GetRegion())
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "no price for %q in %q", req.GetSku(), req.GetRegion())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return s.toResponse(p), nil
}

func (s *Server) ListPrices(ctx context.Context, req *pricingv1.ListPricesRequest) (*pricingv1.ListPricesResponse, error) {
	out := &pricingv1.ListPricesResponse{}
	for _, sku := range req.GetSkus() {
		p, err := s.catalog.Lookup(ctx, sku, req.GetRegion())
		if err != nil {
			continue
		}
		out.Prices = append(out.Prices, s.toResponse(p))
	}
	return out, nil
}

func (s *Server) QuoteBasket(ctx context.Context, req *pricingv1.QuoteBasketRequest) (*pricingv1.QuoteBasketResponse, error) {
	var currency string
	var subtotal, discount int64
	for _, line := range req.GetLines() {
		p, err := s.catalog.Lookup(ctx, line.GetSku(), req.GetRegion())
		if err != nil {
			return nil, status.Errorf(codes.FailedPrecondition, "sku %q has no price", line.GetSku())
		}
		currency = p.Currency
		qty := int64(line.GetQuantity())
		subtotal += p.ListMinor * qty
		if p.SaleMinor > 0 {
			discount += (p.ListMinor - p.SaleMinor) * qty
		}
	}
	return &pricingv1.QuoteBasketResponse{
		QuoteId:   uuid.NewString(),
		Subtotal:  money(currency, subtotal),
		Discount:  money(currency, discount),
		Total:     money(currency, subtotal-discount),
		ExpiresAt: timestamppb.New(time.Now().Add(s.ttl)),
	}, nil
}

func (s *Server) toResponse(p catalog.Price) *pricingv1.GetPriceResponse {
	resp := &pricingv1.GetPriceResponse{
		Sku:        p.SKU,
		ListPrice:  money(p.Currency, p.ListMinor),
		ValidUntil: timestamppb.New(time.Now().Add(s.ttl)),
	}
	if p.SaleMinor > 0 {
		resp.SalePrice = money(p.Currency, p.SaleMinor)
	}
	return resp
}

func money(currency string, minor int64) *pricingv1.Money {
	return &pricingv1.Money{
		CurrencyCode: currency,
		Units:        minor / 100,
		Nanos:        int32(minor%100) * 10_000_000,
	}
}
