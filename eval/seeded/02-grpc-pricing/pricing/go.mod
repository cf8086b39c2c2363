module github.com/acme-retail/pricing

go 1.22

require (
	github.com/google/uuid v1.6.0
	google.golang.org/grpc v1.64.0
	google.golang.org/protobuf v1.34.2
)
