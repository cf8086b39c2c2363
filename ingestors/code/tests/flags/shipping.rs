use open_feature::{EvaluationContext, OpenFeature};

pub async fn quote(client: &open_feature::Client, provider: &Flagd, key: &str) -> i64 {
    let slow = provider
        .resolve_int_value("intlShippingSlowdown", &EvaluationContext::default()) // flag: intlShippingSlowdown
        .await;
    let free = client.get_bool_value("freeShipping", None, None).await; // flag: freeShipping
    let dynamic = client.get_bool_value(key, None, None).await; // dynamic
    slow + free + dynamic
}
