#include <librdkafka/rdkafkacpp.h>
#include <nlohmann/json.hpp>

// librdkafka: a consumer loop decoding JSON payloads.
void Consume(RdKafka::KafkaConsumer* consumer) {
  consumer->subscribe({"orders.placed"});
  while (true) {
    RdKafka::Message* msg = consumer->consume(1000);
    auto event = nlohmann::json::parse(static_cast<const char*>(msg->payload()));
    std::string id = event["order_id"]; // expect: flow:B|topic|orders.placed ;; {access=index, name=order_id
    delete msg;
  }
}
