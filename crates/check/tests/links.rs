//! Cross-file links through the real pipeline on small repositories written
//! here: what a reader of the code would say each line reads or calls.
mod common;

use brain_model::EdgeKind;

/// The fields read on `line` of `path`, as `Type.field` of the node they resolved to.
fn reads_on(g: &brain_graph::Graph, path: &str, line: u32) -> Vec<String> {
    let mut out: Vec<String> = g
        .edges()
        .filter(|e| e.kind == EdgeKind::ReadsField && e.prov.path == path)
        .filter(|e| e.prov.span.is_some_and(|s| s.start_line == line))
        .filter_map(|e| g.node(&e.to).map(|n| format!("{}:{}", n.prov.path, n.name)))
        .collect();
    out.sort();
    out.dedup();
    out
}

const SCHEMA: &str = "type Query { nowPlaying: Playing }
union Item = Track | Episode
type Playing { item: Item }
type Track { id: ID! name: String album: Album }
type Episode { id: ID! title: String }
type Album { id: ID! name: String }
";

/// `... on Track { name }` reads Track's fields in the schema, not the
/// generated client type of the same name.
#[test]
fn inline_fragments_read_the_schema_type_they_name() {
    let client = "import { gql } from '@apollo/client';
export const NOW = gql`
  query Now {
    nowPlaying {
      item {
        ... on Track {
          name
          album {
            name
          }
        }
        ... on Episode { title }
      }
    }
  }
`;
";
    let generated = "export type Track = { id: string; name?: string };\nexport type Album = { name?: string };\n";
    let g = common::ingest_files(&[("schema.graphql", SCHEMA), ("web/now.ts", client), ("web/types.ts", generated)]);
    assert_eq!(reads_on(&g, "web/now.ts", 7), vec!["schema.graphql:name"]);
    assert_eq!(reads_on(&g, "web/now.ts", 8), vec!["schema.graphql:album"]);
    assert_eq!(reads_on(&g, "web/now.ts", 9), vec!["schema.graphql:name"]);
    assert_eq!(reads_on(&g, "web/now.ts", 12), vec!["schema.graphql:title"]);
}

/// The HTTP routes a call on `line` of `path` is linked to, as `path:line` of the route's
/// declaration, with the rule it went through.
fn calls_on(g: &brain_graph::Graph, path: &str, line: u32) -> Vec<String> {
    let mut out: Vec<String> = g
        .edges()
        .filter(|e| e.kind == EdgeKind::Consumes && e.prov.path == path)
        .filter(|e| e.prov.span.is_some_and(|s| s.start_line == line))
        .filter_map(|e| {
            let n = g.node(&e.to)?;
            let at = n.prov.span.map(|s| s.start_line).unwrap_or(0);
            Some(format!("{}:{at} via {}", n.prov.path, e.attr("via").unwrap_or("-")))
        })
        .collect();
    out.sort();
    out
}

/// A browser calls the nginx gateway under `/api/<service>/`; nginx strips the prefix and
/// forwards to the service the compose file builds from that folder. The call reaches that
/// service's route, never the same route of another service.
#[test]
fn calls_through_an_nginx_gateway_reach_the_proxied_service() {
    let conf = "server {
    listen 8080;
    location / {
        root /usr/share/nginx/html;
    }
    location /api/catalogue/ {
        proxy_pass http://${CATALOGUE_HOST}:8080/;
    }
    location /api/cart/ {
        proxy_pass http://cart:8080/;
    }
}
";
    let compose = "services:
  catalogue:
    build:
      context: catalogue
  cart:
    build:
      context: cart
  web:
    build:
      context: web
    environment:
      CATALOGUE_HOST: catalogue
";
    let catalogue = "const express = require('express');
const app = express();
app.get('/products/:cat', (req, res) => res.json([]));
app.get('/health', (req, res) => res.send('ok'));
";
    let cart = "const express = require('express');
const app = express();
app.get('/products/:cat', (req, res) => res.json([]));
app.get('/update/:id/:sku/:qty', (req, res) => res.json({}));
";
    let browser = "function load($http, id) {
  $http({ url: '/api/catalogue/products/' + id, method: 'GET' });
  $http({ url: '/api/cart/update/' + id + '/SHIP/0', method: 'GET' });
  $http({ url: '/api/nowhere/products/' + id, method: 'GET' });
  $http({ url: '/api/cart/health', method: 'GET' });
}
";
    let g = common::ingest_files(&[
        ("docker-compose.yaml", compose),
        ("web/default.conf.template", conf),
        ("catalogue/server.js", catalogue),
        ("cart/server.js", cart),
        ("web/static/app.js", browser),
    ]);
    assert_eq!(
        calls_on(&g, "web/static/app.js", 2),
        vec!["catalogue/server.js:3 via nginx web/default.conf.template:7 /api/catalogue/ -> /"]
    );
    assert_eq!(
        calls_on(&g, "web/static/app.js", 3),
        vec!["cart/server.js:4 via nginx web/default.conf.template:10 /api/cart/ -> /"]
    );
    assert!(calls_on(&g, "web/static/app.js", 4).is_empty());
    // `/health` is served by catalogue only; the gateway sends `/api/cart/health` to cart.
    assert!(calls_on(&g, "web/static/app.js", 5).is_empty());
}

/// The topics code on `line` of `path` publishes (`pub`) or subscribes to (`sub`).
fn topics_on(g: &brain_graph::Graph, path: &str, line: u32) -> Vec<String> {
    let mut out: Vec<String> = g
        .edges()
        .filter(|e| matches!(e.kind, EdgeKind::Publishes | EdgeKind::Subscribes) && e.prov.path == path)
        .filter(|e| e.prov.span.is_some_and(|s| s.start_line == line))
        .map(|e| format!("{} {}", if e.kind == EdgeKind::Publishes { "pub" } else { "sub" }, e.to.as_str()))
        .collect();
    out.sort();
    out
}

/// Checks the topics of every `(path, line)` against what is wanted there, listing every mismatch.
fn assert_topics(g: &brain_graph::Graph, want: &[(&str, u32, Vec<&str>)]) {
    let wrong: Vec<String> = want
        .iter()
        .filter_map(|(path, line, want)| {
            let have = topics_on(g, path, *line);
            (have != *want).then(|| format!("{path}:{line}: want {want:?}, have {have:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Topic names kept in an enum-like object of another file (`TOPICS.readings`), in a string enum
/// (`Subjects.TicketCreated`), in a list of constants (`&[READINGS_TOPIC, HEARTBEAT_TOPIC]`) and
/// passed to a publishing wrapper.
#[test]
fn topic_names_fold_through_tables_lists_and_wrappers() {
    let events = "export const TOPICS = {\n  readings: \"telemetry.readings.v1\",\n} as const;\n";
    let publisher = "import { TOPICS } from \"./events\";
export class Publisher {
  constructor(private readonly producer: Producer) {}
  async readings(batch: Reading[]): Promise<void> {
    await this.producer.send({ topic: TOPICS.readings, messages: [] });
  }
}
";
    let consumer = "const READINGS_TOPIC: &str = \"telemetry.readings.v1\";
const HEARTBEAT_TOPIC: &str = \"device.heartbeat.v1\";

fn run(consumer: &StreamConsumer) {
    consumer.subscribe(&[READINGS_TOPIC, HEARTBEAT_TOPIC]).unwrap();
}
";
    let wrapper = "package bus

const SubjectStockLow = \"inventory.stock.low\"

func (p *Publisher) publish(subject string, v any) error {
\treturn p.nc.Publish(subject, encode(v))
}

func (p *Publisher) StockLow(sku string) error {
\treturn p.publish(SubjectStockLow, sku)
}
";
    let subjects = "export enum Subjects {\n  TicketCreated = 'ticket:created',\n}\n";
    let stan = "import { Stan } from 'node-nats-streaming';
import { Subjects } from './subjects';

export function send(client: Stan, data: string) {
  client.publish(Subjects.TicketCreated, data, () => {});
}
";
    let g = common::ingest_files(&[
        ("tickets/src/subjects.ts", subjects),
        ("tickets/src/send.ts", stan),
        ("gateway/src/events.ts", events),
        ("gateway/src/publisher.ts", publisher),
        ("alerting/src/main.rs", consumer),
        ("inventory/bus/publisher.go", wrapper),
    ]);
    assert_eq!(topics_on(&g, "gateway/src/publisher.ts", 5), vec!["pub topic:telemetry.readings.v1"]);
    assert_eq!(
        topics_on(&g, "alerting/src/main.rs", 5),
        vec!["sub topic:device.heartbeat.v1", "sub topic:telemetry.readings.v1"]
    );
    assert_eq!(topics_on(&g, "inventory/bus/publisher.go", 10), vec!["pub topic:inventory.stock.low"]);
    assert!(topics_on(&g, "inventory/bus/publisher.go", 6).is_empty());
    assert_eq!(topics_on(&g, "tickets/src/send.ts", 5), vec!["pub topic:ticket:created"]);
}

/// A client an OpenAPI generator made calls operations by operationId on a class per tag
/// (`OrdersApi`, `DefaultApi` for untagged ones); a client of another API with a method of the
/// same name is not a call of ours.
#[test]
fn generated_clients_call_operations_by_operation_id() {
    let spec = "openapi: 3.0.3
info: { title: orders, version: v1 }
paths:
  /orders:
    post:
      tags: [orders]
      operationId: createOrder
      responses: { '201': { description: created } }
  /health:
    get:
      operationId: health
      responses: { '200': { description: ok } }
";
    let client = "import { OrdersApi, DefaultApi } from '../clients/orders/api';
export class HttpOrders {
  constructor(private ordersApi: OrdersApi, private defaultApi: DefaultApi, private stripeApi: any) {}
  async create(o: any) {
    await this.ordersApi.createOrder(o);
    await this.defaultApi.health();
    await this.stripeApi.createOrder(o);
  }
}
";
    let g = common::ingest_files(&[("orders/openapi.yaml", spec), ("checkout/src/orders.ts", client)]);
    let calls = |line: u32| -> Vec<String> {
        g.edges()
            .filter(|e| e.kind == EdgeKind::Consumes && e.prov.path == "checkout/src/orders.ts")
            .filter(|e| e.prov.span.is_some_and(|s| s.start_line == line))
            .filter_map(|e| g.node(&e.to).map(|n| n.name.clone()))
            .collect()
    };
    assert_eq!(calls(5), vec!["POST /orders".to_string()]);
    assert_eq!(calls(6), vec!["GET /health".to_string()]);
    assert!(calls(7).is_empty());
}

/// A Spring Cloud Gateway route (`Path=/api/vet/**`, `StripPrefix=2`, `uri: lb://vets-service`)
/// forwards to the module whose config names itself `vets-service`.
#[test]
fn calls_through_a_spring_cloud_gateway_reach_the_named_service() {
    let gateway = "spring:
  application:
    name: api-gateway
  cloud:
    gateway:
      routes:
        - id: vets-service
          uri: lb://vets-service
          predicates:
            - Path=/api/vet/**
          filters:
            - StripPrefix=2
        - id: customers-service
          uri: lb://customers-service
          predicates:
            - Path=/api/customer/**
          filters:
            - StripPrefix=2
";
    let vets_conf = "spring:\n  application:\n    name: vets-service\n";
    let customers_conf = "spring:\n  application:\n    name: customers-service\n";
    let vets = "package vets;

@RestController
@RequestMapping(\"/vets\")
class VetResource {
    @GetMapping
    public List<Vet> showResourcesVetList() {
        return List.of();
    }
}
";
    let customers = "package customers;

@RestController
@RequestMapping(\"/vets\")
class LookalikeResource {
    @GetMapping
    public List<Object> list() {
        return List.of();
    }
}
";
    let ui = "export async function vets() {\n  return fetch('/api/vet/vets');\n}\n";
    let g = common::ingest_files(&[
        ("api-gateway/src/main/resources/application.yml", gateway),
        ("vets-service/src/main/resources/application.yml", vets_conf),
        ("customers-service/src/main/resources/application.yml", customers_conf),
        ("vets-service/src/main/java/vets/VetResource.java", vets),
        ("customers-service/src/main/java/customers/LookalikeResource.java", customers),
        ("ui/src/vets.ts", ui),
    ]);
    let calls = calls_on(&g, "ui/src/vets.ts", 2);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].starts_with("vets-service/src/main/java/vets/VetResource.java:"), "{calls:?}");
    assert!(
        calls[0].contains("via spring-cloud-gateway api-gateway/src/main/resources/application.yml:10"),
        "{calls:?}"
    );
}
/// A Spring Boot service serves its controllers under its context path, set in its own
/// `application.yml` or in a config server's file named after the application. Feign clients
/// and page scripts (jQuery) call the prefixed path; a look-alike route of a service without
/// that context path is not reached.
#[test]
fn spring_context_paths_prefix_served_routes() {
    let accounts_boot = "spring:\n  application:\n    name: account-service\n";
    let shared = "server:\n  servlet:\n    context-path: /accounts\n";
    let stats_conf =
        "spring:\n  application:\n    name: statistics-service\nserver:\n  servlet:\n    context-path: /statistics/\n";
    let accounts = "package acc;

@RestController
public class AccountController {
    @RequestMapping(path = \"/{name}\", method = RequestMethod.GET)
    public Account getAccountByName(@PathVariable String name) {
        return null;
    }

    @RequestMapping(path = \"/current\", method = RequestMethod.PUT)
    public void saveCurrentAccount(@RequestBody Account account) {
    }
}
";
    let stats = "package stats;

@RestController
public class StatisticsController {
    @RequestMapping(value = \"/{accountName}\", method = RequestMethod.PUT)
    public void saveAccountStatistics(@PathVariable String accountName, @RequestBody Account account) {
    }
}
";
    let lookalike = "package other;

@RestController
public class OtherController {
    @GetMapping(\"/accounts/{id}\")
    public Object get(@PathVariable String id) {
        return null;
    }
}
";
    let feign = "package acc.client;

@FeignClient(name = \"statistics-service\")
public interface StatisticsServiceClient {
    @RequestMapping(method = RequestMethod.PUT, value = \"/statistics/{accountName}\")
    void updateStatistics(@PathVariable(\"accountName\") String accountName, Account account);
}
";
    let page = "function save(token) {
  $.ajax({
    url: 'accounts/current',
    type: 'put',
    headers: {'Authorization': 'Bearer ' + token},
  });
}
";
    let g = common::ingest_files(&[
        ("account-service/src/main/resources/bootstrap.yml", accounts_boot),
        ("config/src/main/resources/shared/account-service.yml", shared),
        ("statistics-service/src/main/resources/application.yml", stats_conf),
        ("account-service/src/main/java/acc/AccountController.java", accounts),
        ("account-service/src/main/java/acc/client/StatisticsServiceClient.java", feign),
        ("statistics-service/src/main/java/stats/StatisticsController.java", stats),
        ("other-service/src/main/java/other/OtherController.java", lookalike),
        ("gateway/src/main/resources/static/js/main.js", page),
    ]);
    let served: Vec<String> = g
        .nodes()
        .filter(|n| n.kind == brain_model::NodeKind::Operation && n.prov.path.ends_with("Controller.java"))
        .map(|n| format!("{} {}", n.prov.path.rsplit('/').next().unwrap_or(""), n.name))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        served,
        vec![
            "AccountController.java GET /accounts/{name}",
            "AccountController.java PUT /accounts/current",
            "OtherController.java GET /accounts/{id}",
            "StatisticsController.java PUT /statistics/{accountName}",
        ]
    );
    let feign_calls = calls_on(&g, "account-service/src/main/java/acc/client/StatisticsServiceClient.java", 5);
    assert_eq!(feign_calls, vec!["statistics-service/src/main/java/stats/StatisticsController.java:5 via -"]);
    let page_calls = calls_on(&g, "gateway/src/main/resources/static/js/main.js", 2);
    assert_eq!(page_calls, vec!["account-service/src/main/java/acc/AccountController.java:10 via -"]);
}

/// Request-builder clients (Kiota) name the URL one segment per step, parameters through
/// `byX(..)` or an indexer, and end in the method. Each language's spelling reaches the served
/// route on the line of the method; a fluent chain not rooted at a client, or with arguments
/// on a segment, is not a call.
#[test]
fn request_builder_chains_call_the_route_they_spell() {
    let server = "const express = require('express');
const app = express();
app.get('/catalog/products/:id', (req, res) => res.json({}));
app.post('/carts/:customerId/items', (req, res) => res.json({}));
";
    let java = "package ui;

class CatalogService {
    private CatalogClient catalogClient;

    Product product(String id) {
        return this.catalogClient.catalog()
            .products()
            .byId(id)
            .get();
    }

    void add(String customer, Item item) {
        cartsClient.carts().byCustomerId(customer).items().post(item);
        builder.catalog().products().byId(id).get();
        catalogClient.catalog().products(\"x\").get();
    }
}
";
    let ts = "export async function product(client: CatalogClient, id: string) {
  return client.catalog.products.byId(id).get();
}
";
    let cs = "class Catalog {
    async Task<Product> Get(string id) {
        return await _catalogClient.Catalog.Products[id].GetAsync();
    }
}
";
    let go = "package ui

func (s *Service) Product(ctx context.Context, id string) {
\ts.client.Catalog().Products().ById(id).Get(ctx, nil)
}
";
    let py = "def add(self, customer, item):
    return self.carts_client.carts.by_customer_id(customer).items.post(item)
";
    let g = common::ingest_files(&[
        ("catalog/server.js", server),
        ("ui/CatalogService.java", java),
        ("web/catalog.ts", ts),
        ("shop/Catalog.cs", cs),
        ("gw/service.go", go),
        ("py/carts.py", py),
    ]);
    let product = vec!["catalog/server.js:3 via -"];
    let items = vec!["catalog/server.js:4 via -"];
    assert_eq!(calls_on(&g, "ui/CatalogService.java", 10), product);
    assert_eq!(calls_on(&g, "ui/CatalogService.java", 14), items);
    assert!(calls_on(&g, "ui/CatalogService.java", 15).is_empty(), "not rooted at a client");
    assert!(calls_on(&g, "ui/CatalogService.java", 16).is_empty(), "a segment with an argument");
    assert_eq!(calls_on(&g, "web/catalog.ts", 2), product);
    assert_eq!(calls_on(&g, "shop/Catalog.cs", 3), product);
    assert_eq!(calls_on(&g, "gw/service.go", 4), product);
    assert_eq!(calls_on(&g, "py/carts.py", 2), items);
}

/// Eventuate Tram routes domain events by the aggregate's class name: a publisher for an
/// aggregate publishes on `<package>.<Aggregate>` (taken from the aggregate argument, a class
/// literal, or the publisher's type for `publishById`), and handlers subscribe by annotation
/// channel or `forAggregateType`. The event's own class is never the channel.
#[test]
fn eventuate_domain_events_use_the_aggregate_channel() {
    let service = "package com.acme.orders.domain;

import io.eventuate.tram.events.publisher.ResultWithTypedEvents;

public class OrderService {
  private final OrderEventPublisher orderEventPublisher;
  private DomainEventPublisher domainEventPublisher;

  public void approve(Order order) {
    orderEventPublisher.publish(order, new OrderApprovedEvent(order.getDetails()));
  }
  public void reject(long id) {
    orderEventPublisher.publishById(id, new OrderRejectedEvent(id));
  }
  public void cancel(long id, List<DomainEvent> events) {
    domainEventPublisher.publish(Order.class, id, events);
  }
}
";
    let handlers = "package com.acme.customers;

import io.eventuate.tram.events.subscriber.annotations.EventuateDomainEventHandler;

public class OrderEventConsumer {
  @EventuateDomainEventHandler(subscriberId = \"orderEvents\", channel = \"com.acme.orders.domain.Order\")
  public void handleOrderApproved(DomainEventEnvelope<OrderApprovedEvent> envelope) {
  }

  public DomainEventHandlers domainEventHandlers() {
    return DomainEventHandlersBuilder
        .forAggregateType(\"com.acme.orders.domain.Order\")
        .onEvent(OrderApprovedEvent.class, this::handleOrderApproved)
        .build();
  }
}
";
    let g = common::ingest_files(&[
        ("orders/src/main/java/com/acme/orders/domain/OrderService.java", service),
        ("customers/src/main/java/com/acme/customers/OrderEventConsumer.java", handlers),
    ]);
    let order = vec!["pub topic:com.acme.orders.domain.Order"];
    let sub = vec!["sub topic:com.acme.orders.domain.Order"];
    let svc = "orders/src/main/java/com/acme/orders/domain/OrderService.java";
    let consumer = "customers/src/main/java/com/acme/customers/OrderEventConsumer.java";
    assert_topics(
        &g,
        &[
            (svc, 10, order.clone()),
            (svc, 13, order.clone()),
            (svc, 16, order),
            (consumer, 6, sub.clone()),
            (consumer, 11, sub),
        ],
    );
}

/// Routers mounted from another file serve under the mount's prefix, through chains of mounts and
/// a prefix named by a setting of a third file (FastAPI `include_router`, Express `app.use`). A
/// generated SDK's method (hey-api `ItemsService.readItem`) is the request it makes, on the line
/// of the hand-written call.
#[test]
fn mounted_routers_serve_under_the_mount_prefix() {
    let config = "class Settings:\n    API_V1_STR: str = \"/api/v1\"\n\nsettings = Settings()\n";
    let items = "from fastapi import APIRouter

router = APIRouter(prefix=\"/items\", tags=[\"items\"])


@router.get(\"/{id}\")
def read_item(id: str):
    return {}
";
    let api = "from fastapi import APIRouter

from app.api.routes import items

api_router = APIRouter()
api_router.include_router(items.router)
";
    let main = "from fastapi import FastAPI

from app.api.main import api_router
from app.core.config import settings

app = FastAPI()
app.include_router(api_router, prefix=settings.API_V1_STR)
";
    let express_app = "const express = require('express');
const users = require('./routes/users');
const app = express();
app.use('/api/users', users);
";
    let express_users = "const express = require('express');
const router = express.Router();
router.get('/:id', (req, res) => res.json({}));
module.exports = router;
";
    let sdk = "// This file is auto-generated by @hey-api/openapi-ts

export class ItemsService {
    public static readItem(options) {
        return (options.client ?? client).get({
            url: '/api/v1/items/{id}',
            ...options
        });
    }
}
";
    let page = "import { ItemsService } from \"@/client\"

export async function load(id: string) {
  const item = await ItemsService.readItem({ path: { id } })
  const user = await fetch(`/api/users/${id}`)
  return [item, user]
}
";
    let g = common::ingest_files(&[
        ("backend/app/core/config.py", config),
        ("backend/app/api/routes/items.py", items),
        ("backend/app/api/main.py", api),
        ("backend/app/main.py", main),
        ("server/app.js", express_app),
        ("server/routes/users.js", express_users),
        ("frontend/src/client/sdk.gen.ts", sdk),
        ("frontend/src/load.ts", page),
    ]);
    let served: std::collections::BTreeSet<String> = g
        .nodes()
        .filter(|n| n.kind == brain_model::NodeKind::Operation && n.attr("http_method").is_some())
        .map(|n| format!("{} {}", n.prov.path, n.name))
        .collect();
    assert_eq!(
        served.into_iter().collect::<Vec<_>>(),
        vec!["backend/app/api/routes/items.py GET /api/v1/items/{id}", "server/routes/users.js GET /api/users/:id"]
    );
    assert_eq!(calls_on(&g, "frontend/src/load.ts", 4), vec!["backend/app/api/routes/items.py:6 via -"]);
    assert_eq!(calls_on(&g, "frontend/src/load.ts", 5), vec!["server/routes/users.js:3 via -"]);
}

/// A client instance made for a base path (`axios.create({ baseURL })`, `httpx.Client(base_url=..)`)
/// puts it before every request path; a base that is only a host changes nothing.
#[test]
fn client_base_paths_prefix_request_paths() {
    let server = "const express = require('express');
const app = express();
app.get('/api/v1/orders/:id', (req, res) => res.json({}));
app.get('/orders/:id', (req, res) => res.json({}));
";
    let web = "import axios from 'axios';

const api = axios.create({ baseURL: `${import.meta.env.VITE_API}/api/v1` });
const plain = axios.create({ baseURL: 'http://orders:8080' });

export const order = (id: string) => api.get(`/orders/${id}`);
export const legacy = (id: string) => plain.get(`/orders/${id}`);
";
    let py = "import httpx

client = httpx.Client(base_url=\"http://orders:8080/api/v1\")


def order(order_id):
    return client.get(f\"/orders/{order_id}\").json()
";
    let g = common::ingest_files(&[("orders/server.js", server), ("web/src/api.ts", web), ("jobs/orders.py", py)]);
    assert_eq!(calls_on(&g, "web/src/api.ts", 6), vec!["orders/server.js:3 via -"]);
    assert_eq!(calls_on(&g, "web/src/api.ts", 7), vec!["orders/server.js:4 via -"]);
    assert_eq!(calls_on(&g, "jobs/orders.py", 7), vec!["orders/server.js:3 via -"]);
}

/// Page scripts name URLs relative to the page (`$http.get('api/owners/' + id)`); such a path
/// is a call, a relative path to a file (`data/cities.json`) is a static asset, not a call.
#[test]
fn page_relative_urls_are_calls_and_files_are_assets() {
    let server = "const express = require('express');
const app = express();
app.get('/api/owners/:id', (req, res) => res.json({}));
app.get('/data/cities.json', (req, res) => res.json([]));
";
    let page = "angular.module('owners').controller('OwnerCtrl', function ($http, $stateParams) {
  $http.get('api/owners/' + $stateParams.ownerId).then(function (resp) { this.owner = resp.data; });
  fetch('data/cities.json');
});
";
    let g = common::ingest_files(&[("api/server.js", server), ("web/scripts/owner.js", page)]);
    assert_eq!(calls_on(&g, "web/scripts/owner.js", 2), vec!["api/server.js:3 via -"]);
    assert!(calls_on(&g, "web/scripts/owner.js", 3).is_empty());
}

/// JetStream pull consumers subscribe to their filter subject, else to their stream's subjects;
/// a consumer of a stream the file does not configure names no subject.
#[test]
fn jetstream_pull_consumers_read_their_stream_subjects() {
    let go = "package main

import \"github.com/nats-io/nats.go/jetstream\"

func run(ctx context.Context, js jetstream.JetStream, other jetstream.Stream) {
\tstream, _ := js.CreateStream(ctx, jetstream.StreamConfig{Name: \"ORDERS\", Subjects: []string{\"orders.>\"}})
\tcons, _ := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: \"billing\"})
\tcons.Consume(handle)
\tshipped, _ := js.CreateOrUpdateConsumer(ctx, \"ORDERS\", jetstream.ConsumerConfig{FilterSubject: \"orders.shipped\"})
\tshipped.Fetch(10)
\tunknown, _ := other.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{})
\tunknown.Fetch(1)
}

func next(ctx context.Context, js jetstream.JetStream) {
\tbyName, _ := js.Consumer(ctx, \"ORDERS\", \"billing\")
\tbyName.Next()
}
";
    let g = common::ingest_files(&[("billing/main.go", go)]);
    let all = vec!["sub topic:orders.>"];
    assert_topics(
        &g,
        &[
            ("billing/main.go", 8, all.clone()),
            ("billing/main.go", 10, vec!["sub topic:orders.shipped"]),
            ("billing/main.go", 12, vec![]),
            ("billing/main.go", 17, all),
        ],
    );
}

/// What code reads from an Apollo Client hook's `data` is a read of the schema: `data.me` of
/// `useQuery` is `Query.me`, then the fields of its type, through destructuring too; the second
/// element of `useMutation` holds `Mutation` data. A file without Apollo Client reads nothing.
#[test]
fn apollo_hook_results_read_the_schema() {
    let schema = "type Query { me: CurrentUser }
type Mutation { login(email: String!): LoginResult }
type CurrentUser { profile: Profile }
type Profile { id: ID! displayName: String }
type LoginResult { token: String }
";
    let menu = "import { gql, useQuery, useMutation } from '@apollo/client';

const ME = gql`query Me { me { profile { id displayName } } }`;
const LOGIN = gql`mutation Login($email: String!) { login(email: $email) { token } }`;

export function Menu() {
  const { data } = useQuery(ME);
  const { profile } = data.me;
  const [login, { data: loginData }] = useMutation(LOGIN);
  return [profile.displayName, loginData.login.token];
}
";
    let other = "import { useQuery } from './store';

export function Other() {
  const { data } = useQuery('me');
  return data.me;
}
";
    let legacy = "import { useQuery } from '@apollo/react-hooks';

export function Legacy({ ME }) {
  const { data } = useQuery(ME);
  return data.me;
}
";
    let g = common::ingest_files(&[
        ("api/schema.graphql", schema),
        ("web/Menu.tsx", menu),
        ("web/Other.tsx", other),
        ("web/Legacy.jsx", legacy),
    ]);
    assert_eq!(reads_on(&g, "web/Legacy.jsx", 5), vec!["api/schema.graphql:me"]);
    assert_eq!(reads_on(&g, "web/Menu.tsx", 8), vec!["api/schema.graphql:me", "api/schema.graphql:profile"]);
    assert_eq!(
        reads_on(&g, "web/Menu.tsx", 10),
        vec!["api/schema.graphql:displayName", "api/schema.graphql:login", "api/schema.graphql:token"]
    );
    assert!(reads_on(&g, "web/Other.tsx", 5).is_empty());
}

/// `brain check` reports no unknown operation for a page-relative URL (where the page is served
/// decides the path) and no unknown topic for a subscription to one of the subjects a publisher
/// computes at run time; a misspelt subject of the same namespace still is one.
#[test]
fn relative_urls_and_computed_subjects_are_not_unknown() {
    let server = "const express = require('express');
const app = express();
app.get('/api/owners/:id', (req, res) => res.json({}));
";
    let page = "function load($http, id) {
  $http.get('api/owners/' + id + '/pets');
}
function reload($http, id) {
  $http.get('/api/owners/' + id + '/pets');
}
";
    let publisher = "import { connect } from 'nats';
export async function announce(nc, i) {
  nc.publish(`orders.new.${i}`, 'x');
  nc.publish('orders.paid', 'x');
}
";
    let subscriber = "import { connect } from 'nats';
export async function listen(nc) {
  nc.subscribe('orders.new.eu');
  nc.subscribe('orders.payd');
}
";
    let g = common::ingest_files(&[
        ("api/server.js", server),
        ("web/load.js", page),
        ("orders/publish.ts", publisher),
        ("billing/listen.ts", subscriber),
    ]);
    let report = brain_check::check(&g, &brain_check::CheckOptions::default());
    let places: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("unknown"))
        .filter_map(|f| f.consumer.as_ref().map(|c| format!("{} {}", f.rule, c.location())))
        .collect();
    assert_eq!(places, vec!["unknown-operation acme/app:web/load.js:5", "unknown-topic acme/app:billing/listen.ts:4"]);
}

/// A grpc-gateway registration serves the HTTP routes of the service's rpcs and calls each of
/// those rpcs; an rpc without an HTTP rule is not reached through the gateway.
#[test]
fn grpc_gateway_registrations_serve_the_rpcs_http_rules() {
    let proto = "syntax = \"proto3\";
package shop.product;
import \"google/api/annotations.proto\";

service ProductService {
  rpc GetItemTypes(Empty) returns (ItemTypes) {
    option (google.api.http) = { get: \"/v1/api/item-types\" };
  }
  rpc Internal(Empty) returns (Empty);
}
message Empty {}
message ItemTypes { repeated string names = 1; }
";
    let proxy = "package main

import gw \"github.com/acme/shop/proto/gen\"

func newGateway(ctx context.Context, mux *runtime.ServeMux, endpoint string, opts []grpc.DialOption) error {
\treturn gw.RegisterProductServiceHandlerFromEndpoint(ctx, mux, endpoint, opts)
}
";
    let g = common::ingest_files(&[("proto/product.proto", proto), ("cmd/proxy/main.go", proxy)]);
    let served: Vec<String> = g
        .edges()
        .filter(|e| e.kind == EdgeKind::Exposes && e.prov.path == "cmd/proxy/main.go")
        .filter_map(|e| g.node(&e.to).map(|n| n.name.clone()))
        .collect();
    assert_eq!(served, vec!["GET /v1/api/item-types"]);
    let called: Vec<String> = g
        .edges()
        .filter(|e| e.kind == EdgeKind::Consumes && e.prov.path == "cmd/proxy/main.go")
        .filter_map(|e| g.node(&e.to).map(|n| n.name.clone()))
        .collect();
    assert_eq!(called, vec!["GetItemTypes"]);
}

/// Kafka producers and consumers as each language's common client library writes them: the
/// topic is wherever that library takes it (a record object, a struct literal, a list), and the
/// client is known by its type or constructor, not by a variable named `kafka`.
#[test]
fn kafka_clients_in_every_language() {
    let java = r#"package shop.orders;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import java.util.Collections;

public class OrderEvents {
    private static final String TOPIC = "orders.placed";
    private final KafkaProducer<String, String> producer;

    public OrderEvents(KafkaProducer<String, String> producer) { this.producer = producer; }

    public void placed(String id, String json) {
        producer.send(new ProducerRecord<>(TOPIC, id, json));
    }

    public void listen(KafkaConsumer<String, String> consumer) {
        consumer.subscribe(Collections.singletonList("payments.settled"));
    }
}
"#;
    let kotlin = r#"package shop.fraud

import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.ProducerRecord

const val ORDERS = "orders.placed"

class FraudWorker(private val consumer: KafkaConsumer<String, ByteArray>) {
    fun start() {
        consumer.subscribe(listOf(ORDERS))
    }
    fun flag(p: KafkaProducer<String, String>, id: String) {
        p.send(ProducerRecord("fraud.flagged", id, id))
    }
}
"#;
    let sarama = "package checkout

import \"github.com/IBM/sarama\"

const ordersTopic = \"orders.placed\"

func (s *Service) emit(id string) error {
\tmsg := &sarama.ProducerMessage{Topic: ordersTopic, Value: sarama.StringEncoder(id)}
\t_, _, err := s.producer.SendMessage(msg)
\treturn err
}

func (s *Service) consume(ctx context.Context, group sarama.ConsumerGroup, h sarama.ConsumerGroupHandler) error {
\treturn group.Consume(ctx, []string{\"payments.settled\"}, h)
}

func partition(c sarama.Consumer) {
\tpc, _ := c.ConsumePartition(\"refunds.issued\", 0, sarama.OffsetNewest)
\t_ = pc
}
";
    let confluent_go = "package ship

import \"github.com/confluentinc/confluent-kafka-go/v2/kafka\"

func send(p *kafka.Producer, body []byte) error {
\ttopic := \"shipments.created\"
\treturn p.Produce(&kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny}, Value: body}, nil)
}

func listen(c *kafka.Consumer) error {
\treturn c.SubscribeTopics([]string{\"orders.placed\"}, nil)
}
";
    let kafka_go = "package mail

import \"github.com/segmentio/kafka-go\"

func reader() *kafka.Reader {
\treturn kafka.NewReader(kafka.ReaderConfig{Brokers: []string{\"kafka:9092\"}, Topic: \"orders.placed\", GroupID: \"mail\"})
}
";
    let csharp = r#"using Confluent.Kafka;

namespace Accounting;

public class OrderConsumer
{
    private const string Topic = "orders.placed";
    private readonly IConsumer<string, byte[]> _consumer;

    public void Start()
    {
        _consumer.Subscribe(Topic);
    }

    public async Task Report(IProducer<string, string> producer, string id)
    {
        await producer.ProduceAsync("ledger.posted", new Message<string, string> { Key = id, Value = id });
    }
}
"#;
    let python = r#"from kafka import KafkaConsumer, KafkaProducer
from confluent_kafka import Producer
from aiokafka import AIOKafkaConsumer

TOPIC = "orders.placed"

def run():
    consumer = KafkaConsumer(TOPIC, bootstrap_servers="kafka:9092")
    for msg in consumer:
        handle(msg)

def emit(order_id):
    p = Producer({"bootstrap.servers": "kafka:9092"})
    p.produce("orders.audited", value=order_id)

async def consume():
    c = AIOKafkaConsumer("payments.settled", bootstrap_servers="kafka:9092")
    await c.start()

def later(consumer: KafkaConsumer):
    consumer.subscribe(topics=["refunds.issued"])
"#;
    let kafkajs = "const { Kafka } = require('kafkajs');
const kafka = new Kafka({ brokers: ['kafka:9092'] });
const consumer = kafka.consumer({ groupId: 'mailer' });

async function main() {
  await consumer.subscribe({ topics: ['orders.placed', 'orders.cancelled'] });
  const producer = kafka.producer();
  await producer.send({ topic: 'mail.sent', messages: [{ value: 'x' }] });
}
";
    let g = common::ingest_files(&[
        ("orders/src/main/java/shop/orders/OrderEvents.java", java),
        ("fraud/src/main/kotlin/shop/fraud/FraudWorker.kt", kotlin),
        ("checkout/events.go", sarama),
        ("shipping/send.go", confluent_go),
        ("mail/reader.go", kafka_go),
        ("accounting/OrderConsumer.cs", csharp),
        ("audit/worker.py", python),
        ("mailer/index.js", kafkajs),
    ]);
    let java_at = "orders/src/main/java/shop/orders/OrderEvents.java";
    let kt_at = "fraud/src/main/kotlin/shop/fraud/FraudWorker.kt";
    let got = [
        (java_at, 15, vec!["pub topic:orders.placed"]),
        (java_at, 19, vec!["sub topic:payments.settled"]),
        (kt_at, 10, vec!["sub topic:orders.placed"]),
        (kt_at, 13, vec!["pub topic:fraud.flagged"]),
        ("checkout/events.go", 8, vec!["pub topic:orders.placed"]),
        ("checkout/events.go", 14, vec!["sub topic:payments.settled"]),
        ("checkout/events.go", 18, vec!["sub topic:refunds.issued"]),
        ("shipping/send.go", 7, vec!["pub topic:shipments.created"]),
        ("shipping/send.go", 11, vec!["sub topic:orders.placed"]),
        ("mail/reader.go", 6, vec!["sub topic:orders.placed"]),
        ("accounting/OrderConsumer.cs", 12, vec!["sub topic:orders.placed"]),
        ("accounting/OrderConsumer.cs", 17, vec!["pub topic:ledger.posted"]),
        ("audit/worker.py", 8, vec!["sub topic:orders.placed"]),
        ("audit/worker.py", 14, vec!["pub topic:orders.audited"]),
        ("audit/worker.py", 17, vec!["sub topic:payments.settled"]),
        ("audit/worker.py", 21, vec!["sub topic:refunds.issued"]),
        ("mailer/index.js", 6, vec!["sub topic:orders.cancelled", "sub topic:orders.placed"]),
        ("mailer/index.js", 8, vec!["pub topic:mail.sent"]),
    ];
    assert_topics(&g, &got);
}

/// NATS publishers and subscribers as each language's client writes them, with connections held
/// under any name (`conn`, `ec`, a dispatcher) and known by their type or the library the file
/// loads.
#[test]
fn nats_clients_in_every_language() {
    let go = "package notify

import \"github.com/nats-io/nats.go\"

func Run(conn *nats.Conn, js nats.JetStreamContext) {
\tconn.Subscribe(\"orders.created\", func(m *nats.Msg) {})
\tconn.QueueSubscribe(\"orders.paid\", \"notify\", handle)
\tjs.Publish(\"notify.sent\", []byte(\"x\"))
}

func Client(ec *nats.EncodedConn) {
\tec.Publish(\"notify.queued\", &Note{})
}
";
    let python = r#"import nats

async def main():
    client = await nats.connect("nats://nats:4222")
    await client.subscribe("orders.created", cb=on_order)
    await client.publish("audit.logged", b"x")
    stream = client.jetstream()
    await stream.publish("audit.stream", b"y")

class Bus:
    def __init__(self, nc):
        self.nc = nc
    async def emit(self):
        await self.nc.publish("audit.bus", b"z")
"#;
    let java = r#"import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

public class Notifier {
    private final Connection connection;
    public Notifier(Connection connection) { this.connection = connection; }
    public void start() {
        Dispatcher d = connection.createDispatcher(msg -> {});
        d.subscribe("orders.created");
        connection.publish("notify.sent", new byte[0]);
    }
}
"#;
    let csharp = r#"using NATS.Client.Core;

public class Relay
{
    public async Task Run(NatsConnection bus)
    {
        await bus.PublishAsync("relay.started", "x");
        await foreach (var msg in bus.SubscribeAsync<string>("orders.created"))
        {
        }
    }
}
"#;
    let rust = r#"async fn run() -> Result<(), async_nats::Error> {
    let client = async_nats::connect("nats://nats:4222").await?;
    client.publish("metrics.flushed", "x".into()).await?;
    let mut sub = client.subscribe("orders.created").await?;
    Ok(())
}
"#;
    let js = "import { connect } from 'nats';

export async function main() {
  const conn = await connect({ servers: 'nats:4222' });
  const sub = conn.subscribe('orders.created');
  conn.publish('mailer.ready');
}
";
    let g = common::ingest_files(&[
        ("notify/run.go", go),
        ("audit/main.py", python),
        ("notifier/src/main/java/Notifier.java", java),
        ("relay/Relay.cs", csharp),
        ("metrics/src/main.rs", rust),
        ("mailer/main.mjs", js),
    ]);
    let want = [
        ("notify/run.go", 6, vec!["sub topic:orders.created"]),
        ("notify/run.go", 7, vec!["sub topic:orders.paid"]),
        ("notify/run.go", 8, vec!["pub topic:notify.sent"]),
        ("notify/run.go", 12, vec!["pub topic:notify.queued"]),
        ("audit/main.py", 5, vec!["sub topic:orders.created"]),
        ("audit/main.py", 6, vec!["pub topic:audit.logged"]),
        ("audit/main.py", 8, vec!["pub topic:audit.stream"]),
        ("audit/main.py", 14, vec!["pub topic:audit.bus"]),
        ("notifier/src/main/java/Notifier.java", 10, vec!["sub topic:orders.created"]),
        ("notifier/src/main/java/Notifier.java", 11, vec!["pub topic:notify.sent"]),
        ("relay/Relay.cs", 7, vec!["pub topic:relay.started"]),
        ("relay/Relay.cs", 8, vec!["sub topic:orders.created"]),
        ("metrics/src/main.rs", 3, vec!["pub topic:metrics.flushed"]),
        ("metrics/src/main.rs", 4, vec!["sub topic:orders.created"]),
        ("mailer/main.mjs", 5, vec!["sub topic:orders.created"]),
        ("mailer/main.mjs", 6, vec!["pub topic:mailer.ready"]),
    ];
    assert_topics(&g, &want);
}

/// A topic named by a constant of another package (`kafka.Topic` from `var ( Topic = "orders" )`)
/// and a message sent through the producer's input channel.
#[test]
fn topics_named_by_another_packages_constant() {
    let topics = "package kafka

import \"github.com/IBM/sarama\"

var (
\tTopic           = \"orders.v2\"
\tProtocolVersion = sarama.V3_0_0_0
)
";
    let main = "package main

import (
\t\"github.com/IBM/sarama\"
\t\"example.com/checkout/kafka\"
)

func (cs *checkout) sendToPostProcessor(ctx context.Context, result []byte) {
\tmsg := sarama.ProducerMessage{
\t\tTopic: kafka.Topic,
\t\tValue: sarama.ByteEncoder(result),
\t}
\tcs.KafkaProducerClient.Input() <- &msg
}
";
    let g = common::ingest_files(&[("checkout/kafka/topics.go", topics), ("checkout/main.go", main)]);
    assert_eq!(topics_on(&g, "checkout/main.go", 9), vec!["pub topic:orders.v2"]);
}

/// An rpc with a `google.api.http` option answers HTTP too (grpc-gateway, Envoy transcoding): a
/// browser's `fetch` of the transcoded route reaches the rpc; a route the option does not declare
/// reaches nothing.
#[test]
fn http_calls_reach_rpcs_through_grpc_transcoding() {
    let proto = r#"syntax = "proto3";
package shop.v1;

import "google/api/annotations.proto";

service Library {
  rpc GetBook(GetBookRequest) returns (Book) {
    option (google.api.http) = { get: "/v1/{name=shelves/*/books/*}" };
  }
  rpc CreateBook(CreateBookRequest) returns (Book) {
    option (google.api.http) = {
      post: "/v1/shelves/{shelf}/books"
      body: "book"
      additional_bindings { put: "/v1/books" body: "*" }
    };
  }
  rpc ListBooks(ListBooksRequest) returns (ListBooksResponse);
}
message GetBookRequest { string name = 1; }
message CreateBookRequest { string shelf = 1; Book book = 2; }
message ListBooksRequest {}
message ListBooksResponse { repeated Book books = 1; }
message Book { string name = 1; }
"#;
    let web = "export const load = (shelf: string, id: string) =>
  fetch(`/v1/shelves/${shelf}/books/${id}`);
export const create = (shelf: string) =>
  fetch(`/v1/shelves/${shelf}/books`, { method: 'POST', body: '{}' });
export const replace = () => fetch('/v1/books', { method: 'PUT', body: '{}' });
export const list = () => fetch('/v1/books');
";
    let g = common::ingest_files(&[("proto/library.proto", proto), ("web/src/books.ts", web)]);
    assert_eq!(calls_on(&g, "web/src/books.ts", 2), vec!["proto/library.proto:7 via -"]);
    assert_eq!(calls_on(&g, "web/src/books.ts", 4), vec!["proto/library.proto:10 via -"]);
    assert_eq!(calls_on(&g, "web/src/books.ts", 5), vec!["proto/library.proto:10 via -"]);
    assert!(calls_on(&g, "web/src/books.ts", 6).is_empty());
}

/// Google Cloud Pub/Sub in each client library: the topic is named where the topic handle or
/// path is made, inline or bound first; a subscriber names a subscription (bound to its topic
/// outside the code), kept unresolved rather than guessed as a topic.
#[test]
fn google_pubsub_clients_in_every_language() {
    let go = "package orders

import \"cloud.google.com/go/pubsub\"

func (s *Server) emit(ctx context.Context, data []byte) {
\tt := s.client.Topic(\"orders-placed\")
\tt.Publish(ctx, &pubsub.Message{Data: data})
\ts.client.Topic(\"orders-audited\").Publish(ctx, &pubsub.Message{Data: data})
\t_ = s.client.Topic(\"orders-archive\").Exists(ctx)
}

func (s *Server) listen(ctx context.Context) error {
\treturn s.client.Subscription(\"mailer-orders\").Receive(ctx, s.handle)
}
";
    let node = "const { PubSub } = require('@google-cloud/pubsub');
const pubsub = new PubSub();

async function send(data) {
  await pubsub.topic('mail-sent').publishMessage({ data });
}
";
    let python = r#"from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path("acme", "invoices-issued")

def issue(data):
    publisher.publish(topic_path, data)
"#;
    let java = r#"import com.google.cloud.pubsub.v1.Publisher;
import com.google.pubsub.v1.TopicName;

class Shipments {
    Publisher make(String project) throws Exception {
        return Publisher.newBuilder(TopicName.of(project, "shipments-created")).build();
    }
}
"#;
    let csharp = r#"using Google.Cloud.PubSub.V1;

public class Refunds
{
    public async Task Send(string project)
    {
        var publisher = await PublisherClient.CreateAsync(TopicName.FromProjectTopic(project, "refunds-issued"));
    }
}
"#;
    let g = common::ingest_files(&[
        ("orders/emit.go", go),
        ("mailer/send.js", node),
        ("billing/issue.py", python),
        ("shipping/src/main/java/Shipments.java", java),
        ("refunds/Refunds.cs", csharp),
    ]);
    let want = [
        ("orders/emit.go", 7, vec!["pub topic:orders-placed"]),
        ("orders/emit.go", 8, vec!["pub topic:orders-audited"]),
        ("orders/emit.go", 9, vec![]),
        ("mailer/send.js", 5, vec!["pub topic:mail-sent"]),
        ("billing/issue.py", 7, vec!["pub topic:invoices-issued"]),
        ("shipping/src/main/java/Shipments.java", 6, vec!["pub topic:shipments-created"]),
        ("refunds/Refunds.cs", 7, vec!["pub topic:refunds-issued"]),
    ];
    assert_topics(&g, &want);
    // The subscription stays an unresolved reference of the receiving function, never a topic.
    let subs: Vec<String> = g
        .unresolved()
        .filter(|r| r.kind == EdgeKind::Subscribes && r.prov.path == "orders/emit.go")
        .map(|r| format!("{:?}", r.target))
        .collect();
    assert!(subs.iter().any(|t| t.contains("pubsub-subscription") && t.contains("mailer-orders")), "{subs:?}");
    assert!(topics_on(&g, "orders/emit.go", 13).is_empty());
}
