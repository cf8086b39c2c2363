<?php

namespace Acme\Orders;

use Acme\Dto\StockView;
use GuzzleHttp\Client;
use Hipstershop\CartServiceClient;
use Hipstershop\GetCartRequest;
use Illuminate\Support\Facades\Http;
use PhpAmqpLib\Message\AMQPMessage;

// Guzzle, Laravel Http, php-amqplib and a gRPC client in one service.
class OrdersService
{
    private Client $http;

    public function __construct(private CartServiceClient $carts, Client $http, private $channel)
    {
        $this->http = $http;
    }

    public function place(string $userId, NewOrder $order): array
    {
        $sku = $order->sku; // expect: flow:T|php:Acme.Orders|NewOrder ;; {access=member, name=sku
        $resp = $this->http->get('http://stock/stock/' . $sku);
        $stock = json_decode($resp->getBody(), true);
        $level = $stock['level']; // expect: flow:B|http|GET /stock/{} ;; {access=index, name=level
        foreach ($stock['warehouses'] as $w) { // expect: flow:B|http|GET /stock/{} ;; name=warehouses
            $city = $w['city']; // expect: flow:B|http|GET /stock/{}>warehouses[] ;; name=city
        }
        $res = $this->http->request('GET', 'http://pricing/prices/' . $sku);
        $price = json_decode((string) $res->getBody()->getContents()); // expect-not: name=getContents
        $amount = $price->amount; // expect: flow:B|http|GET /prices/{} ;; {access=member, name=amount
        $rate = Http::get('http://fx/rates')->json(); // expect-not: flow:
        $eur = $rate['eur']; // expect: flow:B|http|GET /rates ;; {access=index, name=eur
        $req = new GetCartRequest();
        $req->setUserId($userId); // expect: writes_field sym:@#OrdersService::place -> flow:T|php:Hipstershop|GetCartRequest ;; {access=setter, name=setUserId
        [$reply, $status] = $this->carts->GetCart($req)->wait(); // expect: consumes sym:@#OrdersService::place -> grpc:CartService/GetCart
        $total = $reply->getTotal(); // expect: flow:B|grpc|CartService/GetCart ;; {access=getter, name=getTotal
        $payload = ['order_id' => $userId, 'sku' => $sku, 'total' => $total];
        $this->channel->basic_publish(new AMQPMessage(json_encode($payload)), 'orders', 'orders.placed'); // expect: uses_type sym:@#OrdersService::place -> flow:I|payload@L40 ;; boundary=topic|orders.placed, role=encode
        $view = StockView::fromArray($stock); // expect: uses_type sym:@#OrdersService::place -> flow:T|php:Acme.Dto|StockView ;; boundary=http|GET /stock/{}, role=decode
        return $payload;
    }

    public function listen(): void
    {
        $callback = function ($msg) {
            $event = json_decode($msg->body, true);
            $id = $event['payment_id']; // expect: flow:B|topic|payments.settled ;; {access=index, name=payment_id
        };
        $this->channel->basic_consume('payments.settled', '', false, true, false, false, $callback);
    }
}

// Look-alikes: arrays and logs are not contract reads; an SDK client is no gRPC stub.
class Lookalike
{
    public function run(array $config, S3Client $s3): void
    {
        $region = $config['region']; // expect-not: flow:
        $obj = $s3->GetObject(['Bucket' => 'b']); // expect-not: grpc:
        \Log::info('x', ['order_id' => 1]); // expect-not: uses_type
    }
}
