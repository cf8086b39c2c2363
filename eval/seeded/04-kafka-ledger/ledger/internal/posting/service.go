package posting

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/northbank/ledger/internal/events"
)

type Line struct {
	AccountID   string
	AmountMinor int64
	Currency    string
	Direction   string
	Memo        string
}

type Service struct {
	pub *events.Publisher
	now func() time.Time
}

func NewService(pub *events.Publisher) *Service {
	return &Service{pub: pub, now: time.Now}
}

// Post records the lines (persistence elided) and announces each one.
func (s *Service) Post(ctx context.Context, lines []Line) error {
	postedAt := s.now().UTC()
	for _, l := range lines {
		err := s.pub.EntryPosted(ctx, events.EntryPosted{
			EntryID:     uuid.NewString(),
			AccountID:   l.AccountID,
			AmountMinor: l.AmountMinor,
			Currency:    l.Currency,
			Direction:   l.Direction,
			PostedAt:    postedAt,
			Memo:        l.Memo,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) Close(ctx context.Context, accountID, reason string, finalBalance int64) error {
	return s.pub.AccountClosed(ctx, events.AccountClosed{
		AccountID:         accountID,
		ClosedAt:          s.now().UTC(),
		Reason:            reason,
		FinalBalanceMinor: finalBalance,
	})
}
