module github.com/acme/payments

go 1.22

require (
	github.com/google/uuid v1.6.0
	google.golang.org/grpc v1.63.2
	google.golang.org/protobuf v1.33.0
)
