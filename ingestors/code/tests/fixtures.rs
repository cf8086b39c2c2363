//! Fixture files in, sorted fact listings out (insta snapshots), plus the
//! facts each fixture's `expect:` comments promise, asserted by line.

use brain_ingest_code::{render::render, CodeIngestor};
use brain_model::{Ingestor, SourceFile};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn ingest(lang: &str, rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(lang);
    let content = std::fs::read_to_string(root.join(rel)).expect("fixture");
    let repo = format!("acme/{lang}");
    let facts = CodeIngestor.ingest(&SourceFile { repo: &repo, path: rel, content: &content });
    render(&facts, &repo, rel)
}

fn snapshot_lang(lang: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(lang);
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(!all.is_empty(), "no fixtures for {lang}");
    for f in all {
        let rel = f.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/");
        if !CodeIngestor.accepts(&rel) {
            continue;
        }
        let out = ingest(lang, &rel);
        let name = format!("{lang}__{}", rel.replace(['/', '[', ']'], "_"));
        insta::with_settings!({ snapshot_suffix => "", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, out);
        });
    }
}

/// Asserts that each expected fragment occurs on some line of the listing.
fn expect(lang: &str, rel: &str, wants: &[&str]) {
    let out = ingest(lang, rel);
    for w in wants {
        assert!(out.lines().any(|l| l.contains(w)), "{lang}/{rel}: missing `{w}` in\n{out}");
    }
}

#[test]
fn rust() {
    snapshot_lang("rust");
    expect(
        "rust",
        "src/api.rs",
        &[
            "ref imports file:@ -> module:rust:acme/rust::crate::store",
            "-> package:cargo:serde",
            "any-of(file:acme/rust:src/api/store.rs, file:acme/rust:src/api/store/mod.rs)",
            "field:@#Order.order_id [L15] {required=true, type=String, wire_name=orderId}",
            "wire_name=total}",
            "#Order.note_text [L18] {nullable=true, required=false",
            "node operation op:@#GET /orders/{id}",
            "edge exposes sym:@#get_order -> op:@#GET /orders/{id}",
            "edge exposes sym:@#create_order -> op:@#POST /orders",
            "edge exposes sym:@#health -> op:@#GET /health",
            "ref calls sym:@#get_order -> symbol:load",
            "ref reads_field sym:@#get_order -> field:order_id",
            "ref consumes sym:@#Service::fetch -> http:GET /orders/{} [L53] ~0.8 {http_method=GET, http_path=http://orders:8080/orders/{id}",
            "node test test:@#tests::loads_order",
            "ref calls test:@#tests::loads_order -> symbol:load",
            "node test test:@#tests::fetches",
            "edge contains sym:@#Service -> sym:@#Service::fetch",
            "provide file:@ module:rust:acme/rust::crate::api",
            "doc sym:@#router : Builds the router.",
        ],
    );
    expect(
        "rust",
        "src/grpc.rs",
        &[
            "ref implements sym:@#Svc -> grpc:OrderService",
            "ref publishes sym:@#publish -> topic:orders.created",
            "ref consumes sym:@#publish -> grpc:UserService/GetUser",
        ],
    );
}

#[test]
fn typescript() {
    snapshot_lang("typescript");
    expect(
        "typescript",
        "src/api/client.ts",
        &[
            "-> package:npm:axios",
            "-> package:npm:@acme/auth",
            "any-of(file:acme/typescript:src/api/models.ts",
            "any-of(file:acme/typescript:src/util.ts",
            "#OrderView.orderId [L12] {required=true",
            "#OrderView.note [L13] {required=false",
            "ref consumes sym:@#OrdersClient.get -> http:GET /orders/{}",
            "ref consumes sym:@#OrdersClient.create -> http:POST /orders",
            "ref reads_field sym:@#OrdersClient.get -> field:orderId",
            "ref reads_field sym:@#OrdersClient.get -> field:note",
            "ref reads_field sym:@#OrdersClient.create -> field:createdAt",
            "node symbol sym:@#summarize",
        ],
    );
    expect(
        "typescript",
        "src/api/client.test.ts",
        &["node test test:@#OrdersClient > sums lines", "ref calls test:@#OrdersClient > sums lines -> symbol:total"],
    );
    expect(
        "typescript",
        "src/server.ts",
        &[
            "edge exposes sym:@#getOrder -> op:@#GET /orders/:id",
            "node operation op:@#POST /api/orders",
            "ref publishes file:@ -> topic:orders.created",
        ],
    );
    expect("typescript", "app/orders/[id]/route.ts", &["node operation op:@#GET /orders/[id]"]);
    expect(
        "typescript",
        "pages/api/orders.ts",
        &["node operation op:@#GET /api/orders", "node operation op:@#POST /api/orders"],
    );
    let listing = ingest("typescript", "src/api/client.test.ts");
    assert!(!listing.contains("symbol:describe") && !listing.contains("symbol:it "), "{listing}");
}

#[test]
fn javascript() {
    snapshot_lang("javascript");
    expect(
        "javascript",
        "handlers.js",
        &[
            "-> package:npm:fastify",
            "any-of(file:acme/javascript:db.js",
            "ref consumes sym:@#charge -> http:POST /api/charges [L10] ~0.9",
            "node operation op:@#GET /health",
            "ref reads_field sym:@#charge -> field:chargeId",
            "edge contains sym:@#Ledger -> sym:@#Ledger.record",
        ],
    );
}

#[test]
fn python() {
    snapshot_lang("python");
    expect(
        "python",
        "src/orders/models.py",
        &[
            "-> package:pypi:pydantic",
            "any-of(file:acme/python:src/orders/db.py, file:acme/python:src/orders/db/__init__.py)",
            "-> module:py:orders.events",
            "-> package:pypi:requests",
            "#Order.order_id [L21] {required=true, type=str, wire_name=orderId}",
            "#Order.created_at [L22] {required=true, type=str, wire_name=created}",
            "#Order.note [L23] {nullable=true, required=false",
            "#Line.qty [L29] {required=false",
            "ref consumes sym:@#reserve -> http:POST /stock/{}/reserve [L35] ~0.8 {http_method=POST, http_path=http://inventory:8000/stock/{order_id}/reserve",
            "ref reads_field sym:@#reserve -> field:createdAt",
            "ref reads_field sym:@#reserve -> field:sku",
            "provide file:@ module:py:orders.models",
            "provide file:@ module:py:src.orders.models",
            "doc sym:@#Order : An order on the wire.",
        ],
    );
    expect(
        "python",
        "src/orders/api.py",
        &[
            "edge exposes sym:@#get_order -> op:@#GET /v1/orders/{order_id}",
            "node operation op:@#POST /v1/orders",
            "node operation op:@#GET /legacy",
            "node operation op:@#POST /legacy",
            "ref implements sym:@#OrderServicer -> grpc:OrderService",
        ],
    );
    expect(
        "python",
        "src/shop/urls.py",
        &["node operation op:@#ANY /orders/<int:pk>/ [L8] {handler=views.detail", "node operation op:@#ANY /health/"],
    );
    expect(
        "python",
        "src/shop/workers.py",
        &[
            "ref publishes sym:@#publish -> topic:order-events [L13] ~0.8 {bus=rabbitmq, named_line=8}",
            "ref subscribes sym:@#consume -> topic:billing [L18] ~0.8 {bus=rabbitmq}",
            "ref publishes sym:@#notify -> topic:order-created [L24] ~0.8 {bus=sns}",
            "ref consumes sym:@#lookup -> grpc:OrderService/GetOrder",
            "ref publishes sym:@#stream -> topic:orders.shipped [L36] ~0.8 {bus=nats}",
            "ref publishes sym:@#stream -> topic:orders [L37] ~0.8 {bus=redis}",
            "sig sym:@#consume : def consume(channel)",
        ],
    );
    expect(
        "python",
        "src/orders/test_models.py",
        &[
            "node test test:@#test_reserve",
            "node test test:@#TestOrder.test_alias",
            "ref calls test:@#TestOrder.test_alias -> symbol:reserve",
            "node symbol sym:@#TestOrder.helper",
        ],
    );
}

#[test]
fn go() {
    snapshot_lang("go");
    expect(
        "go",
        "orders/server.go",
        &[
            "-> module:go:github.com/acme/shop/internal/store",
            "provide file:@ module:go-dir:acme/go:orders",
            "#Order.ID [L19] {required=true, type=string, wire_name=id}",
            "#Order.Note [L20] {required=false, type=string, wire_name=note}",
            "node operation op:@#GET /orders/{id}",
            "edge exposes sym:@#Server.getOrder -> op:@#GET /orders/{id}",
            "edge exposes sym:@#createOrder -> op:@#POST /api/orders",
            "ref consumes sym:@#Server.getOrder -> http:GET /stock/{}",
            "ref reads_field sym:@#Server.getOrder -> field:Note",
            "ref consumes sym:@#Server.getOrder -> grpc:UserService/GetUser",
            "ref reads_field sym:@#Server.getOrder -> field:GetEmail",
            "ref implements sym:@#NewServer -> grpc:OrderService",
            "ref implements sym:@#Server -> grpc:OrderService",
            "edge contains sym:@#Server -> sym:@#Server.getOrder",
            "ref calls sym:@#Server.check -> symbol:validate in(2) [L65] ~0.8",
        ],
    );
    expect(
        "go",
        "api/routes.go",
        &[
            "edge exposes sym:@#getUser -> op:@#GET /v1/users/{id}",
            "node operation op:@#POST /v1/users",
            "edge exposes sym:@#deleteItem -> op:@#DELETE /api/v2/items/:id",
            "ref publishes sym:@#Writer -> topic:orders [L27] ~0.8 {bus=kafka}",
            "ref subscribes sym:@#Writer -> topic:payments [L29] ~0.8 {bus=kafka}",
            "ref publishes sym:@#Writer -> topic:orders.v1 [L31] ~0.8 {bus=nats}",
        ],
    );
    expect(
        "go",
        "orders/server_test.go",
        &["node test test:@#TestCreate", "ref calls test:@#TestCreate -> symbol:createOrder"],
    );
}

#[test]
fn java() {
    snapshot_lang("java");
    expect(
        "java",
        "src/main/java/com/acme/orders/OrderController.java",
        &[
            "-> module:java:com.acme.orders.model.Order",
            "provide file:@ module:java:com.acme.orders.OrderController",
            "provide file:@ module:java:com.acme.orders",
            "edge exposes sym:@#OrderController.get -> op:@#GET /api/orders/{id}",
            "edge exposes sym:@#OrderController.create -> op:@#POST /api/orders",
            "ref reads_field sym:@#OrderController.get -> field:getCustomerId",
            "ref consumes sym:@#OrderController.create -> http:POST /charges",
            "ref publishes sym:@#OrderController.create -> topic:orders.created",
            "ref subscribes sym:@#OrderController.onSettled -> topic:payments.settled",
            "#OrderDto.orderId [L36] {required=true, type=String, wire_name=order_id}",
        ],
    );
    expect(
        "java",
        "src/main/java/com/acme/clients/Clients.java",
        &[
            "ref consumes sym:@#CustomersClient.customer -> http:GET /customers/{}",
            "ref consumes sym:@#Users.load -> grpc:UserService/GetUser",
            "ref consumes sym:@#Users.load -> http:GET /users",
        ],
    );
    assert!(!ingest("java", "src/main/java/com/acme/clients/Clients.java").contains("node operation"));
    expect(
        "java",
        "src/main/java/com/acme/orders/OrderControllerTest.java",
        &["node test test:@#OrderControllerTest.createsOrder", "-> symbol:create"],
    );
}

#[test]
fn csharp() {
    snapshot_lang("csharp");
    expect(
        "csharp",
        "Orders/OrdersController.cs",
        &[
            "-> module:cs:Microsoft.AspNetCore.Mvc",
            "provide file:@ module:cs:Acme.Orders",
            "#OrderDto.Id [L11-12] {required=true, type=string, wire_name=id}",
            "#OrderDto.Note [L13] {nullable=true, required=false, type=string?, wire_name=note}",
            "edge exposes sym:@#OrdersController.Get -> op:@#GET api/orders/{id}",
            "node operation op:@#POST api/orders",
            "ref consumes sym:@#OrdersController.Get -> http:GET /api/charges/{}",
            "ref reads_field sym:@#OrdersController.Create -> field:Note",
            "ref implements sym:@#OrderGrpc -> grpc:OrderService",
            "node operation op:@#GET /api/items",
        ],
    );
    expect("csharp", "Orders/OrdersTests.cs", &["node test test:@#OrdersTests.Creates"]);
}

#[test]
fn kotlin() {
    snapshot_lang("kotlin");
    expect(
        "kotlin",
        "src/main/kotlin/com/acme/Orders.kt",
        &[
            "-> module:java:io.ktor.server.routing",
            "provide file:@ module:java:com.acme.orders",
            "#Order.orderId [L14] {required=true, type=String, wire_name=order_id}",
            "#Order.note [L15] {nullable=true, required=false",
            "node operation op:@#GET /orders/{id}",
            "node operation op:@#POST /orders",
            "ref reads_field sym:@#OrderService.user -> field:note",
            "ref consumes sym:@#OrderService.user -> http:GET /users/{}",
            "node test test:@#OrderServiceTest.loads",
            "node symbol sym:@#BASE",
        ],
    );
}

#[test]
fn php() {
    snapshot_lang("php");
    expect(
        "php",
        "src/Http/Controllers/OrderController.php",
        &[
            "provide file:@ module:php:Acme\\Http\\Controllers",
            "provide file:@ module:php:Acme\\Http\\Controllers\\OrderController",
            "ref imports file:@ -> module:php:Acme\\Dto\\OrderDto",
            "doc sym:@#OrderController : Serves orders over HTTP.",
            "node symbol sym:@#OrderController [L14-52] {qualified_name=OrderController, symbol_kind=class}",
            "edge exposes sym:@#OrderController::show -> op:@#GET /api/orders/{id}",
            "node operation op:@#POST /api/orders",
            "edge exposes sym:@#OrderController::legacy -> op:@#DELETE /api/orders/legacy/{id}",
            "ref calls sym:@#OrderController::show -> symbol:find",
            "ref calls sym:@#OrderController::show -> symbol:format in(1) [L29] ~0.8",
            "ref consumes sym:@#OrderController::show -> http:GET /charges/{}",
            "ref reads_field sym:@#OrderController::show -> field:note [L27] ~0.6 {access=member",
            "ref reads_field sym:@#OrderController::show -> field:total [L28] ~0.6 {access=index",
            "ref consumes sym:@#OrderController::create -> http:POST /stock/reserve",
            "ref consumes sym:@#OrderController::create -> grpc:OrderService/GetOrder",
            "ref publishes sym:@#OrderController::create -> topic:orders.created [L37] ~0.8 {bus=rabbitmq}",
            "ref consumes sym:@#OrderController::format -> http:PUT /entries",
            "ref consumes sym:@#OrderController::format -> http:GET /rates/EUR",
            "symbol_kind=interface",
            "node symbol sym:@#OrderSource::load",
            "node symbol sym:@#Audits [L59-62] {qualified_name=Audits, symbol_kind=trait}",
            "node symbol sym:@#Status::label",
            "node symbol sym:@#helper",
        ],
    );
    expect(
        "php",
        "src/Dto/OrderDto.php",
        &[
            "node field field:@#OrderDto.orderId [L9-10] {required=true, type=string, wire_name=order_id}",
            "node field field:@#OrderDto.note [L12] {nullable=true, required=false",
            "node field field:@#OrderDto.total [L16] {required=true, type=int, wire_name=total}",
        ],
    );
    let dto = ingest("php", "src/Dto/OrderDto.php");
    assert!(!dto.contains("OrderDto.secret"), "{dto}");
    expect(
        "php",
        "routes/api.php",
        &[
            "node operation op:@#GET /api/health",
            "node operation op:@#GET /api/v1/orders/{id} [L9] {handler=OrderController@show",
            "node operation op:@#POST /api/v1/orders",
            "node operation op:@#GET /api/v1/photos [L11]",
            "node operation op:@#GET /api/v1/photos/{id} [L11]",
            "node operation op:@#DELETE /api/v1/admin/users/{user_id}/posts/{id}",
            "node operation op:@#GET /api/v1/admin/users/{user_id}/posts/create",
            "node operation op:@#GET /api/v1/admin/search",
            "node operation op:@#POST /api/v1/admin/search",
        ],
    );
    let routes = ingest("php", "routes/api.php");
    assert!(!routes.contains("op:@#POST /api/v1/photos") && !routes.contains("/GET"), "{routes}");
    expect(
        "php",
        "public/index.php",
        &[
            "node operation op:@#GET /ping",
            "node operation op:@#POST /api/items/{id} [L8] {handler=ItemAction",
            "ref consumes file:@ -> http:GET /api/v2/stock/42 [L11] ~0.9 {http_method=GET, http_path=http://inventory/api/v2/stock/42",
            "ref publishes file:@ -> topic:items.changed [L13] ~0.8 {bus=kafka}",
            "ref subscribes file:@ -> topic:billing [L14] ~0.8 {bus=rabbitmq}",
        ],
    );
    expect(
        "php",
        "tests/OrderControllerTest.php",
        &[
            "node test test:@#OrderControllerTest::testShowsOrder",
            "node test test:@#OrderControllerTest::it_creates",
            "node symbol sym:@#OrderControllerTest::fixture",
            "node test test:@#formats totals",
            "ref calls test:@#OrderControllerTest::testShowsOrder -> symbol:show",
        ],
    );
}

#[test]
fn ruby() {
    snapshot_lang("ruby");
    expect(
        "ruby",
        "app/clients/billing_client.rb",
        &[
            "ref imports file:@ -> any-of(file:acme/ruby:lib/orders_pb.rb) [L3]",
            "provide file:@ module:rb:Billing",
            "provide file:@ module:rb:Billing::Client",
            "doc sym:@#Billing::Client : Talks to the billing service. Retries once.",
            "edge contains sym:@#Billing -> sym:@#Billing::Client",
            "node symbol sym:@#Billing::Client::timeout [L11] {qualified_name=Billing::Client::timeout, symbol_kind=method}",
            "node symbol sym:@#Billing::Client::retries",
            "node symbol sym:@#Billing::Client::build [L19]",
            "ref consumes sym:@#Billing::Client::charge -> http:POST /charges/{} [L22] ~0.8 {http_method=POST, http_path=http://billing:8080/charges/{id}",
            "ref reads_field sym:@#Billing::Client::charge -> field:total [L24] ~0.6 {access=index",
            "ref reads_field sym:@#Billing::Client::charge -> field:tax",
            "ref consumes sym:@#Billing::Client::charge -> http:GET /entries/{}",
            "ref consumes sym:@#Billing::Client::charge -> grpc:UserService/GetUser",
            "ref calls sym:@#Billing::Client::charge -> symbol:notify in(2) [L27] ~0.8",
            "ref consumes sym:@#Billing::Client::notify -> http:PUT /notifications",
            "ref consumes sym:@#Billing::Client::notify -> http:DELETE /orders/{}",
            "ref publishes sym:@#Billing::Client::notify -> topic:orders.charged [L34] ~0.8 {bus=rabbitmq}",
            "ref publishes sym:@#Billing::Client::notify -> topic:billing-events [L35] ~0.8 {bus=kafka}",
            "node field field:@#Invoice.amount",
            "node symbol sym:@#Billing::Webhook [L42-45]",
            "node field field:@#Webhook.note [L44] {nullable=true, required=false",
            "ref consumes sym:@#LedgerApi::entries -> http:GET /api/entries [L52] ~0.9 {http_method=GET, http_path=http://ledger/api/entries",
            "ref implements sym:@#OrdersServer -> grpc:OrderService",
            "ref subscribes sym:@#OrdersServer::get_order -> topic:orders.requests [L59] ~0.8 {bus=rabbitmq}",
        ],
    );
    let client = ingest("ruby", "app/clients/billing_client.rb");
    assert!(client.lines().any(|l| l.ends_with(": class OrdersServer < Orders::OrderService::Service")), "{client}");
    expect(
        "ruby",
        "config/routes.rb",
        &[
            "node operation op:@#GET / [L2] {handler=home#index",
            "node operation op:@#GET /health [L3] {handler=health#show",
            "node operation op:@#GET /status [L4]",
            "node operation op:@#GET /search [L5]",
            "node operation op:@#POST /search [L5]",
            "node operation op:@#GET /orders [L7]",
            "node operation op:@#GET /orders/{id} [L7]",
            "node operation op:@#POST /orders [L7]",
            "node operation op:@#POST /orders/{id}/cancel [L9] {handler=orders#cancel",
            "node operation op:@#GET /orders/search [L11]",
            "node operation op:@#GET /orders/{order_id}/lines/{id}/edit",
            "node operation op:@#GET /admin/profile [L16] {handler=admin/profiles#show",
            "node operation op:@#PUT /admin/profile",
            "node operation op:@#DELETE /api/v1/users/{id} [L20] {handler=v1/users#destroy",
        ],
    );
    let routes = ingest("ruby", "config/routes.rb");
    for absent in ["op:@#DELETE /orders/{id}", "op:@#DELETE /orders/{order_id}/lines", "op:@#DELETE /admin/profile"] {
        assert!(!routes.contains(absent), "{absent} in\n{routes}");
    }
    expect(
        "ruby",
        "app/api/orders_api.rb",
        &[
            "node operation op:@#GET /api/v2/orders [L7-9]",
            "node operation op:@#GET /api/v2/orders/:id [L12-14]",
            "node operation op:@#DELETE /api/v2/orders/:id",
            "ref reads_field sym:@#OrdersAPI -> field:id",
        ],
    );
    expect(
        "ruby",
        "lib/app.rb",
        &[
            "node operation op:@#GET /ping",
            "node operation op:@#POST /orders/:id/pay",
            "ref consumes file:@ -> http:POST /charges [L8] ~0.9",
        ],
    );
    expect(
        "ruby",
        "spec/models/invoice_spec.rb",
        &[
            "node test test:@#Billing::Invoice > #total > sums lines",
            "ref calls test:@#Billing::Invoice > #total > sums lines -> symbol:charge",
            "any-of(file:acme/ruby:spec/rails_helper.rb",
        ],
    );
    expect(
        "ruby",
        "test/models/invoice_test.rb",
        &[
            "node test test:@#InvoiceTest > computes tax",
            "node test test:@#InvoiceTest::test_amount",
            "node symbol sym:@#InvoiceTest::helper",
        ],
    );
}

#[test]
fn cpp() {
    snapshot_lang("cpp");
    expect(
        "cpp",
        "src/orders/server.h",
        &[
            "any-of(file:acme/cpp:src/orders/orders/orders.grpc.pb.h, file:acme/cpp:orders/orders.grpc.pb.h",
            "doc sym:@#acme::orders::OrderServiceImpl : Serves the orders API over gRPC.",
            "ref implements sym:@#acme::orders::OrderServiceImpl -> grpc:OrderService",
            "node symbol sym:@#acme::orders::OrderServiceImpl::GetOrder [L18-19] {qualified_name=acme::orders::OrderServiceImpl::GetOrder, symbol_kind=method}",
            "sig sym:@#acme::orders::OrderServiceImpl::GetOrder : grpc::Status GetOrder(grpc::ServerContext* ctx, const GetOrderRequest* req, GetOrderReply* reply) override",
            "node symbol sym:@#acme::orders::OrderServiceImpl::pending",
            "node symbol sym:@#acme::orders::Point [L29-32] {qualified_name=acme::orders::Point, symbol_kind=struct}",
            "symbol_kind=enum",
            "node symbol sym:@#acme::orders::OrderId [L36] {qualified_name=acme::orders::OrderId, symbol_kind=type}",
            "node symbol sym:@#acme::orders::Clamp [L39]",
        ],
    );
    expect(
        "cpp",
        "src/orders/server.cc",
        &[
            "any-of(file:acme/cpp:src/orders/orders/server.h, file:acme/cpp:orders/server.h",
            "node symbol sym:@#acme::orders::OrderServiceImpl::OrderServiceImpl [L17-18]",
            "doc sym:@#acme::orders::OrderServiceImpl::GetOrder : Reads the order and its user.",
            "node symbol sym:@#acme::orders::OrderServiceImpl::GetOrder [L21-35] {qualified_name=acme::orders::OrderServiceImpl::GetOrder, symbol_kind=method}",
            "ref consumes sym:@#acme::orders::OrderServiceImpl::GetOrder -> grpc:Users/GetUser [L26] ~0.8",
            "ref consumes sym:@#acme::orders::OrderServiceImpl::GetOrder -> http:GET /entries [L27] ~0.9 {http_method=GET, http_path=http://ledger:8080/entries",
            "ref reads_field sym:@#acme::orders::OrderServiceImpl::GetOrder -> field:note",
            "ref calls sym:@#acme::orders::OrderServiceImpl::GetOrder -> symbol:Log",
            "ref publishes sym:@#acme::orders::OrderServiceImpl::GetOrder -> topic:orders.read",
            "ref subscribes sym:@#acme::orders::OrderServiceImpl::GetOrder -> topic:orders.requests",
            "node symbol sym:@#acme::orders::Clamp [L38-40]",
            "node symbol sym:@#acme::orders::Log [L42]",
            "node symbol sym:@#main",
        ],
    );
    let src = ingest("cpp", "src/orders/server.cc");
    assert!(!src.contains("ABSL_FLAG") && !src.contains("Log~2") && !src.contains("diag"), "{src}");
    expect(
        "cpp",
        "test/server_test.cc",
        &[
            "node test test:@#ClampTest.KeepsValuesInRange [L12-14]",
            "node test test:@#OrderServerTest.StartsEmpty",
            "ref calls test:@#ClampTest.KeepsValuesInRange -> symbol:Clamp",
        ],
    );
}

#[test]
fn syntax_errors_and_skips_are_diagnosed() {
    let facts = CodeIngestor.ingest(&SourceFile {
        repo: "r",
        path: "a.py",
        content: "def ok():\n    pass\n\ndef broken(:\n    pass\n",
    });
    let out = render(&facts, "r", "a.py");
    assert!(out.contains("diag warning parse.syntax L4"), "{out}");
    assert!(out.contains("node symbol sym:@#ok"), "{out}");
    let long = format!("var x = \"{}\";\n", "a".repeat(5000));
    let facts = CodeIngestor.ingest(&SourceFile { repo: "r", path: "a.min.js", content: &long });
    assert!(render(&facts, "r", "a.min.js").contains("parse.skipped"));
}

#[test]
fn generated_files_are_marked_and_emit_no_wire_references() {
    let src =
        "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage pb\n\nfunc Call() { http.Get(\"http://x/y\") }\n";
    let facts = CodeIngestor.ingest(&SourceFile { repo: "r", path: "pb/x.pb.go", content: src });
    let out = render(&facts, "r", "pb/x.pb.go");
    assert!(out.contains("generated=true"), "{out}");
    assert!(!out.contains("consumes"), "{out}");
}

#[test]
fn truncated_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    files(&root, &mut all);
    for f in all {
        let rel = f.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/");
        let content = std::fs::read_to_string(&f).expect("fixture");
        let path = rel.split_once('/').map(|(_, p)| p).unwrap_or(&rel).to_string();
        // Cut at many byte offsets (on char boundaries): every prefix is a broken file.
        let step = (content.len() / 40).max(1);
        let mut cut = 0;
        while cut < content.len() {
            if content.is_char_boundary(cut) {
                let facts = CodeIngestor.ingest(&SourceFile { repo: "r", path: &path, content: &content[..cut] });
                for n in &facts.nodes {
                    let span = n.prov.span.expect("every node has a span");
                    assert!(span.start_line >= 1 && span.start_line <= span.end_line, "{rel}@{cut}: {n:?}");
                }
            }
            cut += step;
        }
    }
}

#[test]
fn parallel_ingest_matches_sequential() {
    use rayon::prelude::*;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    files(&root, &mut all);
    let inputs: Vec<(String, String)> = all
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(f).expect("fixture"))
        })
        .collect();
    let run = |(rel, content): &(String, String)| {
        render(&CodeIngestor.ingest(&SourceFile { repo: "r", path: rel, content }), "r", rel)
    };
    let sequential: Vec<String> = inputs.iter().map(run).collect();
    for _ in 0..4 {
        let parallel: Vec<String> = inputs.par_iter().map(run).collect();
        assert_eq!(parallel, sequential);
    }
}
