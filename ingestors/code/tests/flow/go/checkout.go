package checkout

import (
	"context"
	"encoding/json"
	"net/http"

	pb "github.com/acme/shop/genproto"
	"github.com/segmentio/kafka-go"
)

type checkoutService struct {
	cartClient pb.CartServiceClient
	productConn *grpc.ClientConn
	orders *kafka.Writer
}

func NewCheckout(conn *grpc.ClientConn) *checkoutService {
	return &checkoutService{
		cartClient: pb.NewCartServiceClient(conn),
		orders:     &kafka.Writer{Topic: "orders.placed"},
	}
}

// Stub in a struct field, typed by the field's declaration.
func (cs *checkoutService) cart(ctx context.Context, user string) ([]*pb.CartItem, error) {
	cart, err := cs.cartClient.GetCart(ctx, &pb.GetCartRequest{UserId: user}) // expect: -> grpc:CartService/GetCart ;; writes_field sym:@#checkoutService.cart -> flow:T|go:github.com/acme/shop/genproto|GetCartRequest
	if err != nil {
		return nil, err
	}
	for _, it := range cart.GetItems() { // expect: flow:B|grpc|CartService/GetCart ;; {access=getter, name=GetItems
		_ = it.GetProductId() // expect: flow:B|grpc|CartService/GetCart>GetItems[] ;; {access=getter, name=GetProductId
	}
	return cart.GetItems(), nil
}

// Stub made and called in one expression.
func (cs *checkoutService) product(ctx context.Context, id string) (*pb.Product, error) {
	p, err := pb.NewProductCatalogServiceClient(cs.productConn).GetProduct(ctx, &pb.GetProductRequest{Id: id}) // expect: -> grpc:ProductCatalogService/GetProduct
	if err != nil {
		return nil, err
	}
	_ = p.PriceUsd // expect: ;; {access=member, name=PriceUsd
	return p, nil
}

// A Go server method: the request is typed by its declaration.
func (cs *checkoutService) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {
	user := req.GetUserId() // expect: flow:T|go:github.com/acme/shop/genproto|PlaceOrderRequest ;; {access=getter, name=GetUserId
	evt := OrderPlaced{OrderID: user, Total: 10}
	b, _ := json.Marshal(evt)
	cs.orders.WriteMessages(ctx, kafka.Message{Value: b}) // expect: uses_type sym:@#checkoutService.PlaceOrder -> flow:T||OrderPlaced ;; boundary=topic|orders.placed, role=encode
	return &pb.PlaceOrderResponse{Order: nil}, nil // expect: writes_field sym:@#checkoutService.PlaceOrder -> flow:T|go:github.com/acme/shop/genproto|PlaceOrderResponse
}

type OrderPlaced struct {
	OrderID string  `json:"order_id"`
	Total   float64 `json:"total"`
}

// A consumer decoding a message into its own type.
func consume(ctx context.Context) {
	r := kafka.NewReader(kafka.ReaderConfig{Topic: "payments.settled"})
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return
		}
		var s Settlement
		if err := json.Unmarshal(m.Value, &s); err != nil { // expect: uses_type sym:@#consume -> flow:T||Settlement ;; boundary=topic|payments.settled, role=decode
			continue
		}
		var raw map[string]interface{}
		_ = json.Unmarshal(m.Value, &raw)
		_ = raw["settledAt"] // expect: flow:B|topic|payments.settled ;; {access=index, name=settledAt
	}
}

type Settlement struct {
	ID string `json:"id"`
}

// An HTTP client whose response body is decoded into a local type.
func fetchUser(id string) (*User, error) {
	resp, err := http.Get("http://users:8080/users/" + id)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var u User
	err = json.NewDecoder(resp.Body).Decode(&u) // expect: uses_type sym:@#fetchUser -> flow:T||User ;; boundary=http|GET /users/{}, role=decode
	return &u, err
}

type User struct {
	Name string `json:"name"`
}

// A handler answering with a struct: the producer's shape of its route.
func getUser(w http.ResponseWriter, r *http.Request) {
	u := User{Name: "x"}
	json.NewEncoder(w).Encode(u) // expect: uses_type sym:@#getUser -> flow:T||User ;; boundary=http|GET /users/{}, role=encode
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /users/{id}", getUser)
	local := map[string]string{"createdAt": "x"}
	_ = local["createdAt"] // expect-not: flow:
}

// A publishing wrapper: the topic and the payload are the caller's.
type Publisher struct {
	writer *kafka.Writer
}

func (p *Publisher) OrderShipped(ctx context.Context, e OrderPlaced) error {
	return p.publish(ctx, "orders.shipped", e) // expect: publishes sym:@#Publisher.OrderShipped -> topic:orders.shipped ;; uses_type sym:@#Publisher.OrderShipped -> flow:T||OrderPlaced
}

func (p *Publisher) OrderHeld(ctx context.Context, e OrderPlaced) error {
	return p.publish(ctx, TopicOrderHeld, e) // expect: publishes sym:@#Publisher.OrderHeld -> topic-expr:{TopicOrderHeld}
}

func (p *Publisher) publish(ctx context.Context, topic string, payload any) error {
	value, _ := json.Marshal(payload)
	return p.writer.WriteMessages(ctx, kafka.Message{Topic: topic, Value: value}) // expect: topic-expr:{topic}
}
