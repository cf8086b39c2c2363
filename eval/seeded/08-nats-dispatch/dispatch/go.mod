module github.com/swiftcab/dispatch

go 1.22

require github.com/nats-io/nats.go v1.36.0
