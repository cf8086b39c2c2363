// Package events holds the wire format of everything the ledger publishes.
package events

import "time"

const (
	TopicEntryPosted   = "ledger.entry-posted.v1"
	TopicAccountClosed = "ledger.account-closed.v1"
)

// EntryPosted is emitted once per journal line after the transaction commits.
type EntryPosted struct {
	EntryID     string    `json:"entry_id"`
	AccountID   string    `json:"account_id"`
	AmountMinor int64     `json:"amount_minor"`
	Currency    string    `json:"currency"`
	Direction   string    `json:"direction"` // "debit" or "credit"
	PostedAt    time.Time `json:"posted_at"`
	Memo        string    `json:"memo,omitempty"`
}

// AccountClosed is emitted when an account reaches a zero balance and is closed.
type AccountClosed struct {
	AccountID         string    `json:"account_id"`
	ClosedAt          time.Time `json:"closed_at"`
	Reason            string    `json:"reason"`
	FinalBalanceMinor int64     `json:"final_balance_minor"`
}
