package scores

import (
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// RiskScore is published by the risk service on risk.scores.v1.
type RiskScore struct {
	AccountID     string    `json:"account_id"`
	EntryID       string    `json:"entry_id"`
	Score         float64   `json:"score"`
	ExposureMinor float64   `json:"exposure_minor"`
	ScoredAt      time.Time `json:"scored_at"`
}

// Flags collects entries that need a manual look before the monthly statement run.
type Flags struct {
	mu      sync.Mutex
	pending map[string][]string
}

func NewFlags() *Flags { return &Flags{pending: make(map[string][]string)} }

func (f *Flags) Add(account, entry string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending[account] = append(f.pending[account], entry)
}

type Handler struct {
	Flags     *Flags
	Threshold float64
	Log       *slog.Logger
}

func (h *Handler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (h *Handler) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (h *Handler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for msg := range claim.Messages() {
		var s RiskScore
		if err := json.Unmarshal(msg.Value, &s); err != nil {
			h.Log.Warn("skipping undecodable risk score", "offset", msg.Offset, "err", err)
			sess.MarkMessage(msg, "")
			continue
		}
		if s.Score >= h.Threshold {
			h.Flags.Add(s.AccountID, s.EntryID)
			h.Log.Info("flagged entry", "account", s.AccountID, "entry", s.EntryID,
				"exposure", s.ExposureMinor/100, "scored_at", s.ScoredAt)
		}
		sess.MarkMessage(msg, "")
	}
	return nil
}
