use crate::pb::cart_service_client::CartServiceClient;
use crate::pb::catalog_server::Catalog;
use crate::pb::{GetCartRequest, ListProductsRequest, ListProductsResponse, Product};
use axum::{routing::post, Json, Router};
use serde::{Deserialize, Serialize};
use tonic::{Request, Response, Status};

pub struct CatalogImpl {
    products: Vec<Product>,
}

// A tonic server: the request is `Request<T>`, fields are read through the message.
#[tonic::async_trait]
impl Catalog for CatalogImpl {
    async fn list_products(&self, request: Request<ListProductsRequest>) -> Result<Response<ListProductsResponse>, Status> {
        let req = request.into_inner();
        let category = req.category; // expect: flow:T|rust:crate::pb|ListProductsRequest ;; name=category
        let reply = ListProductsResponse { products: self.products.clone(), next_page: String::new() }; // expect: writes_field sym:@#CatalogImpl::list_products -> flow:T|rust:crate::pb|ListProductsResponse ;; name=products
        Ok(Response::new(reply))
    }
}

// A tonic client: connect, call, read the response.
pub async fn cart_size(user: String) -> Result<usize, Box<dyn std::error::Error>> {
    let mut client = CartServiceClient::connect("http://cart:7070").await?;
    let cart = client.get_cart(GetCartRequest { user_id: user }).await?.into_inner(); // expect: -> grpc:CartService/GetCart ;; writes_field sym:@#cart_size -> flow:T|rust:crate::pb|GetCartRequest ;; name=user_id
    for item in cart.items.iter() { // expect: flow:B|grpc|CartService/GetCart ;; name=items
        let _ = item.product_id.clone(); // expect: flow:B|grpc|CartService/GetCart>items[] ;; name=product_id
    }
    Ok(cart.items.len())
}

#[derive(Serialize, Deserialize)]
pub struct Stock {
    pub sku: String,
    pub level: i64,
}

// reqwest: the body decoded into the caller's type.
pub async fn stock(http: &reqwest::Client, sku: &str) -> anyhow::Result<i64> {
    let s = http.get("http://stock/stock/x").send().await?.json::<Stock>().await?; // expect: uses_type sym:@#stock -> flow:T||Stock ;; boundary=http|GET /stock/x, role=decode
    Ok(s.level) // expect: flow:T||Stock ;; name=level
}

#[derive(Deserialize)]
pub struct NewOrder {
    pub sku: String,
}

#[derive(Serialize)]
pub struct OrderView {
    pub id: String,
}

// axum: the body extractor and the answer.
pub async fn place(Json(body): Json<NewOrder>) -> Json<OrderView> { // expect: uses_type sym:@#place -> flow:T||OrderView ;; role=encode
    let sku = body.sku; // expect: flow:T||NewOrder ;; name=sku
    Json(OrderView { id: sku }) // expect: writes_field sym:@#place -> flow:T||OrderView ;; name=id
}

pub fn routes() -> Router {
    Router::new().route("/orders", post(place))
}

// rdkafka: a subscription, a message, its payload decoded.
pub async fn consume(consumer: rdkafka::consumer::StreamConsumer) {
    consumer.subscribe(&["payments.settled"]).expect("subscribe");
    loop {
        let m = consumer.recv().await.expect("recv");
        if let Some(p) = m.payload() {
            let s: Settlement = serde_json::from_slice(p).expect("json"); // expect: uses_type sym:@#consume -> flow:T||Settlement ;; boundary=topic|payments.settled, role=decode
            let _ = s.order_id.len(); // expect: flow:T||Settlement ;; name=order_id
            let _ = s.order_id.is_empty(); // expect-not: name=is_empty
        }
    }
}

#[derive(Deserialize)]
pub struct Settlement {
    pub order_id: String,
}

// Look-alikes: std methods on typed values are not field reads.
pub fn lookalike(p: &Product) -> String {
    let n = p.name.clone(); // expect: name=name
    n.to_string() // expect-not: reads_field
}
