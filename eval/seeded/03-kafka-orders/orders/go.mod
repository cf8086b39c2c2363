module github.com/acme/orders

go 1.21

require github.com/segmentio/kafka-go v0.4.47
