package server

import (
	"context"
	"strings"
	"sync"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	paymentsv1 "github.com/acme/payments/gen/go/acme/payments/v1"
)

// Acquirer is the card network gateway (Adyen in production, a stub locally).
type Acquirer interface {
	Authorize(ctx context.Context, cardToken string, amount *paymentsv1.Money) (authCode string, declineReason string, err error)
	Capture(ctx context.Context, authCode string, amount *paymentsv1.Money) error
	Refund(ctx context.Context, authCode string, amount *paymentsv1.Money) error
}

type PaymentServer struct {
	paymentsv1.UnimplementedPaymentServiceServer

	acquirer Acquirer

	mu        sync.Mutex
	payments  map[string]*paymentsv1.Payment
	authCodes map[string]string
}

func New(acquirer Acquirer) *PaymentServer {
	return &PaymentServer{
		acquirer:  acquirer,
		payments:  make(map[string]*paymentsv1.Payment),
		authCodes: make(map[string]string),
	}
}

func (s *PaymentServer) AuthorizePayment(ctx context.Context, req *paymentsv1.AuthorizePaymentRequest) (*paymentsv1.AuthorizePaymentResponse, error) {
	if req.GetAmount().GetAmountMinor() <= 0 {
		return nil, status.Error(codes.InvalidArgument, "amount must be positive")
	}
	code, declined, err := s.acquirer.Authorize(ctx, req.GetCardToken(), req.GetAmount())
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "acquirer: %v", err)
	}
	id := "pay_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	st := paymentsv1.PaymentStatus_PAYMENT_STATUS_AUTHORIZED
	if declined != "" {
		st = paymentsv1.PaymentStatus_PAYMENT_STATUS_DECLINED
	}

	s.mu.Lock()
	s.payments[id] = &paymentsv1.Payment{
		PaymentId: id,
		OrderId:   req.GetOrderId(),
		Amount:    req.GetAmount(),
		Status:    st,
		CreatedAt: timestamppb.Now(),
	}
	s.authCodes[id] = code
	s.mu.Unlock()

	return &paymentsv1.AuthorizePaymentResponse{
		PaymentId:         id,
		Status:            st,
		AuthorizationCode: code,
		DeclineReason:     declined,
	}, nil
}

func (s *PaymentServer) CapturePayment(ctx context.Context, req *paymentsv1.CapturePaymentRequest) (*paymentsv1.CapturePaymentResponse, error) {
	p, code, err := s.lookup(req.GetPaymentId())
	if err != nil {
		return nil, err
	}
	if err := s.acquirer.Capture(ctx, code, req.GetAmount()); err != nil {
		return nil, status.Errorf(codes.Unavailable, "acquirer: %v", err)
	}
	s.mu.Lock()
	p.Status = paymentsv1.PaymentStatus_PAYMENT_STATUS_CAPTURED
	s.mu.Unlock()
	return &paymentsv1.CapturePaymentResponse{PaymentId: p.GetPaymentId(), Status: p.Status, Captured: req.GetAmount()}, nil
}

func (s *PaymentServer) RefundPayment(ctx context.Context, req *paymentsv1.RefundPaymentRequest) (*paymentsv1.RefundPaymentResponse, error) {
	p, code, err := s.lookup(req.GetPaymentId())
	if err != nil {
		return nil, err
	}
	if p.Status != paymentsv1.PaymentStatus_PAYMENT_STATUS_CAPTURED {
		return nil, status.Error(codes.FailedPrecondition, "only captured payments can be refunded")
	}
	if err := s.acquirer.Refund(ctx, code, req.GetAmount()); err != nil {
		return nil, status.Errorf(codes.Unavailable, "acquirer: %v", err)
	}
	s.mu.Lock()
	p.Status = paymentsv1.PaymentStatus_PAYMENT_STATUS_REFUNDED
	p.Refunded = req.GetAmount()
	s.mu.Unlock()
	return &paymentsv1.RefundPaymentResponse{
		RefundId: "re_" + strings.ReplaceAll(uuid.NewString(), "-", ""),
		Status:   p.Status,
		Refunded: req.GetAmount(),
	}, nil
}

func (s *PaymentServer) GetPayment(_ context.Context, req *paymentsv1.GetPaymentRequest) (*paymentsv1.Payment, error) {
	p, _, err := s.lookup(req.GetPaymentId())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return proto.Clone(p).(*paymentsv1.Payment), nil
}

func (s *PaymentServer) lookup(id string) (*paymentsv1.Payment, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return nil, "", status.Errorf(codes.NotFound, "payment %q not found", id)
	}
	return p, s.authCodes[id], nil
}
