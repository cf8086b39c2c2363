const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const express = require('express');
const amqp = require('amqplib');
const { connect, JSONCodec } = require('nats');
const charge = require('./payments/charge');

const def = protoLoader.loadSync(path.join(__dirname, 'proto/shop.proto'), { keepCase: true, defaults: true });
const shop = grpc.loadPackageDefinition(def).shop;

// A grpc-js client made from the loaded package; the response comes to the callback.
const inventory = new shop.InventoryService('inventory:50051', grpc.credentials.createInsecure());

function reserve(call, callback) {
  const { sku, quantity: qty } = call.request; // expect: flow:B|grpc-req|OrderService/Reserve ;; keep_case=true, name=sku ;; name=quantity
  inventory.checkStock({ sku }, (err, stock) => { // expect: consumes sym:@#reserve -> grpc:InventoryService/CheckStock ;; writes_field sym:@#reserve -> flow:B|grpc-req|InventoryService/CheckStock
    if (stock.in_stock < qty) { // expect: flow:B|grpc|InventoryService/CheckStock ;; name=in_stock
      return callback(new Error('out of stock'));
    }
    callback(null, {
      reservation_id: `${sku}-${qty}`, // expect: writes_field sym:@#reserve -> flow:B|grpc|OrderService/Reserve ;; name=reservation_id
    });
  });
}

// A payload handed to a function of another module.
function pay(call, callback) {
  callback(null, charge(call.request)); // expect: uses_type sym:@#pay -> flow:B|grpc-req|OrderService/Pay ;; arg=0, arg_of=payments/charge|charge, role=arg ;; uses_type sym:@#pay -> flow:B|grpc|OrderService/Pay ;; arg_of=payments/charge|charge, role=sent
}

class OrderServer {
  static cancelHandler(call, callback) { // expect: implements sym:@#OrderServer.cancelHandler -> grpc:OrderService/Cancel
    console.log(call.request.order_id); // expect: flow:B|grpc-req|OrderService/Cancel ;; name=order_id
    callback(null, {});
  }
}

const server = new grpc.Server();
server.addService(shop.OrderService.service, { reserve, pay, cancel: OrderServer.cancelHandler.bind(this) });

// express: the request body is the operation's request; the literal answered is its response.
const app = express();
app.post('/orders', async (req, res) => {
  const order = req.body;
  console.log(order.customerId); // expect: flow:B|http-req|POST /orders ;; name=customerId
  res.status(201).json({ id: 1, status: 'created' }); // expect: uses_type ;; boundary=http|POST /orders, role=encode
});

// amqplib: the message content parsed as JSON.
async function consumeShipments() {
  const conn = await amqp.connect('amqp://rabbitmq');
  const channel = await conn.createChannel();
  channel.consume('shipments', (msg) => {
    const shipment = JSON.parse(msg.content.toString());
    console.log(shipment.trackingNo); // expect: flow:B|topic|shipments ;; name=trackingNo
  });
}

// NATS: a subscription iterated with for await, decoded with a codec.
async function watchPrices() {
  const nc = await connect({ servers: 'nats://nats:4222' });
  const jc = JSONCodec();
  const sub = nc.subscribe('prices.updated');
  for await (const m of sub) {
    const p = jc.decode(m.data);
    console.log(p.priceUsd); // expect: flow:B|topic|prices.updated ;; name=priceUsd
  }
}

// An object literal with methods (a UI store): `this` is the literal.
function store() {
  return {
    items: [],
    async load() {
      const response = await fetch('http://catalog:8080/api/items');
      const data = await response.json();
      this.items = data.items; // expect: flow:B|http|GET /api/items ;; name=items
    },
    names() {
      return this.items.map((i) => i.name); // expect: flow:B|http|GET /api/items>items[] ;; name=name
    },
    async submit(order) {
      await fetch('http://orders:8080/api/orders', { method: 'POST', body: JSON.stringify(order) });
    },
    checkout() {
      this.submit({
        customerId: 'c1', // expect: writes_field ;; flow:B|http-req|POST /api/orders ;; name=customerId
        lines: this.items,
      });
    },
  };
}

// Look-alikes: a local object and a parsed string that crosses no boundary.
function local() {
  const settings = JSON.parse('{"priceUsd": 1}');
  const cfg = { sku: 'x' };
  return settings.priceUsd + cfg.sku; // expect-not: flow:
}

module.exports = { reserve, consumeShipments, watchPrices, store, local, app, server };
