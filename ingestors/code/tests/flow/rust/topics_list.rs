const READINGS_TOPIC: &str = "telemetry.readings.v1";

fn run(consumer: &StreamConsumer) {
    let local = "device.status.v1";
    consumer.subscribe(&[READINGS_TOPIC, local]).unwrap(); // expect: subscribes sym:@#run -> topic:telemetry.readings.v1 ;; subscribes sym:@#run -> topic:device.status.v1
    consumer.subscribe(&[HEARTBEAT_TOPIC]).unwrap(); // expect: subscribes sym:@#run -> topic-expr:{HEARTBEAT_TOPIC}
}
