require "json"
require "bunny"
require "faraday"

module Shop
  # Faraday, HTTParty-style reads, Bunny and a gRPC stub in one worker.
  class OrderWorker
    def initialize(channel)
      @channel = channel
      @carts = Hipstershop::CartService::Stub.new("cart:7070", :this_channel_is_insecure)
      @exchange = channel.topic("orders")
    end

    def place(user_id, sku)
      resp = Faraday.get("http://stock/stock/#{sku}")
      stock = JSON.parse(resp.body)
      level = stock["level"] # expect: flow:B|http|GET /stock/{} ;; {access=index, name=level
      city = stock.dig("warehouse", "city") # expect: flow:B|http|GET /stock/{} ;; name=warehouse ;; flow:B|http|GET /stock/{}>warehouse ;; name=city
      eta = stock.fetch("eta_days") # expect: flow:B|http|GET /stock/{} ;; name=eta_days
      stock["items"].each do |item| # expect: name=items
        item[:sku] # expect: flow:B|http|GET /stock/{}>items[] ;; {access=index, name=sku
      end
      reply = @carts.get_cart(Hipstershop::GetCartRequest.new(user_id: user_id)) # expect: consumes sym:@#Shop::OrderWorker::place -> grpc:CartService/GetCart ;; writes_field sym:@#Shop::OrderWorker::place -> flow:T|Hipstershop|GetCartRequest ;; {access=key, name=user_id
      total = reply.total # expect: flow:B|grpc|CartService/GetCart ;; {access=call, name=total
      count = reply.items.size # expect: name=items
      payload = { order_id: user_id, sku: sku, total: total }
      @exchange.publish(payload.to_json, routing_key: "orders.placed") # expect: uses_type sym:@#Shop::OrderWorker::place -> flow:I|payload@L26 ;; boundary=topic|orders.placed, role=encode
      payload
    end

    def listen
      queue = @channel.queue("payments.settled")
      queue.subscribe(manual_ack: true) do |delivery_info, properties, body|
        event = JSON.parse(body)
        event["payment_id"] # expect: flow:B|topic|payments.settled ;; {access=index, name=payment_id
      end
    end
  end

  # ruby-kafka: a consumer loop and a producer.
  class Events
    def run(kafka)
      consumer = kafka.consumer(group_id: "shop")
      consumer.subscribe("carts.updated")
      consumer.each_message do |message|
        cart = JSON.parse(message.value, symbolize_names: true)
        cart[:cart_id] # expect: flow:B|topic|carts.updated ;; {access=index, name=cart_id
      end
    end

    def emit(producer, order)
      producer.produce(Order.new(id: order.id).to_json, topic: "orders.shipped") # expect: uses_type sym:@#Shop::Events::emit -> flow:T||Order ;; boundary=topic|orders.shipped, role=encode
    end
  end

  # Look-alikes: configuration hashes and plain objects are no contract reads.
  class Lookalike
    def run(config)
      config["region"] # expect-not: flow:
      settings = { "k" => 1 }
      settings.fetch("k") # expect-not: flow:
      Presenter.new(config, links: 1) # expect-not: writes_field
    end
  end
end

# Net::HTTP.get gives the body itself.
def rates
  rates = JSON.parse(Net::HTTP.get(URI("http://fx/rates")))
  rates["eur"] # expect: flow:B|http|GET /rates ;; {access=index, name=eur
end
