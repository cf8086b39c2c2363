module github.com/acme/warehouse-cli

go 1.22

require (
	github.com/acme/apis v0.41.0
	github.com/spf13/cobra v1.8.0
	google.golang.org/grpc v1.63.2
)
