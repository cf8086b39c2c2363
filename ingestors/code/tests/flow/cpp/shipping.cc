#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include "demo.grpc.pb.h"

using grpc::ClientContext;
using grpc::ServerContext;
using grpc::Status;
using hipstershop::GetQuoteRequest;
using hipstershop::GetQuoteResponse;

namespace shop {

// A gRPC client: the request is built with setters, the reply is an out-parameter.
class QuoteClient {
 public:
  explicit QuoteClient(std::shared_ptr<grpc::Channel> channel)
      : stub_(hipstershop::ShippingService::NewStub(channel)) {}

  double Quote(const std::string& city, int count) {
    GetQuoteRequest request;
    request.mutable_address()->set_city(city); // expect: writes_field sym:@#shop::QuoteClient::Quote -> flow:T|cpp:hipstershop|GetQuoteRequest ;; {access=setter, name=mutable_address ;; flow:T|cpp:hipstershop|GetQuoteRequest>address ;; name=set_city
    auto* item = request.add_items(); // expect: {access=setter, name=add_items
    item->set_quantity(count); // expect: flow:T|cpp:hipstershop|GetQuoteRequest>items[] ;; name=set_quantity
    GetQuoteResponse reply;
    ClientContext context;
    Status status = stub_->GetQuote(&context, request, &reply); // expect: consumes sym:@#shop::QuoteClient::Quote -> grpc:ShippingService/GetQuote
    if (!status.ok()) { // expect-not: name=ok
      return -1;
    }
    for (const auto& line : reply.lines()) { // expect: flow:B|grpc|ShippingService/GetQuote ;; {access=call, name=lines
      line.sku(); // expect: flow:B|grpc|ShippingService/GetQuote>lines[] ;; name=sku
    }
    int n = reply.lines_size(); // expect: {access=call, name=lines_size
    return reply.cost_usd().units(); // expect: flow:B|grpc|ShippingService/GetQuote ;; name=cost_usd ;; flow:B|grpc|ShippingService/GetQuote>cost_usd ;; name=units
  }

 private:
  std::unique_ptr<hipstershop::ShippingService::Stub> stub_;
};

// A gRPC server: the request parameter is typed, the reply written through setters.
class ShippingImpl final : public hipstershop::ShippingService::Service {
  Status GetQuote(ServerContext* context, const GetQuoteRequest* request, GetQuoteResponse* reply) override { // expect: implements sym:@#shop::ShippingImpl::GetQuote -> grpc:ShippingService/GetQuote
    int count = request->items_size(); // expect: flow:T|cpp:hipstershop|GetQuoteRequest ;; name=items_size
    std::string city = request->address().city(); // expect: name=address ;; flow:T|cpp:hipstershop|GetQuoteRequest>address ;; name=city
    auto prop = context::propagation::GlobalTextMapPropagator::GetGlobalPropagator(); // expect-not: flow:
    std::unordered_map<std::string, double> rates;
    for (const auto& r : rates) {
      r.first; // expect-not: flow:
    }
    reply->mutable_cost_usd()->set_units(count * 8); // expect: writes_field sym:@#shop::ShippingImpl::GetQuote -> flow:T|cpp:hipstershop|GetQuoteResponse ;; name=mutable_cost_usd
    return Status::OK;
  }

  void Helper(const std::string& s) { // expect-not: implements
    auto n = s.size(); // expect-not: flow:
  }
};

}  // namespace shop
