import axios from 'axios';
import { Kafka } from 'kafkajs';
import { CartServiceClient, GetCartRequest } from './gen/demo';
import * as pb from './gen/demo';
import { Order, Shipment } from './models';

export class CheckoutService {
  private readonly orders = new Map<string, Order>();

  constructor(private readonly cart: CartServiceClient) {}

  // A stub injected as a constructor parameter property; the response comes to a callback.
  loadCart(userId: string) {
    const req: GetCartRequest = { userId }; // expect: writes_field sym:@#CheckoutService.loadCart -> flow:T|js:gen/demo|GetCartRequest ;; name=userId
    this.cart.getCart(req, (err, res) => { // expect: consumes sym:@#CheckoutService.loadCart -> grpc:CartService/GetCart
      for (const item of res.items) { // expect: flow:B|grpc|CartService/GetCart [L16] ~0.8 {access=member, name=items
        console.log(item.productId); // expect: flow:B|grpc|CartService/GetCart>items[] ;; name=productId
      }
    });
  }

  // axios: the body destructured from the response, read as it is.
  async quote(id: string) {
    const { data } = await axios.get(`http://shipping:8080/quotes/${id}`);
    return data.costUsd; // expect: flow:B|http|GET /quotes/{} ;; name=costUsd
  }

  // A typed variable decodes the response body into the consumer's own type.
  async order(id: string): Promise<Order> {
    const res = await fetch(`http://orders:8080/orders/${id}`);
    const o: Order = await res.json(); // expect: uses_type sym:@#CheckoutService.order -> flow:T|js:models|Order ;; boundary=http|GET /orders/{}, role=decode
    return o;
  }

  // `as T` and `.then` chains.
  async shipment(id: string) {
    const s = (await axios.get(`http://shipping:8080/shipments/${id}`)).data as Shipment; // expect: flow:T|js:models|Shipment ;; role=decode
    const eta = await fetch(`http://shipping:8080/eta/${id}`).then((r) => r.json()).then((body) => body.etaDays); // expect: flow:B|http|GET /eta/{} ;; name=etaDays
    return [s, eta];
  }

  // A local map with the same key names is not a boundary.
  cached(id: string) {
    const local = { costUsd: 1, etaDays: 2 };
    return local.costUsd + (this.orders.get(id) ? 1 : 0); // expect-not: flow:
  }
}

const kafka = new Kafka({ clientId: 'checkout', brokers: ['kafka:9092'] });
const consumer = kafka.consumer({ groupId: 'checkout' });

export async function listen() {
  await consumer.subscribe({ topic: 'payments.settled' });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const evt = JSON.parse(message.value!.toString());
      console.log(evt.paymentId); // expect: flow:B|topic|payments.settled ;; name=paymentId
    },
  });
}
