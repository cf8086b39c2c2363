module github.com/northbank/ledger

go 1.22

require (
	github.com/google/uuid v1.6.0
	github.com/segmentio/kafka-go v0.4.47
)
