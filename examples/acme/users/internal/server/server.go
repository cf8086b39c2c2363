// Package server exposes the user store over gRPC (UserService) and HTTP.
package server

import (
	"context"
	"errors"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/acme/users/gen/acme/users/v1"
	"github.com/acme/users/internal/store"
)

const defaultPageSize = 100

// UserServer implements pb.UserServiceServer.
type UserServer struct {
	pb.UnimplementedUserServiceServer
	store store.Store
}

// NewUserServer returns a UserServer reading from st.
func NewUserServer(st store.Store) *UserServer {
	return &UserServer{store: st}
}

// Register attaches the UserService to a gRPC server.
func Register(g *grpc.Server, s *UserServer) {
	pb.RegisterUserServiceServer(g, s)
}

// GetUser returns one user or NOT_FOUND.
func (s *UserServer) GetUser(ctx context.Context, req *pb.GetUserRequest) (*pb.User, error) {
	if req.GetUserId() == "" {
		return nil, status.Error(codes.InvalidArgument, "user_id is required")
	}
	u, err := s.store.Get(ctx, req.GetUserId())
	if errors.Is(err, store.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "user %q not found", req.GetUserId())
	}
	if err != nil {
		return nil, status.Errorf(codes.Internal, "get user: %v", err)
	}
	return toProto(u), nil
}

// ListUsers streams users, oldest first.
func (s *UserServer) ListUsers(req *pb.ListUsersRequest, stream grpc.ServerStreamingServer[pb.User]) error {
	limit := int(req.GetPageSize())
	if limit <= 0 {
		limit = defaultPageSize
	}
	users, err := s.store.List(stream.Context(), limit)
	if err != nil {
		return status.Errorf(codes.Internal, "list users: %v", err)
	}
	for _, u := range users {
		if err := stream.Send(toProto(u)); err != nil {
			return err
		}
	}
	return nil
}

func toProto(u store.User) *pb.User {
	return &pb.User{
		UserId:      u.ID,
		Email:       u.Email,
		DisplayName: u.DisplayName,
		CreatedAt:   timestamppb.New(u.CreatedAt),
	}
}
