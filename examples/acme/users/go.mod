module github.com/acme/users

go 1.22

require (
	github.com/go-chi/chi/v5 v5.1.0
	google.golang.org/grpc v1.66.0
	google.golang.org/protobuf v1.34.2
)
