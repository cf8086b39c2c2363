module github.com/acme/inventory

go 1.22

require (
	github.com/google/uuid v1.6.0
	github.com/nats-io/nats.go v1.34.1
)
